"""Recovery by intake cohort, and promises to pay per collector with the status from
journal.promises (cross-checked against the case page's own view of each promise)."""

from __future__ import annotations

from datetime import date

from case_core.journal.promises import PromiseStatus, promises_for_case
from case_core.kernel.actor import Actor
from case_core.models import Role
from case_core.reports.cohorts import recovery_cohorts
from case_core.reports.filters import DashboardFilter
from case_core.reports.promises import promises_by_collector
from tests import dashboard_helpers as h
from tests.conftest import actor_with_role

T = date(2026, 11, 23)
PERIOD = DashboardFilter(period_start=date(2026, 1, 1), period_end=T)


def test_cohorts_collected_over_placed_by_month_since_intake(admin: Actor) -> None:
    a = h.creditor()
    h.case(
        a,
        [(date(2025, 12, 1), 1000_00)],
        placed_on=date(2026, 3, 10),
        payments=[
            (date(2026, 2, 1), 50_00),
            (date(2026, 3, 20), 100_00),
            (date(2026, 5, 2), 250_00),
        ],
    )
    h.case(
        a,
        [(date(2026, 1, 1), 600_00)],
        placed_on=date(2026, 3, 31),
        payments=[(date(2026, 4, 1), 200_00)],
    )
    h.case(a, [(date(2026, 5, 1), 400_00)], placed_on=date(2026, 6, 2))
    h.case(a, [(date(2025, 5, 1), 999_00)], placed_on=date(2025, 11, 2))  # before the period
    march, june = recovery_cohorts(admin, PERIOD, today=T)
    assert (march.month, march.cases, march.placed_cents, march.collected_cents) == (
        date(2026, 3, 1),
        2,
        1600_00,
        600_00,
    )
    # The February payment predates intake: it counts in the intake month.
    assert march.collected_by_age == {0: 150_00, 1: 200_00, 2: 250_00}
    assert march.recovery_rate == 600_00 / 1600_00
    assert march.cumulative_rate(1) == 350_00 / 1600_00
    assert (june.cases, june.placed_cents, june.collected_cents, june.recovery_rate) == (
        1,
        400_00,
        0,
        0.0,
    )


def test_promises_per_collector_use_the_one_status_rule(admin: Actor) -> None:
    claire = actor_with_role(admin, Role.COLLECTOR, "claire@example.fr")
    hugo = actor_with_role(admin, Role.COLLECTOR, "hugo@example.fr")
    a = h.creditor()
    kept = h.case(a, [(date(2026, 6, 1), 500_00)], payments=[(date(2026, 11, 5), 100_00)])
    h.promise(kept, claire.id, date(2026, 11, 1), [(date(2026, 11, 5), 100_00)])  # type: ignore[arg-type]
    partly = h.case(a, [(date(2026, 6, 1), 500_00)], payments=[(date(2026, 10, 5), 40_00)])
    h.promise(partly, claire.id, date(2026, 10, 1), [(date(2026, 10, 5), 100_00)])  # type: ignore[arg-type]
    broken = h.case(a, [(date(2026, 6, 1), 500_00)])
    h.promise(broken, claire.id, date(2026, 9, 1), [(date(2026, 9, 15), 100_00)])  # type: ignore[arg-type]
    # Due two days ago: within the 3-day grace, still open.
    open_ = h.case(a, [(date(2026, 6, 1), 500_00)])
    h.promise(open_, hugo.id, date(2026, 11, 10), [(date(2026, 11, 21), 80_00)])  # type: ignore[arg-type]
    h.promise(open_, hugo.id, date(2026, 11, 10), [(date(2026, 11, 30), 5_00)], cancelled=True)  # type: ignore[arg-type]
    # Made before the period: not counted.
    h.promise(broken, hugo.id, date(2025, 12, 1), [(date(2025, 12, 15), 10_00)])  # type: ignore[arg-type]

    rows = {r.collector_id: r for r in promises_by_collector(admin, PERIOD, today=T)}
    c = rows[claire.id]  # type: ignore[index]
    assert c.counts == {
        PromiseStatus.KEPT: 1,
        PromiseStatus.PARTLY_KEPT: 1,
        PromiseStatus.BROKEN: 1,
    }
    assert (c.made, c.promised_cents, c.paid_cents, c.kept_rate) == (3, 300_00, 140_00, 1 / 3)
    hg = rows[hugo.id]  # type: ignore[index]
    assert hg.counts == {PromiseStatus.OPEN: 1} and hg.kept_rate is None
    # The case page names each promise the same way.
    statuses = []
    for case_id in (kept, partly, broken):
        statuses += [v.status for v in promises_for_case(admin, h.reference_of(case_id), T)]
    assert sorted(statuses) == sorted(
        [PromiseStatus.KEPT, PromiseStatus.PARTLY_KEPT, PromiseStatus.BROKEN, PromiseStatus.BROKEN]
    )
    # A collector sees only the promises on their own cases (none are assigned here).
    assert promises_by_collector(claire, PERIOD, today=T) == []
