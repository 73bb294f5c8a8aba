"""Recording payments and reversing them (a bounced cheque): never a deletion.

A payment is imputed by the statement of account (case_core.statement.account) and applied to the
plan's instalments (case_core.plans.service); both derive from the payment rows, so recording or
reversing one is all it takes for balances and instalment statuses to follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from case_core.cases.loading import get_case, load_case_for_update, touch_case
from case_core.cases.totals import refresh_case_totals
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.db import read_session, session_scope
from case_core.kernel.errors import CaseError, NotFound, ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, require
from case_core.models import Case, Claim, Payment, PaymentMethod
from case_core.statement.account import statement_for_case
from case_core.statement.rates import MissingRate


class PossibleDuplicate(CaseError):
    """Same case, date, amount and reference as a payment already recorded."""

    def __init__(self, existing_id: int, message: str) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class Overpayment(CaseError):
    """More than the balance: to be recorded explicitly as an over-payment to refund."""

    def __init__(self, excess_cents: int, message: str) -> None:
        super().__init__(message)
        self.excess_cents = excess_cents


@dataclass(frozen=True)
class PaymentInput:
    received_on: date
    amount_cents: int
    method: PaymentMethod = PaymentMethod.TRANSFER
    reference: str | None = None
    note: str | None = None
    imputed_claim_id: int | None = None  # the debtor names the invoice it pays
    principal_first: bool = False  # an agreement puts principal before interest


@dataclass(frozen=True)
class PaymentView:
    id: int
    case_id: int
    reference: str  # the case reference
    received_on: date
    amount_cents: int
    method: PaymentMethod
    payment_reference: str | None
    note: str | None
    reverses_payment_id: int | None
    reversed_by_id: int | None
    refund_due_cents: int  # the part recorded as an over-payment to refund

    @property
    def is_reversal(self) -> bool:
        return self.reverses_payment_id is not None

    @property
    def can_be_reversed(self) -> bool:
        return self.amount_cents > 0 and self.reversed_by_id is None

    @property
    def method_label(self) -> str:
        return self.method.label


REFUND_MARK = "Trop-perçu à rembourser : "


def _view(payment: Payment, case: Case, reversed_by: int | None) -> PaymentView:
    assert payment.id is not None
    return PaymentView(
        id=payment.id,
        case_id=payment.case_id,
        reference=case.reference,
        received_on=payment.received_on,
        amount_cents=payment.amount_cents,
        method=PaymentMethod(payment.method),
        payment_reference=payment.reference,
        note=payment.note,
        reverses_payment_id=payment.reverses_payment_id,
        reversed_by_id=reversed_by,
        refund_due_cents=payment.refund_due_cents,
    )


def _clean_reference(text: str | None) -> str | None:
    value = " ".join((text or "").split())
    return value[:140] or None


def find_duplicate(
    session: Session, case_id: int, received_on: date, amount_cents: int, reference: str | None
) -> Payment | None:
    """A payment of the case with the same date, amount and reference (case-insensitive)."""
    query = select(Payment).where(
        Payment.case_id == case_id,
        Payment.received_on == received_on,
        Payment.amount_cents == amount_cents,
        Payment.reverses_payment_id.is_(None),  # type: ignore[union-attr]
    )
    ref = _clean_reference(reference)
    if ref is None:
        query = query.where(Payment.reference.is_(None))  # type: ignore[union-attr]
    else:
        query = query.where(func.lower(Payment.reference) == ref.lower())
    return session.exec(query).first()


def _validate(session: Session, case: Case, data: PaymentInput, today: date) -> None:
    errors: dict[str, str] = {}
    if data.amount_cents <= 0:
        errors["amount"] = "Le montant doit être supérieur à zéro."
    if data.received_on > today:
        errors["received_on"] = "La date de paiement ne peut pas être dans le futur."
    try:
        PaymentMethod(data.method)
    except ValueError:
        errors["method"] = "Moyen de paiement inconnu."
    if data.imputed_claim_id is not None:
        claim = session.get(Claim, data.imputed_claim_id)
        if claim is None or claim.case_id != case.id:
            errors["imputed_claim_id"] = "Cette facture n'appartient pas au dossier."
    if errors:
        raise ValidationError(errors)


def _owed_cents(actor: Actor, reference: str, at: date) -> int | None:
    """The statement's balance; None when a missing rate stops it. Money received is
    always booked: the over-payment check then falls back to principal less payments."""
    try:
        return statement_for_case(actor, reference, at).totals.balance_cents
    except MissingRate:
        return None


def record_payment(
    actor: Actor,
    reference: str,
    data: PaymentInput,
    *,
    confirm_duplicate: bool = False,
    overpayment_refund: bool = False,
    today: date | None = None,
) -> PaymentView:
    """Book a payment on the case `reference`.

    Refused with PossibleDuplicate when one with the same date, amount and reference exists
    (unless `confirm_duplicate`), and with Overpayment when it exceeds the balance (unless
    `overpayment_refund`: the excess is then recorded as owed back to the debtor).
    """
    require(actor, Perm.PAYMENTS_RECORD)
    today = today or today_paris()
    with session_scope() as session:
        case = load_case_for_update(session, reference, None)
        # Read once the case is locked: a concurrent booking waits for this one, then sees it.
        owed_cents = _owed_cents(actor, reference, max(today, data.received_on))
        _validate(session, case, data, today)
        ref = _clean_reference(data.reference)
        duplicate = find_duplicate(session, case.id or 0, data.received_on, data.amount_cents, ref)
        if duplicate is not None and not confirm_duplicate:
            raise PossibleDuplicate(
                duplicate.id or 0,
                f"Un paiement identique existe déjà (le {format_date(duplicate.received_on)}, "
                f"{format_cents(duplicate.amount_cents)}, référence « {ref or '—'} ») : "
                "confirmez s'il s'agit bien d'un second paiement.",
            )
        owed = max(case.balance_cents if owed_cents is None else owed_cents, 0)
        excess = data.amount_cents - owed
        if excess > 0 and not overpayment_refund:
            raise Overpayment(
                excess,
                f"Le paiement dépasse le solde dû ({format_cents(owed)}) "
                f"de {format_cents(excess)} : enregistrez-le comme trop-perçu à rembourser "
                "ou corrigez le montant.",
            )
        note = (data.note or "").strip()
        if excess > 0:
            note = f"{REFUND_MARK}{format_cents(excess)}. {note}".strip()
        payment = Payment(
            case_id=case.id or 0,
            received_on=data.received_on,
            amount_cents=data.amount_cents,
            method=PaymentMethod(data.method),
            reference=ref,
            note=note[:1000] or None,
            imputed_claim_id=data.imputed_claim_id,
            principal_first=data.principal_first,
            refund_due_cents=max(excess, 0),
            created_by_id=actor.id,
        )
        session.add(payment)
        session.flush()
        changes = audit.created(payment, exclude=("created_at",))
        if duplicate is not None:
            changes["duplicate_confirmed_of"] = {"before": None, "after": duplicate.id}
        audit.record(session, actor, "payment.record", "payment", payment.id, changes, case.id)
        refresh_case_totals(session, case)
        touch_case(session, case, actor)
        return _view(payment, case, None)


def reverse_payment(
    actor: Actor,
    payment_id: int,
    *,
    on: date | None = None,
    reason: str,
    today: date | None = None,
) -> PaymentView:
    """A reversing entry (negative amount) for a payment that did not go through."""
    require(actor, Perm.PAYMENTS_REVERSE)
    today = today or today_paris()
    on = on or today
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Indiquez le motif de l'annulation (ex. chèque impayé)."
    if on > today:
        errors["on"] = "La date d'annulation ne peut pas être dans le futur."
    if errors:
        raise ValidationError(errors)
    with session_scope() as session:
        original = session.get(Payment, payment_id)
        if original is None:
            raise NotFound(f"Paiement introuvable (n° {payment_id}).")
        case = session.get(Case, original.case_id)
        assert case is not None
        case = load_case_for_update(session, case.reference, None)
        if original.amount_cents <= 0:
            raise ValidationError("Une annulation ne s'annule pas : enregistrez un paiement.")
        if _reversal_of(session, payment_id) is not None:
            raise ValidationError("Ce paiement a déjà été annulé.")
        if on < original.received_on:
            raise ValidationError({"on": "L'annulation ne peut pas précéder le paiement."})
        reversal = Payment(
            case_id=original.case_id,
            received_on=on,
            amount_cents=-original.amount_cents,
            method=original.method,
            reference=_clean_reference(f"Annulation {original.reference or f'n° {original.id}'}"),
            note=reason[:1000],
            reverses_payment_id=original.id,
            created_by_id=actor.id,
        )
        session.add(reversal)
        session.flush()
        audit.record(
            session,
            actor,
            "payment.reverse",
            "payment",
            reversal.id,
            audit.created(reversal, exclude=("created_at",)),
            case.id,
        )
        refresh_case_totals(session, case)
        touch_case(session, case, actor)
        return _view(reversal, case, None)


def _reversal_of(session: Session, payment_id: int) -> Payment | None:
    return session.exec(select(Payment).where(Payment.reverses_payment_id == payment_id)).first()


def list_payments(actor: Actor, reference: str) -> list[PaymentView]:
    """The case's payments and reversals, the most recent first."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        rows = session.exec(
            select(Payment)
            .where(Payment.case_id == case.id)
            .order_by(Payment.received_on.desc(), Payment.id.desc())  # type: ignore[attr-defined, union-attr]
        ).all()
        reversed_by = {r.reverses_payment_id: r.id for r in rows if r.reverses_payment_id}
        return [_view(p, case, reversed_by.get(p.id)) for p in rows]


def get_payment(actor: Actor, payment_id: int) -> PaymentView:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        payment = session.get(Payment, payment_id)
        if payment is None:
            raise NotFound(f"Paiement introuvable (n° {payment_id}).")
        case = session.get(Case, payment.case_id)
        assert case is not None
        reversal = _reversal_of(session, payment_id)
        return _view(payment, case, reversal.id if reversal else None)


def claim_choices(actor: Actor, reference: str) -> list[tuple[int, str]]:
    """(claim id, invoice number) of the case, for the debtor's explicit imputation."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        rows = session.exec(
            select(Claim.id, Claim.invoice_number)
            .where(Claim.case_id == case.id)
            .order_by(Claim.due_date, Claim.id)  # type: ignore[arg-type]
        ).all()
        return [(int(claim_id), number) for claim_id, number in rows]
