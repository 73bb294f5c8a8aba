"""The « Échéancier » letter: rendered from the committed template, stored, reopened."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document as open_docx
from sqlmodel import select

from case_core.documents.store import get_document_content
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.letters.plan_letter import (
    TEMPLATE_NAME,
    build_template,
    count_of_instalments,
    generate_plan_letter,
)
from case_core.models import ContactEvent, ContactOutcome, Frequency, Role
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, company_debtor, make_case
from tests.letter_helpers import set_sender
from tests.paths import TEMPLATES

NASTY = "Dupont & Fils <SARL> \"l'Épi d'or\""


def _text(content: bytes) -> str:
    doc = open_docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_letter_states_the_plan_and_keeps_special_characters(admin: Actor) -> None:
    set_sender(admin)
    reference = make_case(
        admin, **NO_INTEREST, principal_cents=100_000, debtor=company_debtor(NASTY)
    ).reference
    plan = plans.propose_plan(
        admin,
        reference,
        Proposal(
            date(2026, 1, 2),
            date(2026, 2, 2),
            count=3,
            down_payment_cents=10_000,
            include_interest=False,
        ),
    )
    letter = generate_plan_letter(admin, plan.id, at=date(2026, 1, 2))
    text = _text(letter.content)
    assert f"Bon pour accord, le débiteur : {NASTY}" in text
    assert "{{" not in text and "{%" not in text
    assert "1\u202f000,00\u00a0€" in text  # the total spread
    assert "Acompte | 02/02/2026 | 100,00\u00a0€" in text
    assert "Échéance 3 | 02/04/2026 | 300,00\u00a0€" in text
    assert "reconnaissance de la dette" in text
    assert "en 3 échéances mensuelles après un acompte" in text
    assert "À défaut de paiement de 2 échéances à leur date" in text  # the breaking setting
    assert "(s)" not in text
    assert letter.filename == f"echeancier_{reference}_{plan.id}_20260102.docx"
    stored = get_document_content(admin, letter.document_id)
    assert stored.content == letter.content
    with read_session() as session:
        entry = session.exec(select(ContactEvent)).one()
    assert entry.document_id == letter.document_id and "Échéancier n°" in (entry.note or "")
    assert entry.outcome == ContactOutcome.SENT


def test_count_of_instalments_agrees_in_number() -> None:
    assert count_of_instalments(1, Frequency.MONTHLY) == "1 échéance mensuelle"
    assert count_of_instalments(6, Frequency.MONTHLY) == "6 échéances mensuelles"
    assert count_of_instalments(4, Frequency.QUARTERLY) == "4 échéances trimestrielles"
    assert count_of_instalments(2) == "2 échéances"


def test_letter_refused_without_sender_or_for_a_time_barred_invoice(admin: Actor) -> None:
    # Due 07/04/2024 from a consumer: time-barred since 07/04/2026.
    reference = make_case(
        admin, **NO_INTEREST, due_date=date(2024, 4, 7), invoice_number="F-2025-001"
    ).reference
    plan = plans.propose_plan(
        admin, reference, Proposal(date(2026, 1, 2), date(2026, 2, 2), count=2)
    )
    with pytest.raises(ValidationError, match="Paramètres → Courriers"):
        generate_plan_letter(admin, plan.id, at=date(2026, 5, 4))
    set_sender(admin)
    with pytest.raises(ValidationError, match="F-2025-001 est prescrite depuis le 07/04/2026"):
        generate_plan_letter(admin, plan.id, at=date(2026, 5, 4))
    with read_session() as session:
        assert session.exec(select(ContactEvent)).all() == []
    letter = generate_plan_letter(admin, plan.id, at=date(2026, 5, 4), include_time_barred=True)
    assert "Bon pour accord" in _text(letter.content)


def test_letter_refused_for_cancelled_plan_and_without_permission(admin: Actor) -> None:
    set_sender(admin)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    plan = plans.propose_plan(
        admin, reference, Proposal(date(2026, 1, 2), date(2026, 2, 2), count=2)
    )
    viewer = actor_with_role(admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        generate_plan_letter(viewer, plan.id)
    plans.cancel_plan(admin, plan.id, expected_version=plan.version, reason="Refus")
    with pytest.raises(ValidationError, match="annulé"):
        generate_plan_letter(admin, plan.id)


def test_committed_template_matches_its_builder(tmp_path: Path) -> None:
    committed = TEMPLATES / TEMPLATE_NAME
    built = tmp_path / TEMPLATE_NAME
    build_template().save(str(built))
    assert _text(committed.read_bytes()) == _text(built.read_bytes())
