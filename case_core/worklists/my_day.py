"""« Ma journée »: the collector's cases needing action today, most urgent first.

Each reason is a condition on a case row (the promise and plan ones an EXISTS on the
case's own rows); one pass over the collector's cases (assignee index) keeps those
meeting any, ordered by the most urgent reason and paginated in SQL, with the total
from a window count, so the list stays fast on 100 000 cases. A contact logged on a
case takes it off the list: it moves or clears the next action and sets
last_contact_at, which every other reason looks at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, text
from sqlalchemy import case as sql_case
from sqlmodel import Session, col, select

from case_core.journal.guardrails import NO_CALL_KINDS
from case_core.journal.promises import (
    GRACE_DAYS,
    add_days,
    due_past_grace,
    paid_since_promise,
)
from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, PermissionDenied
from case_core.kernel.paging import page_count
from case_core.kernel.permissions import CASE_HOLDER_ROLES, Perm, can, require
from case_core.kernel.settings import declare, get_setting
from case_core.models import (
    Case,
    ContactObjection,
    Instalment,
    InstalmentPlan,
    LabelledEnum,
    Party,
    Phase,
    Promise,
    PromiseItem,
    User,
    add_labels,
)
from case_core.plans.settings import status_rule
from case_core.plans.status import HOLDING, effective_due_sql, is_missed_sql, plan_paid_expr
from case_core.statement.horizon import horizon_days

RECONTACT_DAYS = "my_day.recontact_days"
declare(
    RECONTACT_DAYS,
    7,
    "Ma journée : un dossier proche de la prescription revient après (jours sans contact)",
)

# Phases where the collector still works the case amicably.
WORKED_PHASES = [Phase.AMIABLE, Phase.PRE_CONTENTIEUX, Phase.MEDIATION]


class Reason(LabelledEnum):
    NEXT_ACTION = "next_action"
    BROKEN_PROMISE = "broken_promise"
    MISSED_INSTALMENT = "missed_instalment"
    NOTICE_EXPIRED = "notice_expired"
    NEAR_LIMITATION = "near_limitation"
    NEVER_CONTACTED = "never_contacted"

    @property
    def priority(self) -> int:
        return list(Reason).index(self) + 1


add_labels(
    {
        Reason.NEXT_ACTION: "Action prévue",
        Reason.BROKEN_PROMISE: "Promesse non tenue",
        Reason.MISSED_INSTALMENT: "Échéance impayée",
        Reason.NOTICE_EXPIRED: "Délai de mise en demeure expiré",
        Reason.NEAR_LIMITATION: "Prescription proche",
        Reason.NEVER_CONTACTED: "Jamais contacté",
    }
)


class ContactHint(LabelledEnum):
    """How to reach the debtor: a call, unless they asked for writing only or objected to
    calls (GDPR art. 21), then a letter or an e-mail."""

    CALL = "call"
    WRITTEN_ONLY = "written_only"


add_labels({ContactHint.CALL: "appel", ContactHint.WRITTEN_ONLY: "écrit uniquement"})


@dataclass(frozen=True)
class MyDayRow:
    reference: str
    debtor_name: str
    phase: Phase
    balance_cents: int
    reasons: list[Reason]
    next_action_date: date | None
    next_action_note: str | None
    formal_notice_deadline: date | None
    limitation_date: date | None
    last_contact_at: datetime | None
    contact: ContactHint = ContactHint.CALL


def _no_call_debtors(session: Session, debtor_ids: set[int]) -> set[int]:
    """The debtors among `debtor_ids` who must not be called."""
    if not debtor_ids:
        return set()
    flagged = session.exec(
        select(Party.id).where(col(Party.id).in_(debtor_ids), col(Party.written_contact_only))
    ).all()
    objected = session.exec(
        select(ContactObjection.party_id).where(
            col(ContactObjection.party_id).in_(debtor_ids),
            col(ContactObjection.kind).in_(NO_CALL_KINDS),
            col(ContactObjection.lifted_on).is_(None),
        )
    ).all()
    return {int(i) for i in flagged if i is not None} | set(objected)


@dataclass(frozen=True)
class MyDayPage:
    rows: list[MyDayRow]
    total: int
    page: int
    page_size: int
    collector_id: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)


def _not_contacted_since(limit: Any) -> Any:
    return or_(
        Case.last_contact_at.is_(None),  # type: ignore[union-attr]
        Case.last_contact_at < limit,  # type: ignore[operator]
    )


def reason_conditions(session: Session, today: date) -> dict[Reason, Any]:
    """Each reason as a condition on a Case row, in priority order. The promise and plan
    reasons are EXISTS on the case's own rows (indexed by case id)."""
    dialect = session.get_bind().dialect.name
    grace = int(get_setting(GRACE_DAYS, session))
    near = horizon_days(session)
    recontact = int(get_setting(RECONTACT_DAYS, session))
    promise_cutoff = today - timedelta(days=grace)
    # Not contacted since the promise broke: since the day after the grace period of some
    # item past it (the latest such item decides; EXISTS keeps it on the promise_id index).
    contact_after_break = (
        select(PromiseItem.id)
        .where(
            PromiseItem.promise_id == Promise.id,
            PromiseItem.due_date < promise_cutoff,  # type: ignore[operator]
            _not_contacted_since(add_days(PromiseItem.due_date, grace + 1, dialect)),
        )
        # Two levels down from the case: correlate explicitly, or Case becomes a FROM here.
        .correlate(Promise, Case)
        .exists()
    )
    broken_promise = (
        select(Promise.id)
        .where(
            Promise.case_id == Case.id,
            Promise.cancelled_at.is_(None),  # type: ignore[union-attr]
            due_past_grace(promise_cutoff) > paid_since_promise(),
            contact_after_break,
        )
        .exists()
    )
    return {
        Reason.NEXT_ACTION: col(Case.next_action_date) <= today,
        Reason.BROKEN_PROMISE: broken_promise,
        Reason.MISSED_INSTALMENT: _missed_instalment(session, today, dialect),
        Reason.NOTICE_EXPIRED: and_(
            col(Case.formal_notice_deadline) < today,
            _not_contacted_since(add_days(Case.formal_notice_deadline, 1, dialect)),
        ),
        Reason.NEAR_LIMITATION: and_(
            col(Case.limitation_date) >= today,
            col(Case.limitation_date) <= today + timedelta(days=near),
            _not_contacted_since(
                datetime.combine(today - timedelta(days=recontact), time(), PARIS)
            ),
        ),
        Reason.NEVER_CONTACTED: Case.last_contact_at.is_(None),  # type: ignore[union-attr]
    }


def _missed_instalment(session: Session, today: date, dialect: str) -> Any:
    """A plan in force on the case has a missed instalment (by the plans' status rule, so
    after the déchéance du terme every unpaid one counts from that day), and no contact was
    logged since the last one was missed."""
    rule = status_rule(session)
    due = effective_due_sql(Instalment.due_date, InstalmentPlan.accelerated_on)
    not_contacted_since_missed = (
        select(Instalment.id)
        .where(
            Instalment.plan_id == InstalmentPlan.id,
            is_missed_sql(
                col(InstalmentPlan.status),
                plan_paid_expr(),
                InstalmentPlan.accelerated_on,
                today,
                rule,
            ),
            _not_contacted_since(add_days(due, rule.grace_days + 1, dialect)),
        )
        .correlate(InstalmentPlan, Case)
        .exists()
    )
    return (
        select(InstalmentPlan.id)
        .where(
            InstalmentPlan.case_id == Case.id,
            col(InstalmentPlan.status).in_(HOLDING),
            not_contacted_since_missed,
        )
        .exists()
    )


def _collector(session: Session, actor: Actor, collector_id: int | None) -> int:
    if collector_id is None or collector_id == actor.id:
        assert actor.id is not None
        return actor.id
    if not can(actor, Perm.CASES_ASSIGN):
        raise PermissionDenied("Seul un responsable peut consulter la journée d'un autre collègue.")
    if session.get(User, collector_id) is None:
        raise NotFound("Collaborateur introuvable.")
    return collector_id


def my_day(
    actor: Actor,
    collector_id: int | None = None,
    today: date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> MyDayPage:
    """The collector's list for `today` (default: today in Paris), one page of it."""
    require(actor, Perm.CONTACTS_LOG)
    today = today or today_paris()
    page = max(1, page)
    page_size = min(max(1, page_size), 200)
    with read_session() as session:
        if session.get_bind().dialect.name == "postgresql":
            # The per-case subplans inflate the cost estimate past jit_above_cost once the
            # tables have statistics; compiling them costs ~1.2 s for a ~0.1 s query.
            session.execute(text("SET LOCAL jit = off"))
        who = _collector(session, actor, collector_id)
        conditions = reason_conditions(session, today)
        # One pass over the collector's cases; the first true condition gives the priority.
        priority = sql_case(
            *((cond, reason.priority) for reason, cond in conditions.items()), else_=99
        )
        mine = (
            Case.assignee_id == who,
            Case.phase.in_(WORKED_PHASES),  # type: ignore[attr-defined]
            or_(*conditions.values()),
        )
        # Only ids and sort keys go through the sort; the page's rows are read after.
        ranked = session.exec(
            select(Case.id, func.count().over())
            .where(*mine)
            .order_by(priority, col(Case.balance_cents).desc(), col(Case.id))
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        if ranked:
            total = int(ranked[0][1])
        else:
            total = session.exec(select(func.count()).select_from(Case).where(*mine)).one()
        ids = [case_id for case_id, _total in ranked]
        loaded = {
            case.id: (case, name)
            for case, name in session.exec(
                select(Case, Party.display_name)
                .join(Party, col(Party.id) == col(Case.debtor_id))
                .where(col(Case.id).in_(ids))
            ).all()
        }
        rows = [loaded[i] for i in ids]
        no_call = _no_call_debtors(session, {case.debtor_id for case, _name in rows})
        flags: dict[int, list[Reason]] = {}
        if ids:
            reasons = list(conditions)
            for case_id, *hits in session.exec(
                select(Case.id, *(conditions[r].label(r.value) for r in reasons)).where(
                    Case.id.in_(ids)  # type: ignore[union-attr]
                )
            ).all():
                flags[case_id] = [r for r, hit in zip(reasons, hits, strict=True) if hit]
        return MyDayPage(
            rows=[
                MyDayRow(
                    reference=case.reference,
                    debtor_name=name,
                    phase=Phase(case.phase),
                    balance_cents=case.balance_cents,
                    reasons=flags.get(case.id, []),  # type: ignore[arg-type]
                    next_action_date=case.next_action_date,
                    next_action_note=case.next_action_note,
                    formal_notice_deadline=case.formal_notice_deadline,
                    limitation_date=case.limitation_date,
                    last_contact_at=case.last_contact_at,
                    contact=(
                        ContactHint.WRITTEN_ONLY if case.debtor_id in no_call else ContactHint.CALL
                    ),
                )
                for case, name in rows
            ],
            total=int(total),
            page=page,
            page_size=page_size,
            collector_id=who,
        )


def collectors(actor: Actor) -> dict[int, str]:
    """The active users who work cases (for a manager's picker)."""
    require(actor, Perm.CASES_ASSIGN)
    with read_session() as session:
        users = session.exec(
            select(User)
            .where(
                col(User.role).in_(CASE_HOLDER_ROLES),
                User.is_active,
            )
            .order_by(User.full_name)
        ).all()
        return {u.id: u.full_name for u in users}  # type: ignore[misc]
