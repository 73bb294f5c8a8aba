"""Fuzz: parties, invoices, payments, contacts and promises, costs, next actions, plans.

Every generated value is stored and read back exactly or refused with a CaseError, and a
refusal changes no table (see strategies.stored_or_refused). On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from case_core.cases.costs import record_recovery_cost
from case_core.cases.intake import ClaimInput
from case_core.cases.lifecycle import set_next_action
from case_core.cases.parties import PartyInput, add_party
from case_core.journal.contacts import ContactInput, log_contact
from case_core.journal.promises import PromiseItemInput
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.models import (
    Case,
    Channel,
    Claim,
    ContactEvent,
    ContactOutcome,
    CostBearer,
    DebtorKind,
    Party,
    PartyKind,
    PromiseItem,
    RecoveryCost,
)
from case_core.payments.service import PaymentInput, record_payment
from case_core.plans.proposals import Proposal
from case_core.plans.service import cancel_plan, propose_plan
from tests.factories import creditor_input, make_case
from tests.fuzz.strategies import (
    field_amounts,
    field_dates,
    field_text,
    fuzz,
    kept,
    stored_or_refused,
    typed_dates,
)

TODAY = date(2026, 6, 1)
# Promises and next actions look ahead from the real today.
AHEAD = st.one_of(
    st.dates(
        min_value=today_paris() + timedelta(days=1), max_value=today_paris() + timedelta(days=90)
    ),
    field_dates,
)


def _row(model: Any, ident: int) -> Any:
    with read_session() as session:
        return session.get(model, ident)


def _case(reference: str) -> Case:
    with read_session() as session:
        return session.exec(select(Case).where(Case.reference == reference)).one()


def test_fuzz_party_text(admin: Actor) -> None:
    @fuzz
    @given(name=field_text, address=field_text, city=field_text)
    def run(name: str, address: str, city: str) -> None:
        data = PartyInput(
            kind=PartyKind.COMPANY, company_name=name, address_line1=address, city=city
        )

        def read(summary: Any) -> tuple[Any, ...]:
            party = _row(Party, summary.id)
            return party.company_name, party.address_line1, party.city

        stored_or_refused(
            lambda: add_party(admin, data),
            read,
            (kept(name), kept(address), kept(city)),
            {"parties"},
        )

    run()


def test_fuzz_invoice_intake(admin: Actor) -> None:
    creditor = add_party(admin, creditor_input())

    @fuzz
    @given(number=field_text, issued=typed_dates, description=field_text, amount=field_amounts)
    def run(number: str, issued: str, description: str, amount: Any) -> None:
        claim = ClaimInput(number, issued, "31/12/2026", None, description, principal_cents=amount)

        def write() -> Any:
            from case_core.cases.intake import CaseInput, create_case
            from tests.factories import company_debtor

            return create_case(
                admin,
                CaseInput(
                    debtor_kind=DebtorKind.PROFESSIONAL,
                    claims=[claim],
                    creditor_id=creditor.id,
                    debtor=company_debtor(siren=None),
                    confirm_duplicate=True,
                ),
            )

        def read(view: Any) -> tuple[Any, ...]:
            with read_session() as session:
                row = session.exec(select(Claim).where(Claim.case_id == view.id)).one()
            return row.invoice_number, row.description, row.principal_cents, row.issue_date

        accepted = stored_or_refused(
            write,
            read,
            (kept(number), kept(description), amount, _typed(issued)),
            {"cases", "claims", "parties", "reference_counters"},
        )
        if accepted:
            assert isinstance(amount, int) and amount > 0

    run()


def _typed(text: str) -> date | None:
    from case_core.kernel.dates import parse_date

    try:
        return parse_date(text)
    except Exception:
        return None


def _euros(amount: Any) -> int | None:
    """Costs take euros (a number or a text as typed), like a form."""
    from case_core.kernel.money import parse_amount

    try:
        return parse_amount(amount)
    except Exception:
        return None


def test_fuzz_payments(admin: Actor) -> None:
    reference = make_case(
        admin, invoices=[("F-1", "01/01/2026", "31/01/2026", "900 000,00")]
    ).reference

    @fuzz
    @given(
        amount=field_amounts, day=field_dates, ref=field_text, note=field_text, reason=field_text
    )
    def run(amount: Any, day: date, ref: str, note: str, reason: str) -> None:
        data = PaymentInput(received_on=day, amount_cents=amount, reference=ref, note=note)

        def read(view: Any) -> tuple[Any, ...]:
            from case_core.models import Payment

            row = _row(Payment, view.id)
            return row.amount_cents, row.received_on, row.reference, row.note

        booked: list[Any] = []

        def book() -> Any:
            booked.append(
                record_payment(admin, reference, data, confirm_duplicate=True, today=TODAY)
            )
            return booked[0]

        if not stored_or_refused(
            book, read, (amount, day, kept(ref), kept(note)), {"payments", "cases"}
        ):
            return
        from case_core.models import Payment
        from case_core.payments.service import reverse_payment

        stored_or_refused(
            lambda: reverse_payment(admin, booked[0].id, reason=reason, today=TODAY),
            lambda view: _row(Payment, view.id).note,
            kept(reason),
            {"payments", "cases"},
        )

    run()


def test_fuzz_contacts_and_promises(admin: Actor) -> None:
    reference = make_case(admin).reference

    @fuzz
    @given(note=field_text, next_action=field_text, amount=field_amounts, day=AHEAD)
    def run(note: str, next_action: str, amount: Any, day: date) -> None:
        data = ContactInput(
            Channel.EMAIL_OUT,
            ContactOutcome.PROMISE,
            note=note,
            next_action=next_action,
            next_action_date=today_paris() + timedelta(days=7),
            promise_items=[PromiseItemInput(amount_cents=amount, due_date=day)],
        )

        def read(view: Any) -> tuple[Any, ...]:
            event = _row(ContactEvent, view.id)
            with read_session() as session:
                items = session.exec(select(PromiseItem).order_by(PromiseItem.id.desc())).first()  # type: ignore[union-attr]
            assert items is not None
            return event.note, event.next_action, items.amount_cents, items.due_date

        stored_or_refused(
            lambda: log_contact(admin, reference, data),
            read,
            (kept(note), kept(next_action), amount, day),
            {"contact_events", "cases", "promises", "promise_items"},
        )

    run()


def test_fuzz_costs_and_next_actions(admin: Actor) -> None:
    reference = make_case(admin).reference

    @fuzz
    @given(label=field_text, amount=field_amounts, day=field_dates, ahead=AHEAD, note=field_text)
    def run(label: str, amount: Any, day: date, ahead: date, note: str) -> None:
        stored_or_refused(
            lambda: record_recovery_cost(admin, reference, day, label, amount, CostBearer.CREDITOR),
            lambda view: (lambda c: (c.label, c.amount_cents, c.incurred_on))(
                _row(RecoveryCost, view.id)
            ),
            (kept(label), _euros(amount), day),
            {"recovery_costs", "cases"},
        )
        version = _case(reference).version
        stored_or_refused(
            lambda: set_next_action(admin, reference, ahead, note, version),
            lambda _state: (lambda c: (c.next_action_date, c.next_action_note))(_case(reference)),
            (ahead, kept(note)),
            {"cases"},
        )

    run()


def test_fuzz_plans(admin: Actor) -> None:
    reference = make_case(admin).reference

    @fuzz
    @given(
        first=st.one_of(st.dates(min_value=TODAY, max_value=date(2027, 6, 1)), field_dates),
        count=st.one_of(st.integers(1, 24), st.integers(-5, 300), st.sampled_from([10**9])),
        rate=st.one_of(st.integers(0, 2000), st.sampled_from([-1, 2001, 1_000_000, 2**63])),
        reason=field_text,
        accepted_by=st.one_of(st.none(), field_text),
    )
    def run(first: date, count: int, rate: int, reason: str, accepted_by: str | None) -> None:
        proposal = Proposal(basis_date=TODAY, first_due_date=first, count=count, rate_bp=rate)
        from case_core.models import InstalmentPlan

        accepted = stored_or_refused(
            lambda: propose_plan(admin, reference, proposal),
            lambda view: (lambda p: (p.instalment_count, p.rate_bp))(_row(InstalmentPlan, view.id)),
            (count, rate),
            {"instalment_plans", "instalments", "cases"},
        )
        if not accepted:
            return
        with read_session() as session:
            plan = session.exec(
                select(InstalmentPlan).order_by(InstalmentPlan.id.desc())  # type: ignore[union-attr]
            ).first()
        assert plan is not None
        if accepted_by is not None:
            from case_core.plans.service import AcceptanceChannel, accept_plan

            stored_or_refused(
                lambda: accept_plan(
                    admin,
                    plan.id,
                    expected_version=plan.version,
                    accepted_on=TODAY,
                    accepted_by=accepted_by,
                    channel=AcceptanceChannel.PHONE,
                    note=reason,
                    supersede=True,
                    today=TODAY,
                ),
                lambda _view: (lambda p: (p.accepted_by, p.acceptance_note))(
                    _row(InstalmentPlan, plan.id)
                ),
                (kept(accepted_by), kept(reason)),
                {"instalment_plans", "cases"},
            )
            return
        stored_or_refused(
            lambda: cancel_plan(admin, plan.id, expected_version=plan.version, reason=reason),
            lambda _view: _row(InstalmentPlan, plan.id).cancel_reason,
            kept(reason),
            {"instalment_plans", "cases"},
        )

    run()
