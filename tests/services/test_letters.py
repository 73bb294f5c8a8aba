"""Letters: amounts from the statement, R124-4 mentions, exact names, journal, documents."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlmodel import select

from case_core.cases.attachments import case_documents
from case_core.documents.store import get_document_content
from case_core.journal.contacts import ContactInput, journal, log_contact, resolve_dispute
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.settings import set_settings
from case_core.letters.service import (
    FORMAL_NOTICE_DAYS,
    LetterKind,
    generate_letter,
    generate_letters,
)
from case_core.letters.templates import L111_8_AL2, L111_8_AL3
from case_core.models import (
    AuditEvent,
    Channel,
    ContactOutcome,
    DebtorKind,
    DisputeCategory,
    DocumentKind,
    Phase,
    RateKind,
    Role,
)
from case_core.statement.account import statement_for_case
from case_core.statement.rates import add_rate
from tests.conftest import actor_with_role
from tests.factories import case_row, make_case, pay
from tests.letter_helpers import set_sender
from tests.template_helpers import docx_text

TRICKY = 'Dupont & Fils <SARL> "L\'Atelier" {{ x }}'
AT = date(2026, 11, 24)


@pytest.fixture
def collector(admin: Actor) -> Actor:
    # The second-half 2026 ECB rate is not shipped yet: an administrator enters it.
    add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE (essai)")
    set_sender(admin)
    return actor_with_role(admin, Role.COLLECTOR)


def test_formal_notice_carries_amounts_mentions_deadline_and_exact_name(
    collector: Actor,
) -> None:
    ref = make_case(
        collector, debtor=TRICKY, principal_cents=250_000, due_date=date(2026, 3, 31)
    ).reference
    pay(collector, ref, date(2026, 6, 1), 50_000)
    statement = statement_for_case(collector, ref, AT)
    totals = statement.totals
    assert totals.interest_cents > 0 and totals.indemnity_cents == 40_00
    letter = generate_letter(collector, ref, LetterKind.FORMAL_NOTICE, today=AT)
    text = docx_text(letter.content)
    # The name exactly as typed: escaped for XML, never read as a template tag.
    assert TRICKY in text
    # Amounts from the statement, each element apart.
    assert format_cents(totals.principal_cents - totals.principal_paid_cents) in text
    assert format_cents(totals.interest_cents - totals.interest_paid_cents) in text
    assert format_cents(totals.indemnity_cents - totals.indemnity_paid_cents) in text
    assert format_cents(totals.balance_cents) in text
    assert format_cents(500_00) in text
    assert "F-001" in text
    # R124-4: who collects, for whom, basis, how to pay, L111-8 al. 2 and 3.
    assert "exerce une activité de recouvrement amiable" in text
    assert "Fournitures Durand SAS, 3 quai Saint-Antoine, 69002 Lyon" in text
    # The invoice description exactly as typed (not lower-cased).
    assert "(Prestation de maintenance)" in text
    assert "Modalités de paiement" in text
    assert L111_8_AL2 in text and L111_8_AL3 in text
    # The deadline: 8 days by default.
    assert letter.deadline == AT + timedelta(days=8)
    assert "au plus tard le 02/12/2026" in text
    assert ref in text and "24/11/2026" in text


def test_formal_notice_is_stored_logged_and_sets_the_notice_dates(collector: Actor) -> None:
    ref = make_case(collector).reference
    version = case_row(ref).version
    letter = generate_letter(
        collector, ref, LetterKind.FORMAL_NOTICE, today=AT, registered_letter_number="1A12345"
    )
    case = case_row(ref)
    assert case.formal_notice_date == AT
    assert case.formal_notice_deadline == date(2026, 12, 2)
    assert case.phase == Phase.PRE_CONTENTIEUX
    assert case.version > version
    (doc,) = case_documents(collector, ref)
    assert doc.kind == DocumentKind.LETTER and doc.filename == letter.filename
    assert get_document_content(collector, doc.id).content == letter.content
    (entry,) = journal(collector, ref)
    assert entry.channel == Channel.REGISTERED_LETTER
    assert entry.registered_letter_number == "1A12345"
    assert entry.document_id == doc.id
    assert "Mise en demeure" in (entry.note or "")
    with read_session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "case.formal_notice")
        ).one()
    changes = json.loads(event.changes)
    assert changes["formal_notice_date"] == {"before": None, "after": "2026-11-24"}
    assert changes["phase"] == {"before": "amiable", "after": "pre_contentieux"}


def test_deadline_is_a_setting(admin: Actor, collector: Actor) -> None:
    ref = make_case(admin).reference
    set_settings(admin, {FORMAL_NOTICE_DAYS: 15})
    letter = generate_letter(admin, ref, LetterKind.FORMAL_NOTICE, today=AT)
    assert letter.deadline == date(2026, 12, 9)
    assert "au plus tard le 09/12/2026" in docx_text(letter.content)


def test_reminders_in_french_logged_as_letters(collector: Actor) -> None:
    ref = make_case(collector, debtor=TRICKY).reference
    first = generate_letter(collector, ref, LetterKind.REMINDER_1, today=AT)
    second = generate_letter(collector, ref, LetterKind.REMINDER_2, today=AT)
    assert "Relance" in docx_text(first.content) and TRICKY in docx_text(first.content)
    assert "Seconde relance" in docx_text(second.content)
    assert [e.channel for e in journal(collector, ref)] == [Channel.LETTER, Channel.LETTER]
    assert case_row(ref).formal_notice_date is None
    assert case_row(ref).phase == Phase.AMIABLE


def test_reminders_refused_while_a_dispute_is_open(collector: Actor) -> None:
    ref = make_case(collector).reference
    log_contact(
        collector,
        ref,
        ContactInput(
            Channel.EMAIL_IN, ContactOutcome.DISPUTE, dispute_category=DisputeCategory.AMOUNT
        ),
    )
    with pytest.raises(ValidationError, match="contestation"):
        generate_letter(collector, ref, LetterKind.REMINDER_1, today=AT)
    assert case_documents(collector, ref) == []
    from case_core.journal.contacts import contact_state

    resolve_dispute(collector, contact_state(collector, ref).disputes[0].id, "Montant confirmé")
    generate_letter(collector, ref, LetterKind.REMINDER_1, today=AT)


def test_bulk_letters_zip_with_failures_listed(collector: Actor, admin: Actor) -> None:
    refs = [make_case(collector).reference for _ in range(3)]
    closed = make_case(admin, phase=Phase.CLOSED).reference
    seen: list[tuple[int, int]] = []
    result = generate_letters(
        collector,
        [*refs, closed, "2026-999999"],
        LetterKind.REMINDER_1,
        today=AT,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.generated == refs
    assert [ref for ref, _ in result.failures] == [closed, "2026-999999"]
    assert seen[-1] == (5, 5)
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        names = archive.namelist()
        assert sorted(n for n in names if n.endswith(".docx")) == sorted(
            f"relance_1_{r}_20261124.docx" for r in refs
        )
        assert "introuvable" in archive.read("erreurs.txt").decode()
        # Each file opens as a Word document.
        for name in names:
            if name.endswith(".docx"):
                assert "Relance" in docx_text(archive.read(name))


def test_consumer_letter_has_no_commercial_indemnity_line(collector: Actor) -> None:
    ref = make_case(collector, kind=DebtorKind.CONSUMER, debtor="DUPONT Jeanne").reference
    text = docx_text(generate_letter(collector, ref, LetterKind.REMINDER_1, today=AT).content)
    assert "DUPONT Jeanne" in text
    assert "Indemnité forfaitaire" not in text
    professional = make_case(collector).reference
    text = docx_text(
        generate_letter(collector, professional, LetterKind.REMINDER_1, today=AT).content
    )
    assert "Indemnité forfaitaire" in text and format_cents(40_00) in text
