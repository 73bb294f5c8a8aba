"""Two debtors with a full file each, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_core.journal.contacts import ContactInput, log_contact
from case_core.kernel.actor import Actor
from case_core.models import Channel, ContactOutcome, DebtorKind
from case_core.payments.service import PaymentInput, record_payment
from tests.case_helpers import make_case, pdf_file, person_debtor


@dataclass(frozen=True)
class Debtor:
    party_id: int
    reference: str
    last_name: str
    email: str
    iban: str
    note: str
    invoice: str


IBANS = {"Dupont": "FR7630006000011234567890189", "Lemoine": "FR1420041010050500013M02606"}


def debtor_with_file(
    actor: Actor,
    last: str = "Dupont",
    *,
    invoice_dates: tuple[str, str] = ("01/03/2026", "31/03/2026"),
    creditor_id: int | None = None,
) -> Debtor:
    email = f"{last.lower()}@exemple.fr"
    invoice = f"F-{last.upper()}-1"
    view = make_case(
        actor,
        debtor=person_debtor(
            last,
            "Jeanne",
            email=email,
            phone="06 12 34 56 78",
            iban=IBANS[last],
            address_line1=f"4 rue {last}",
            postcode="75011",
            city="Paris",
        ),
        creditor_id=creditor_id,
        kind=DebtorKind.CONSUMER,
        invoices=[(invoice, *invoice_dates, "1 000,00")],
        files=[pdf_file(f"facture-{last}.pdf")],
    )
    note = f"M. {last} dit attendre son salaire"
    log_contact(
        actor,
        view.reference,
        ContactInput(Channel.CALL_OUT, ContactOutcome.REACHED, note=note),
    )
    record_payment(
        actor,
        view.reference,
        PaymentInput(received_on=date(2026, 4, 15), amount_cents=100_00, reference=f"VIR {last}"),
        today=date(2026, 5, 1),
    )
    return Debtor(view.debtor_id, view.reference, last, email, IBANS[last], note, invoice)
