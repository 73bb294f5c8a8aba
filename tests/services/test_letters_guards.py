"""What must stop a letter: a placeholder sender (R124-4), a time-barred invoice, an
accepted plan that the debtor is keeping. Each may be overridden only where the law
allows it, and only when the user says so."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest

from case_core.cases.attachments import case_documents
from case_core.journal.contacts import journal
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.kernel.settings import set_settings
from case_core.letters.service import (
    SENDER_ADDRESS,
    SENDER_MISSING,
    LetterKind,
    generate_letter,
    generate_letters,
    letter_checks,
)
from case_core.models import AcceptanceChannel, ContactOutcome, DebtorKind, Phase, RateKind, Role
from case_core.plans import service as plans
from case_core.statement.rates import add_rate
from tests.conftest import actor_with_role
from tests.factories import case_row, make_case
from tests.letter_helpers import set_sender

AT = date(2026, 11, 24)
# A consumer invoice due on 07/04/2024: its two years ran out on 07/04/2026.
BARRED_DUE = date(2024, 4, 7)


@pytest.fixture
def collector(admin: Actor) -> Actor:
    add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE (essai)")
    return actor_with_role(admin, Role.COLLECTOR)


def test_no_letter_while_the_sender_is_a_placeholder(admin: Actor, collector: Actor) -> None:
    ref = make_case(collector).reference
    assert letter_checks(collector, ref, AT).sender_missing == SENDER_MISSING
    for kind in LetterKind:
        with pytest.raises(ValidationError, match="Paramètres → Courriers"):
            generate_letter(collector, ref, kind, today=AT)
    result = generate_letters(collector, [ref], LetterKind.REMINDER_1, today=AT)
    assert result.generated == [] and result.failures == [(ref, SENDER_MISSING)]
    assert case_documents(collector, ref) == [] and journal(collector, ref) == []
    # Half filled in is still not an identity.
    set_settings(admin, {SENDER_ADDRESS: "8 rue Mercière, 69002 Lyon"})
    with pytest.raises(ValidationError, match="Paramètres → Courriers"):
        generate_letter(collector, ref, LetterKind.REMINDER_1, today=AT)
    set_sender(admin)
    assert letter_checks(collector, ref, AT).sender_missing is None
    generate_letter(collector, ref, LetterKind.REMINDER_1, today=AT)


def test_time_barred_invoice_is_not_claimed_without_confirmation(
    admin: Actor, collector: Actor
) -> None:
    set_sender(admin)
    ref = make_case(collector, kind=DebtorKind.CONSUMER, due_date=BARRED_DUE).reference
    expected = "La facture F-001 est prescrite depuis le 07/04/2026"
    assert expected in (letter_checks(collector, ref, AT).time_barred or "")
    for kind in LetterKind:
        with pytest.raises(ValidationError, match=expected):
            generate_letter(collector, ref, kind, today=AT)
    assert case_documents(collector, ref) == []
    assert case_row(ref).phase == Phase.AMIABLE
    # Bulk letters never confirm: the case is listed among the failures.
    fresh = make_case(collector, kind=DebtorKind.CONSUMER).reference
    result = generate_letters(collector, [ref, fresh], LetterKind.REMINDER_1, today=AT)
    assert result.generated == [fresh]
    assert [r for r, _ in result.failures] == [ref] and expected in result.failures[0][1]
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        assert expected in archive.read("erreurs.txt").decode()
    # The user confirmed, knowing the invoice is time-barred.
    letter = generate_letter(
        collector, ref, LetterKind.REMINDER_1, today=AT, include_time_barred=True
    )
    assert letter.filename == f"relance_1_{ref}_20261124.docx"
    (entry,) = journal(collector, ref)
    assert "envoi confirmé malgré une facture prescrite" in (entry.note or "")
    # The day before it ran out, the invoice could still be claimed.
    assert letter_checks(collector, ref, date(2026, 4, 7)).time_barred is None


def test_formal_notice_needs_confirmation_while_an_accepted_plan_runs(
    admin: Actor, collector: Actor
) -> None:
    set_sender(admin)
    ref = make_case(collector).reference
    proposed = plans.propose_plan(admin, ref, plans.Proposal(AT, AT + timedelta(days=30), count=3))
    plans.accept_plan(
        admin,
        proposed.id,
        expected_version=proposed.version,
        accepted_on=AT,
        accepted_by="M. Martin",
        channel=AcceptanceChannel.LETTER,
        today=AT,
    )
    version = case_row(ref).version
    assert "échéancier accepté" in (letter_checks(collector, ref, AT).active_plan or "")
    for kind in LetterKind:
        with pytest.raises(ValidationError, match="échéancier accepté"):
            generate_letter(collector, ref, kind, today=AT)
    assert case_row(ref).phase == Phase.AMIABLE and case_row(ref).version == version
    assert case_documents(collector, ref) == []
    letter = generate_letter(
        collector, ref, LetterKind.FORMAL_NOTICE, today=AT, confirm_active_plan=True
    )
    assert letter.filename == f"mise_en_demeure_{ref}_20261124.docx"
    assert case_row(ref).phase == Phase.PRE_CONTENTIEUX


def test_letters_are_logged_as_sent_with_french_file_names(admin: Actor, collector: Actor) -> None:
    set_sender(admin)
    ref = make_case(collector).reference
    names = [generate_letter(collector, ref, kind, today=AT).filename for kind in LetterKind]
    assert names == [
        f"relance_1_{ref}_20261124.docx",
        f"relance_2_{ref}_20261124.docx",
        f"mise_en_demeure_{ref}_20261124.docx",
    ]
    entries = journal(collector, ref)
    assert len(entries) == 3
    assert {e.outcome for e in entries} == {ContactOutcome.SENT}
