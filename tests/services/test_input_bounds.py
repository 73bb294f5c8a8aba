"""Bounds on what a user may type, on both databases: each refused in French, nothing written.

Issue 11 « Bounds »: dates (an invoice in 2200 or 1900, « 01/01/69 » read as 1969, a plan to
2220), amounts (a promise of 10 000 000 000 000 € on a 1 000 € case; 12.5 cents), rates (a
plan at 10 000 % a year) and settings (1 000 000 days of grace).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from case_core.journal.contacts import ContactInput, log_contact
from case_core.journal.promises import PromiseItemInput
from case_core.kernel.actor import Actor
from case_core.kernel.dates import parse_date, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.settings import get_setting, set_settings
from case_core.models import Case, Channel, ContactOutcome, Frequency
from case_core.payments.service import PaymentInput, record_payment
from case_core.plans.proposals import Proposal
from case_core.plans.service import propose_plan
from case_core.plans.settings import GRACE_DAYS_KEY
from tests.factories import make_case
from tests.snapshot_helpers import snapshot


def _refused(call: object) -> ValidationError:
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        call()  # type: ignore[operator]
    assert snapshot() == before, "a refused input wrote something"
    return refused.value


@pytest.mark.parametrize("issued", ["01/01/2200", "01/01/1900"])
def test_an_invoice_in_2200_or_1900_is_refused(admin: Actor, issued: str) -> None:
    error = _refused(lambda: make_case(admin, invoices=[("F-9", issued, "31/12/2200", "100,00")]))
    assert "hors des dates admises" in error.message
    assert "01/01/1950 au 31/12/2150" in error.message


def test_a_two_digit_year_is_this_century_or_asked_again() -> None:
    assert parse_date("23/11/26") == date(2026, 11, 23)
    with pytest.raises(ValidationError) as refused:
        parse_date("01/01/69", "issue_date")
    assert refused.value.errors["issue_date"] == (
        "Année ambiguë : « 01/01/69 » : écrivez l'année en entier (1969 ou 2069)."
    )
    assert parse_date("01/01/1969") == date(1969, 1, 1)


def test_a_plan_ending_in_2220_is_refused(admin: Actor) -> None:
    reference = make_case(admin).reference
    proposal = Proposal(
        basis_date=date(2026, 6, 1),
        first_due_date=date(2200, 1, 1),
        frequency=Frequency.QUARTERLY,
        count=80,  # the last instalment in 2219-2220
    )
    error = _refused(lambda: propose_plan(admin, reference, proposal))
    assert "hors des dates admises" in error.message


def test_a_plan_at_ten_thousand_percent_is_refused(admin: Actor) -> None:
    reference = make_case(admin).reference
    proposal = Proposal(
        basis_date=date(2026, 6, 1), first_due_date=date(2026, 7, 1), count=6, rate_bp=1_000_000
    )
    error = _refused(lambda: propose_plan(admin, reference, proposal))
    assert error.errors["rate_bp"] == "Le taux d'un échéancier ne peut pas dépasser 20,00 % par an."
    accepted = propose_plan(admin, reference, replace(proposal, rate_bp=2_000))
    assert accepted.id


def test_a_promise_beyond_the_debt_is_refused(admin: Actor) -> None:
    reference = make_case(
        admin, invoices=[("F-1", "01/03/2026", "31/03/2026", "1 000,00")]
    ).reference
    due = today_paris() + timedelta(days=10)

    def promise(cents: int) -> ContactInput:
        return ContactInput(
            Channel.EMAIL_IN,
            ContactOutcome.PROMISE,
            next_action_date=due,
            promise_items=[PromiseItemInput(amount_cents=cents, due_date=due)],
        )

    huge = _refused(lambda: log_contact(admin, reference, promise(10**15)))
    assert "au plus" in huge.errors["promise_1_amount"]
    above = _refused(lambda: log_contact(admin, reference, promise(100_001)))
    assert above.errors["promise"].startswith("La promesse (1\u202f000,01\u00a0€) dépasse le solde")
    log_contact(admin, reference, promise(100_000))  # the whole debt may be promised


def test_an_amount_of_twelve_and_a_half_cents_is_refused_by_type(admin: Actor) -> None:
    reference = make_case(admin).reference
    data = PaymentInput(received_on=date(2026, 4, 2), amount_cents=12.5)  # type: ignore[arg-type]
    error = _refused(lambda: record_payment(admin, reference, data, today=date(2026, 6, 1)))
    assert error.errors["amount_cents"] == "Montant : un nombre entier est attendu, pas « 12.5 »."
    with read_session() as session:
        assert session.exec(select(Case.paid_cents)).one() == 0


def test_a_million_days_of_grace_is_refused(admin: Actor) -> None:
    error = _refused(lambda: set_settings(admin, {GRACE_DAYS_KEY: 1_000_000}))
    assert error.errors[GRACE_DAYS_KEY].endswith(": 3\u202f650 au plus.")
    assert get_setting(GRACE_DAYS_KEY) == 10
    _refused(lambda: set_settings(admin, {GRACE_DAYS_KEY: True}))
