"""Money received is booked even when a semester's rate is not yet in the tables."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Payment
from case_core.payments.service import Overpayment, PaymentInput, record_payment
from tests.factories import make_case

FAR = date(2099, 1, 10)  # a semester no shipped rate table covers


def test_payment_booked_without_the_semesters_rate(admin: Actor) -> None:
    ref = make_case(admin).reference  # 1 234,56 € under L441-10
    view = record_payment(admin, ref, PaymentInput(FAR, 50_000, reference="CHQ 1"), today=FAR)
    assert view.amount_cents == 50_000
    with read_session() as session:
        assert session.exec(select(Payment.amount_cents)).all() == [50_000]
        case = session.exec(select(Case)).one()
    assert case.paid_cents == 50_000


def test_over_payment_still_caught_without_the_rate(admin: Actor) -> None:
    ref = make_case(admin).reference
    with pytest.raises(Overpayment):
        record_payment(admin, ref, PaymentInput(FAR, 200_000), today=FAR)
    with read_session() as session:
        assert session.exec(select(Payment)).all() == []


def test_two_simultaneous_bookings_cannot_both_pass_the_over_payment_check(
    admin: Actor,
) -> None:
    import threading

    ref = make_case(admin).reference  # 1 234,56 € due 31/03/2026
    day = date(2026, 5, 4)
    outcomes: list[str] = []

    def pay(label: str) -> None:
        try:
            record_payment(admin, ref, PaymentInput(day, 100_000, reference=label), today=day)
            outcomes.append("booked")
        except Overpayment:
            outcomes.append("over-payment")

    threads = [threading.Thread(target=pay, args=(f"VIR {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked", "over-payment"]
    with read_session() as session:
        assert session.exec(select(Payment.amount_cents)).all() == [100_000]
