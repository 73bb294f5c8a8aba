"""Cash collected per month against instalments expected, and the six-month forecast from
plans and promises, in exact cents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from case_core.kernel.actor import Actor
from case_core.models import PlanStatus
from case_core.reports.cash import cash_by_month, cash_forecast
from case_core.reports.filters import DashboardFilter
from tests import dashboard_helpers as h

T = date(2026, 11, 23)
PERIOD = DashboardFilter(period_start=date(2026, 9, 1), period_end=T)


@pytest.fixture
def portfolio(admin: Actor) -> dict[str, int]:
    a, b = h.creditor("Alpha SAS"), h.creditor("Bêta SARL")
    x = h.case(
        a,
        [(date(2026, 6, 1), 1000_00)],
        payments=[
            (date(2026, 8, 31), 999),  # before the period
            (date(2026, 9, 10), 100_00),
            (date(2026, 10, 5), 50_00),
            (date(2026, 10, 20), -50_00),  # a bounced cheque
        ],
    )
    h.plan(
        x,
        admin.id,  # type: ignore[arg-type]
        date(2026, 9, 1),
        [(date(2026, m, 15), 100_00) for m in (9, 10, 11, 12)]
        + [(date(2027, 1, 15), 100_00), (date(2027, 6, 15), 100_00)],
    )
    h.promise(x, admin.id, date(2026, 11, 1), [(date(2026, 12, 1), 70_00)])  # type: ignore[arg-type]
    y = h.case(a, [(date(2026, 5, 1), 500_00)], payments=[(date(2026, 11, 2), 30_00)])
    h.plan(y, admin.id, date(2026, 9, 1), [(date(2026, 10, 1), 500_00)], PlanStatus.CANCELLED)  # type: ignore[arg-type]
    h.promise(
        y,
        admin.id,  # type: ignore[arg-type]
        date(2026, 11, 1),
        [(date(2026, 11, 10), 20_00), (date(2026, 11, 30), 40_00), (date(2026, 12, 10), 60_00)],
    )
    h.promise(y, admin.id, date(2026, 11, 1), [(date(2026, 12, 5), 5_00)], cancelled=True)  # type: ignore[arg-type]
    z = h.case(b, [(date(2026, 5, 1), 500_00)], payments=[(date(2026, 10, 9), 40_00)])
    return {"a": a, "b": b, "x": x, "y": y, "z": z}


def test_collected_against_expected_per_month(admin: Actor, portfolio: dict) -> None:
    months = cash_by_month(admin, PERIOD, today=T)
    assert [(m.month, m.collected_cents, m.expected_cents) for m in months] == [
        (date(2026, 9, 1), 100_00, 100_00),
        (date(2026, 10, 1), 40_00, 100_00),
        (date(2026, 11, 1), 30_00, 100_00),
    ]
    only_a = cash_by_month(admin, replace(PERIOD, creditor_id=portfolio["a"]), today=T)
    assert [m.collected_cents for m in only_a] == [100_00, 0, 30_00]


def test_forecast_from_plans_and_open_promises(admin: Actor, portfolio: dict) -> None:
    forecast = cash_forecast(admin, DashboardFilter(), today=T)
    assert [(f.month, f.plans_cents, f.promises_cents) for f in forecast] == [
        (date(2026, 11, 1), 0, 30_00),
        (date(2026, 12, 1), 100_00, 60_00),
        (date(2027, 1, 1), 100_00, 0),
        (date(2027, 2, 1), 0, 0),
        (date(2027, 3, 1), 0, 0),
        (date(2027, 4, 1), 0, 0),
    ]
    # Recounted: the plan's uncovered instalments due from today within six months (Dec,
    # Jan; June is beyond), and on the case without a plan what the 30 € paid since the
    # promise leaves of it (20 € item covered, 30 € of the 40 € item, the 60 € item).
    assert sum(f.total_cents for f in forecast) == 100_00 + 100_00 + 30_00 + 60_00
    only_b = cash_forecast(admin, DashboardFilter(creditor_id=portfolio["b"]), today=T)
    assert sum(f.total_cents for f in only_b) == 0
