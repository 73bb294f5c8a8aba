"""Realistic French demo data: creditors, person and company debtors, invoices over the
last three years, some payments. Reproducible with a seed; bulk-inserted so that
100 000 cases take a minute, not an hour."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import insert
from sqlmodel import Session, SQLModel, select
from stdnum import luhn

from case_core.accounts.auth import hash_password, insert_user
from case_core.cases.references import next_references
from case_core.cases.totals import build_search_text
from case_core.demo.history import DemoCase, HistoryTotals, insert_history
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.bulk import insert_returning_ids
from case_core.kernel.db import refresh_planner_statistics
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import UnitOfWork, change
from case_core.mediation.demo import add_demo_mediations
from case_core.models import (
    Case,
    Claim,
    ClosureReason,
    DebtorKind,
    InterestRegime,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    Phase,
    Role,
    User,
    utcnow,
)
from case_core.models.sealed import iban_digest
from case_core.statement.limitation import ClaimMark, PaymentMark, case_limitation_date

DEMO_PASSWORD = "demo-casedesk"
DEMO_USERS = [
    ("admin@demo.casedesk.fr", "Adèle Administratrice", Role.ADMIN),
    ("manager@demo.casedesk.fr", "Mathilde Responsable", Role.MANAGER),
    ("claire@demo.casedesk.fr", "Claire Recouvrement", Role.COLLECTOR),
    ("hugo@demo.casedesk.fr", "Hugo Recouvrement", Role.COLLECTOR),
    ("ines@demo.casedesk.fr", "Inès Recouvrement", Role.COLLECTOR),
    ("marc@demo.casedesk.fr", "Marc Médiateur", Role.MEDIATOR),
    ("lea@demo.casedesk.fr", "Léa Lecture", Role.VIEWER),
]
CHUNK = 2000
PHASE_WEIGHTS = {
    Phase.AMIABLE: 55,
    Phase.PRE_CONTENTIEUX: 20,
    Phase.MEDIATION: 8,
    Phase.CONTENTIEUX: 7,
    Phase.CLOSED: 10,
}


@dataclass(frozen=True)
class DemoSummary:
    creditors: int
    debtors: int
    cases: int
    claims: int
    payments: int
    users_created: int
    mediations: int = 0
    history: HistoryTotals = field(default_factory=HistoryTotals)


def _siret(rng: random.Random, siren: str) -> str:
    body = siren + f"{rng.randint(1, 999):04d}"
    return body + luhn.calc_check_digit(body)


# Faker is slow (a company with its address, phone and IBAN took over a millisecond): the
# debtors are drawn from pools of Faker's names, addresses and IBANs, built once per seed.
POOL = 1500
COMPANY_SUFFIXES = ["SARL", "SAS", "SA", "et Fils", "Associés", "Services", "Bâtiment", "Conseil"]
EMAIL_PROVIDERS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "yahoo.fr"]


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in plain).strip("-")


class _Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.today = today
        # The history draws from its own generator: the cases stay those of the seed.
        self.history_rng = random.Random(seed + 1)
        self.history = HistoryTotals()
        fake = self.fake
        self.first_names = [fake.first_name() for _ in range(POOL)]
        self.last_names = [fake.last_name() for _ in range(POOL)]
        self.addresses = [
            (fake.street_address(), fake.postcode(), fake.city()) for _ in range(POOL)
        ]
        self.ibans = [fake.iban() for _ in range(POOL)]

    def address(self) -> dict[str, Any]:
        street, postcode, city = self.rng.choice(self.addresses)
        return {"address_line1": street, "postcode": postcode, "city": city, "country": "FR"}

    def phone(self) -> str:
        # A French mobile number in an allocated range (06 then 0-2 or 4-8: see the
        # numbering plan in phonenumbers' metadata), drawn without parsing each one.
        return f"+336{self.rng.choice('0124578')}{self.rng.randint(0, 9_999_999):07d}"

    def siren(self) -> str:
        body = f"{self.rng.randint(10_000_000, 99_999_999)}"
        return body + luhn.calc_check_digit(body)

    def bank(self, iban: str | None) -> dict[str, Any]:
        # Inserted in bulk, past the ORM's flush events that keep the digest otherwise.
        return {"iban": iban, "iban_digest": iban_digest(iban)}

    def company(self) -> dict[str, Any]:
        rng = self.rng
        last = rng.choice(self.last_names)
        if rng.random() < 0.3:
            name = f"{last} et {rng.choice(self.last_names)}"
        else:
            name = f"{last} {rng.choice(COMPANY_SUFFIXES)}"
        siren = self.siren()
        return {
            "kind": PartyKind.COMPANY,
            "display_name": name,
            "company_name": name,
            "siren": siren,
            "siret": _siret(rng, siren),
            "vat_number": f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}",
            "email": f"compta@{_slug(name)}.fr",
            "phone": self.phone(),
            **self.bank(rng.choice(self.ibans)),
            **self.address(),
        }

    def person(self) -> dict[str, Any]:
        rng = self.rng
        first, last = rng.choice(self.first_names), rng.choice(self.last_names)
        email = f"{_slug(first)}.{_slug(last)}{rng.randint(1, 999)}@{rng.choice(EMAIL_PROVIDERS)}"
        return {
            "kind": PartyKind.PERSON,
            "display_name": f"{last.upper()} {first}",
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": self.phone(),
            **self.bank(rng.choice(self.ibans) if rng.random() < 0.5 else None),
            **self.address(),
        }

    def amount_cents(self, professional: bool) -> int:
        median = 2400_00 if professional else 450_00
        cents = int(self.rng.lognormvariate(0, 0.9) * median)
        return max(30_00, min(cents, 95_000_00))

    def claims(self, professional: bool, n: int, earliest: date) -> list[dict[str, Any]]:
        out = []
        span = (self.today - earliest).days
        for _ in range(n):
            issue = earliest + timedelta(days=self.rng.randint(0, max(span - 40, 1)))
            due = issue + timedelta(
                days=self.rng.choice([30, 45, 60] if professional else [15, 30])
            )
            out.append(
                {
                    "issue_date": issue,
                    "due_date": due,
                    "principal_cents": self.amount_cents(professional),
                    "description": self.rng.choice(
                        [
                            "Prestation de maintenance",
                            "Fourniture de matériel",
                            "Abonnement annuel",
                            "Travaux de rénovation",
                            "Formation professionnelle",
                            "Location de véhicule",
                            "Honoraires de conseil",
                        ]
                    ),
                    "interest_regime": InterestRegime.L441_10
                    if professional
                    else InterestRegime.LEGAL,
                }
            )
        return sorted(out, key=lambda c: c["due_date"])


def _ensure_demo_users(session: Session, actor: Actor) -> tuple[list[int], int]:
    created = 0
    collector_ids: list[int] = []
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role in DEMO_USERS:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = insert_user(session, actor, email, name, role, password_hash=password_hash)
            created += 1
        if role == Role.COLLECTOR:
            assert user.id is not None
            collector_ids.append(user.id)
    return collector_ids, created


def _insert_returning_ids(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]]
) -> list[int]:
    return insert_returning_ids(session, model, rows)


def generate_demo(
    actor: Actor,
    cases: int,
    seed: int = 2026,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Insert `cases` demo cases (with creditors, debtors, claims, payments) in one transaction."""
    require(actor, Perm.USERS_MANAGE)
    if cases < 0:
        raise ValueError("cases must be >= 0")
    gen = _Generator(seed, today or date.today())
    rng = gen.rng
    with change(actor, Perm.USERS_MANAGE, "demo.generate") as uow:
        session = uow.session
        collector_ids, users_created = _ensure_demo_users(session, actor)
        creditor_rows = [gen.company() for _ in range(max(3, min(12, cases // 2000 + 3)))]
        creditor_ids = _insert_returning_ids(session, Party, creditor_rows)
        creditors = [Party(id=i, **row) for i, row in zip(creditor_ids, creditor_rows, strict=True)]
        totals = {"debtors": 0, "claims": 0, "payments": 0}
        done = 0
        while done < cases:
            n = min(CHUNK, cases - done)
            _insert_chunk(uow, gen, rng, n, creditors, collector_ids, totals)
            done += n
            if progress:
                progress(done, cases)
        uow.event(
            audit.PendingEvent(
                "demo.generate",
                "demo",
                None,
                {
                    "cases": {"before": None, "after": cases},
                    "seed": {"before": None, "after": seed},
                },
            )
        )
    # Mediations go through their services (each its own write), once the cases exist.
    mediations = add_demo_mediations(gen.today, seed)
    refresh_planner_statistics()
    return DemoSummary(
        mediations=mediations,
        creditors=len(creditor_rows),
        debtors=totals["debtors"],
        cases=cases,
        claims=totals["claims"],
        payments=totals["payments"],
        users_created=users_created,
        history=gen.history,
    )


def _insert_chunk(
    uow: UnitOfWork,
    gen: _Generator,
    rng: random.Random,
    n: int,
    creditors: list[Party],
    collector_ids: list[int],
    totals: dict[str, int],
) -> None:
    session = uow.session
    debtor_rows = [gen.company() if rng.random() < 0.6 else gen.person() for _ in range(n)]
    debtor_ids = _insert_returning_ids(session, Party, debtor_rows)
    totals["debtors"] += n
    refs = next_references(session, gen.today.year, n)
    earliest = gen.today - timedelta(days=3 * 365)
    case_rows: list[dict[str, Any]] = []
    claim_sets: list[list[dict[str, Any]]] = []
    payment_sets: list[list[dict[str, Any]]] = []
    now = utcnow()
    for i in range(n):
        debtor = Party(id=debtor_ids[i], **debtor_rows[i])
        creditor = rng.choice(creditors)
        professional = debtor.kind == PartyKind.COMPANY or rng.random() < 0.05
        # About 2.5 invoices a case, as a real portfolio (250 000 for 100 000 cases).
        count = rng.choices([1, 2, 3, 4, 5, 6], [30, 25, 20, 12, 8, 5])[0]
        claims = gen.claims(professional, count, earliest)
        for j, claim in enumerate(claims):
            claim["invoice_number"] = f"F{claim['issue_date']:%Y}-{refs[i][5:]}{j + 1:02d}"
            claim["creditor_id"] = creditor.id
        principal = sum(c["principal_cents"] for c in claims)
        payments = []
        # Most debtors pay something on account, often more than once.
        if rng.random() < 0.6:
            for k in range(rng.choice([1, 1, 2, 3])):
                paid_on = claims[0]["due_date"] + timedelta(days=rng.randint(10, 200) + 30 * k)
                if paid_on < gen.today:
                    payments.append(
                        {
                            "received_on": paid_on,
                            "amount_cents": max(1, principal * rng.randint(5, 20) // 100),
                            "method": rng.choice(list(PaymentMethod)),
                            "reference": f"VIR {refs[i]}-{k + 1}",
                            "created_at": now,
                        }
                    )
        phase = rng.choices(list(PHASE_WEIGHTS), list(PHASE_WEIGHTS.values()))[0]
        closure = None
        if phase == Phase.CLOSED:
            # A case closed as paid has received what it was owed; others were settled
            # or written off with a balance left.
            closure = rng.choices(
                [ClosureReason.PAID, ClosureReason.SETTLED, ClosureReason.WRITTEN_OFF], [7, 2, 1]
            )[0]
            if closure == ClosureReason.PAID:
                last_due = claims[-1]["due_date"]
                payments.append(
                    {
                        "received_on": min(
                            gen.today, last_due + timedelta(days=rng.randint(5, 90))
                        ),
                        "amount_cents": principal - sum(p["amount_cents"] for p in payments),
                        "method": PaymentMethod.TRANSFER,
                        "reference": f"SOLDE {refs[i]}",
                        "created_at": now,
                    }
                )
        paid = sum(p["amount_cents"] for p in payments)
        oldest_due = claims[0]["due_date"]
        formal_notice = None
        if phase in (Phase.PRE_CONTENTIEUX, Phase.CONTENTIEUX, Phase.MEDIATION):
            formal_notice = min(gen.today, oldest_due + timedelta(days=rng.randint(30, 120)))
        case_rows.append(
            {
                "reference": refs[i],
                "creditor_id": creditor.id,
                "debtor_id": debtor.id,
                "debtor_kind": DebtorKind.PROFESSIONAL if professional else DebtorKind.CONSUMER,
                "creditor_professional": True,
                "phase": phase,
                "closure_reason": closure,
                "closed_at": now if phase == Phase.CLOSED else None,
                "assignee_id": rng.choice(collector_ids) if rng.random() < 0.9 else None,
                "next_action_date": (
                    gen.today + timedelta(days=rng.randint(-10, 20))
                    if phase != Phase.CLOSED and rng.random() < 0.6
                    else None
                ),
                "formal_notice_date": formal_notice,
                "formal_notice_deadline": formal_notice + timedelta(days=8)
                if formal_notice
                else None,
                "principal_cents": principal,
                "paid_cents": paid,
                "balance_cents": principal - paid,
                "oldest_due_date": oldest_due,
                "limitation_date": case_limitation_date(
                    [ClaimMark(c["due_date"], c["principal_cents"]) for c in claims],
                    [PaymentMark(None, p["received_on"], p["amount_cents"]) for p in payments],
                    (),
                    DebtorKind.PROFESSIONAL if professional else DebtorKind.CONSUMER,
                ),
                "search_text": build_search_text(
                    refs[i], debtor, [c["invoice_number"] for c in claims], creditor
                ),
                "created_at": now,
                "updated_at": now,
            }
        )
        claim_sets.append(claims)
        payment_sets.append(payments)
    case_ids = _insert_returning_ids(session, Case, case_rows)
    claim_rows = [
        {**c, "case_id": cid}
        for cid, claims in zip(case_ids, claim_sets, strict=True)
        for c in claims
    ]
    payment_rows = [
        {**p, "case_id": cid}
        for cid, pays in zip(case_ids, payment_sets, strict=True)
        for p in pays
    ]
    session.execute(insert(Claim), claim_rows)
    if payment_rows:
        session.execute(insert(Payment), payment_rows)
    totals["claims"] += len(claim_rows)
    totals["payments"] += len(payment_rows)
    insert_history(
        session,
        gen.history_rng,
        gen.today,
        collector_ids,
        _demo_cases(case_ids, case_rows, claim_sets, payment_sets),
        gen.history,
    )
    # Each demo case has its creation in its history, like a case typed in by hand.
    for pending in [
        audit.PendingEvent(
            "case.create",
            "case",
            cid,
            {
                "reference": {"before": None, "after": row["reference"]},
                "principal_cents": {"before": None, "after": row["principal_cents"]},
                "source": {"before": None, "after": "démonstration"},
            },
            case_id=cid,
        )
        for cid, row in zip(case_ids, case_rows, strict=True)
    ]:
        uow.event(pending)


def _demo_cases(
    case_ids: list[int],
    case_rows: list[dict[str, Any]],
    claim_sets: list[list[dict[str, Any]]],
    payment_sets: list[list[dict[str, Any]]],
) -> list[DemoCase]:
    """What demo.history needs of the cases just inserted."""
    return [
        DemoCase(
            id=cid,
            reference=row["reference"],
            phase=row["phase"],
            debtor_kind=row["debtor_kind"],
            assignee_id=row["assignee_id"],
            balance_cents=row["balance_cents"],
            paid_cents=row["paid_cents"],
            formal_notice_date=row["formal_notice_date"],
            claim_marks=[ClaimMark(c["due_date"], c["principal_cents"]) for c in claims],
            has_payments=bool(payments),
            payment_marks=[
                PaymentMark(None, p["received_on"], p["amount_cents"]) for p in payments
            ],
        )
        for cid, row, claims, payments in zip(
            case_ids, case_rows, claim_sets, payment_sets, strict=True
        )
    ]
