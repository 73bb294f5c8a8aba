"""The « Échéancier » letter: the plan as the debtor signs it (acknowledgement of the debt).

The template templates_docx/echeancier.docx holds docxtpl (Jinja) tags and is committed so
that users may reword it in Word; `python -m case_core.letters.plan_letter` rewrites it from
`build_template` (erasing local edits). It is rendered with autoescape, so a name such as
« Dupont & Fils <SARL> » comes out exactly as typed, and stored as a document of the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlmodel import Session

from case_core.cases.change import change_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.kernel.permissions import Perm, require
from case_core.letters.sample import plan_letter_sample
from case_core.letters.service import (
    letter_context,
    sender_missing,
    store_and_log,
    time_barred_message,
)
from case_core.letters.templates import (
    TEMPLATES_DIR,
    amounts,
    collection_mentions,
    header,
    para,
    payment,
)
from case_core.models import Case, Frequency, InstalmentPlan, PlanStatus
from case_core.plans.service import case_of_plan
from case_core.plans.settings import status_rule
from case_core.plans.views import PlanView, view_of
from case_core.statement.lines import Statement
from case_core.templates.registry import TemplateSpec, register
from case_core.templates.store import render_active

TEMPLATE_NAME = "echeancier.docx"
register(TemplateSpec(TEMPLATE_NAME, "Courrier : échéancier à signer", plan_letter_sample))


def build_template() -> DocxDocument:
    doc = Document()
    header(doc, "Proposition d'échéancier de paiement", registered=False)
    para(doc, "Les sommes restant dues au {{ letter.date }} sont les suivantes :")
    amounts(doc)
    para(
        doc,
        "Pour le règlement de la somme de {{ plan.total }} restant due au "
        "{{ plan.basis_date }} au titre du dossier {{ reference }} (créancier : "
        "{{ creditor.name }}), nous vous proposons l'échéancier suivant :",
    )
    para(
        doc,
        "{% if plan.waived %}Sous réserve du respect de cet échéancier, le créancier renonce à "
        "{{ plan.waived }} ({{ plan.waived_parts }}).{% endif %}",
    )
    para(
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
    para(doc)
    para(
        doc,
        "Total : {{ plan.total_cost }} en {{ plan.instalments_phrase }}"
        "{% if plan.down_payment %} après un acompte de "
        "{{ plan.down_payment }}{% endif %}, dernière échéance le {{ plan.end_date }}.",
    )
    payment(doc)
    para(
        doc,
        "À défaut de paiement de {{ plan.missed_to_break }} à leur date, la "
        "totalité du solde restant dû deviendra immédiatement exigible (déchéance du terme) "
        "et le recouvrement reprendra sans autre avis.",
    )
    para(
        doc,
        "La signature du présent échéancier vaut reconnaissance de la dette (Code civil, "
        "article 2240).",
    )
    collection_mentions(doc)
    para(doc, "{{ sender.signatory }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc)
    para(doc, "Bon pour accord, le débiteur : {{ debtor.name }}", bold=True)
    para(doc, "Date : ____________________    Signature :")
    return doc


def write_template(directory: Path = TEMPLATES_DIR) -> Path:
    path = directory / TEMPLATE_NAME
    build_template().save(str(path))
    return path


FREQUENCY_ADJECTIVES = {
    Frequency.WEEKLY: ("hebdomadaire", "hebdomadaires"),
    Frequency.BIWEEKLY: ("toutes les deux semaines", "toutes les deux semaines"),
    Frequency.MONTHLY: ("mensuelle", "mensuelles"),
    Frequency.QUARTERLY: ("trimestrielle", "trimestrielles"),
}


def count_of_instalments(count: int, frequency: Frequency | None = None) -> str:
    """« 1 échéance mensuelle », « 6 échéances mensuelles »: French agreement in number."""
    plural = count > 1
    words = f"{count} échéance{'s' if plural else ''}"
    if frequency is not None:
        words += " " + FREQUENCY_ADJECTIVES[Frequency(frequency)][1 if plural else 0]
    return words


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


def plan_letter_context(
    session: Session, plan: PlanView, case: Case, statement: Statement, at: date
) -> dict[str, Any]:
    """Every letter's fields (the claim at `at`, R124-4), and the plan; documented in
    case_core.letters.sample."""
    return {
        **letter_context(session, case, statement, at, None, None),
        "plan": {
            "total": format_cents(plan.total_cents),
            "basis_date": format_date(plan.basis_date),
            "waived": format_cents(plan.waived_cents) if plan.waived_cents else "",
            "waived_parts": _waived_parts(plan),
            "rate": format_rate_bp(plan.rate_bp) if plan.rate_bp else "",
            "interest": format_cents(plan.interest_cents),
            "total_cost": format_cents(plan.total_cost_cents),
            "count": plan.count,
            "instalments_phrase": count_of_instalments(plan.count, plan.frequency),
            "down_payment": format_cents(plan.down_payment_cents)
            if plan.down_payment_cents
            else "",
            "end_date": format_date(plan.end_date),
            "missed_to_break": count_of_instalments(status_rule(session).missed_to_break),
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


@dataclass(frozen=True)
class PlanLetter:
    document_id: int
    filename: str
    content: bytes


def generate_plan_letter(
    actor: Actor, plan_id: int, at: date | None = None, *, include_time_barred: bool = False
) -> PlanLetter:
    """The « Échéancier » letter of a proposed or accepted plan, stored on the case.

    Refused while the sender is not filled in, and when a claim of the case is already
    time-barred (signing a plan does not revive it) unless the user confirmed it: both
    checked once the case is locked, on the statement read in the same transaction."""
    require(actor, Perm.LETTERS_GENERATE)
    at = at or today_paris()
    case_id = case_of_plan(plan_id)
    with change_case(
        actor, Perm.LETTERS_GENERATE, None, "plan.letter", case_id=case_id, today=at
    ) as w:
        missing = sender_missing(w.session)
        if missing:
            raise ValidationError(missing)
        plan = w.session.get(InstalmentPlan, plan_id)
        assert plan is not None
        if plan.status in (PlanStatus.CANCELLED, PlanStatus.SUPERSEDED):
            raise ValidationError(
                f"Cet échéancier est {PlanStatus(plan.status).label.lower()} : pas de courrier."
            )
        statement = w.statement(at)
        barred = time_barred_message(statement, at)
        if barred and not include_time_barred:
            raise ValidationError(f"Dossier {w.case.reference} : {barred}")
        view = view_of(w.session, plan, w.case, at)
        content = render_active(
            w.session, TEMPLATE_NAME, plan_letter_context(w.session, view, w.case, statement, at)
        )
        filename = f"echeancier_{w.case.reference}_{plan_id}_{at:%Y%m%d}.docx"
        document = store_and_log(
            w.session,
            actor,
            w.case,
            filename,
            content,
            f"Échéancier n° {plan_id} adressé pour signature ({filename})",
        )
        w.session.flush()
        return PlanLetter(document.id or 0, filename, content)


if __name__ == "__main__":
    print(write_template())
