"""Activity, countback DSO, CEI, plans and risks on small portfolios with known figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from case_core.kernel.actor import Actor
from case_core.models import Channel, ContactOutcome, PersonReached, Phase, PlanStatus, Role
from case_core.plans.status import PlanState
from case_core.reports.activity import collector_activity
from case_core.reports.filters import DashboardFilter
from case_core.reports.kpis import cei_by_month, dso_by_creditor, plans_and_risks
from tests import dashboard_helpers as h
from tests.conftest import actor_with_role

T = date(2026, 11, 23)


def test_contacts_right_party_rate_and_silent_cases(admin: Actor) -> None:
    claire = actor_with_role(admin, Role.COLLECTOR, "claire@example.fr")
    hugo = actor_with_role(admin, Role.COLLECTOR, "hugo@example.fr")
    a = h.creditor()
    cid, hid = claire.id or 0, hugo.id or 0
    c1 = h.case(
        a, [(date(2026, 6, 1), 100_00)], assignee_id=claire.id, last_contact=date(2026, 11, 21)
    )
    c2 = h.case(
        a, [(date(2026, 6, 1), 200_00)], assignee_id=hugo.id, last_contact=date(2026, 10, 1)
    )
    h.case(a, [(date(2026, 6, 1), 400_00)])  # never contacted
    h.case(a, [(date(2026, 6, 1), 800_00)], phase=Phase.CLOSED)
    h.contact(c1, cid, date(2026, 11, 20), Channel.CALL_OUT, ContactOutcome.REACHED)
    h.contact(c1, cid, date(2026, 11, 20), Channel.CALL_OUT, ContactOutcome.NO_ANSWER)
    h.contact(c1, cid, date(2026, 11, 21), Channel.CALL_IN, ContactOutcome.PROMISE)
    h.contact(c1, cid, date(2026, 11, 21), Channel.EMAIL_OUT, ContactOutcome.SENT)
    h.contact(
        c1,
        cid,
        date(2026, 11, 21),
        Channel.CALL_OUT,
        ContactOutcome.REACHED,
        PersonReached.THIRD_PARTY,
    )
    wrong = h.contact(c2, hid, date(2026, 11, 22), Channel.CALL_OUT, ContactOutcome.VOICEMAIL)
    h.contact(c2, hid, date(2026, 11, 22), Channel.CALL_OUT, ContactOutcome.REACHED, corrects=wrong)
    h.contact(c1, cid, date(2026, 10, 10), Channel.CALL_OUT, ContactOutcome.REACHED)

    period = DashboardFilter(period_start=date(2026, 11, 1), period_end=T)
    activity = collector_activity(admin, period, today=T)
    rows = {c.collector_id: c for c in activity.collectors}
    assert (rows[cid].contacts, rows[cid].calls, rows[cid].right_party_calls) == (5, 4, 2)
    assert rows[cid].right_party_rate == 0.5
    assert (rows[hid].contacts, rows[hid].calls, rows[hid].right_party_rate) == (1, 1, 1.0)
    assert activity.per_day_and_channel() == [
        (date(2026, 11, 20), Channel.CALL_OUT, 2),
        (date(2026, 11, 21), Channel.CALL_IN, 1),
        (date(2026, 11, 21), Channel.CALL_OUT, 1),
        (date(2026, 11, 21), Channel.EMAIL_OUT, 1),
        (date(2026, 11, 22), Channel.CALL_OUT, 1),
    ]
    assert sum(d.contacts for d in activity.daily) == 6
    silence = activity.silence
    assert (silence.cases, silence.balance_cents, silence.never_contacted) == (2, 600_00, 1)
    # A collector's own view.
    own = collector_activity(claire, period, today=T)
    assert [c.collector_id for c in own.collectors] == [cid] and own.silence.cases == 0


@pytest.fixture
def placements(admin: Actor) -> int:
    a = h.creditor("Alpha SAS")
    h.case(
        a,
        [(date(2026, 9, 30), 9_000_00)],
        placed_on=date(2026, 9, 10),
        payments=[(date(2026, 10, 15), 6_000_00)],
    )
    h.case(
        a,
        [(date(2026, 11, 15), 12_000_00)],
        placed_on=date(2026, 10, 5),
        payments=[(date(2026, 11, 10), 1_500_00)],
    )
    h.case(a, [(date(2026, 12, 31), 10_000_00)], placed_on=date(2026, 11, 5))
    return a


def test_countback_dso_on_a_worked_example(admin: Actor, placements: int) -> None:
    # Receivables 23 500 €. November (23 days so far) placed 10 000 €: covered, 13 500 €
    # left; October (31 days) 12 000 €: covered, 1 500 € left; September 9 000 €: 1 500 /
    # 9 000 of its 30 days = 5. DSO = 23 + 31 + 5 = 59 days.
    (row,) = dso_by_creditor(admin, DashboardFilter(), today=T)
    assert row.creditor_id == placements and row.receivables_cents == 23_500_00
    assert row.dso_days == pytest.approx(59.0)


def test_cei_per_month(admin: Actor, placements: int) -> None:
    period = DashboardFilter(period_start=date(2026, 9, 1), period_end=T)
    sep, oct_, nov = cei_by_month(admin, period, today=T)
    assert (sep.opening_cents, sep.placed_cents, sep.collected_cents, sep.closing_cents) == (
        0,
        9_000_00,
        0,
        9_000_00,
    )
    assert sep.closing_current_cents == 0 and sep.cei == 0
    # October: (9 000 + 12 000 − 15 000) ÷ (9 000 + 12 000 − 12 000 not yet due) = 66,7 %.
    assert (oct_.opening_cents, oct_.collected_cents, oct_.closing_current_cents) == (
        9_000_00,
        6_000_00,
        12_000_00,
    )
    assert oct_.cei == pytest.approx(6_000 / 9_000 * 100)
    # November: 1 500 ÷ (15 000 + 10 000 − 10 000) = 10 %.
    assert (nov.closing_cents, nov.closing_current_cents) == (23_500_00, 10_000_00)
    assert nov.cei == pytest.approx(10.0)


def test_plans_by_board_status_and_risks(admin: Actor) -> None:
    b = h.creditor("Bêta SARL")
    uid = admin.id
    done = h.case(b, [(date(2026, 6, 1), 100_00)], payments=[(date(2026, 11, 2), 100_00)])
    h.plan(done, uid, date(2026, 9, 1), [(date(2026, 10, 1), 50_00), (date(2026, 11, 1), 50_00)])  # type: ignore[arg-type]
    broken = h.case(b, [(date(2026, 6, 1), 300_00)])
    h.plan(
        broken,
        uid,  # type: ignore[arg-type]
        date(2026, 9, 1),
        [(date(2026, 9, 15), 100_00), (date(2026, 10, 15), 100_00), (date(2026, 11, 30), 100_00)],
    )
    active = h.case(b, [(date(2026, 6, 1), 200_00)], limitation_date=T + timedelta(days=30))
    h.plan(active, uid, date(2026, 11, 1), [(date(2026, 12, 15), 200_00)])  # type: ignore[arg-type]
    gone = h.case(b, [(date(2026, 6, 1), 70_00)], limitation_date=T - timedelta(days=1))
    h.plan(gone, uid, date(2026, 9, 1), [(date(2026, 10, 1), 70_00)], PlanStatus.CANCELLED)  # type: ignore[arg-type]
    h.case(b, [(date(2026, 6, 1), 10_00)], limitation_date=T + timedelta(days=200))
    h.dispute(broken, uid)  # type: ignore[arg-type]
    h.dispute(active, uid, resolved=True)  # type: ignore[arg-type]

    plans, risks = plans_and_risks(admin, DashboardFilter(creditor_id=b), today=T)
    assert {(p.status, p.plans, p.remaining_cents) for p in plans} == {
        (PlanState.ACTIVE, 1, 200_00),
        (PlanState.COMPLETED, 1, 0),
        (PlanState.BROKEN, 1, 300_00),
        (PlanState.ACCELERATED, 0, 0),
    }
    assert (risks.near_limitation_cases, risks.near_limitation_cents, risks.horizon_days) == (
        1,
        200_00,
        90,
    )
    assert (risks.time_barred_cases, risks.broken_plans, risks.open_disputes) == (1, 1, 1)
