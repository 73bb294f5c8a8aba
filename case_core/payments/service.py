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

from case_core.cases.change import case_of, change_case
from case_core.cases.loading import get_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, require
from case_core.models import Case, Claim, Payment, PaymentMethod


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


REFERENCE_MAX = 140
NOTE_MAX = 1000


def _clean_reference(text: str | None) -> str | None:
    return " ".join((text or "").split()) or None


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
    if len(_clean_reference(data.reference) or "") > REFERENCE_MAX:
        errors["reference"] = f"Référence trop longue ({REFERENCE_MAX} caractères au plus)."
    if len((data.note or "").strip()) > NOTE_MAX:
        errors["note"] = f"Note trop longue ({NOTE_MAX} caractères au plus)."
    if data.imputed_claim_id is not None:
        claim = session.get(Claim, data.imputed_claim_id)
        if claim is None or claim.case_id != case.id:
            errors["imputed_claim_id"] = "Cette facture n'appartient pas au dossier."
    if errors:
        raise ValidationError(errors)


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
    with change_case(actor, Perm.PAYMENTS_RECORD, reference, "payment.record", today=today) as work:
        case, session = work.case, work.session
        _validate(session, case, data, work.today)
        ref = _clean_reference(data.reference)
        duplicate = find_duplicate(session, work.case_id, data.received_on, data.amount_cents, ref)
        if duplicate is not None and not confirm_duplicate:
            raise PossibleDuplicate(
                duplicate.id or 0,
                f"Un paiement identique existe déjà (le {format_date(duplicate.received_on)}, "
                f"{format_cents(duplicate.amount_cents)}, référence « {ref or '—'} ») : "
                "confirmez s'il s'agit bien d'un second paiement.",
            )
        # Read once the case is locked: a concurrent booking waits for this one, then sees it.
        owed_cents = work.owed_cents(max(work.today, data.received_on))
        owed = max(case.balance_cents if owed_cents is None else owed_cents, 0)
        excess = data.amount_cents - owed
        if excess > 0 and not overpayment_refund:
            raise Overpayment(
                excess,
                f"Le paiement dépasse le solde dû ({format_cents(owed)}) "
                f"de {format_cents(excess)} : enregistrez-le comme trop-perçu à rembourser "
                "ou corrigez le montant.",
            )
        payment = work.add(
            Payment(
                case_id=work.case_id,
                received_on=data.received_on,
                amount_cents=data.amount_cents,
                method=PaymentMethod(data.method),
                reference=ref,
                note=(data.note or "").strip() or None,
                imputed_claim_id=data.imputed_claim_id,
                principal_first=data.principal_first,
                refund_due_cents=max(excess, 0),
                created_by_id=actor.id,
            )
        )
        if duplicate is not None:
            work.uow.note(payment, "duplicate_confirmed_of", None, duplicate.id)
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
    if len(reason) > NOTE_MAX:
        errors["reason"] = f"Motif trop long ({NOTE_MAX} caractères au plus)."
    if errors:
        raise ValidationError(errors)
    case_id = case_of(Payment, payment_id, f"Paiement introuvable (n° {payment_id}).")
    with change_case(
        actor, Perm.PAYMENTS_REVERSE, None, "payment.reverse", case_id=case_id, today=today
    ) as work:
        session = work.session
        original = session.get(Payment, payment_id)
        assert original is not None
        if original.amount_cents <= 0:
            raise ValidationError("Une annulation ne s'annule pas : enregistrez un paiement.")
        if _reversal_of(session, payment_id) is not None:
            raise ValidationError("Ce paiement a déjà été annulé.")
        if on < original.received_on:
            raise ValidationError({"on": "L'annulation ne peut pas précéder le paiement."})
        reversal = work.add(
            Payment(
                case_id=original.case_id,
                received_on=on,
                amount_cents=-original.amount_cents,
                method=original.method,
                # A label we derive, not user input: shortened to fit, the original stays linked.
                reference=(f"Annulation {original.reference or f'n° {original.id}'}")[
                    :REFERENCE_MAX
                ],
                note=reason,
                reverses_payment_id=original.id,
                created_by_id=actor.id,
            )
        )
    return _view(reversal, work.case, None)


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
        reversed_by = {
            r.reverses_payment_id: r.id for r in rows if r.reverses_payment_id is not None
        }
        return [_view(p, case, reversed_by.get(p.id or 0)) for p in rows]


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
        return [(int(claim_id or 0), number) for claim_id, number in rows]
