"""The « Échéancier » letter: rendered from the committed template, stored, reopened."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document as open_docx
from sqlmodel import select

from case_core import plans
from case_core.actor import Actor
from case_core.db import read_session
from case_core.documents import get_document_content
from case_core.errors import PermissionDenied, ValidationError
from case_core.models import ContactEvent, Role
from case_core.plan_letter import TEMPLATE_NAME, build_template, generate_plan_letter
from tests.conftest import actor_with_role
from tests.plan_helpers import make_case

NASTY = "Dupont & Fils <SARL> \"l'Épi d'or\""


def _text(content: bytes) -> str:
    doc = open_docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_letter_states_the_plan_and_keeps_special_characters(admin: Actor) -> None:
    reference = make_case(principal_cents=100_000, debtor_name=NASTY)
    plan = plans.propose_plan(
        admin,
        reference,
        plans.Proposal(
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
    assert "2 échéance(s)" in text  # the breaking threshold setting
    stored = get_document_content(admin, letter.document_id)
    assert stored.content == letter.content
    with read_session() as session:
        entry = session.exec(select(ContactEvent)).one()
    assert entry.document_id == letter.document_id and "Échéancier n°" in (entry.note or "")


def test_letter_refused_for_cancelled_plan_and_without_permission(admin: Actor) -> None:
    reference = make_case()
    plan = plans.propose_plan(
        admin, reference, plans.Proposal(date(2026, 1, 2), date(2026, 2, 2), count=2)
    )
    viewer = actor_with_role(admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        generate_plan_letter(viewer, plan.id)
    plans.cancel_plan(admin, plan.id, expected_version=plan.version, reason="Refus")
    with pytest.raises(ValidationError, match="annulé"):
        generate_plan_letter(admin, plan.id)


def test_committed_template_matches_its_builder(tmp_path: Path) -> None:
    committed = Path(__file__).resolve().parent.parent / "templates_docx" / TEMPLATE_NAME
    built = tmp_path / TEMPLATE_NAME
    build_template().save(str(built))
    assert _text(committed.read_bytes()) == _text(built.read_bytes())
