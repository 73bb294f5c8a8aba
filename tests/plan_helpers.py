"""A case with one claim, written straight to the database for plan and payment tests."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from case_core.cases.references import next_references
from case_core.cases.totals import refresh_case_totals
from case_core.kernel.actor import Actor
from case_core.kernel.db import session_scope
from case_core.models import Case, Claim, DebtorKind, InterestRegime, Party, PartyKind


def make_case(
    principal_cents: int = 120_000,
    due_date: date = date(2025, 10, 1),
    debtor_name: str = "DUPONT Jeanne",
    invoice_number: str = "F-2025-001",
    creditor_name: str = "Boulangerie Martin SARL",
) -> str:
    """A consumer case without interest: its balance is the principal. Returns its reference."""
    with session_scope() as session:
        creditor = Party(kind=PartyKind.COMPANY, display_name=creditor_name)
        debtor = Party(
            kind=PartyKind.PERSON,
            display_name=debtor_name,
            address_line1="3 rue des Lilas",
            postcode="69003",
            city="Lyon",
        )
        session.add(creditor)
        session.add(debtor)
        session.flush()
        (reference,) = next_references(session, 2026)
        case = Case(
            reference=reference,
            creditor_id=creditor.id or 0,
            debtor_id=debtor.id or 0,
            debtor_kind=DebtorKind.CONSUMER,
        )
        session.add(case)
        session.flush()
        session.add(
            Claim(
                case_id=case.id or 0,
                creditor_id=creditor.id or 0,
                invoice_number=invoice_number,
                issue_date=due_date,
                due_date=due_date,
                principal_cents=principal_cents,
                interest_regime=InterestRegime.NONE,
            )
        )
        session.flush()
        refresh_case_totals(session, case)
        return reference


def add_claim(
    reference: str, principal_cents: int, due_date: date, invoice_number: str = "F-2026-002"
) -> None:
    """One more invoice on the case (new debt after a plan was paid up)."""
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        session.add(
            Claim(
                case_id=case.id or 0,
                creditor_id=case.creditor_id,
                invoice_number=invoice_number,
                issue_date=due_date,
                due_date=due_date,
                principal_cents=principal_cents,
                interest_regime=InterestRegime.NONE,
            )
        )
        session.flush()
        refresh_case_totals(session, case)


_ADMINS: dict[str, Actor] = {}


def admin_per_database() -> Actor:
    """One admin per database: hypothesis reuses a test function's database across its
    examples, so the admin is created once per database."""
    from case_core.kernel.config import database_url
    from tests.conftest import make_admin

    url = database_url()
    if url not in _ADMINS:
        _ADMINS[url] = make_admin()
    return _ADMINS[url]
