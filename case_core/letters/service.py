"""Reminder letters and the formal notice (mise en demeure), from the Word templates.

Amounts come from the statement of account (principal, interest, indemnity, costs
apart). A letter is stored as a document of the case and logged in its journal; the
formal notice also sets the notice date (interest) and deadline (Ma journée). Templates
are rendered with autoescape so that any name comes out exactly as typed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from case_core.cases.change import change_case
from case_core.cases.lifecycle import allowed_transitions
from case_core.cases.loading import get_case
from case_core.cases.parties import representative_of
from case_core.documents.store import store_document
from case_core.journal.contacts import ContactInput, reminders_paused, write_entry
from case_core.kernel.actor import Actor
from case_core.kernel.dates import (
    format_date,
    format_date_long,
    paris_day,
    paris_noon,
    today_paris,
)
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.kernel.permissions import Perm, require
from case_core.kernel.settings import declare, get_setting
from case_core.kernel.unit_of_work import current
from case_core.letters.dating import check_letter_date
from case_core.models import (
    Case,
    Channel,
    Claim,
    ContactEvent,
    ContactOutcome,
    DebtorKind,
    Document,
    DocumentKind,
    InterestRegime,
    LabelledEnum,
    Party,
    Phase,
    PlanStatus,
    add_labels,
)
from case_core.plans.views import holding_plan, view_of
from case_core.statement.account import load_statement
from case_core.statement.interest import DAY_COUNT_CONVENTION
from case_core.statement.lines import ClaimStatement, Statement
from case_core.templates.store import render_active

SENDER_NAME = "letters.sender_name"
SENDER_ADDRESS = "letters.sender_address"
SENDER_CITY = "letters.sender_city"
SIGNATORY = "letters.signatory"
PAYMENT_INSTRUCTIONS = "letters.payment_instructions"
FORMAL_NOTICE_DAYS = "letters.formal_notice_days"
ON_BEHALF = "letters.on_behalf_of_others"

PLACEHOLDER_SENDER_NAME = "Service recouvrement"
PLACEHOLDER_SENDER_ADDRESS = "Adresse à renseigner"
declare(SENDER_NAME, PLACEHOLDER_SENDER_NAME, "Courriers : personne chargée du recouvrement")
declare(SENDER_ADDRESS, PLACEHOLDER_SENDER_ADDRESS, "Courriers : adresse de l'expéditeur")
declare(SENDER_CITY, "Paris", "Courriers : ville indiquée avant la date")
declare(SIGNATORY, "Le service recouvrement", "Courriers : signataire")
declare(
    PAYMENT_INSTRUCTIONS,
    "par virement bancaire sur le compte du créancier ou par chèque à l'ordre du créancier",
    "Courriers : modalités de paiement",
)
declare(FORMAL_NOTICE_DAYS, 8, "Délai accordé par la mise en demeure (jours)", minimum=1)
# On by default: the letters always said « agit pour le compte du créancier », and a mention too
# many never voids a letter while one missing does (CPCE R124-4). An organisation collecting
# only its own claims turns it off.
declare(
    ON_BEHALF,
    True,
    "Courriers : recouvrement pour le compte de tiers (mentions de l'article R124-4 du code "
    "des procédures civiles d'exécution sur chaque courrier)",
)


SENDER_LABELS = {
    SENDER_NAME: "Courriers : personne chargée du recouvrement",
    SENDER_ADDRESS: "Courriers : adresse de l'expéditeur",
}


def _sender_missing_message(keys: list[str]) -> str:
    """Names the setting(s) to fill and who can: a collector cannot, and must know it."""
    names = " et ".join(f"« {SENDER_LABELS[k]} »" for k in keys)
    if len(keys) == 1:
        return (
            f"Courrier impossible : le paramètre {names} n'est pas renseigné. Un "
            "administrateur le renseigne dans Paramètres → Courriers."
        )
    return (
        f"Courrier impossible : les paramètres {names} ne sont pas renseignés. Un "
        "administrateur les renseigne dans Paramètres → Courriers."
    )


SENDER_MISSING = _sender_missing_message([SENDER_NAME, SENDER_ADDRESS])


class LetterKind(LabelledEnum):
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FORMAL_NOTICE = "mise_en_demeure"

    @property
    def template(self) -> str:
        return f"{self.value}.docx"

    @property
    def file_stem(self) -> str:
        """How the generated files are named, in French."""
        return {
            "reminder_1": "relance_1",
            "reminder_2": "relance_2",
            "mise_en_demeure": "mise_en_demeure",
        }[self.value]


add_labels(
    {
        LetterKind.REMINDER_1: "Première relance",
        LetterKind.REMINDER_2: "Seconde relance",
        LetterKind.FORMAL_NOTICE: "Mise en demeure",
    }
)


@dataclass(frozen=True)
class LetterResult:
    reference: str
    kind: LetterKind
    document_id: int
    filename: str
    content: bytes
    deadline: date | None


@dataclass(frozen=True)
class BulkLetters:
    zip_bytes: bytes
    generated: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class LetterChecks:
    """What stands in the way of a letter on a case, as French messages (None: nothing)."""

    sender_missing: str | None
    time_barred: str | None
    active_plan: str | None


def party_address(party: Party) -> str:
    lines = [party.address_line1, party.address_line2, f"{party.postcode or ''} {party.city or ''}"]
    return ", ".join(line.strip() for line in lines if line and line.strip())


def sender_missing(session: Session | None = None) -> str | None:
    """R124-4 wants the identity of who collects: placeholder defaults never go out."""
    if session is None:
        with read_session() as own:
            return sender_missing(own)
    name = str(get_setting(SENDER_NAME, session) or "").strip()
    address = str(get_setting(SENDER_ADDRESS, session) or "").strip()
    missing = []
    if name in ("", PLACEHOLDER_SENDER_NAME):
        missing.append(SENDER_NAME)
    if address in ("", PLACEHOLDER_SENDER_ADDRESS):
        missing.append(SENDER_ADDRESS)
    return _sender_missing_message(missing) if missing else None


def sender_context(session: Session) -> dict[str, str]:
    return {
        "name": get_setting(SENDER_NAME, session),
        "address": get_setting(SENDER_ADDRESS, session),
        "city": get_setting(SENDER_CITY, session),
        "signatory": get_setting(SIGNATORY, session),
    }


def parties_context(session: Session, case: Case) -> dict[str, Any]:
    """Sender, debtor, creditor and payment instructions: the part every letter shares."""
    debtor = session.get(Party, case.debtor_id)
    creditor = session.get(Party, case.creditor_id)
    assert debtor is not None and creditor is not None
    return {
        "reference": case.reference,
        "salutation": "Madame, Monsieur",
        "sender": sender_context(session),
        "debtor": {
            "name": debtor.display_name,
            "address": party_address(debtor),
            "representative": representative_of(debtor),
        },
        "creditor": {
            "name": creditor.display_name,
            "address": party_address(creditor),
            "iban": creditor.iban or "",
            "representative": representative_of(creditor),
        },
        "payment_instructions": get_setting(PAYMENT_INSTRUCTIONS, session),
    }


@dataclass(frozen=True)
class SentLetter:
    number: int  # its rank among the letters made on the case
    day: date  # the date it bears (its journal entry's day)

    def reference(self, case_reference: str) -> str:
        return f"{case_reference}/{self.number}"


def letters_sent(session: Session, case_id: int) -> list[SentLetter]:
    """The letters generated on the case (reminders, notices, plan letters), numbered in the
    order they were made and dated by their journal entry."""
    documents = session.exec(
        select(Document.id, Document.created_at)
        .where(
            Document.case_id == case_id,
            Document.kind == DocumentKind.LETTER,
            col(Document.generated).is_(True),
        )
        .order_by(col(Document.id))
    ).all()
    ids = [doc_id for doc_id, _ in documents]
    logged: dict[int, date] = {}
    if ids:
        for doc_id, occurred in session.exec(
            select(ContactEvent.document_id, ContactEvent.occurred_at).where(
                col(ContactEvent.document_id).in_(ids)
            )
        ).all():
            if doc_id is not None:
                day = paris_day(occurred)
                logged[doc_id] = min(day, logged.get(doc_id, day))
    return [
        SentLetter(n, logged.get(doc_id or 0) or paris_day(created))
        for n, (doc_id, created) in enumerate(documents, start=1)
    ]


def letter_and_collection(session: Session, case: Case, at: date) -> dict[str, Any]:
    """This letter's number and date, and the R124-4 part: whether the organisation recovers
    on behalf of others and, if a letter went before, the first one's reference and date."""
    sent = letters_sent(session, case.id or 0)
    first = min(sent, key=lambda s: (s.day, s.number)) if sent else None
    if first is not None and first.day > at:
        first = None  # a letter already sent, recorded late, that went out before the others
    return {
        "letter": {
            "reference": f"{case.reference}/{len(sent) + 1}",
            "date": format_date(at),
            "date_long": format_date_long(at),
        },
        "collection": {
            "on_behalf": bool(get_setting(ON_BEHALF, session)),
            "first_letter": {
                "reference": first.reference(case.reference),
                "date": format_date(first.day),
            }
            if first
            else "",
        },
    }


def time_barred_claims(statement: Statement, at: date) -> list[ClaimStatement]:
    """Open claims whose last day to act is before `at`: they may no longer be claimed."""
    return [c for c in statement.claims if c.is_open and c.limitation_date < at]


def time_barred_message(statement: Statement, at: date) -> str | None:
    barred = time_barred_claims(statement, at)
    if not barred:
        return None
    facts = " ; ".join(
        f"La facture {c.invoice_number} est prescrite depuis le {format_date(c.limitation_date)}"
        for c in barred
    )
    return (
        f"{facts} : une dette prescrite ne peut plus être réclamée en justice et un courrier "
        "ne la fait pas revivre. Retirez la facture du dossier ou confirmez l'envoi en "
        "connaissance de cause."
    )


def active_plan_message(session: Session, case: Case, at: date) -> str | None:
    """An accepted plan that is running (not broken) stands in the way of pressure letters."""
    plan = holding_plan(session, case.id or 0)
    if plan is None or view_of(session, plan, case, at).status != PlanStatus.ACTIVE:
        return None
    return (
        f"Un échéancier accepté (n° {plan.id}) est en cours et respecté sur ce dossier : "
        "une relance ou une mise en demeure contredirait l'accord (et la mise en demeure "
        "fait passer le dossier en pré-contentieux). Confirmez l'envoi en connaissance de cause."
    )


def letter_checks(actor: Actor, reference: str, at: date | None = None) -> LetterChecks:
    """The warnings the letters tab shows before the user clicks."""
    require(actor, Perm.LETTERS_GENERATE)
    at = at or today_paris()
    with read_session() as session:
        case = get_case(session, reference)
        statement = load_statement(session, case, at)
        return LetterChecks(
            sender_missing=sender_missing(session),
            time_barred=time_barred_message(statement, at),
            active_plan=active_plan_message(session, case, at),
        )


def store_and_log(
    session: Session,
    actor: Actor,
    case: Case,
    filename: str,
    content: bytes,
    note: str,
    registered_letter_number: str | None = None,
    sent_on: date | None = None,
) -> Document:
    """A generated letter goes into the case's documents and its journal, as sent (on
    `sent_on` when it records a letter already sent)."""
    document = store_document(
        session, actor, case, filename, content, DocumentKind.LETTER, generated=True
    )
    event = write_entry(
        session,
        actor,
        case,
        ContactInput(
            channel=Channel.REGISTERED_LETTER if registered_letter_number else Channel.LETTER,
            outcome=ContactOutcome.SENT,
            note=note,
            registered_letter_number=registered_letter_number,
        ),
        document_id=document.id,
        check_guardrails=False,
    )
    if sent_on is not None and sent_on < paris_day(event.occurred_at):
        # The journal shows the letter on the day it went out, not the day it was recorded.
        event.occurred_at = paris_noon(sent_on)
        session.add(event)
    return document


def letter_context(
    session: Session,
    case: Case,
    statement: Statement,
    at: date,
    deadline: date | None,
    ar_number: str | None,
) -> dict[str, Any]:
    """Everything the templates print, already formatted the French way (its fields are
    documented in case_core.letters.sample)."""
    descriptions = dict(
        session.exec(select(Claim.id, Claim.description).where(Claim.case_id == case.id)).all()
    )
    totals = statement.totals
    open_claims = [c for c in statement.claims if c.is_open]
    regimes = sorted({c.regime_label for c in open_claims})
    # Between professionals, L441-10 (or contractual) penalties ran from the day after each
    # due date without any reminder: the notice says which did and at what rate.
    penalty_claims = [
        c
        for c in open_claims
        if statement.debtor_kind == DebtorKind.PROFESSIONAL
        and c.regime in (InterestRegime.L441_10, InterestRegime.CONTRACTUAL)
    ]
    # The invoices' descriptions in the invoices' order, each once, exactly as typed.
    typed = [(descriptions.get(c.claim_id) or "").strip() for c in open_claims]
    basis = list(dict.fromkeys(d for d in typed if d)) or ["prestations facturées"]
    return {
        **parties_context(session, case),
        **letter_and_collection(session, case, at),
        "deadline": format_date(deadline),
        "ar_number": ar_number or "",
        "basis": ", ".join(basis),
        "interest_basis": ", ".join(regimes) if regimes else "aucun",
        "penalties": [
            f"facture {c.invoice_number} : du {format_date(line.start)} au "
            f"{format_date(line.end)}, {line.days} jours au taux de "
            f"{format_rate_bp(line.rate_bp)} ({line.basis}) sur {format_cents(line.base_cents)}, "
            f"soit {format_cents(line.amount_cents)}"
            for c in penalty_claims
            for line in c.interest_lines
        ],
        "starts_legal_interest": any(c.regime == InterestRegime.LEGAL for c in open_claims),
        "day_count": DAY_COUNT_CONVENTION,
        "claims": [
            {
                "number": c.invoice_number,
                "description": descriptions.get(c.claim_id) or "",
                "issue_date": format_date(c.issue_date),
                "due_date": format_date(c.due_date),
                "principal": format_cents(c.principal_cents),
                "principal_outstanding": format_cents(c.principal_outstanding_cents),
            }
            for c in open_claims
        ],
        "amounts": {
            "principal": format_cents(totals.principal_cents - totals.principal_paid_cents),
            "interest": format_cents(totals.interest_cents - totals.interest_paid_cents),
            "indemnity": format_cents(totals.indemnity_cents - totals.indemnity_paid_cents),
            "has_indemnity": totals.indemnity_cents - totals.indemnity_paid_cents > 0,
            "costs": format_cents(totals.debtor_costs_cents - totals.debtor_costs_paid_cents),
            "payments": format_cents(totals.payments_cents),
            "total": format_cents(totals.balance_cents),
        },
    }


def _filename(reference: str, kind: LetterKind, at: date) -> str:
    return f"{kind.file_stem}_{reference}_{at:%Y%m%d}.docx"


def generate_letter(
    actor: Actor,
    reference: str,
    kind: LetterKind,
    at: date | None = None,
    deadline_days: int | None = None,
    registered_letter_number: str | None = None,
    *,
    already_sent: bool = False,
    today: date | None = None,
    include_time_barred: bool = False,
    confirm_active_plan: bool = False,
) -> LetterResult:
    """Generate one letter, store it on the case and log it in the journal (one transaction).

    The letter is dated today; `at` earlier than today records a letter already sent, only with
    `already_sent` (the user confirmed that date) and never before the case existed (see
    letters.dating). `today` is the clock (tests and the demo set it). Refused while the sender
    is not filled in; refused when a claim is time-barred or an accepted plan is running,
    unless the user confirmed it in so many words."""
    require(actor, Perm.LETTERS_GENERATE)
    kind = LetterKind(kind)
    today = today or today_paris()
    at = at or today
    with change_case(
        actor, Perm.LETTERS_GENERATE, reference, "letter.generate", today=today
    ) as work:
        session, case = work.session, work.case
        check_letter_date(at, today, already_sent, case.reference, paris_day(case.created_at))
        missing = sender_missing(session)
        if missing:
            raise ValidationError(missing)
        # Read after the lock: the amount the letter claims is the one the case owes now.
        statement = work.statement(at)
        if statement.totals.balance_cents <= 0:
            raise ValidationError(
                f"Dossier {statement.reference} : rien à réclamer, le solde est nul."
            )
        if case.phase in (Phase.CLOSED, Phase.CONTENTIEUX):
            raise ValidationError(
                f"Dossier {case.reference} : pas de courrier amiable en phase "
                f"« {Phase(case.phase).label} »."
            )
        if reminders_paused(session, case):
            raise ValidationError(
                f"Dossier {case.reference} : relances suspendues tant que la contestation "
                "en cours n'est pas résolue."
            )
        barred = time_barred_message(statement, at)
        if barred and not include_time_barred:
            raise ValidationError(f"Dossier {case.reference} : {barred}")
        running = active_plan_message(session, case, at)
        if running and not confirm_active_plan:
            raise ValidationError(f"Dossier {case.reference} : {running}")
        deadline = None
        if kind == LetterKind.FORMAL_NOTICE:
            days = deadline_days if deadline_days is not None else get_setting(FORMAL_NOTICE_DAYS)
            if int(days) < 1:
                raise ValidationError({"deadline_days": "Le délai doit être d'au moins un jour."})
            deadline = at + timedelta(days=int(days))
        ar_number = (registered_letter_number or "").strip() or None
        content = render_active(
            session,
            kind.template,
            letter_context(session, case, statement, at, deadline, ar_number),
        )
        filename = _filename(case.reference, kind, at)
        document = store_and_log(
            session,
            actor,
            case,
            filename,
            content,
            f"{kind.label} envoyée ({filename})"
            + (f", délai au {format_date(deadline)}" if deadline else "")
            # Who overrode a guard, and which, stays in the journal.
            + (" ; envoi confirmé malgré une facture prescrite" if barred else "")
            + (" ; envoi confirmé malgré l'échéancier en cours" if running else "")
            + (
                f" ; courrier déjà envoyé le {format_date(at)}, enregistré le {format_date(today)}"
                if at < today
                else ""
            ),
            ar_number,
            sent_on=at,
        )
        if kind == LetterKind.FORMAL_NOTICE:
            _record_formal_notice(session, case, at, deadline)
    return LetterResult(
        reference=case.reference,
        kind=kind,
        document_id=document.id,  # type: ignore[arg-type]
        filename=filename,
        content=content,
        deadline=deadline,
    )


def _record_formal_notice(session: Session, case: Case, at: date, deadline: date | None) -> None:
    current(session).name(case, "case.formal_notice")
    case.formal_notice_date = at
    # A new notice: its presentation is recorded when its own receipt comes back.
    case.formal_notice_presented_on = None
    case.formal_notice_deadline = deadline
    # A formal notice ends the amicable phase when the phase rules allow it.
    if case.phase == Phase.AMIABLE and Phase.PRE_CONTENTIEUX in allowed_transitions(Phase.AMIABLE):
        case.phase = Phase.PRE_CONTENTIEUX
    session.add(case)


def generate_letters(
    actor: Actor,
    references: Sequence[str],
    kind: LetterKind,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkLetters:
    """One letter per case, dated today, each in its own transaction; failures are listed,
    not fatal."""
    require(actor, Perm.LETTERS_GENERATE)
    refs = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    generated: list[str] = []
    failures: list[tuple[str, str]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, ref in enumerate(refs, start=1):
            try:
                letter = generate_letter(actor, ref, kind, today=today)
            except CaseError as exc:
                failures.append((ref, exc.message))
            else:
                archive.writestr(letter.filename, letter.content)
                generated.append(ref)
            if progress:
                progress(n, len(refs))
        if failures:
            report = "\n".join(f"{ref} : {message}" for ref, message in failures)
            archive.writestr("erreurs.txt", report)
    return BulkLetters(buffer.getvalue(), generated, failures)
