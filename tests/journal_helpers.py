"""Cases and payments for the journal, promise, Ma journée and letter tests.

Rows are written straight into the store (as the demo generator does), so these tests
do not depend on the intake and payment screens; totals are refreshed the way every
service refreshes them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select

from case_core.cases.references import next_references
from case_core.cases.totals import refresh_case_totals
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, session_scope
from case_core.models import (
    Case,
    Claim,
    DebtorKind,
    InterestRegime,
    Party,
    PartyKind,
    Payment,
    Phase,
    utcnow,
)


def make_case(
    actor: Actor,
    *,
    debtor_name: str = "Bâtiment Martin SARL",
    assignee_id: int | None = None,
    principal_cents: int = 1_234_56,
    due_date: date = date(2026, 3, 31),
    kind: DebtorKind = DebtorKind.PROFESSIONAL,
    phase: Phase = Phase.AMIABLE,
    written_only: bool = False,
    **case_fields: object,
) -> str:
    """A case with one invoice; returns its reference."""
    with session_scope() as session:
        creditor = Party(
            kind=PartyKind.COMPANY,
            display_name="Fournitures Durand SAS",
            company_name="Fournitures Durand SAS",
            siren="732829320",
            address_line1="3 quai Saint-Antoine",
            postcode="69002",
            city="Lyon",
        )
        debtor = Party(
            kind=PartyKind.COMPANY,
            display_name=debtor_name,
            company_name=debtor_name,
            address_line1="12 rue de la Roquette",
            postcode="75011",
            city="Paris",
            phone="+33612345678",
            written_contact_only=written_only,
        )
        session.add(creditor)
        session.add(debtor)
        session.flush()
        (reference,) = next_references(session, 2026, 1)
        case = Case(
            reference=reference,
            creditor_id=creditor.id,  # type: ignore[arg-type]
            debtor_id=debtor.id,  # type: ignore[arg-type]
            debtor_kind=kind,
            phase=phase,
            assignee_id=assignee_id,
            created_by_id=actor.id,
            **case_fields,  # type: ignore[arg-type]
        )
        session.add(case)
        session.flush()
        session.add(
            Claim(
                case_id=case.id,  # type: ignore[arg-type]
                creditor_id=creditor.id,  # type: ignore[arg-type]
                invoice_number=f"F-{reference}",
                issue_date=date(due_date.year, due_date.month, 1),
                due_date=due_date,
                principal_cents=principal_cents,
                description="Prestation de maintenance",
                interest_regime=InterestRegime.L441_10
                if kind == DebtorKind.PROFESSIONAL
                else InterestRegime.LEGAL,
            )
        )
        session.flush()
        refresh_case_totals(session, case)
        # A figure given explicitly (e.g. a limitation date) wins over the computed one.
        for name, value in case_fields.items():
            setattr(case, name, value)
        session.add(case)
        return reference


def add_payment(
    actor: Actor,
    reference: str,
    amount_cents: int,
    received_on: date,
    *,
    reverses: int | None = None,
    created_at: datetime | None = None,
) -> int:
    """Record money received (a negative amount with `reverses` is a reversal)."""
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        payment = Payment(
            case_id=case.id,  # type: ignore[arg-type]
            received_on=received_on,
            amount_cents=amount_cents,
            reverses_payment_id=reverses,
            created_by_id=actor.id,
            created_at=created_at or utcnow(),
        )
        session.add(payment)
        session.flush()
        refresh_case_totals(session, case)
        return payment.id  # type: ignore[return-value]


def case_row(reference: str) -> Case:
    with read_session() as session:
        return session.exec(select(Case).where(Case.reference == reference)).one()
