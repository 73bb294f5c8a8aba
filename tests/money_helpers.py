"""Building cases, claims and payments straight in the database, and the shipped rate
table in memory, for the money-engine tests."""

from __future__ import annotations

from datetime import date

from case_core.cases.references import next_references
from case_core.cases.totals import refresh_case_totals
from case_core.kernel.db import session_scope
from case_core.kernel.seeding import shipped_rates
from case_core.models import (
    Case,
    Claim,
    DebtorKind,
    InterestRegime,
    Party,
    PartyKind,
    Payment,
)
from case_core.statement.rates import RatePeriod, RateTable


def shipped_table() -> RateTable:
    return RateTable(
        RatePeriod(r.kind, r.period_start, r.period_end, r.rate_bp, r.source)
        for r in shipped_rates()
    )


def make_case(
    debtor_kind: DebtorKind = DebtorKind.PROFESSIONAL,
    claims: list[dict] | None = None,
    formal_notice_date: date | None = None,
    insolvency: bool = False,
    creditor_professional: bool = True,
    creditor_person: bool = False,
) -> tuple[str, list[int]]:
    """A case with its claims (dicts of Claim fields); returns its reference and claim ids."""
    with session_scope() as session:
        creditor = (
            Party(kind=PartyKind.PERSON, display_name="DUPONT Marc")
            if creditor_person
            else Party(kind=PartyKind.COMPANY, display_name="Fournitures Dupont SAS")
        )
        person = debtor_kind == DebtorKind.CONSUMER
        debtor = Party(
            kind=PartyKind.PERSON if person else PartyKind.COMPANY,
            display_name="MARTIN Julie" if person else "Bâtiment Martin SARL",
        )
        session.add(creditor)
        session.add(debtor)
        session.flush()
        (reference,) = next_references(session, 2025)
        case = Case(
            reference=reference,
            creditor_id=creditor.id,  # type: ignore[arg-type]
            debtor_id=debtor.id,  # type: ignore[arg-type]
            debtor_kind=debtor_kind,
            formal_notice_date=formal_notice_date,
            insolvency_proceedings=insolvency,
            creditor_professional=creditor_professional,
        )
        session.add(case)
        session.flush()
        ids = []
        for n, fields in enumerate(claims or [], start=1):
            claim = Claim(
                case_id=case.id,  # type: ignore[arg-type]
                creditor_id=creditor.id,  # type: ignore[arg-type]
                invoice_number=fields.pop("invoice_number", f"F-{reference}-{n}"),
                issue_date=fields.pop("issue_date", date(2025, 1, 1)),
                interest_regime=fields.pop(
                    "interest_regime",
                    InterestRegime.L441_10 if not person else InterestRegime.LEGAL,
                ),
                **fields,
            )
            session.add(claim)
            session.flush()
            ids.append(claim.id)
        refresh_case_totals(session, case)
    return reference, ids  # type: ignore[return-value]


def add_payment(case_reference: str, received_on: date, amount_cents: int, **fields: object) -> int:
    with session_scope() as session:
        from sqlmodel import select

        case = session.exec(select(Case).where(Case.reference == case_reference)).one()
        payment = Payment(
            case_id=case.id,  # type: ignore[arg-type]
            received_on=received_on,
            amount_cents=amount_cents,
            **fields,  # type: ignore[arg-type]
        )
        session.add(payment)
        session.flush()
        refresh_case_totals(session, case)
        assert payment.id is not None
        return payment.id
