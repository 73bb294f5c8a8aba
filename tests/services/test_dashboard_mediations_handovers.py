"""Mediation and hand-over figures of the dashboard: a worked example with figures known in
advance, the filters, the confidentiality of what is read, and a recount in plain Python
of every figure on a random portfolio (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import event
from sqlmodel import select

from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine, read_session, session_scope
from case_core.mediation.rules import AGREED_OUTCOMES
from case_core.models import (
    Case,
    Claim,
    InterestRegime,
    Mediation,
    MediationAgreement,
    MediationOutcome,
    MediationSession,
    Payment,
    Referral,
    Role,
)
from case_core.models.mediation import CONFIDENTIAL_FIELDS
from case_core.reports.filters import DashboardFilter, resolve
from case_core.reports.handovers import handover_figures
from case_core.reports.mediations import ENDED_OUTCOMES, mediation_figures
from case_core.reports.tables import handovers_table, mediations_table, to_csv, to_xlsx
from tests import dashboard_helpers as h
from tests import dashboard_mediation_helpers as m
from tests.conftest import actor_with_role

T = date(2026, 11, 23)
PERIOD = DashboardFilter(period_start=date(2026, 1, 1), period_end=T)
NOTE = "Le débiteur a perdu son emploi en mars."


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL sent to the database while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _mediations(admin: Actor, claire: Actor) -> None:
    a, b = h.creditor("Alpha SAS"), h.creditor("Beta SARL")
    uid = admin.id or 0
    c1 = h.case(a, [(date(2025, 10, 1), 10_000_00)], assignee_id=claire.id)
    m1 = m.mediation(c1, uid, ended_on=date(2026, 3, 20), outcome=MediationOutcome.AGREEMENT)
    m.meeting(m1, c1, date(2026, 2, 10), notes=NOTE)
    m.meeting(m1, c1, date(2026, 3, 5), outcome=MediationOutcome.AGREEMENT)
    m.agreement(c1, m1, uid, 6_000_00)
    m.agreement(c1, m1, uid, 7_000_00)  # recorded again: the latest counts
    c2 = h.case(a, [(date(2025, 10, 1), 4_000_00)])
    m2 = m.mediation(c2, uid, ended_on=date(2026, 3, 25), outcome=MediationOutcome.FAILURE)
    m.meeting(m2, c2, date(2026, 3, 1), outcome=MediationOutcome.FAILURE)
    m.meeting(m2, c2, date(2026, 3, 15), written_up=False)  # not held (yet)
    c3 = h.case(a, [(date(2025, 10, 1), 2_000_00)])
    m3 = m.mediation(c3, uid, ended_on=date(2026, 4, 2), outcome=MediationOutcome.PARTIAL)
    m.meeting(m3, c3, date(2026, 4, 1), outcome=MediationOutcome.PARTIAL)
    m.agreement(c3, m3, uid, 1_500_00)
    c4 = h.case(a, [(date(2025, 10, 1), 3_000_00)])
    m.mediation(c4, uid, ended_on=date(2026, 4, 10), outcome=MediationOutcome.AGREEMENT)
    c5 = h.case(a, [(date(2025, 10, 1), 9_000_00)])
    m5 = m.mediation(c5, uid, ended_on=date(2025, 12, 15), outcome=MediationOutcome.AGREEMENT)
    m.meeting(m5, c5, date(2025, 12, 10))  # before the period
    m.agreement(c5, m5, uid, 9_000_00)
    c6 = h.case(a, [(date(2025, 10, 1), 1_000_00)])
    m6 = m.mediation(c6, uid)  # running
    m.meeting(m6, c6, date(2026, 5, 5))
    c7 = h.case(b, [(date(2025, 10, 1), 800_00)])
    m.mediation(c7, uid, ended_on=date(2026, 3, 10), outcome=MediationOutcome.FAILURE)


def test_mediation_figures_on_a_worked_example(admin: Actor) -> None:
    claire = actor_with_role(admin, Role.COLLECTOR, "claire@example.fr")
    _mediations(admin, claire)
    figures = mediation_figures(admin, PERIOD, today=T)
    by_month = {x.month: x for x in figures.months}
    assert len(figures.months) == 11  # every month of the period, empty ones included
    assert {d.month: x.sessions_held for d, x in by_month.items() if x.sessions_held} == {
        2: 1,
        3: 2,
        4: 1,
        5: 1,
    }
    march, april = by_month[date(2026, 3, 1)], by_month[date(2026, 4, 1)]
    assert march.ended == {MediationOutcome.AGREEMENT: 1, MediationOutcome.FAILURE: 2}
    assert april.ended == {MediationOutcome.PARTIAL: 1, MediationOutcome.AGREEMENT: 1}
    assert (figures.sessions_held, figures.ended, figures.agreed) == (5, 5, 3)
    assert figures.agreement_rate == 3 / 5
    # Amounts: only agreed mediations whose agreement is recorded (c1, c3; not c4).
    assert (march.with_agreement, march.claimed_cents, march.agreed_cents) == (
        1,
        10_000_00,
        7_000_00,
    )
    assert (april.with_agreement, april.claimed_cents, april.agreed_cents) == (
        1,
        2_000_00,
        1_500_00,
    )
    assert (figures.claimed_cents, figures.agreed_cents) == (12_000_00, 8_500_00)
    assert figures.agreed_share == 8_500_00 / 12_000_00

    # The filters apply as to every other figure; a collector sees their own cases.
    a_id = _creditor_id("Alpha SAS")
    alpha = mediation_figures(
        admin,
        DashboardFilter(creditor_id=a_id, period_start=date(2026, 1, 1), period_end=T),
        today=T,
    )
    assert (alpha.ended, alpha.agreed, alpha.agreement_rate) == (4, 3, 3 / 4)
    own = mediation_figures(claire, PERIOD, today=T)
    assert (own.sessions_held, own.ended, own.claimed_cents, own.agreed_cents) == (
        2,
        1,
        10_000_00,
        7_000_00,
    )
    march_only = mediation_figures(
        admin, DashboardFilter(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31)), T
    )
    assert (march_only.sessions_held, march_only.ended) == (2, 3)


def _creditor_id(name: str) -> int:
    from case_core.models import Party

    with read_session() as session:
        return session.exec(select(Party.id).where(Party.display_name == name)).one() or 0


def test_mediation_figures_never_read_what_was_said(admin: Actor) -> None:
    claire = actor_with_role(admin, Role.COLLECTOR, "claire@example.fr")
    _mediations(admin, claire)
    with statements() as sent:
        figures = mediation_figures(admin, PERIOD, today=T)
    assert figures.sessions_held == 5
    confidential = CONFIDENTIAL_FIELDS["mediation_sessions"]
    assert sent and not any(name in sql for sql in sent for name in confidential)
    assert not any("mediation_proposals" in sql for sql in sent)
    assert NOTE.encode() not in to_csv(mediations_table(figures))


def _handovers(admin: Actor) -> tuple[int, int]:
    a, b = h.creditor("Alpha SAS"), h.creditor("Beta SARL")
    uid = admin.id or 0
    who = m.recipient()
    h1 = h.case(
        a,
        [(date(2025, 12, 1), 5_000_00)],
        placed_on=date(2026, 1, 15),
        payments=[(date(2026, 2, 1), 1_000_00)],
    )
    m.referral(h1, who, uid, at(date(2026, 3, 10)), recovered_cents=900_00, title=True)
    for on, cents in ((date(2026, 4, 1), 500_00), (date(2026, 5, 1), 700_00)):
        h.pay(h1, on, cents)
    h.pay(h1, date(2026, 5, 2), -200_00)  # a reversal
    h2 = h.case(a, [(date(2025, 12, 1), 2_000_00)], placed_on=date(2026, 1, 15))
    m.referral(h2, who, uid, at(date(2026, 3, 20)), recovered_cents=100_00, closed=True)
    m.referral(h2, who, uid, at(date(2026, 6, 1)), recovered_cents=300_00)  # the same case
    with session_scope() as session:  # an invoice added after the hand-over
        session.add(
            Claim(
                case_id=h2,
                creditor_id=a,
                invoice_number="F-LATE",
                issue_date=date(2026, 4, 1),
                due_date=date(2026, 4, 1),
                principal_cents=1_000_00,
                interest_regime=InterestRegime.NONE,
                created_at=at(date(2026, 4, 1)),
            )
        )
    h.pay(h2, date(2026, 6, 15), 250_00)
    h3 = h.case(
        a,
        [(date(2025, 12, 1), 1_000_00)],
        placed_on=date(2026, 1, 15),
        payments=[(date(2026, 2, 1), 1_200_00)],  # overpaid before: nothing referred
    )
    m.referral(h3, who, uid, at(date(2026, 4, 5)))
    h4 = h.case(a, [(date(2025, 6, 1), 3_000_00)], placed_on=date(2025, 7, 1))
    m.referral(h4, who, uid, at(date(2025, 12, 20)), closed=True)  # first before the period
    m.referral(h4, who, uid, at(date(2026, 5, 1)))
    h5 = h.case(b, [(date(2025, 12, 1), 800_00)], placed_on=date(2026, 1, 15))
    m.referral(h5, who, uid, at(date(2026, 3, 15)))
    return a, b


def test_handover_figures_on_a_worked_example(admin: Actor) -> None:
    a, _b = _handovers(admin)
    figures = handover_figures(admin, PERIOD, today=T)
    by_month = {x.month: x for x in figures.months if x.cases}
    march, april = by_month.pop(date(2026, 3, 1)), by_month.pop(date(2026, 4, 1))
    assert not by_month  # h4 was first handed over before the period; h2 counts once
    assert (march.cases, march.referred_cents, march.recovered_cents) == (
        3,
        4_000_00 + 2_000_00 + 800_00,
        1_000_00 + 250_00,
    )
    assert (march.declared_cents, march.titles) == (900_00 + 400_00, 1)
    assert (april.cases, april.referred_cents, april.recovered_cents) == (1, 0, 0)
    assert (figures.cases, figures.referred_cents, figures.recovered_cents) == (
        4,
        6_800_00,
        1_250_00,
    )
    assert figures.recovery_rate == 1_250_00 / 6_800_00
    alpha = handover_figures(
        admin, DashboardFilter(creditor_id=a, period_start=date(2026, 1, 1), period_end=T), T
    )
    assert (alpha.cases, alpha.referred_cents) == (3, 6_000_00)
    rows = handovers_table(figures).rows
    assert [r[1] for r in rows if r[1]] == [3, 1]


# ---- a recount in plain Python on a random portfolio ------------------------------------------


def _random_portfolio(admin: Actor, claire: Actor, seed: int) -> None:
    rng = random.Random(seed)
    uid = admin.id or 0
    creditors = [h.creditor("Alpha SAS"), h.creditor("Beta SARL")]
    who = m.recipient()
    for _n in range(24):
        placed = date(2025, 9, 1) + timedelta(days=rng.randint(0, 300))
        case_id = h.case(
            rng.choice(creditors),
            [(placed - timedelta(days=30), rng.randint(1, 90) * 100_00)],
            placed_on=placed,
            assignee_id=rng.choice([claire.id, None]),
            payments=[(placed + timedelta(days=rng.randint(1, 200)), rng.randint(1, 20) * 50_00)],
        )
        if rng.random() < 0.7:
            ended = placed + timedelta(days=rng.randint(20, 300))
            outcome = rng.choice([*ENDED_OUTCOMES[:-1], None])
            mid = m.mediation(
                case_id,
                uid,
                ended_on=ended if rng.random() < 0.8 else None,
                outcome=outcome,
            )
            for _s in range(rng.randint(0, 3)):
                m.meeting(
                    mid,
                    case_id,
                    placed + timedelta(days=rng.randint(1, 300)),
                    written_up=rng.random() < 0.7,
                )
            for _a in range(rng.randint(0, 2)):
                m.agreement(case_id, mid, uid, rng.randint(1, 50) * 100_00)
        for _r in range(rng.choice([0, 0, 1, 2])):
            m.referral(
                case_id,
                who,
                uid,
                at(placed + timedelta(days=rng.randint(10, 330)), rng.randint(0, 23)),
                recovered_cents=rng.randint(0, 10) * 100_00,
                title=rng.random() < 0.3,
            )
            h.pay(
                case_id, placed + timedelta(days=rng.randint(1, 360)), rng.randint(-2, 10) * 10_00
            )


def _month(day: date | datetime) -> date:
    return date(day.year, day.month, 1)


def _recount(actor: Actor, f: DashboardFilter) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every mediation and hand-over figure from the rows themselves, in Python."""
    scope = resolve(actor, f, T)
    with read_session() as session:
        cases = {c.id: c for c in session.exec(select(Case)).all()}
        meetings = session.exec(select(MediationSession)).all()
        mediations = session.exec(select(Mediation)).all()
        agreements = session.exec(select(MediationAgreement)).all()
        referrals = session.exec(select(Referral)).all()
        claims = session.exec(select(Claim)).all()
        payments = session.exec(select(Payment)).all()

    def in_scope(case_id: int) -> bool:
        c = cases[case_id]
        return (scope.creditor_id in (None, c.creditor_id)) and (
            scope.assignee_id in (None, c.assignee_id)
        )

    def utc(instant: datetime) -> datetime:
        return instant if instant.tzinfo else instant.replace(tzinfo=UTC)

    start, end = scope.start_instant, scope.end_instant
    held: dict[date, int] = {}
    for s in meetings:
        if s.written_up_at and start <= utc(s.planned_at) < end and in_scope(s.case_id):
            held[_month(utc(s.planned_at))] = held.get(_month(utc(s.planned_at)), 0) + 1
    latest: dict[int, MediationAgreement] = {}
    for a in sorted(agreements, key=lambda a: a.id or 0):
        if a.mediation_id is not None:
            latest[a.mediation_id] = a
    ended: dict[date, dict[Any, int]] = {}
    claimed: dict[date, int] = {}
    agreed: dict[date, int] = {}
    for x in mediations:
        if x.ended_on is None or not (scope.period_start <= x.ended_on <= scope.period_end):
            continue
        if not in_scope(x.case_id):
            continue
        month = _month(x.ended_on)
        outcome = MediationOutcome(x.outcome) if x.outcome else None
        ended.setdefault(month, {})
        ended[month][outcome] = ended[month].get(outcome, 0) + 1
        if outcome in AGREED_OUTCOMES and x.id in latest:
            claimed[month] = claimed.get(month, 0) + cases[x.case_id].principal_cents
            agreed[month] = agreed.get(month, 0) + latest[x.id or 0].amount_cents
    mediation = {"held": held, "ended": ended, "claimed": claimed, "agreed": agreed}

    first: dict[int, list[Referral]] = {}
    for r in referrals:
        first.setdefault(r.case_id, []).append(r)
    handed: dict[date, list[int]] = {}
    for case_id, rows in first.items():
        when = min(utc(r.handed_over_at) for r in rows)
        if not (start <= when < end) or not in_scope(case_id):
            continue
        placed = sum(
            c.principal_cents for c in claims if c.case_id == case_id and utc(c.created_at) < when
        )
        before = sum(
            p.amount_cents for p in payments if p.case_id == case_id and utc(p.created_at) < when
        )
        after = sum(
            p.amount_cents for p in payments if p.case_id == case_id and utc(p.created_at) >= when
        )
        row = handed.setdefault(_month(when), [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += max(placed - before, 0)
        row[2] += after
        row[3] += sum(r.recovered_cents for r in rows)
        row[4] += any(r.title_obtained for r in rows)
    return mediation, {k: tuple(v) for k, v in handed.items()}


def test_every_figure_matches_a_recount_in_python(admin: Actor) -> None:
    claire = actor_with_role(admin, Role.COLLECTOR, "claire@example.fr")
    _random_portfolio(admin, claire, seed=14)
    a = _creditor_id("Alpha SAS")
    checked = 0
    for who, f in (
        (admin, PERIOD),
        (admin, DashboardFilter(period_start=date(2025, 6, 1), period_end=T)),
        (admin, DashboardFilter(creditor_id=a, period_start=date(2025, 6, 1), period_end=T)),
        (claire, DashboardFilter(period_start=date(2025, 6, 1), period_end=T)),
    ):
        expected_m, expected_h = _recount(who, f)
        got = mediation_figures(who, f, today=T)
        assert {x.month: x.sessions_held for x in got.months if x.sessions_held} == expected_m[
            "held"
        ]
        assert {x.month: x.ended for x in got.months if x.ended} == expected_m["ended"]
        assert {x.month: x.claimed_cents for x in got.months if x.with_agreement} == expected_m[
            "claimed"
        ]
        assert {x.month: x.agreed_cents for x in got.months if x.with_agreement} == expected_m[
            "agreed"
        ]
        handed = handover_figures(who, f, today=T)
        assert {
            x.month: (x.cases, x.referred_cents, x.recovered_cents, x.declared_cents, x.titles)
            for x in handed.months
            if x.cases
        } == expected_h
        checked += got.ended + handed.cases
    assert checked > 20  # the random portfolio did produce figures to compare


def test_both_tables_download_as_csv_and_xlsx(admin: Actor) -> None:
    claire = actor_with_role(admin, Role.COLLECTOR, "claire@example.fr")
    _mediations(admin, claire)
    _handovers(admin)
    mediations = mediations_table(mediation_figures(admin, PERIOD, today=T))
    march = next(r for r in mediations.rows if r[0] == date(2026, 3, 1))
    lines = to_csv(mediations).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mois;Séances tenues;Médiations terminées;")
    assert lines[0].endswith(";Montant réclamé (€);Montant accordé (€)")
    assert "03/2026;2;3;1;0;2;0;0;33,33;1;10000,00;7000,00" in lines
    book = load_workbook(io.BytesIO(to_xlsx(mediations)))
    sheet = book.worksheets[0]
    cells = next(
        row for row in sheet.iter_rows(min_row=2) if row[1].value == march[1] and row[2].value == 3
    )
    assert cells[-1].value == Decimal("7000.00") and "€" in cells[-1].number_format
    handed = handovers_table(handover_figures(admin, PERIOD, today=T))
    sheet = load_workbook(io.BytesIO(to_xlsx(handed))).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:4] == [
        "Mois",
        "Dossiers transmis",
        "Montant transmis",
        "Recouvré après transmission",
    ]
    filled = [[c.value for c in row] for row in sheet.iter_rows(min_row=2) if row[1].value]
    assert [r[1:4] for r in filled] == [[3, Decimal("6800.00"), Decimal("1250.00")], [1, 0, 0]]
