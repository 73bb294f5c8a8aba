"""The dated amicable history of a case for the dossier: journal entries (calls, e-mails,
letters, the formal notice), promises and their fate, plans and their breach, disputes and
how they were answered, payments, and the bare facts of any mediation.

Read through the caller's session. Journal notes go in exactly as typed; a mediation shows
only what `mediation.disclosure` lets out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from case_core.journal.promises import grace_cutoff, promise_figures, status_of
from case_core.kernel.dates import PARIS, format_date
from case_core.kernel.money import format_cents
from case_core.mediation.disclosure import MediationDisclosure
from case_core.models import (
    AcceptanceChannel,
    Case,
    Channel,
    ContactEvent,
    ContactOutcome,
    Dispute,
    DisputeCategory,
    InstalmentPlan,
    Promise,
    PromiseItem,
    User,
)
from case_core.plans.status import InstalmentStatus, PlanState
from case_core.plans.views import PlanView, view_of
from case_core.statement.lines import Statement


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    text: str
    order: int = 0  # ties on a day: journal first, then what it caused


def local_day(instant: datetime) -> date:
    return instant.astimezone(PARIS).date()


def journal_events(session: Session, case: Case) -> list[Event]:
    rows = session.exec(
        select(ContactEvent)
        .where(ContactEvent.case_id == case.id)
        .order_by(col(ContactEvent.occurred_at), col(ContactEvent.id))
    ).all()
    corrected_by = {r.corrects_event_id: r for r in rows if r.corrects_event_id is not None}
    names = {
        u.id: u.full_name
        for u in session.exec(
            select(User).where(col(User.id).in_({r.author_id for r in rows}))
        ).all()
    }
    events = []
    for r in rows:
        channel = Channel(r.channel)
        outcome = ContactOutcome(r.outcome)
        parts = [r.note or ""]
        if r.registered_letter_number:
            parts.append(f"LRAR n° {r.registered_letter_number}")
        if r.corrects_event_id is not None:
            parts.append("(correction d'une entrée précédente)")
        fix = corrected_by.get(r.id or 0)
        if fix is not None:
            parts.append(f"(entrée corrigée le {format_date(local_day(fix.occurred_at))})")
        author = names.get(r.author_id, "")
        events.append(
            Event(
                local_day(r.occurred_at),
                f"{channel.label} — {outcome.label}",
                ("\n".join(p for p in parts if p) + (f" — {author}" if author else "")).strip(),
            )
        )
    return events


def promise_events(session: Session, case: Case, at: date) -> list[Event]:
    figures = session.exec(
        promise_figures(grace_cutoff(session, at))
        .where(Promise.case_id == case.id)
        .order_by(col(Promise.id))
    ).all()
    ids = [row[0] for row in figures]
    items: dict[int, list[str]] = {}
    for item in session.exec(
        select(PromiseItem)
        .where(col(PromiseItem.promise_id).in_(ids))
        .order_by(col(PromiseItem.due_date))
    ).all():
        items.setdefault(item.promise_id, []).append(
            f"{format_cents(item.amount_cents)} le {format_date(item.due_date)}"
        )
    made = {
        p.id: p.created_at for p in session.exec(select(Promise).where(col(Promise.id).in_(ids)))
    }
    events = []
    for pid, _case_id, total, due_past, paid in figures:
        status = status_of(int(total), int(due_past), int(paid))
        events.append(
            Event(
                local_day(made[pid]),
                "Promesse de paiement",
                f"{', '.join(items.get(pid, []))} ; payé depuis : {format_cents(int(paid))} ; "
                f"{status.label.lower()}",
                1,
            )
        )
    return events


def plan_views(session: Session, case: Case, at: date) -> list[PlanView]:
    plans = session.exec(
        select(InstalmentPlan)
        .where(InstalmentPlan.case_id == case.id)
        .order_by(col(InstalmentPlan.id))
    ).all()
    return [view_of(session, p, case, at) for p in plans]


def _channel(value: str) -> str:
    try:
        return AcceptanceChannel(value).label.lower()
    except ValueError:
        return value


def plan_events(plans: list[PlanView]) -> list[Event]:
    events = []
    for p in plans:
        count = len([i for i in p.instalments if i.seq > 0])
        summary = f"échéancier n° {p.id} : {count} échéance(s), {format_cents(p.total_cents)}"
        if p.accepted_on:
            events.append(
                Event(
                    p.accepted_on,
                    "Échéancier accepté",
                    f"{summary}, accepté par {p.accepted_by or 'le débiteur'}"
                    + (f" ({_channel(p.acceptance_channel)})" if p.acceptance_channel else ""),
                    1,
                )
            )
        if p.status == PlanState.BROKEN:
            missed = [i for i in p.instalments if i.status == InstalmentStatus.MISSED]
            first = min((i.due_date for i in missed), default=None)
            events.append(
                Event(
                    first or p.basis_date,
                    "Échéancier rompu",
                    f"{summary} : {len(missed)} échéance(s) impayée(s)"
                    + (f", la première au {format_date(first)}" if first else ""),
                    2,
                )
            )
        if p.accelerated_on:
            events.append(
                Event(
                    p.accelerated_on,
                    "Déchéance du terme",
                    f"{summary} : exigible " + format_cents(p.accelerated_balance_cents or 0),
                    2,
                )
            )
        if p.cancelled_on:
            events.append(
                Event(
                    p.cancelled_on, "Échéancier annulé", f"{summary} : {p.cancel_reason or ''}", 2
                )
            )
    return events


def dispute_events(session: Session, case: Case) -> tuple[list[Event], int]:
    disputes = session.exec(
        select(Dispute).where(Dispute.case_id == case.id).order_by(col(Dispute.id))
    ).all()
    events = []
    for d in disputes:
        events.append(
            Event(
                local_day(d.raised_at),
                "Contestation",
                f"Motif : {DisputeCategory(d.category).label}"
                + ("" if d.resolved_at else " — non résolue"),
                1,
            )
        )
        if d.resolved_at:
            events.append(
                Event(
                    local_day(d.resolved_at),
                    "Réponse à la contestation",
                    d.resolution_note or "",
                    1,
                )
            )
    return events, sum(1 for d in disputes if d.resolved_at is None)


def payment_events(statement: Statement) -> list[Event]:
    return [
        Event(
            p.received_on,
            "Paiement reçu" if p.amount_cents >= 0 else "Paiement annulé / remboursé",
            format_cents(p.amount_cents) + (f" (réf. {p.reference})" if p.reference else ""),
            2,
        )
        for p in statement.payments
    ]


def mediation_events(disclosures: list[MediationDisclosure]) -> list[Event]:
    events = []
    for m in disclosures:
        if m.first_session_on:
            events.append(
                Event(m.first_session_on, "Médiation", f"{m.kind_label} : première réunion", 1)
            )
        if m.ended_on:
            events.append(
                Event(
                    m.ended_on,
                    "Médiation",
                    f"{m.kind_label} : fin ({m.outcome_label or 'issue non précisée'})",
                    1,
                )
            )
    return events


def sort_events(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.day, e.order))
