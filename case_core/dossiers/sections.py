"""The parts of the dossier context that format one thing: a party, the recipient, the
statement of account, the formal notice (read through the caller's session)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from case_core.cases.parties import representative_of
from case_core.dossiers.chronology import local_day
from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.kernel.phones import format_phone
from case_core.letters.service import party_address
from case_core.models import (
    Case,
    Channel,
    ContactEvent,
    Party,
    PartyKind,
    RecipientKind,
    ReferralRecipient,
)
from case_core.statement.lines import Statement


def join(values: list[str | None], sep: str = ", ") -> str:
    return sep.join(v for v in values if v)


def party_context(party: Party) -> dict[str, Any]:
    kind = PartyKind(party.kind)
    bank = join(
        [f"IBAN {party.iban}" if party.iban else None, f"BIC {party.bic}" if party.bic else None]
    )
    return {
        "name": party.display_name,
        "kind": kind.label,
        "siren": f"SIREN {party.siren}" if party.siren else "",
        "siret": f"SIRET {party.siret}" if party.siret else "",
        "vat": party.vat_number or "",
        "address": party_address(party) or "non renseignée",
        "representative": representative_of(party)
        or ("représentant légal en exercice" if kind == PartyKind.COMPANY else ""),
        "phones": join([format_phone(party.phone), format_phone(party.phone_alt)]),
        "emails": join([party.email, party.email_alt]),
        "bank": bank,
    }


def recipient_context(
    recipient: ReferralRecipient | None, kind: RecipientKind, their_reference: str | None
) -> dict[str, Any]:
    """The recipient from the directory, or « à désigner » of the chosen kind."""
    kind = RecipientKind(recipient.kind) if recipient else RecipientKind(kind)
    if recipient is None:
        return {
            "kind": kind.label,
            "name": "à désigner",
            "office": "",
            "address": "",
            "email": "",
            "phone": "",
            "reference": their_reference or "",
        }
    town = f"{recipient.postcode or ''} {recipient.city or ''}".strip()
    return {
        "kind": kind.label,
        "name": recipient.name,
        "office": recipient.office or "",
        "address": join([recipient.address_line1, recipient.address_line2, town]),
        "email": recipient.email or "",
        "phone": format_phone(recipient.phone),
        "reference": their_reference or "",
    }


def statement_context(s: Statement) -> dict[str, Any]:
    t = s.totals
    m = format_cents
    return {
        "at": format_date(s.at),
        "claims": [
            {
                "number": c.invoice_number,
                "regime": c.regime_label,
                "interest_from": format_date(c.interest_from),
                "principal": m(c.principal_cents),
                "interest": m(c.interest_cents),
                "indemnity": m(c.indemnity_cents),
                "paid": m(c.paid_cents),
                "balance": m(c.balance_cents),
            }
            for c in s.claims
        ],
        "interest_lines": [
            {
                "number": c.invoice_number,
                "start": format_date(line.start),
                "end": format_date(line.end),
                "days": str(line.days),
                "base": m(line.base_cents),
                "rate": format_rate_bp(line.rate_bp),
                "amount": m(line.amount_cents),
                "basis": line.basis,
            }
            for c in s.claims
            for line in c.interest_lines
        ],
        "payments": [
            {
                "date": format_date(p.received_on),
                "amount": m(p.amount_cents),
                "reference": p.reference or "",
                "imputations": "\n".join(f"{i.label} : {m(i.amount_cents)}" for i in p.imputations),
            }
            for p in s.payments
        ],
        "costs": [
            {
                "date": format_date(c.incurred_on),
                "label": c.label,
                "borne_by": c.borne_by.label,
                "amount": m(c.amount_cents),
                "paid": m(c.paid_cents),
            }
            for c in s.costs
        ],
        "totals": {
            "principal": m(t.principal_cents),
            "principal_paid": m(t.principal_paid_cents),
            "interest": m(t.interest_cents),
            "interest_paid": m(t.interest_paid_cents),
            "indemnity": m(t.indemnity_cents),
            "indemnity_paid": m(t.indemnity_paid_cents),
            "debtor_costs": m(t.debtor_costs_cents),
            "payments": m(t.payments_cents),
            "surplus": m(t.surplus_cents),
            "balance": m(t.balance_cents),
            "creditor_costs": m(t.creditor_costs_cents),
        },
    }


def formal_notice_text(session: Session, case: Case) -> str:
    if case.formal_notice_date is None:
        return "Aucune mise en demeure n'est enregistrée sur ce dossier."
    letters = session.exec(
        select(ContactEvent)
        .where(
            ContactEvent.case_id == case.id,
            ContactEvent.channel == Channel.REGISTERED_LETTER,
            col(ContactEvent.registered_letter_number).is_not(None),
        )
        .order_by(col(ContactEvent.occurred_at))
    ).all()
    same_day = [e for e in letters if local_day(e.occurred_at) == case.formal_notice_date]
    candidates = same_day or list(letters)
    letter = candidates[-1] if candidates else None
    number = (
        f"lettre recommandée avec avis de réception n° {letter.registered_letter_number}"
        if letter
        else "envoi recommandé non enregistré"
    )
    deadline = (
        f", délai de paiement expirant le {format_date(case.formal_notice_deadline)}"
        if case.formal_notice_deadline
        else ""
    )
    receipt = (
        "Première présentation (avis de réception) le "
        f"{format_date(case.formal_notice_presented_on)}."
        if case.formal_notice_presented_on
        else "Avis de réception : non enregistré dans l'application (à joindre s'il a été "
        "retourné)."
    )
    return (
        f"Mise en demeure du {format_date(case.formal_notice_date)} ({number}){deadline}. "
        + receipt
    )
