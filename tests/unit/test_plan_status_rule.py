"""The plan status rule, pure (no database): accelerated, completed, broken, and plans not
in force; and the plan modules hold no hand-wired transaction, audit or version."""

from __future__ import annotations

from datetime import date

from case_core.models import PlanStatus
from case_core.plans.status import InstalmentStatus, PlanState, StatusRule, track
from tests.paths import CASE_CORE

TODAY = date(2026, 4, 20)
RULE = StatusRule(grace_days=10, missed_to_break=2)

DUES = [(date(2026, m, 5), 10_000) for m in range(1, 7)]


def test_rule_accelerated_everything_left_due_on_the_day() -> None:
    tracking = track(PlanStatus.ACCELERATED, DUES, 10_000, date(2026, 3, 20), TODAY, RULE)
    assert tracking.state == PlanState.ACCELERATED
    assert tracking.count(InstalmentStatus.MISSED) == 5
    assert tracking.remaining_cents == 50_000
    late = track(PlanStatus.ACCELERATED, DUES, 10_000, date(2026, 4, 15), TODAY, RULE)
    assert late.count(InstalmentStatus.LATE) == 2  # May, June: due 15/04, within the grace
    assert late.count(InstalmentStatus.MISSED) == 3  # February to April


def test_rule_completed_broken_and_plans_not_in_force() -> None:
    assert track(PlanStatus.ACTIVE, DUES, 60_000, None, TODAY, RULE).state == PlanState.COMPLETED
    assert (
        track(PlanStatus.ACCELERATED, DUES, 70_000, date(2026, 3, 1), TODAY, RULE).state
        == PlanState.COMPLETED
    )
    assert track(PlanStatus.ACTIVE, DUES, 30_000, None, TODAY, RULE).state == PlanState.ACTIVE
    assert track(PlanStatus.ACTIVE, DUES, 10_000, None, TODAY, RULE).state == PlanState.BROKEN
    for stored in (PlanStatus.SUPERSEDED, PlanStatus.CANCELLED, PlanStatus.PROPOSED):
        tracking = track(stored, DUES, 0, None, TODAY, RULE)
        assert tracking.state == PlanState(stored.value)
        assert tracking.count(InstalmentStatus.MISSED) == 0


def test_plan_writes_go_through_the_one_mechanism() -> None:
    for path in (CASE_CORE / "plans").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for hand_wired in ("session_scope", "audit.record", "version +=", "touch_case"):
            assert hand_wired not in source, f"{path.name}: {hand_wired}"
