"""The agreement that comes out of a mediation: recorded from the last accepted proposal,
its instalment plan made by the plan capability (propose, then accept once signed), its
signatures and signed copy. A signed agreement acknowledges the debt (C. civ. 2240)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from case_core.documents.store import check_upload, store_document
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, NotFound, StaleVersion, ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.validation import FieldErrors
from case_core.mediation.queries import mediation_view
from case_core.mediation.service import Saved, change_mediation
from case_core.mediation.views import ProposalView
from case_core.mediation.writes import opt_text
from case_core.models import (
    AcceptanceChannel,
    Case,
    DocumentKind,
    Frequency,
    MediationAgreement,
    MediationProposal,
    MediationSession,
    PlanStatus,
    SignatureMode,
)
from case_core.plans.proposals import Proposal, balance_basis, preview
from case_core.plans.service import accept_plan, cancel_plan, propose_plan
from case_core.plans.views import plan_view


def plan_total_cents(
    actor: Actor, reference: str, basis_date: date, waive_interest: bool, waive_indemnity: bool
) -> int:
    """What a plan would spread on `basis_date` with these waivers (the amount to agree)."""
    basis = balance_basis(actor, reference, basis_date)
    return basis.included_total(True, not waive_interest, not waive_indemnity)


def _plan_proposal(p: ProposalView, basis_date: date) -> Proposal:
    return Proposal(
        basis_date=basis_date,
        first_due_date=p.first_due_date or basis_date,
        frequency=p.frequency or Frequency.MONTHLY,
        count=p.instalment_count,
        down_payment_cents=p.down_payment_cents,
        down_payment_date=basis_date if p.down_payment_cents else None,
        include_interest=not p.waive_interest,
        include_indemnity=not p.waive_indemnity,
    )


def record_agreement(
    actor: Actor,
    mediation_id: int,
    *,
    basis_date: date | None = None,
    terms: str = "",
    lawyers_countersigned: bool = False,
    expected_version: int | None = None,
) -> Saved:
    """The agreement from the mediation's last accepted proposal; when it has a schedule,
    a plan is proposed through the plan capability and linked (accepted at signature)."""
    basis_date = basis_date or today_paris()
    view = mediation_view(actor, mediation_id)
    if view.confidential_hidden or not view.may_write:
        raise ValidationError("Seul le médiateur de cette médiation peut en consigner l'accord.")
    if view.agreement is not None:
        raise ValidationError("Un accord est déjà consigné pour cette médiation.")
    proposal = view.last_accepted_proposal
    if proposal is None:
        raise ValidationError("Aucune proposition acceptée : consignez d'abord la séance.")
    if proposal.waive_principal_cents:
        raise ValidationError(
            "Un abandon partiel de principal ne peut pas encore être échelonné : "
            "consignez-le dans les conditions particulières et un montant sans abandon."
        )
    # Checked before the plan is proposed: the plan capability may bump the case version
    # itself, and this change must not then refuse its own plan as someone else's edit.
    _check_case_version(actor, view.reference, expected_version)
    plan_id: int | None = None
    if proposal.instalment_count:
        plan_proposal = _plan_proposal(proposal, basis_date)
        basis = balance_basis(actor, view.reference, basis_date)
        total = preview(basis, plan_proposal).terms.total_cents
        if total != proposal.amount_cents:
            raise ValidationError(
                {
                    "amount_cents": (
                        f"Le montant convenu ({format_cents(proposal.amount_cents)}) diffère "
                        f"du solde que l'échéancier reprendrait ({format_cents(total)}) "
                        "avec ces abandons : corrigez la proposition acceptée."
                    )
                }
            )
        plan_id = propose_plan(actor, view.reference, plan_proposal).id
    try:
        with change_mediation(actor, mediation_id, "mediation.agreement", None) as (
            w,
            _mediation,
        ):
            session_id, proposal_id = _accepted_ids(w.session, mediation_id)
            agreement = w.add(
                MediationAgreement(
                    case_id=w.case_id,
                    mediation_id=mediation_id,
                    session_id=session_id,
                    proposal_id=proposal_id,
                    amount_cents=proposal.amount_cents,
                    terms=opt_text(terms, 5000, "terms") or "",
                    waived_interest=proposal.waive_interest,
                    waived_indemnity=proposal.waive_indemnity,
                    plan_id=plan_id,
                    lawyers_countersigned=lawyers_countersigned,
                    created_by_id=actor.id or 0,
                    updated_by_id=actor.id,
                )
            )
            w.session.flush()
            return Saved(agreement.id or 0, w.case.version + 1)
    except CaseError:
        if plan_id is not None:
            _withdraw(actor, plan_id)
        raise


def _withdraw(actor: Actor, plan_id: int) -> None:
    plan = plan_view(actor, plan_id)
    cancel_plan(
        actor,
        plan_id,
        expected_version=plan.version,
        reason="Accord de médiation non enregistré",
    )


def _accepted_ids(session: Session, mediation_id: int) -> tuple[int | None, int | None]:
    row = session.exec(
        select(MediationProposal.session_id, MediationProposal.id)
        .join(MediationSession, col(MediationSession.id) == col(MediationProposal.session_id))
        .where(MediationSession.mediation_id == mediation_id, col(MediationProposal.accepted))
        .order_by(col(MediationSession.planned_at).desc(), col(MediationProposal.seq).desc())
    ).first()
    return (row[0], row[1]) if row else (None, None)


@dataclass(frozen=True)
class Signatures:
    creditor_signatory: str
    creditor_signed_on: date
    debtor_signatory: str
    debtor_signed_on: date
    mode: SignatureMode
    lawyers_countersigned: bool = False
    signed_copy: tuple[str, bytes] | None = None  # (file name, PDF/PNG/JPEG bytes)


def sign_agreement(
    actor: Actor,
    agreement_id: int,
    signatures: Signatures,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Saved:
    """Both parties signed: the agreement acknowledges the debt from the later signature,
    and its plan becomes active (accepted through the plan capability)."""
    today = today or today_paris()
    errors = FieldErrors()
    for side in ("creditor", "debtor"):
        if not getattr(signatures, f"{side}_signatory", "").strip():
            errors[f"{side}_signatory"] = "Indiquez qui a signé."
        if getattr(signatures, f"{side}_signed_on") > today:
            errors[f"{side}_signed_on"] = "La date de signature ne peut pas être dans le futur."
    if signatures.signed_copy is not None:
        errors.check(check_upload, *signatures.signed_copy, field="signed_copy")
    errors.raise_if_any()
    mediation_id = _mediation_of_agreement(actor, agreement_id)
    with change_mediation(actor, mediation_id, "mediation.sign", expected_version) as (
        w,
        mediation,
    ):
        agreement = w.uow.lock(
            MediationAgreement, agreement_id, missing="Accord de médiation introuvable."
        )
        signed_on = max(signatures.creditor_signed_on, signatures.debtor_signed_on)
        if mediation.agreed_on and signed_on < mediation.agreed_on:
            raise ValidationError(
                {"debtor_signed_on": "La signature ne peut pas précéder l'accord de médiation."}
            )
        agreement.creditor_signatory = opt_text(
            signatures.creditor_signatory, 200, "creditor_signatory"
        )
        agreement.creditor_signed_on = signatures.creditor_signed_on
        agreement.debtor_signatory = opt_text(signatures.debtor_signatory, 200, "debtor_signatory")
        agreement.debtor_signed_on = signatures.debtor_signed_on
        agreement.signature_mode = SignatureMode(signatures.mode)
        agreement.lawyers_countersigned = signatures.lawyers_countersigned
        agreement.signed_on = signed_on
        if signatures.signed_copy is not None:
            name, content = signatures.signed_copy
            doc = store_document(w.session, actor, w.case, name, content, DocumentKind.AGREEMENT)
            agreement.signed_document_id = doc.id
        saved = Saved(agreement_id, w.case.version + 1)
        plan_id = agreement.plan_id
    if plan_id is not None:
        plan = plan_view(actor, plan_id)
        if plan.stored_status == PlanStatus.PROPOSED:
            accept_plan(
                actor,
                plan_id,
                expected_version=plan.version,
                accepted_on=signed_on,
                accepted_by=signatures.debtor_signatory,
                channel=AcceptanceChannel.MEDIATION_AGREEMENT,
                note=f"Accord de médiation n° {agreement_id}",
                supersede=True,
                today=today,
            )
            # Accepting the plan wrote on the case too: the version a page holds next.
            saved = Saved(agreement_id, _case_version(actor, plan.reference))
    return saved


def attach_signed_copy(
    actor: Actor,
    agreement_id: int,
    filename: str,
    content: bytes,
    *,
    expected_version: int | None = None,
) -> Saved:
    check_upload(filename, content, field="signed_copy")
    mediation_id = _mediation_of_agreement(actor, agreement_id)
    with change_mediation(actor, mediation_id, "mediation.sign", expected_version) as (w, _m):
        agreement = w.uow.lock(
            MediationAgreement, agreement_id, missing="Accord de médiation introuvable."
        )
        doc = store_document(w.session, actor, w.case, filename, content, DocumentKind.AGREEMENT)
        agreement.signed_document_id = doc.id
        return Saved(agreement_id, w.case.version + 1)


def _check_case_version(actor: Actor, reference: str, expected_version: int | None) -> None:
    if expected_version is None:
        return
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        if case.version != expected_version:
            raise StaleVersion("Ce dossier a été modifié entre-temps : rechargez la page.")


def _case_version(actor: Actor, reference: str) -> int:
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        return case.version


def _mediation_of_agreement(actor: Actor, agreement_id: int) -> int:
    with read_session() as session:
        row = session.get(MediationAgreement, agreement_id)
        if row is None or row.mediation_id is None:
            raise NotFound("Accord de médiation introuvable.")
        return row.mediation_id
