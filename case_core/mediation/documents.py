"""The DOCX documents of a mediation, rendered from templates_docx/ (docxtpl, autoescape)
and stored as documents of the case:

- the « Protocole d'accord de médiation » (the agreement: may be disclosed to implement it);
- the « Constat d'échec de médiation », built from the disclosure alone (CPC 1528-3);
- the request for homologation (CPC 1543-1545, contents of CPC 54 and 57).

None of them reads a session's positions, proposals or notes: the protocol takes the
agreement's own figures and the plan's schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from case_core.cases.change import CaseChange
from case_core.documents.store import store_document
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.settings import get_setting
from case_core.letters.plan_letter import count_of_instalments
from case_core.letters.service import (
    PAYMENT_INSTRUCTIONS,
    party_address,
    sender_context,
)
from case_core.mediation.disclosure import MediationDisclosure, disclosures_for_case
from case_core.mediation.queries import third_party_name
from case_core.mediation.rules import is_failure
from case_core.mediation.service import change_mediation
from case_core.mediation.templates import FAILURE_RECORD, HOMOLOGATION, PROTOCOL
from case_core.models import (
    Case,
    Claim,
    DocumentKind,
    Instalment,
    InstalmentPlan,
    Mediation,
    MediationAgreement,
    MediationKind,
    Party,
    PartyKind,
)
from case_core.plans.settings import MISSED_TO_BREAK_KEY
from case_core.templates.store import render_active

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CPC_1546_NOTICE = (
    "L'accord est contresigné par l'avocat de chacune des parties : le greffe de la "
    "juridiction compétente peut le revêtir de la formule exécutoire sans homologation "
    "(articles 1546 et suivants du code de procédure civile)."
)


@dataclass(frozen=True)
class GeneratedDocument:
    document_id: int
    filename: str
    content: bytes
    case_version: int
    notice: str | None = None

    mime_type: str = DOCX_MIME


def identity(party: Party) -> str:
    """How a party is designated in a deed (CPC 54: name and domicile, or form,
    name and registered office of a legal person)."""
    address = party_address(party) or "adresse à compléter"
    if PartyKind(party.kind) == PartyKind.COMPANY:
        siren = f", SIREN {party.siren}" if party.siren else ""
        return f"personne morale{siren}, dont le siège est {address}"
    return f"demeurant {address}"


def _party(session: Session, party_id: int) -> dict[str, str]:
    party = session.get(Party, party_id)
    assert party is not None
    return {"name": party.display_name, "identity": identity(party)}


def _claims(session: Session, case_id: int) -> dict[str, str]:
    claims = session.exec(
        select(Claim).where(Claim.case_id == case_id).order_by(col(Claim.due_date))
    ).all()
    return {
        "total": format_cents(sum(c.principal_cents for c in claims)),
        "invoices": ", ".join(c.invoice_number for c in claims) or "—",
    }


def _mediation_context(session: Session, mediation: Mediation) -> dict[str, Any]:
    kind = MediationKind(mediation.kind)
    return {
        "kind_label": kind.label,
        "third_party": third_party_name(session, mediation) or "",
        "court_name": mediation.court_name or "",
        "court_reference": mediation.court_reference or "",
        "is_judicial": kind == MediationKind.JUDICIAL,
        "agreed_on": format_date(mediation.agreed_on) or "—",
        "subject": mediation.subject or "",
    }


def _common(session: Session, case: Case, mediation: Mediation, at: date) -> dict[str, Any]:
    sender = sender_context(session)
    return {
        "reference": case.reference,
        "creditor": _party(session, case.creditor_id),
        "debtor": _party(session, case.debtor_id),
        "claim": _claims(session, case.id or 0),
        "mediation": _mediation_context(session, mediation),
        "date": format_date(at),
        "place": sender.get("city") or "",
        "signatory": sender.get("signatory") or "",
    }


def _waivers(agreement: MediationAgreement, plan: InstalmentPlan | None) -> str:
    parts = []
    if agreement.waived_interest:
        amount = f" ({format_cents(plan.basis_interest_cents)})" if plan else ""
        parts.append(f"les intérêts de retard{amount}")
    if agreement.waived_indemnity:
        amount = f" ({format_cents(plan.basis_indemnity_cents)})" if plan else ""
        parts.append(f"l'indemnité forfaitaire pour frais de recouvrement{amount}")
    if agreement.waived_principal_cents:
        parts.append(f"{format_cents(agreement.waived_principal_cents)} de principal")
    return ", ".join(parts)


def protocol_context(
    session: Session, case: Case, mediation: Mediation, agreement: MediationAgreement, at: date
) -> dict[str, Any]:
    plan = session.get(InstalmentPlan, agreement.plan_id) if agreement.plan_id else None
    instalments = (
        session.exec(
            select(Instalment).where(Instalment.plan_id == plan.id).order_by(col(Instalment.seq))
        ).all()
        if plan
        else []
    )
    missed = int(get_setting(MISSED_TO_BREAK_KEY, session))
    phrase = ""
    if plan is not None:
        count = plan.instalment_count
        phrase = f"{count_of_instalments(count, plan.frequency)}"
        if plan.down_payment_cents:
            phrase += f" après un acompte de {format_cents(plan.down_payment_cents)}"
    return {
        **_common(session, case, mediation, at),
        "agreement": {
            "amount": format_cents(agreement.amount_cents),
            "waivers": _waivers(agreement, plan),
            "terms": agreement.terms,
        },
        "schedule": {
            "phrase": phrase,
            "missed_to_break": f"{missed} échéance{'s' if missed > 1 else ''}",
        },
        "instalments": [
            {
                "label": "Acompte" if i.seq == 0 else f"Échéance {i.seq}",
                "due_date": format_date(i.due_date),
                "amount": format_cents(i.amount_cents),
            }
            for i in instalments
        ]
        or [
            {
                "label": "Paiement unique",
                "due_date": format_date(at),
                "amount": format_cents(agreement.amount_cents),
            }
        ],
        "payment_instructions": str(get_setting(PAYMENT_INSTRUCTIONS, session) or ""),
    }


def failure_context(
    session: Session, case: Case, disclosure: MediationDisclosure, at: date
) -> dict[str, Any]:
    """Only the disclosure: the fact, the kind, the third party, the dates, the outcome."""
    sender = sender_context(session)
    return {
        "reference": case.reference,
        "creditor": _party(session, case.creditor_id),
        "debtor": _party(session, case.debtor_id),
        "d": {
            "kind_label": disclosure.kind_label,
            "third_party": disclosure.third_party or "",
            "counts_as_prior_attempt": disclosure.counts_as_prior_attempt,
            "agreed_on": format_date(disclosure.agreed_on),
            "first_session_on": format_date(disclosure.first_session_on),
            "last_session_on": format_date(disclosure.last_session_on),
            "ended_on": format_date(disclosure.ended_on),
            "outcome_label": (disclosure.outcome_label or "").lower(),
        },
        "date": format_date(at),
        "signatory": sender.get("signatory") or "",
    }


def homologation_context(
    session: Session,
    case: Case,
    mediation: Mediation,
    agreement: MediationAgreement,
    at: date,
    joint: bool,
) -> dict[str, Any]:
    claims = session.exec(
        select(Claim).where(Claim.case_id == case.id).order_by(col(Claim.due_date))
    ).all()
    pieces = ["Protocole d'accord de médiation signé par les parties"]
    if MediationKind(mediation.kind) == MediationKind.JUDICIAL:
        pieces.append("Décision ordonnant la médiation judiciaire")
    pieces.append("Accord écrit des parties pour recourir à la médiation")
    pieces += [f"Facture n° {c.invoice_number} du {format_date(c.issue_date)}" for c in claims]
    court = mediation.court_name or "Juridiction compétente pour connaître du litige"
    return {
        **_common(session, case, mediation, at),
        "court": court,
        "joint": joint,
        "lawyers_countersigned": agreement.lawyers_countersigned,
        "agreement": {"signed_on": format_date(agreement.signed_on) or "—"},
        "pieces": [{"number": n, "label": label} for n, label in enumerate(pieces, start=1)],
    }


# ---- writes ---------------------------------------------------------------------------


def _agreement_of(session: Session, mediation_id: int) -> MediationAgreement:
    agreement = session.exec(
        select(MediationAgreement)
        .where(MediationAgreement.mediation_id == mediation_id)
        .order_by(col(MediationAgreement.id).desc())
    ).first()
    if agreement is None:
        raise ValidationError("Aucun accord n'est consigné pour cette médiation.")
    return agreement


def _file(
    w: CaseChange,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    name: str,
    at: date,
    kind: DocumentKind = DocumentKind.OTHER,
) -> GeneratedDocument:
    """Render a mediation document from the template version in use (« Modèles ») and file
    it among the case's documents."""
    content = render_active(w.session, template, context)
    filename = f"{w.case.reference}_{name}_{at.isoformat()}.docx"
    doc = store_document(w.session, actor, w.case, filename, content, kind, generated=True)
    return GeneratedDocument(doc.id or 0, filename, content, w.case.version + 1)


def generate_protocol(
    actor: Actor,
    mediation_id: int,
    *,
    expected_version: int | None = None,
    at: date | None = None,
) -> GeneratedDocument:
    at = at or today_paris()
    with change_mediation(actor, mediation_id, "mediation.document", expected_version) as (
        w,
        mediation,
    ):
        agreement = _agreement_of(w.session, mediation_id)
        w.uow.hold(agreement)
        context = protocol_context(w.session, w.case, mediation, agreement, at)
        made = _file(
            w,
            actor,
            PROTOCOL,
            context,
            "protocole_accord_mediation",
            at,
            DocumentKind.AGREEMENT,
        )
        agreement.protocol_document_id = made.document_id
        return made


def generate_failure_record(
    actor: Actor,
    mediation_id: int,
    *,
    expected_version: int | None = None,
    at: date | None = None,
) -> GeneratedDocument:
    at = at or today_paris()
    with change_mediation(actor, mediation_id, "mediation.document", expected_version) as (
        w,
        mediation,
    ):
        if mediation.ended_on is None or not is_failure(mediation.outcome):
            raise ValidationError(
                "Le constat d'échec suppose une médiation terminée sans accord "
                "(échec ou absence d'une partie)."
            )
        disclosure = next(
            d for d in disclosures_for_case(w.session, w.case_id) if d.mediation_id == mediation_id
        )
        context = failure_context(w.session, w.case, disclosure, at)
        made = _file(w, actor, FAILURE_RECORD, context, "constat_echec_mediation", at)
        mediation.failure_document_id = made.document_id
        return made


def generate_homologation_request(
    actor: Actor,
    mediation_id: int,
    *,
    joint: bool = True,
    expected_version: int | None = None,
    at: date | None = None,
) -> GeneratedDocument:
    at = at or today_paris()
    with change_mediation(actor, mediation_id, "mediation.document", expected_version) as (
        w,
        mediation,
    ):
        agreement = _agreement_of(w.session, mediation_id)
        if agreement.signed_on is None:
            raise ValidationError("L'accord doit être signé avant d'en demander l'homologation.")
        context = homologation_context(w.session, w.case, mediation, agreement, at, joint)
        made = _file(w, actor, HOMOLOGATION, context, "requete_homologation", at)
        notice = CPC_1546_NOTICE if agreement.lawyers_countersigned else None
        return replace(made, notice=notice)
