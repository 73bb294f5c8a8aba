"""The demo's history: what the collectors did on the cases the builder created —
contacts by every channel and outcome, promises kept, broken and pending, disputes,
letters and formal notices (documents), plans proposed, active, completed and broken,
payments and a reversal. Bulk inserts, in the builder's transaction; a separate random
generator so that the cases drawn do not change with the history."""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from docx import Document as DocxDocument
from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel

from case_core.models import (
    Case,
    Channel,
    ContactEvent,
    ContactOutcome,
    DebtorKind,
    Dispute,
    DisputeCategory,
    Document,
    DocumentBlob,
    DocumentKind,
    Frequency,
    Instalment,
    InstalmentPlan,
    Payment,
    PaymentMethod,
    PersonReached,
    Phase,
    PlanStatus,
    Promise,
    PromiseItem,
)
from case_core.plans.status import PlanState
from case_core.statement.limitation import ClaimMark, PaymentMark, case_limitation_date

# Which outcomes each channel can have (a letter is only sent; a call may go anywhere).
OUTCOMES: dict[Channel, list[ContactOutcome]] = {
    Channel.CALL_OUT: [
        ContactOutcome.REACHED,
        ContactOutcome.NO_ANSWER,
        ContactOutcome.VOICEMAIL,
        ContactOutcome.WRONG_NUMBER,
        ContactOutcome.REFUSED,
        ContactOutcome.PAYMENT_ANNOUNCED,
        ContactOutcome.ASKED_SCHEDULE,
    ],
    Channel.CALL_IN: [
        ContactOutcome.REACHED,
        ContactOutcome.PAYMENT_ANNOUNCED,
        ContactOutcome.ASKED_SCHEDULE,
    ],
    Channel.EMAIL_OUT: [ContactOutcome.SENT],
    Channel.EMAIL_IN: [ContactOutcome.REACHED, ContactOutcome.ASKED_MEDIATION],
    Channel.SMS: [ContactOutcome.SENT],
    Channel.VISIT: [ContactOutcome.REACHED, ContactOutcome.NO_ANSWER],
    Channel.MEETING: [ContactOutcome.REACHED, ContactOutcome.ASKED_MEDIATION],
    Channel.LETTER: [ContactOutcome.SENT],
    Channel.REGISTERED_LETTER: [ContactOutcome.SENT],
}
NOBODY = {
    ContactOutcome.NO_ANSWER,
    ContactOutcome.VOICEMAIL,
    ContactOutcome.WRONG_NUMBER,
    ContactOutcome.SENT,
}
NOTES: dict[ContactOutcome, str] = {
    ContactOutcome.REACHED: "Échange avec le débiteur : il reconnaît la dette.",
    ContactOutcome.NO_ANSWER: "Pas de réponse.",
    ContactOutcome.VOICEMAIL: "Message laissé sur la messagerie.",
    ContactOutcome.WRONG_NUMBER: "Numéro attribué à une autre personne.",
    ContactOutcome.REFUSED: "Le débiteur refuse de payer sans donner de motif.",
    ContactOutcome.PAYMENT_ANNOUNCED: "Virement annoncé pour la fin de semaine.",
    ContactOutcome.ASKED_SCHEDULE: "Demande un échelonnement sur quelques mois.",
    ContactOutcome.ASKED_MEDIATION: "Souhaite une médiation.",
    ContactOutcome.SENT: "Relance envoyée.",
    ContactOutcome.PROMISE: "Promet de payer.",
    ContactOutcome.DISPUTE: "Conteste la facture.",
}
# One case in STRIDE receives each story; the rest get plain contacts.
STRIDE = 16


@dataclass
class DemoCase:
    """What the history needs of a case the builder inserted."""

    id: int
    reference: str
    phase: Phase
    debtor_kind: DebtorKind
    assignee_id: int | None
    balance_cents: int
    paid_cents: int
    formal_notice_date: date | None
    claim_marks: list[ClaimMark]
    has_payments: bool
    payment_marks: list[PaymentMark] = field(default_factory=list)
    plan_dates: list[date] = field(default_factory=list)


@dataclass
class HistoryTotals:
    contacts: int = 0
    promises: int = 0
    disputes: int = 0
    documents: int = 0
    plans: int = 0
    payments: int = 0


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=UTC)  # midday in Paris


def _docx(title: str) -> bytes:
    doc = DocxDocument()
    doc.add_heading(title, level=1)
    doc.add_paragraph(
        "Document de démonstration : le courrier réel reprend l'identité du débiteur, "
        "le décompte et les modalités de paiement."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _blob(session: Session, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    if session.get(DocumentBlob, digest) is None:
        session.add(DocumentBlob(sha256=digest, content=content))
        session.flush()
    return digest


class _History:
    def __init__(
        self, session: Session, rng: random.Random, today: date, collector_ids: list[int]
    ) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.collector_ids = collector_ids
        self.contacts: list[dict[str, Any]] = []
        self.links: list[tuple[str, int, dict[str, Any]]] = []  # (what, contact index, row)
        self.payments: list[dict[str, Any]] = []
        self.reversal_of: list[tuple[int, dict[str, Any]]] = []  # (payment index, row)
        self.plans: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        self.touched: dict[int, DemoCase] = {}
        self.reminder = _blob(session, _docx("Relance amiable"))
        self.notice = _blob(session, _docx("Mise en demeure de payer"))

    def author(self, case: DemoCase) -> int:
        return case.assignee_id or self.rng.choice(self.collector_ids)

    def contact(
        self,
        case: DemoCase,
        channel: Channel,
        outcome: ContactOutcome,
        day: date,
        **extra: Any,
    ) -> int:
        hour = self.rng.randint(7, 16)  # 9h-18h in Paris
        reached = PersonReached.NOBODY if outcome in NOBODY else PersonReached.DEBTOR
        if reached == PersonReached.DEBTOR and self.rng.random() < 0.15:
            reached = PersonReached.REPRESENTATIVE
        self.contacts.append(
            {
                "case_id": case.id,
                "occurred_at": datetime.combine(day, time(hour, self.rng.randint(0, 59)), UTC),
                "author_id": self.author(case),
                "channel": channel,
                "person_reached": reached,
                "outcome": outcome,
                "note": NOTES[outcome],
                **extra,
            }
        )
        return len(self.contacts) - 1

    def pay(self, case: DemoCase, day: date, amount: int, reference: str) -> int:
        self.payments.append(
            {
                "case_id": case.id,
                "received_on": day,
                "amount_cents": amount,
                "method": PaymentMethod.TRANSFER,
                "reference": reference,
                "created_at": _noon(day),
            }
        )
        case.paid_cents += amount
        case.balance_cents -= amount
        case.payment_marks.append(PaymentMark(None, day, amount))
        self.touched[case.id] = case
        return len(self.payments) - 1

    # -- the stories ----------------------------------------------------------------------

    def plain_contacts(self, case: DemoCase) -> None:
        # About ten contacts an open case over its last year: a million journal entries
        # for 100 000 cases, as a team working them for a while would have.
        channels = list(OUTCOMES)
        for _ in range(self.rng.randint(4, 16)):
            channel = self.rng.choice(channels)
            outcome = self.rng.choice(OUTCOMES[channel])
            self.contact(case, channel, outcome, self.today - timedelta(self.rng.randint(1, 365)))

    def promise(self, case: DemoCase, kept: bool | None) -> None:
        """kept True / False: due three weeks ago, paid or not; None: due next week."""
        made = self.today - timedelta(days=40 if kept is not None else 5)
        due = self.today - timedelta(days=21) if kept is not None else self.today + timedelta(7)
        amount = max(1, case.balance_cents // 3)
        index = self.contact(case, Channel.CALL_OUT, ContactOutcome.PROMISE, made)
        self.links.append(
            (
                "promise",
                index,
                {"case_id": case.id, "created_at": _noon(made), "items": [(due, amount)]},
            )
        )
        if kept:
            self.pay(case, due - timedelta(days=1), amount, f"VIR promesse {case.reference}")

    def dispute(self, case: DemoCase, resolved: bool) -> None:
        raised = self.today - timedelta(days=self.rng.randint(10, 40))
        index = self.contact(case, Channel.EMAIL_IN, ContactOutcome.DISPUTE, raised)
        self.links.append(
            (
                "dispute",
                index,
                {
                    "case_id": case.id,
                    "category": self.rng.choice(list(DisputeCategory)),
                    "raised_at": _noon(raised),
                    "resolved_at": _noon(raised + timedelta(days=7)) if resolved else None,
                    "resolution_note": "Justificatifs de livraison envoyés : contestation levée."
                    if resolved
                    else None,
                },
            )
        )

    def letter(self, case: DemoCase, formal: bool) -> None:
        day = (
            case.formal_notice_date
            if formal and case.formal_notice_date
            else self.today - timedelta(days=self.rng.randint(5, 45))
        )
        channel = Channel.REGISTERED_LETTER if formal else Channel.LETTER
        extra = {"registered_letter_number": f"1A{case.id:011d}"} if formal else {}
        index = self.contact(case, channel, ContactOutcome.SENT, day, **extra)
        name = "mise_en_demeure" if formal else "relance_1"
        self.links.append(
            (
                "document",
                index,
                {
                    "case_id": case.id,
                    "kind": DocumentKind.LETTER,
                    "filename": f"{name}_{case.reference}.docx",
                    "mime_type": "application/vnd.openxmlformats-officedocument"
                    ".wordprocessingml.document",
                    "sha256": self.notice if formal else self.reminder,
                    "generated": True,
                    "created_at": _noon(day),
                    "created_by_id": self.author(case),
                },
            )
        )

    def plan(self, case: DemoCase, status: PlanState) -> None:
        """Four monthly instalments of the balance; the payments make the status rule
        (plans.status) find `status`: paid up, late, broken are derived, not stored."""
        count = 4
        if status == PlanState.PROPOSED:
            basis, first = self.today - timedelta(days=3), self.today + timedelta(days=30)
        elif status == PlanState.ACTIVE:
            basis, first = self.today - timedelta(days=55), self.today - timedelta(days=50)
        else:
            basis, first = self.today - timedelta(days=130), self.today - timedelta(days=120)
        total = case.balance_cents
        share = total // count
        amounts = [share] * (count - 1) + [total - share * (count - 1)]
        dues = [first + timedelta(days=30 * k) for k in range(count)]
        accepted = basis + timedelta(days=2) if status != PlanState.PROPOSED else None
        plan = {
            "case_id": case.id,
            "status": PlanStatus.PROPOSED if accepted is None else PlanStatus.ACTIVE,
            "basis_date": basis,
            "total_cents": total,
            "instalment_count": count,
            "frequency": Frequency.MONTHLY,
            "first_due_date": first,
            "basis_principal_cents": total,
            "includes_interest": False,
            "includes_indemnity": False,
            "accepted_on": accepted,
            "accepted_by": "Le débiteur" if accepted else None,
            "acceptance_channel": "email" if accepted else None,
            "created_at": _noon(basis),
            "created_by_id": self.author(case),
            "updated_at": _noon(accepted or basis),
        }
        running = 0
        instalments: list[dict[str, Any]] = []
        for seq, (due, amount) in enumerate(zip(dues, amounts, strict=True), start=1):
            running += amount
            instalments.append(
                {"seq": seq, "due_date": due, "amount_cents": amount, "cumulative_cents": running}
            )
        paid = {PlanState.ACTIVE: 2, PlanState.COMPLETED: 4, PlanState.BROKEN: 1}.get(status, 0)
        for row in instalments[:paid]:
            self.pay(case, row["due_date"], row["amount_cents"], f"ÉCH {row['seq']}")
        if accepted:
            case.plan_dates.append(accepted)
            self.touched[case.id] = case
        self.plans.append((plan, instalments))
        self.contact(case, Channel.CALL_OUT, ContactOutcome.ASKED_SCHEDULE, basis)

    def reversal(self, case: DemoCase) -> None:
        day = self.today - timedelta(days=25)
        amount = max(1, case.balance_cents // 4)
        index = self.pay(case, day, amount, f"CHQ {case.reference}")
        self.payments[index]["method"] = PaymentMethod.CHEQUE
        back = day + timedelta(days=6)
        self.reversal_of.append(
            (
                index,
                {
                    "case_id": case.id,
                    "received_on": back,
                    "amount_cents": -amount,
                    "method": PaymentMethod.CHEQUE,
                    "reference": f"Annulation CHQ {case.reference}",
                    "note": "Chèque rejeté : provision insuffisante.",
                    "created_at": _noon(back),
                },
            )
        )
        self.pay_back(case, amount, back)

    def pay_back(self, case: DemoCase, amount: int, day: date) -> None:
        case.paid_cents -= amount
        case.balance_cents += amount
        case.payment_marks.append(PaymentMark(None, day, -amount))

    # -- writing ----------------------------------------------------------------------------

    def _stamp_last_contacts(self) -> None:
        """Each case's latest contact, the stored figure logging a contact keeps
        (journal.contacts): « Ma journée » and the dashboard read it."""
        latest: dict[int, datetime] = {}
        for row in self.contacts:
            case_id, at = row["case_id"], row["occurred_at"]
            if case_id not in latest or at > latest[case_id]:
                latest[case_id] = at
        if latest:
            self.session.execute(
                update(Case), [{"id": i, "last_contact_at": at} for i, at in latest.items()]
            )

    def flush(self, totals: HistoryTotals) -> None:
        from case_core.demo.builder import _insert_returning_ids

        session = self.session
        contact_ids = _insert_some_returning(
            session, ContactEvent, self.contacts, {index for _, index, _ in self.links}
        )
        self._stamp_last_contacts()
        promises: list[tuple[dict[str, Any], list[tuple[date, int]]]] = []
        disputes, documents = [], []
        for what, index, row in self.links:
            if what == "promise":
                items = row.pop("items")
                created_by = self.contacts[index]["author_id"]
                row |= {"contact_event_id": contact_ids[index], "created_by_id": created_by}
                promises.append((row, items))
            elif what == "dispute":
                disputes.append(
                    {
                        **row,
                        "contact_event_id": contact_ids[index],
                        "raised_by_id": self.contacts[index]["author_id"],
                    }
                )
            else:
                documents.append((index, row))
        if promises:
            ids = _insert_returning_ids(session, Promise, [p for p, _ in promises])
            session.execute(
                insert(PromiseItem),
                [
                    {"promise_id": pid, "due_date": due, "amount_cents": amount}
                    for pid, (_, items) in zip(ids, promises, strict=True)
                    for due, amount in items
                ],
            )
        if disputes:
            session.execute(insert(Dispute), disputes)
        if documents:
            sizes = {
                digest: len(session.get(DocumentBlob, digest).content)  # type: ignore[union-attr]
                for digest in {self.reminder, self.notice}
            }
            rows = [{**row, "size_bytes": sizes[row["sha256"]]} for _, row in documents]
            doc_ids = _insert_returning_ids(session, Document, rows)
            session.execute(
                update(ContactEvent),
                [
                    {"id": contact_ids[index], "document_id": doc_id}
                    for (index, _), doc_id in zip(documents, doc_ids, strict=True)
                ],
            )
        payment_ids = _insert_some_returning(
            session, Payment, self.payments, {index for index, _ in self.reversal_of}
        )
        if self.reversal_of:
            session.execute(
                insert(Payment),
                [
                    {**row, "reverses_payment_id": payment_ids[index]}
                    for index, row in self.reversal_of
                ],
            )
        if self.plans:
            plan_ids = _insert_returning_ids(session, InstalmentPlan, [p for p, _ in self.plans])
            session.execute(
                insert(Instalment),
                [
                    {**i, "plan_id": plan_id}
                    for plan_id, (_, instalments) in zip(plan_ids, self.plans, strict=True)
                    for i in instalments
                ],
            )
        if self.touched:
            session.execute(
                update(Case),
                [
                    {
                        "id": c.id,
                        "paid_cents": c.paid_cents,
                        "balance_cents": c.balance_cents,
                        "limitation_date": case_limitation_date(
                            c.claim_marks, c.payment_marks, c.plan_dates, c.debtor_kind
                        ),
                    }
                    for c in self.touched.values()
                ],
            )
        totals.contacts += len(self.contacts)
        totals.promises += len(promises)
        totals.disputes += len(disputes)
        totals.documents += len(documents)
        totals.plans += len(self.plans)
        totals.payments += len(self.payments) + len(self.reversal_of)


def _insert_some_returning(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], wanted: set[int]
) -> dict[int, int]:
    """Insert `rows`; the ids of the rows at the positions `wanted` (the ones other rows
    point to). Only those go through RETURNING, which SQLite answers one row at a time;
    the others (most of a million journal entries) are one plain multi-row INSERT."""
    from case_core.demo.builder import _insert_returning_ids

    if not rows:
        return {}
    positions = sorted(wanted)
    ids = _insert_returning_ids(session, model, [rows[i] for i in positions]) if positions else []
    rest = [row for i, row in enumerate(rows) if i not in wanted]
    if rest:
        session.execute(insert(model), rest)
    return dict(zip(positions, ids, strict=True))


PLAN_STORIES = [PlanState.PROPOSED, PlanState.ACTIVE, PlanState.COMPLETED, PlanState.BROKEN]


def insert_history(
    session: Session,
    rng: random.Random,
    today: date,
    collector_ids: list[int],
    cases: list[DemoCase],
    totals: HistoryTotals,
) -> None:
    """Give the open cases of one chunk their history (see the module docstring)."""
    history = _History(session, rng, today, collector_ids)
    for n, case in enumerate(c for c in cases if c.phase != Phase.CLOSED):
        story = n % STRIDE
        clean = not case.has_payments and case.balance_cents >= 400
        history.plain_contacts(case)
        if clean and story in (1, 2, 3):
            history.promise(case, {1: True, 2: False, 3: None}[story])
        elif story in (4, 5):
            history.dispute(case, resolved=story == 5)
        elif story in (6, 7, 8, 9, 13, 14) and case.balance_cents >= 400:
            # A third of the open cases have a plan (30 000 for 100 000 cases); a plan
            # covers the balance left after any earlier payment.
            history.plan(case, PLAN_STORIES[(story - 6) % 4 if story < 10 else story - 12])
        elif clean and story == 10:
            history.reversal(case)
        elif story in (11, 12):
            history.letter(case, formal=False)
        if case.phase == Phase.PRE_CONTENTIEUX and case.formal_notice_date and n % 2 == 0:
            history.letter(case, formal=True)
    history.flush(totals)
