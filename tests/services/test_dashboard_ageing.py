"""Outstanding by ageing bucket and phase: exact cents on a known portfolio, the buckets
adding up to the outstanding total, an independent recount, filters and scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.models import Case, Claim, DebtorKind, Phase, Role
from case_core.reports.ageing import Ageing, outstanding_ageing
from case_core.reports.buckets import bucket_for
from case_core.reports.filters import DashboardFilter
from tests import dashboard_helpers as h
from tests.conftest import actor_with_role

T = date(2026, 11, 23)


def days(n: int) -> date:
    return T - timedelta(days=n)


@pytest.fixture
def portfolio(admin: Actor) -> dict[str, object]:
    collector = actor_with_role(admin, Role.COLLECTOR)
    a, b = h.creditor("Alpha SAS"), h.creditor("Bêta SARL")
    h.case(
        a,
        [(T, 100_00), (days(1), 200_00)],
        payments=[(date(2026, 11, 1), 150_00)],
        assignee_id=collector.id,
    )
    h.case(
        a,
        [(days(n), 2**i * 100) for i, n in enumerate([30, 31, 60, 61, 90, 91, 180, 181, 365, 366])],
        phase=Phase.PRE_CONTENTIEUX,
        kind=DebtorKind.CONSUMER,
    )
    h.case(b, [(days(400), 1000_00), (days(10), 500_00)], payments=[(days(5), 1200_00)])
    h.case(a, [(days(100), 999_00)], phase=Phase.CLOSED)
    h.case(b, [(days(50), 100_00)], payments=[(days(3), 150_00)])  # over-paid
    h.case(b, [])  # no invoice at all
    return {"collector": collector, "a": a, "b": b}


def by_key(report: Ageing) -> dict[str, tuple[int, int, int]]:
    return {t.bucket.key: (t.outstanding_cents, t.cases, t.invoices) for t in report.buckets}


def recount(f_creditor: int | None = None) -> dict[str, int]:
    """Independent recount in Python: FIFO over each open case's invoices."""
    out: dict[str, int] = {}
    with read_session() as session:
        for case in session.exec(select(Case).where(Case.phase != Phase.CLOSED)).all():
            if f_creditor is not None and case.creditor_id != f_creditor:
                continue
            paid = max(case.paid_cents, 0)
            claims = session.exec(
                select(Claim).where(Claim.case_id == case.id).order_by(Claim.due_date, Claim.id)
            ).all()
            for claim in claims:
                take = min(paid, claim.principal_cents)
                paid -= take
                left = claim.principal_cents - take
                if left:
                    key = bucket_for(claim.due_date, T).key
                    out[key] = out.get(key, 0) + left
    return out


def test_buckets_hold_exact_cents_and_add_up(admin: Actor, portfolio: dict) -> None:
    report = outstanding_ageing(admin, DashboardFilter(), today=T)
    assert by_key(report) == {
        "not_due": (100_00, 1, 1),
        "d1_30": (351_00, 3, 3),
        "d31_60": (6_00, 1, 2),
        "d61_90": (24_00, 1, 2),
        "d91_180": (96_00, 1, 2),
        "d181_365": (384_00, 1, 2),
        "over_365": (512_00, 1, 1),
    }
    assert report.total_cents == 1473_00 and report.total_cases == 3
    assert report.total_invoices == 13
    assert sum(t.outstanding_cents for t in report.buckets) == report.total_cents
    assert {k: v[0] for k, v in by_key(report).items() if v[0]} == recount()
    cells = {(c.bucket.key, c.phase): c.outstanding_cents for c in report.cells}
    assert cells[("d1_30", Phase.AMIABLE)] == 350_00
    assert cells[("d1_30", Phase.PRE_CONTENTIEUX)] == 1_00


def test_filters_and_the_collectors_own_portfolio(admin: Actor, portfolio: dict) -> None:
    b = portfolio["b"]
    only_b = outstanding_ageing(admin, DashboardFilter(creditor_id=b), today=T)  # type: ignore[arg-type]
    assert only_b.total_cents == 300_00 and by_key(only_b)["d1_30"] == (300_00, 1, 1)
    assert {k: v[0] for k, v in by_key(only_b).items() if v[0]} == recount(b)  # type: ignore[arg-type]
    consumer = outstanding_ageing(admin, DashboardFilter(debtor_kind=DebtorKind.CONSUMER), today=T)
    assert consumer.total_cents == 1023_00
    amiable = outstanding_ageing(admin, DashboardFilter(phases=(Phase.AMIABLE,)), today=T)
    assert amiable.total_cents == 450_00
    collector = portfolio["collector"]
    # A collector sees their own cases whatever assignee they ask for.
    own = outstanding_ageing(collector, DashboardFilter(assignee_id=admin.id), today=T)  # type: ignore[arg-type]
    assert own.total_cents == 150_00
    assert by_key(own)["not_due"] == (100_00, 1, 1) and by_key(own)["d1_30"] == (50_00, 1, 1)


def test_a_payment_moves_the_figures_at_once(admin: Actor, portfolio: dict) -> None:
    before = outstanding_ageing(admin, DashboardFilter(), today=T)
    with read_session() as session:
        case_id = session.exec(select(Case.id).where(Case.phase == Phase.PRE_CONTENTIEUX)).one()
    h.pay(case_id, T, 520_00)  # settles the oldest invoice (512 €), then 8 € of the next
    after = by_key(outstanding_ageing(admin, DashboardFilter(), today=T))
    assert after["over_365"] == (0, 0, 0) and after["d181_365"] == (376_00, 1, 2)
    assert sum(v[0] for v in after.values()) == before.total_cents - 520_00


def test_who_may_open_the_dashboard(admin: Actor) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    with pytest.raises(PermissionDenied):
        outstanding_ageing(mediator, DashboardFilter(), today=T)
    # The matrix grants reports.read to the read-only role: it sees the whole portfolio.
    viewer = actor_with_role(admin, Role.VIEWER)
    assert outstanding_ageing(viewer, DashboardFilter(), today=T).total_cents == 0


def test_a_reversed_period_is_refused(admin: Actor) -> None:
    with pytest.raises(ValidationError):
        outstanding_ageing(
            admin, DashboardFilter(period_start=T, period_end=T - timedelta(days=1)), today=T
        )
