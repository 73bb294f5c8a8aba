"""The « Échéancier » letter: the plan as the debtor signs it (acknowledgement of the debt).

The template templates_docx/echeancier.docx holds docxtpl (Jinja) tags and is committed so
that users may reword it in Word; `python -m case_core.plan_letter` rewrites it from
`build_template` (erasing local edits). It is rendered with autoescape, so a name such as
« Dupont & Fils <SARL> » comes out exactly as typed, and stored as a document of the case.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate
from sqlmodel import Session

from case_core.actor import Actor
from case_core.contacts import ContactInput, write_entry
from case_core.dates import format_date, today_paris
from case_core.db import session_scope
from case_core.documents import store_document
from case_core.errors import NotFound, ValidationError
from case_core.letter_templates import TEMPLATES_DIR, _header, _para, _payment
from case_core.letters import (
    PAYMENT_INSTRUCTIONS,
    SENDER_ADDRESS,
    SENDER_CITY,
    SENDER_NAME,
    SIGNATORY,
)
from case_core.models import (
    Case,
    Channel,
    ContactOutcome,
    DocumentKind,
    InstalmentPlan,
    Party,
    PlanStatus,
)
from case_core.money import format_cents, format_rate_bp
from case_core.permissions import Perm, require
from case_core.plans import MISSED_TO_BREAK_KEY, PlanView, view_of
from case_core.settings import get_setting

TEMPLATE_NAME = "echeancier.docx"


def build_template() -> DocxDocument:
    doc = Document()
    _header(doc, "Proposition d'échéancier de paiement", registered=False)
    _para(
        doc,
        "Pour le règlement de la somme de {{ plan.total }} restant due au "
        "{{ plan.basis_date }} au titre du dossier {{ reference }} (créancier : "
        "{{ creditor.name }}), nous vous proposons l'échéancier suivant :",
    )
    _para(
        doc,
        "{% if plan.waived %}Sous réserve du respect de cet échéancier, le créancier renonce à "
        "{{ plan.waived }} ({{ plan.waived_parts }}).{% endif %}",
    )
    _para(
        doc,
        "{% if plan.rate %}L'échéancier porte intérêt au taux annuel de {{ plan.rate }} : "
        "intérêts {{ plan.interest }}, coût total {{ plan.total_cost }}.{% endif %}",
    )
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["Échéance", "Date", "Montant", "dont intérêts"], strict=True
    ):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.rows[1].cells[0].text = "{%tr for i in instalments %}"
    for cell, text in zip(
        table.rows[2].cells,
        ["{{ i.label }}", "{{ i.due_date }}", "{{ i.amount }}", "{{ i.interest }}"],
        strict=True,
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    _para(doc)
    _para(
        doc,
        "Total : {{ plan.total_cost }} en {{ plan.count }} échéance(s) "
        "{{ plan.frequency }}{% if plan.down_payment %} après un acompte de "
        "{{ plan.down_payment }}{% endif %}, dernière échéance le {{ plan.end_date }}.",
    )
    _payment(doc)
    _para(
        doc,
        "À défaut de paiement de {{ plan.missed_to_break }} échéance(s) à leur date, la "
        "totalité du solde restant dû deviendra immédiatement exigible (déchéance du terme) "
        "et le recouvrement reprendra sans autre avis.",
    )
    _para(
        doc,
        "La signature du présent échéancier vaut reconnaissance de la dette (Code civil, "
        "article 2240).",
    )
    _para(doc, "{{ sender.signatory }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc)
    _para(doc, "Bon pour accord, le débiteur : {{ debtor.name }}", bold=True)
    _para(doc, "Date : ____________________    Signature :")
    return doc


def write_template(directory: Path = TEMPLATES_DIR) -> Path:
    path = directory / TEMPLATE_NAME
    build_template().save(str(path))
    return path


def _address(party: Party) -> str:
    lines = [party.address_line1, party.address_line2, f"{party.postcode or ''} {party.city or ''}"]
    return ", ".join(line.strip() for line in lines if line and line.strip())


def _waived_parts(plan: PlanView) -> str:
    parts = [
        name
        for name, included in (
            ("principal", plan.includes_principal),
            ("intérêts", plan.includes_interest),
            ("indemnité forfaitaire", plan.includes_indemnity),
        )
        if not included
    ]
    return ", ".join(parts)


def plan_letter_context(session: Session, plan: PlanView, case: Case, at: date) -> dict[str, Any]:
    """Everything the template prints, already formatted the French way."""
    debtor = session.get(Party, case.debtor_id)
    creditor = session.get(Party, case.creditor_id)
    assert debtor is not None and creditor is not None
    return {
        "reference": case.reference,
        "letter_date": format_date(at),
        "salutation": "Madame, Monsieur",
        "sender": {
            "name": get_setting(SENDER_NAME, session),
            "address": get_setting(SENDER_ADDRESS, session),
            "city": get_setting(SENDER_CITY, session),
            "signatory": get_setting(SIGNATORY, session),
        },
        "debtor": {"name": debtor.display_name, "address": _address(debtor)},
        "creditor": {
            "name": creditor.display_name,
            "address": _address(creditor),
            "iban": creditor.iban or "",
        },
        "payment_instructions": get_setting(PAYMENT_INSTRUCTIONS, session),
        "plan": {
            "total": format_cents(plan.total_cents),
            "basis_date": format_date(plan.basis_date),
            "waived": format_cents(plan.waived_cents) if plan.waived_cents else "",
            "waived_parts": _waived_parts(plan),
            "rate": format_rate_bp(plan.rate_bp) if plan.rate_bp else "",
            "interest": format_cents(plan.interest_cents),
            "total_cost": format_cents(plan.total_cost_cents),
            "count": plan.count,
            "frequency": plan.frequency.label.lower(),
            "down_payment": format_cents(plan.down_payment_cents)
            if plan.down_payment_cents
            else "",
            "end_date": format_date(plan.end_date),
            "missed_to_break": int(get_setting(MISSED_TO_BREAK_KEY, session)),
        },
        "instalments": [
            {
                "label": i.label,
                "due_date": format_date(i.due_date),
                "amount": format_cents(i.amount_cents),
                "interest": format_cents(i.interest_cents),
            }
            for i in plan.instalments
        ],
    }


def render_plan_letter(context: dict[str, Any], templates: Path = TEMPLATES_DIR) -> bytes:
    template = DocxTemplate(str(templates / TEMPLATE_NAME))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class PlanLetter:
    document_id: int
    filename: str
    content: bytes


def generate_plan_letter(actor: Actor, plan_id: int, at: date | None = None) -> PlanLetter:
    """The « Échéancier » letter of a proposed or accepted plan, stored on the case."""
    require(actor, Perm.LETTERS_GENERATE)
    at = at or today_paris()
    with session_scope() as session:
        plan = session.get(InstalmentPlan, plan_id)
        if plan is None:
            raise NotFound(f"Échéancier introuvable (n° {plan_id}).")
        if plan.status == PlanStatus.CANCELLED:
            raise ValidationError("Cet échéancier est annulé : pas de courrier.")
        case = session.get(Case, plan.case_id)
        assert case is not None
        view = view_of(session, plan, case, at)
        content = render_plan_letter(plan_letter_context(session, view, case, at))
        filename = f"{case.reference}_echeancier_{plan_id}_{at:%Y%m%d}.docx"
        document = store_document(
            session, actor, case, filename, content, DocumentKind.LETTER, generated=True
        )
        # Logged in the journal like every letter, so the collector sees it was sent.
        write_entry(
            session,
            actor,
            case,
            ContactInput(
                channel=Channel.LETTER,
                outcome=ContactOutcome.REACHED,
                note=f"Échéancier n° {plan_id} adressé pour signature ({filename})",
            ),
            document_id=document.id,
            check_guardrails=False,
        )
        return PlanLetter(document.id or 0, filename, content)


if __name__ == "__main__":
    print(write_template())
