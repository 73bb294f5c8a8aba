"""Handing a case over: a manager's confirmed act that stores the dossier, writes the journal,
moves the case to contentieux and stops amicable actions; the recipient's outcome; the CLI."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from case_core.cli import cli
from case_core.dossiers.context import DossierOptions
from case_core.dossiers.handover import hand_over, record_outcome, referrals_for_case
from case_core.dossiers.service import generate_dossiers
from case_core.journal.contacts import journal
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, StaleVersion, ValidationError
from case_core.letters.service import LetterKind, generate_letter
from case_core.models import AuditEvent, Document, DocumentKind, Phase, RecipientKind, Role
from case_core.payments.service import PaymentInput, record_payment
from case_core.statement.account import statement_for_case
from case_core.worklists.my_day import my_day
from tests.conftest import actor_with_role
from tests.dossiers.dossier_helpers import add_ecb_rate, recipient
from tests.factories import case_row, make_case
from tests.letter_helpers import set_sender
from tests.template_helpers import docx_text


@pytest.fixture
def manager(admin: Actor) -> Actor:
    add_ecb_rate(admin)
    set_sender(admin)
    return actor_with_role(admin, Role.MANAGER)


def test_manager_hands_over_the_case(manager: Actor, admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(
        admin,
        assignee_id=collector.id,
        phase=Phase.PRE_CONTENTIEUX,
        next_action_date=date(2026, 1, 5),
    ).reference
    assert [r.reference for r in my_day(collector).rows] == [ref]
    who = recipient(manager)
    version = case_row(ref).version
    result = hand_over(
        manager,
        ref,
        DossierOptions(recipient_id=who.id, recipient_reference="CJ-77"),
        expected_version=version,
        confirmed=True,
        note="Urgent & prioritaire <svp>",
    )
    case = case_row(ref)
    assert case.phase == Phase.CONTENTIEUX
    assert case.version == version + 1 == result.case_version
    assert "Me Claire Petit" in docx_text(result.docx)
    referral = result.referral
    assert referral.recipient.name == "Me Claire Petit"
    assert referral.recipient_reference == "CJ-77"
    assert referral.handed_over_by == manager.full_name
    assert "depuis le" in referral.summary
    with read_session() as session:
        doc = session.get(Document, referral.document_id)
        assert doc is not None and DocumentKind(doc.kind) == DocumentKind.DOSSIER
        assert doc.filename == result.filename
        actions = set(
            session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
        )
    assert "case.hand_over" in actions
    entry = journal(manager, ref)[0]
    assert "Dossier transmis à Me Claire Petit (commissaire de justice), réf. CJ-77" in (
        entry.note or ""
    )
    assert "Urgent & prioritaire <svp>" in (entry.note or "")
    assert entry.document_id == referral.document_id

    # Amicable actions stop; payments are still recorded and count.
    with pytest.raises(ValidationError, match="pas de courrier amiable"):
        generate_letter(collector, ref, LetterKind.REMINDER_1)
    assert my_day(collector).rows == []
    record_payment(collector, ref, PaymentInput(date(2026, 11, 2), 100_00))
    assert statement_for_case(collector, ref).totals.payments_cents == 100_00

    # The recipient's outcome.
    done = record_outcome(
        manager,
        referral.id,
        expected_version=referral.version,
        title_obtained=True,
        title_on=date(2026, 11, 20),
        recovered="1 234,56",
        closed=True,
        note="Ordonnance d'injonction exécutée",
    )
    assert (done.title_obtained, done.recovered_cents, done.closed) == (True, 1_234_56, True)
    assert done.closed_on is not None
    with pytest.raises(StaleVersion, match="Cette transmission"):
        record_outcome(
            manager,
            referral.id,
            expected_version=referral.version,
            title_obtained=False,
            title_on=None,
            recovered="",
            closed=False,
        )
    assert [r.id for r in referrals_for_case(collector, ref)] == [referral.id]


def test_hand_over_refused_without_confirmation_or_permission(manager: Actor, admin: Actor) -> None:
    ref = make_case(admin).reference
    who = recipient(manager)
    version = case_row(ref).version
    options = DossierOptions(recipient_id=who.id)
    with pytest.raises(ValidationError) as caught:
        hand_over(manager, ref, options, expected_version=version, confirmed=False)
    assert "Confirmez la transmission" in caught.value.errors["confirm"]
    with pytest.raises(ValidationError, match="Choisissez le destinataire"):
        hand_over(manager, ref, DossierOptions(), expected_version=version, confirmed=True)
    with pytest.raises(PermissionDenied):
        hand_over(
            actor_with_role(admin, Role.COLLECTOR),
            ref,
            options,
            expected_version=version,
            confirmed=True,
        )
    with pytest.raises(StaleVersion):
        hand_over(manager, ref, options, expected_version=version - 1, confirmed=True)
    assert case_row(ref).phase == Phase.AMIABLE
    assert case_row(ref).version == version
    hand_over(manager, ref, options, expected_version=version, confirmed=True)
    with pytest.raises(ValidationError, match="déjà transmis à Me Claire Petit"):
        hand_over(manager, ref, options, expected_version=version + 1, confirmed=True)


def test_outcome_bad_input_in_french(manager: Actor, admin: Actor) -> None:
    ref = make_case(admin).reference
    who = recipient(manager)
    referral = hand_over(
        manager,
        ref,
        DossierOptions(recipient_id=who.id),
        expected_version=case_row(ref).version,
        confirmed=True,
    ).referral
    with pytest.raises(ValidationError) as caught:
        record_outcome(
            manager,
            referral.id,
            expected_version=referral.version,
            title_obtained=False,
            title_on=date(2026, 1, 1),
            recovered="beaucoup",
            closed=False,
        )
    assert set(caught.value.errors) == {"title_on", "recovered"}


def test_cli_writes_the_zip(manager: Actor, admin: Actor, tmp_path: Path) -> None:
    ref = make_case(admin).reference
    who = recipient(manager)
    out = tmp_path / "dossier.zip"
    result = CliRunner().invoke(
        cli,
        [
            "dossier",
            ref,
            "--for",
            "commissaire",
            "--recipient",
            str(who.id),
            "--no-pdf",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Voie recommandée : Procédure simplifiée" in result.output
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        names = archive.namelist()
    assert names == [f"Dossier contentieux {ref} {today_paris():%Y-%m-%d}.docx"]
    wrong = CliRunner().invoke(
        cli, ["dossier", ref, "--for", "avocat", "--recipient", str(who.id), "-o", str(out)]
    )
    assert wrong.exit_code == 1
    assert "pas « Avocat »" in wrong.output
    lawyer = recipient(manager, RecipientKind.AVOCAT)
    assert lawyer.kind == RecipientKind.AVOCAT


def test_bulk_zip_has_one_folder_per_case_and_the_errors(manager: Actor, admin: Actor) -> None:
    refs = [make_case(admin, debtor=n).reference for n in ("Alpha SARL", "Bravo SAS")]
    seen: list[tuple[int, int]] = []
    result = generate_dossiers(
        manager,
        [*refs, "2026-999999", refs[0]],
        DossierOptions(recipient_kind=RecipientKind.AVOCAT),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.generated == refs
    assert result.failures == [("2026-999999", "Dossier introuvable : « 2026-999999 ».")]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        names = archive.namelist()
        assert "2026-999999" in archive.read("erreurs.txt").decode()
    assert {n.split("/")[0] for n in names if "/" in n} == set(refs)
