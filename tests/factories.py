"""Test data, built the way a user builds it: through the real services (intake, payments,
plans, journal), so that every row, figure, version and audit event is the one the app
would write.

One signature per thing: `make_case` for a case with its parties and invoices (its phase,
next action, written-only flag), `add_claim`, `pay`, `reverse`. `raw_case` and
`raw_payment` alone write rows straight to the database, for the money-engine tests that
need claim fields no form sets (contractual rates, judgment dates, a creditor who is a
natural person…).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import select

from case_core.cases.intake import CaseInput, CaseView, ClaimInput, FileInput, create_case
from case_core.cases.intake import add_claim as add_claim_service
from case_core.cases.lifecycle import change_phase, close_case, set_next_action
from case_core.cases.parties import PartyInput
from case_core.cases.references import next_references
from case_core.cases.totals import refresh_case_totals
from case_core.journal.contacts import (
    set_written_contact_only,
)
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, session_scope
from case_core.kernel.seeding import shipped_rates
from case_core.models import (
    Case,
    Claim,
    ClosureReason,
    DebtorKind,
    DocumentKind,
    InterestRegime,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    Phase,
)
from case_core.payments.service import (
    PaymentInput,
    PaymentView,
    record_payment,
    reverse_payment,
)
from case_core.statement.rates import RatePeriod, RateTable

# Valid SIRENs (Luhn key checked by python-stdnum).
CREDITOR_SIREN = "732829320"
DEBTOR_SIREN = "552100554"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# A consumer case bearing no interest: its balance is its principal, whatever the day.
NO_INTEREST: dict[str, object] = {"kind": DebtorKind.CONSUMER, "regime": InterestRegime.NONE}

# An invoice as typed in the intake form: number, issue date, due date, amount.
Invoice = tuple[str, str, str, str]
DEFAULT_INVOICE: Invoice = ("F-001", "01/03/2026", "31/03/2026", "1 234,56")


# ---- actors ----------------------------------------------------------------------------

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


# ---- parties ----------------------------------------------------------------------------


def creditor_input(name: str = "Fournitures Durand SAS", siren: str = CREDITOR_SIREN) -> PartyInput:
    return PartyInput(
        kind=PartyKind.COMPANY,
        company_name=name,
        siren=siren,
        address_line1="3 quai Saint-Antoine",
        postcode="69002",
        city="Lyon",
    )


def company_debtor(
    name: str = "Bâtiment Martin SARL",
    siren: str | None = DEBTOR_SIREN,
    email: str | None = "compta@martin.fr",
    phone: str | None = "06 12 34 56 78",
    postcode: str = "75011",
) -> PartyInput:
    return PartyInput(
        kind=PartyKind.COMPANY,
        company_name=name,
        siren=siren,
        email=email,
        phone=phone,
        postcode=postcode,
        city="Paris",
        address_line1="12 rue de la Roquette",
    )


def person_debtor(last: str = "Dupont", first: str = "Jeanne", **kw: str) -> PartyInput:
    return PartyInput(kind=PartyKind.PERSON, last_name=last, first_name=first, **kw)


def pdf_file(name: str = "facture.pdf") -> FileInput:
    return FileInput(name, PDF, DocumentKind.INVOICE)


# ---- cases ------------------------------------------------------------------------------


def make_case(
    actor: Actor,
    *,
    invoices: Sequence[Invoice] | None = None,
    principal_cents: int | None = None,
    due_date: date | None = None,
    invoice_number: str = "F-001",
    regime: InterestRegime | None = None,
    kind: DebtorKind = DebtorKind.PROFESSIONAL,
    debtor: PartyInput | str | None = None,
    debtor_id: int | None = None,
    creditor: PartyInput | str | None = None,
    creditor_id: int | None = None,
    files: Sequence[FileInput] = (),
    assignee_id: int | None = None,
    phase: Phase = Phase.AMIABLE,
    written_only: bool = False,
    next_action_date: date | None = None,
    stored: Mapping[str, object] | None = None,
    confirm_duplicate: bool = True,
) -> CaseView:
    """A case opened through the intake form's service.

    Its invoices are either `invoices` as typed in the form, or one invoice of
    `principal_cents` (1 200,00 €) due on `due_date` (01/10/2025, issued the same day), or
    DEFAULT_INVOICE. A debtor
    given by name is a company, or a person (« NOM Prénom ») for a consumer case; a creditor
    given by name is a company. `phase`, `written_only` and `next_action_date` are then set
    through their services, as a collector or a manager would. `stored` writes figures
    straight onto the case row (raw, on purpose: a limitation date or a last contact that
    a worklist test needs whatever the history)."""
    if invoices is not None:
        claims = [
            ClaimInput(n, i, d, a, "Prestation de maintenance", regime) for n, i, d, a in invoices
        ]
    elif principal_cents is not None or due_date is not None:
        due = due_date or date(2025, 10, 1)
        cents = 120_000 if principal_cents is None else principal_cents
        claims = [_claim(invoice_number, due, cents, regime)]
    else:
        n, i, d, a = DEFAULT_INVOICE
        claims = [ClaimInput(invoice_number or n, i, d, a, "Prestation de maintenance", regime)]
    view = create_case(
        actor,
        CaseInput(
            debtor_kind=kind,
            claims=claims,
            creditor_id=creditor_id,
            creditor=None if creditor_id else _creditor(creditor),
            debtor_id=debtor_id,
            debtor=None if debtor_id else _debtor(debtor, kind),
            files=list(files),
            assignee_id=assignee_id,
            confirm_duplicate=confirm_duplicate,
        ),
    )
    for step in _PHASE_STEPS[phase]:
        change_phase(actor, view.reference, step, None)
    if phase == Phase.CLOSED:
        close_case(actor, view.reference, ClosureReason.DROPPED, None, None)
    if written_only:
        set_written_contact_only(actor, view.reference, True)
    if next_action_date is not None:
        set_next_action(actor, view.reference, next_action_date, None, None)
    if stored:
        with session_scope() as session:
            row = session.exec(select(Case).where(Case.reference == view.reference)).one()
            for name, value in stored.items():
                setattr(row, name, value)
            session.add(row)
    return view


# How a new case reaches each phase through the lifecycle service.
_PHASE_STEPS: dict[Phase, tuple[Phase, ...]] = {
    Phase.AMIABLE: (),
    Phase.PRE_CONTENTIEUX: (Phase.PRE_CONTENTIEUX,),
    Phase.MEDIATION: (Phase.MEDIATION,),
    Phase.CONTENTIEUX: (Phase.PRE_CONTENTIEUX, Phase.CONTENTIEUX),
    Phase.CLOSED: (),
}


def _creditor(creditor: PartyInput | str | None) -> PartyInput:
    if isinstance(creditor, PartyInput):
        return creditor
    return creditor_input(creditor) if creditor else creditor_input()


def _debtor(debtor: PartyInput | str | None, kind: DebtorKind) -> PartyInput:
    if isinstance(debtor, PartyInput):
        return debtor
    if kind == DebtorKind.CONSUMER:
        last, _, first = (debtor or "DUPONT Jeanne").partition(" ")
        address = {"address_line1": "3 rue des Lilas", "postcode": "69003", "city": "Lyon"}
        return person_debtor(last, first or "Jeanne", **address)
    return company_debtor(debtor) if debtor else company_debtor()


def add_claim(
    actor: Actor,
    reference: str,
    principal_cents: int,
    due_date: date,
    invoice_number: str = "F-002",
    regime: InterestRegime | None = None,
) -> CaseView:
    """One more invoice on the case, added as on the case page."""
    claim = _claim(invoice_number, due_date, principal_cents, regime)
    return add_claim_service(actor, reference, claim, None)


def _claim(number: str, due: date, cents: int, regime: InterestRegime | None) -> ClaimInput:
    return ClaimInput(
        number, due, due, None, "Prestation de maintenance", regime, principal_cents=cents
    )


def case_row(reference: str) -> Case:
    """The stored case, figures included."""
    with read_session() as session:
        return session.exec(select(Case).where(Case.reference == reference)).one()


# ---- money ------------------------------------------------------------------------------


def pay(
    actor: Actor,
    reference: str,
    on: date,
    cents: int,
    ref: str | None = None,
    method: PaymentMethod = PaymentMethod.TRANSFER,
    today: date | None = None,
) -> PaymentView:
    """A payment booked on the case's payment form (a repeated one accepted)."""
    return record_payment(
        actor,
        reference,
        PaymentInput(on, cents, method, ref),
        confirm_duplicate=True,
        today=today or on,
    )


def reverse(actor: Actor, payment_id: int, on: date, reason: str = "Chèque impayé") -> int:
    """A payment that did not go through, reversed as a manager does; the reversal's id."""
    return reverse_payment(actor, payment_id, on=on, reason=reason, today=on).id


# ---- rates ------------------------------------------------------------------------------


def shipped_table() -> RateTable:
    """The rate table the app ships, in memory."""
    return RateTable(
        RatePeriod(r.kind, r.period_start, r.period_end, r.rate_bp, r.source)
        for r in shipped_rates()
    )


# ---- raw rows, on purpose ---------------------------------------------------------------


def raw_case(
    debtor_kind: DebtorKind = DebtorKind.PROFESSIONAL,
    claims: list[dict[str, Any]] | None = None,
    formal_notice_date: date | None = None,
    insolvency: bool = False,
    creditor_professional: bool = True,
    creditor_person: bool = False,
) -> tuple[str, list[int]]:
    """A case with its claims (dicts of Claim fields) written straight to the database, for
    the money-engine tests; returns its reference and claim ids."""
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
            creditor_id=creditor.id or 0,
            debtor_id=debtor.id or 0,
            debtor_kind=debtor_kind,
            formal_notice_date=formal_notice_date,
            insolvency_proceedings=insolvency,
            creditor_professional=creditor_professional,
        )
        session.add(case)
        session.flush()
        ids = []
        for n, given in enumerate(claims or [], start=1):
            fields = dict(given)
            claim = Claim(
                case_id=case.id or 0,
                creditor_id=creditor.id or 0,
                invoice_number=fields.pop("invoice_number", f"F-{reference}-{n}"),
                issue_date=fields.pop("issue_date", date(2025, 1, 1)),
                interest_regime=fields.pop(
                    "interest_regime",
                    InterestRegime.LEGAL if person else InterestRegime.L441_10,
                ),
                **fields,
            )
            session.add(claim)
            session.flush()
            ids.append(claim.id or 0)
        refresh_case_totals(session, case)
    return reference, ids


def raw_payment(case_reference: str, received_on: date, amount_cents: int, **fields: Any) -> int:
    """A payment row written straight to the database (see raw_case)."""
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.reference == case_reference)).one()
        payment = Payment(
            case_id=case.id or 0,
            received_on=received_on,
            amount_cents=amount_cents,
            **fields,
        )
        session.add(payment)
        session.flush()
        refresh_case_totals(session, case)
        return payment.id or 0
