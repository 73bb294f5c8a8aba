"""The demo has a history: every page has something to show."""

from __future__ import annotations

import io
import time

from docx import Document as DocxDocument
from sqlmodel import func, select

from case_core.demo.builder import DemoSummary, generate_demo
from case_core.documents.store import get_document_content
from case_core.journal.promises import PromiseStatus, promises_for_case
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import (
    Case,
    Channel,
    Claim,
    ContactEvent,
    ContactOutcome,
    Dispute,
    Document,
    InstalmentPlan,
    Payment,
    PlanStatus,
    Promise,
    Role,
    User,
)
from case_core.plans.status import PlanState
from case_core.plans.views import plan_view


def _build(admin: Actor, cases: int = 400) -> DemoSummary:
    return generate_demo(admin, cases, seed=11)


def test_demo_history_covers_every_channel_outcome_and_story(admin: Actor) -> None:
    started = time.perf_counter()
    summary = _build(admin)
    elapsed = time.perf_counter() - started
    assert elapsed < 60, elapsed
    with read_session() as session:
        contacts = session.exec(select(ContactEvent)).all()
        users = {u.id: u for u in session.exec(select(User)).all()}
        plans = session.exec(select(InstalmentPlan)).all()
        promises = session.exec(select(Promise)).all()
        references = {c.id: c.reference for c in session.exec(select(Case)).all()}
        disputes = session.exec(select(Dispute)).all()
        documents = session.exec(select(Document)).all()
        reversals = session.exec(
            select(Payment).where(Payment.reverses_payment_id.is_not(None))
        ).all()  # type: ignore[union-attr]
        roles = {u.role for u in users.values()}
        principal = dict(
            session.exec(
                select(Claim.case_id, func.sum(Claim.principal_cents)).group_by(Claim.case_id)
            ).all()
        )
        paid = dict(
            session.exec(
                select(Payment.case_id, func.sum(Payment.amount_cents)).group_by(Payment.case_id)
            ).all()
        )
        cases = session.exec(select(Case)).all()
    assert summary.history.contacts == len(contacts) > 0
    assert {c.channel for c in contacts} == set(Channel)
    assert {c.outcome for c in contacts} == set(ContactOutcome)
    # Written by the collectors themselves, each at a time of its own.
    assert {users[c.author_id].role for c in contacts} == {Role.COLLECTOR}
    assert len({c.occurred_at for c in contacts}) > len(contacts) // 2
    assert roles == set(Role)  # one account per role, the viewer included
    # Plans: the status derived from the payments agrees with the stored one.
    states = {plan_view(admin, plan.id).status for plan in plans}  # type: ignore[arg-type]
    assert states >= {PlanState.PROPOSED, PlanState.ACTIVE, PlanState.COMPLETED, PlanState.BROKEN}
    assert {p.status for p in plans} >= {PlanStatus.PROPOSED, PlanStatus.ACTIVE}
    statuses = set()
    for ref in {references[p.case_id] for p in promises}:
        statuses |= {p.status for p in promises_for_case(admin, ref)}
    assert {PromiseStatus.KEPT, PromiseStatus.BROKEN, PromiseStatus.OPEN} <= statuses
    assert any(d.resolved_at for d in disputes) and any(not d.resolved_at for d in disputes)
    assert {d.filename.split("_")[0] for d in documents} >= {"relance", "mise"}
    content = get_document_content(admin, documents[0].id)  # type: ignore[arg-type]
    assert DocxDocument(io.BytesIO(content.content)).paragraphs
    assert reversals
    # The case totals still add up after the history's payments.
    for case in cases:
        assert case.balance_cents == principal[case.id] - paid.get(case.id, 0)
        assert case.balance_cents >= 0


def test_demo_leaves_planner_statistics_on_postgresql(admin: Actor) -> None:
    """A new database filled in bulk is analysed: PostgreSQL would otherwise plan the
    worklists as if the tables were empty (minutes instead of a second at scale)."""
    from sqlalchemy import text

    _build(admin, cases=60)
    with read_session() as session:
        if session.get_bind().dialect.name != "postgresql":
            return  # SQLite keeps no statistics unless asked
        analysed = session.execute(
            text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN "
                "('cases', 'claims', 'contact_events') AND last_analyze IS NOT NULL"
            )
        ).scalar()
    assert analysed == 3


def test_demo_cases_carry_their_latest_contact(admin: Actor) -> None:
    """The stored « dernier contact » is each case's latest contact, as logging one keeps
    it: otherwise every demo case reads as never contacted (Ma journée lists them all)."""
    _build(admin, cases=120)
    with read_session() as session:
        latest: dict[int, object] = {}
        for contact in session.exec(select(ContactEvent)).all():
            if contact.corrects_event_id is None:
                seen = latest.get(contact.case_id)
                if seen is None or contact.occurred_at > seen:  # type: ignore[operator]
                    latest[contact.case_id] = contact.occurred_at
        stored = {c.id: c.last_contact_at for c in session.exec(select(Case)).all()}
    assert latest
    assert {i: stored[i] for i in latest} == latest
    assert all(at is None for i, at in stored.items() if i not in latest)
