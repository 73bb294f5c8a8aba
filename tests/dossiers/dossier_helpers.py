"""A full case for the dossier tests: 12 invoices with their PDFs, payments, a promise, a
broken plan, a failed mediation with confidential notes, a dispute answered, a formal notice."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from docx import Document
from sqlmodel import select

from case_core.cases.intake import FileInput
from case_core.dossiers.directory import RecipientInput, RecipientView, create_recipient
from case_core.dossiers.template import TEMPLATE_NAME
from case_core.journal.contacts import ContactInput, log_contact, resolve_dispute
from case_core.journal.promises import PromiseItemInput
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import session_scope
from case_core.letters.service import LetterKind, generate_letter
from case_core.mediation.service import end_mediation
from case_core.models import (
    Case,
    Channel,
    ContactOutcome,
    Dispute,
    DisputeCategory,
    DocumentKind,
    Instalment,
    InstalmentPlan,
    MediationOutcome,
    MediationSide,
    PlanStatus,
    RateKind,
    RecipientKind,
    Role,
)
from case_core.payments.service import PaymentInput, record_payment
from case_core.statement.rates import add_rate
from case_core.templates.store import shipped_bytes
from tests.conftest import actor_with_role
from tests.factories import PDF, make_case
from tests.letter_helpers import set_sender
from tests.mediation.helpers import held_session, open_for

# Everything a user may type: markup, template tags, quotes, newlines, emoji, a long note.
TRICKY = 'Dupont & Fils <SARL> "L\'Atelier" {{ x }} {% if %} {_{ 🙂\nseconde ligne'
LONG_NOTE = ("Appel long : " + "é&<>{{}}🙂 " * 200)[:2000]
SECRET = "CONFIDENTIEL-MEDIATION: le débiteur reconnaît devoir 9 999 €"
INVOICES = [
    (
        f"F2025-{101 + n}",
        f"0{1 + n % 9}/0{1 + n % 9}/2025",
        f"2{n % 8}/1{n % 2}/2025",
        f"{n + 1} 000,00",
    )
    for n in range(12)
]


@dataclass(frozen=True)
class FullCase:
    reference: str
    case_id: int
    recipient: RecipientView
    notes: list[str]


def add_ecb_rate(admin: Actor) -> None:
    # The second-half 2026 ECB rate is not shipped: an administrator enters it.
    add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE (essai)")


def recipient(admin: Actor, kind: RecipientKind = RecipientKind.COMMISSAIRE) -> RecipientView:
    return create_recipient(
        admin,
        RecipientInput(
            kind=kind,
            name="Me Claire Petit",
            office="SELARL Petit & Associés",
            address_line1="4 place Bellecour",
            postcode="69002",
            city="Lyon",
            email="contact@petit-cj.fr",
            phone="04 72 00 00 00",
        ),
    )


def full_case(admin: Actor) -> FullCase:
    add_ecb_rate(admin)
    set_sender(admin)
    files = [FileInput(f"{n}.pdf", PDF + n.encode(), DocumentKind.INVOICE) for n, *_ in INVOICES]
    files.append(FileInput("Conditions générales.pdf", PDF + b"cgv", DocumentKind.CONTRACT))
    view = make_case(admin, invoices=INVOICES, files=files)
    ref = view.reference
    for day, cents in [(date(2025, 12, 15), 1_500_00), (date(2026, 2, 10), 700_00)]:
        record_payment(admin, ref, PaymentInput(day, cents, reference=f"VIR {day:%m%Y}"))
    notes = [TRICKY, LONG_NOTE]
    log_contact(
        admin, ref, ContactInput(Channel.CALL_OUT, ContactOutcome.REACHED, note=TRICKY), "Test"
    )
    log_contact(
        admin, ref, ContactInput(Channel.EMAIL_OUT, ContactOutcome.SENT, note=LONG_NOTE), "Test"
    )
    log_contact(
        admin,
        ref,
        ContactInput(
            Channel.CALL_OUT,
            ContactOutcome.PROMISE,
            note="Promet deux versements",
            promise_items=[PromiseItemInput(400_00, today_paris())],
        ),
        override_reason="Rappel demandé par le débiteur",
    )
    notes.append("Promet deux versements")
    log_contact(
        admin,
        ref,
        ContactInput(
            Channel.CALL_IN,
            ContactOutcome.DISPUTE,
            note="Conteste la facture F2025-103",
            dispute_category=DisputeCategory.QUALITY,
        ),
        override_reason="Appel entrant",
    )
    notes.append("Conteste la facture F2025-103")
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.reference == ref)).one()
        case_id = case.id or 0
        dispute = session.exec(select(Dispute).where(Dispute.case_id == case_id)).one()
        dispute_id = dispute.id or 0
        plan = InstalmentPlan(
            case_id=case_id,
            status=PlanStatus.ACTIVE,
            basis_date=date(2026, 5, 20),
            total_cents=3_000_00,
            instalment_count=3,
            first_due_date=date(2026, 7, 1),
            accepted_on=date(2026, 6, 1),
            accepted_by="M. Martin, gérant",
            acceptance_channel="letter",
            created_by_id=admin.id or 0,
        )
        session.add(plan)
        session.flush()
        for seq, month in enumerate((7, 8, 9), start=1):
            session.add(
                Instalment(
                    plan_id=plan.id or 0,
                    seq=seq,
                    due_date=date(2026, month, 1),
                    amount_cents=1_000_00,
                    cumulative_cents=1_000_00 * seq,
                )
            )
    resolve_dispute(admin, dispute_id, "Avoir refusé : la prestation est conforme au devis signé")
    notes.append("Avoir refusé : la prestation est conforme au devis signé")
    generate_letter(
        admin,
        ref,
        LetterKind.FORMAL_NOTICE,
        registered_letter_number="1A 234 567 8901 2",
        include_time_barred=True,
        confirm_active_plan=True,
    )
    # A failed conventional mediation, through the mediation capability.
    mediator = actor_with_role(admin, Role.MEDIATOR)
    mediation_id = open_for(mediator, ref, agreed_on=date(2026, 10, 1))
    for day, outcome in [(3, MediationOutcome.ADJOURNED), (17, MediationOutcome.FAILURE)]:
        held_session(
            mediator,
            mediation_id,
            when=datetime(2026, 10, day, 9, 0, tzinfo=UTC),
            outcome=outcome,
            notes=SECRET,
        )
    end_mediation(
        mediator,
        mediation_id,
        ended_on=date(2026, 10, 17),
        ended_by=MediationSide.MEDIATOR,
        outcome=MediationOutcome.FAILURE,
    )
    return FullCase(ref, case_id, recipient(admin), notes)


def docx_tables(content: bytes) -> list[list[list[str]]]:
    doc = Document(io.BytesIO(content))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def with_paragraph(text: str) -> bytes:
    doc = Document(io.BytesIO(shipped_bytes(TEMPLATE_NAME)))
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
