"""Two debtors with a full file each, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_core.cases.intake import FileInput
from case_core.cases.lifecycle import close_case
from case_core.journal.contacts import ContactInput, log_contact
from case_core.kernel.actor import Actor
from case_core.models import Channel, ClosureReason, ContactOutcome, DebtorKind, DocumentKind
from case_core.payments.service import PaymentInput, record_payment
from tests.factories import PDF, make_case, person_debtor


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
    paid: tuple[date, int] = (date(2026, 4, 15), 100_00),
) -> Debtor:
    email = f"{last.lower()}@exemple.fr"
    invoice = f"F-{last[:1]}{len(last)}"  # no name in it: invoice numbers are kept
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
        # Bytes of their own, so that an anonymisation may drop them.
        files=[FileInput(f"facture-{last}.pdf", PDF + last.encode(), DocumentKind.INVOICE)],
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
        PaymentInput(received_on=paid[0], amount_cents=paid[1], reference=f"VIR {last}"),
        today=max(paid[0], date(2026, 5, 1)),
    )
    return Debtor(view.debtor_id, view.reference, last, email, IBANS[last], note, invoice)


def old_settled_debtor(actor: Actor, last: str = "Dupont") -> Debtor:
    """A debtor whose only case (invoiced in 2014, paid in 2015) is closed: nothing keeps it."""
    debtor = debtor_with_file(
        actor, last, invoice_dates=("01/03/2014", "31/03/2014"), paid=(date(2015, 1, 15), 1_000_00)
    )
    close_case(actor, debtor.reference, ClosureReason.SETTLED, None, None)
    return debtor
