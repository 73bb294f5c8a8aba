"""A small portfolio written straight to the database for the dashboard tests: cases with
several invoices, payments, plans with their instalments, promises and contacts, each
with chosen dates, so that every figure has a known value in cents."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import select

from case_core.cases.references import next_references
from case_core.cases.totals import refresh_case_totals
from case_core.kernel.db import session_scope
from case_core.models import (
    Case,
    Channel,
    Claim,
    ContactEvent,
    ContactOutcome,
    DebtorKind,
    Dispute,
    DisputeCategory,
    Instalment,
    InstalmentPlan,
    InterestRegime,
    Party,
    PartyKind,
    Payment,
    PersonReached,
    Phase,
    PlanStatus,
    Promise,
    PromiseItem,
)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


def creditor(name: str = "Fournitures Durand SAS") -> int:
    with session_scope() as session:
        party = Party(kind=PartyKind.COMPANY, display_name=name, company_name=name)
        session.add(party)
        session.flush()
        return party.id  # type: ignore[return-value]


def case(
    creditor_id: int,
    invoices: list[tuple[date, int]],
    *,
    payments: list[tuple[date, int]] = (),  # type: ignore[assignment]
    phase: Phase = Phase.AMIABLE,
    assignee_id: int | None = None,
    kind: DebtorKind = DebtorKind.PROFESSIONAL,
    placed_on: date | None = None,
    last_contact: date | None = None,
    limitation_date: date | None = None,
) -> int:
    """A case with its invoices (due date, cents) and payments (received on, cents)."""
    with session_scope() as session:
        debtor = Party(kind=PartyKind.COMPANY, display_name="Débiteur SARL")
        session.add(debtor)
        session.flush()
        (reference,) = next_references(session, 2026)
        row = Case(
            reference=reference,
            creditor_id=creditor_id,
            debtor_id=debtor.id,  # type: ignore[arg-type]
            debtor_kind=kind,
            phase=phase,
            assignee_id=assignee_id,
            created_at=noon(placed_on or date(2026, 1, 15)),
            last_contact_at=noon(last_contact) if last_contact else None,
        )
        session.add(row)
        session.flush()
        for n, (due, cents) in enumerate(invoices, start=1):
            session.add(
                Claim(
                    case_id=row.id,  # type: ignore[arg-type]
                    creditor_id=creditor_id,
                    invoice_number=f"F-{reference}-{n}",
                    issue_date=due,
                    due_date=due,
                    principal_cents=cents,
                    interest_regime=InterestRegime.NONE,
                    created_at=row.created_at,
                )
            )
        for on, cents in payments:
            session.add(
                Payment(
                    case_id=row.id,  # type: ignore[arg-type]
                    received_on=on,
                    amount_cents=cents,
                    created_at=noon(on),
                )
            )
        session.flush()
        refresh_case_totals(session, row)
        if limitation_date is not None:
            row.limitation_date = limitation_date
        if last_contact is not None:
            row.last_contact_at = noon(last_contact)
        session.add(row)
        return row.id  # type: ignore[return-value]


def pay(case_id: int, on: date, cents: int) -> None:
    with session_scope() as session:
        session.add(
            Payment(case_id=case_id, received_on=on, amount_cents=cents, created_at=noon(on))
        )
        session.flush()
        row = session.get(Case, case_id)
        assert row is not None
        refresh_case_totals(session, row)


def plan(
    case_id: int,
    author_id: int,
    basis: date,
    instalments: list[tuple[date, int]],
    status: PlanStatus = PlanStatus.ACTIVE,
) -> int:
    """A plan accepted on `basis` (proposed the day before) with its instalments."""
    with session_scope() as session:
        row = InstalmentPlan(
            case_id=case_id,
            status=status,
            basis_date=basis,
            total_cents=sum(c for _d, c in instalments),
            instalment_count=len(instalments),
            first_due_date=instalments[0][0],
            accepted_on=basis,
            created_at=noon(basis),
            created_by_id=author_id,
        )
        session.add(row)
        session.flush()
        cumulative = 0
        for seq, (due, cents) in enumerate(instalments, start=1):
            cumulative += cents
            session.add(
                Instalment(
                    plan_id=row.id,  # type: ignore[arg-type]
                    seq=seq,
                    due_date=due,
                    amount_cents=cents,
                    cumulative_cents=cumulative,
                )
            )
        return row.id  # type: ignore[return-value]


def contact(
    case_id: int,
    author_id: int,
    on: date,
    channel: Channel = Channel.CALL_OUT,
    outcome: ContactOutcome = ContactOutcome.REACHED,
    reached: PersonReached = PersonReached.DEBTOR,
    corrects: int | None = None,
) -> int:
    with session_scope() as session:
        event = ContactEvent(
            case_id=case_id,
            occurred_at=noon(on),
            author_id=author_id,
            channel=channel,
            person_reached=reached,
            outcome=outcome,
            corrects_event_id=corrects,
        )
        session.add(event)
        session.flush()
        return event.id  # type: ignore[return-value]


def promise(
    case_id: int,
    author_id: int,
    made_on: date,
    items: list[tuple[date, int]],
    cancelled: bool = False,
) -> int:
    with session_scope() as session:
        row = Promise(
            case_id=case_id,
            created_at=noon(made_on),
            created_by_id=author_id,
            cancelled_at=noon(made_on) if cancelled else None,
        )
        session.add(row)
        session.flush()
        for due, cents in items:
            session.add(PromiseItem(promise_id=row.id, due_date=due, amount_cents=cents))  # type: ignore[arg-type]
        return row.id  # type: ignore[return-value]


def dispute(case_id: int, author_id: int, resolved: bool = False) -> None:
    with session_scope() as session:
        session.add(
            Dispute(
                case_id=case_id,
                category=DisputeCategory.AMOUNT,
                raised_by_id=author_id,
                resolved_at=noon(date(2026, 11, 1)) if resolved else None,
            )
        )


def reference_of(case_id: int) -> str:
    with session_scope() as session:
        return session.exec(select(Case.reference).where(Case.id == case_id)).one()
