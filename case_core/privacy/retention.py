"""Retention per data class: past its period, what a closed case (or an inactive account)
holds about a person is anonymised; amounts, dates and invoice numbers stay for statistics
and accounts.

The classes and their defaults (settings, in years; README « Conservation »). The CNIL
référentiel on unpaid-debt management (délibération n° 2021-130) keeps a file's data for the
time of the recovery, then in intermediate archive no longer than the limitation period of
the actions it may serve to defend: 5 years for commercial claims and the general rule (Code
de commerce L110-4, Code civil 2224), 2 years for a professional's claims against a consumer
(Code de la consommation L218-2).
- closed cases (`privacy.closed_case_retention_years`, 5 years after closure): the debtor's
  identity, contact and bank data, every free text and document;
- journal (`privacy.journal_retention_years`, 2 years after closure): the free text of the
  contact journal and disputes, where remarks on a person's situation end up (the référentiel
  asks for them to be minimised); the shortest limitation period;
- documents (`privacy.documents_retention_years`, 5 years after closure): the documents but
  invoices, kept ten years (Code de commerce L123-22);
- accounts (`privacy.account_retention_years`, 1 year after the last sign-in of a
  deactivated account): the user's name and e-mail.

Whatever the settings, nothing in a case that is not closed, under legal hold, or whose
unpaid claim is not time-barred yet is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import partial

from sqlalchemy import ColumnElement, exists, func
from sqlmodel import Session, col, or_, select

from case_core.cases.totals import refresh_case_totals
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.permissions import Perm, require
from case_core.kernel.settings import declare, get_setting
from case_core.kernel.unit_of_work import UnitOfWork, change
from case_core.models import (
    AuditEvent,
    Case,
    Claim,
    ContactEvent,
    Dispute,
    Document,
    DocumentKind,
    LabelledEnum,
    Party,
    Phase,
    User,
    add_labels,
)
from case_core.privacy.anonymise import (
    ANONYMISED,
    PLACEHOLDER_SHA,
    anonymise_case,
    anonymise_party,
    is_anonymised,
)
from case_core.privacy.grounds import ACCOUNTING_RETENTION_YEARS, add_years
from case_core.privacy.partial import (
    anonymise_journal,
    anonymise_user,
    retire_documents,
    user_anonymised_sql,
)


class DataClass(LabelledEnum):
    CASES = "cases"
    JOURNAL = "journal"
    DOCUMENTS = "documents"
    ACCOUNTS = "accounts"


add_labels(
    {
        DataClass.CASES: "Dossiers clos",
        DataClass.JOURNAL: "Journal des contacts",
        DataClass.DOCUMENTS: "Documents",
        DataClass.ACCOUNTS: "Comptes utilisateurs inactifs",
    }
)

RETENTION_KEY = "privacy.closed_case_retention_years"
JOURNAL_KEY = "privacy.journal_retention_years"
DOCUMENTS_KEY = "privacy.documents_retention_years"
ACCOUNTS_KEY = "privacy.account_retention_years"
KEYS = {
    DataClass.CASES: RETENTION_KEY,
    DataClass.JOURNAL: JOURNAL_KEY,
    DataClass.DOCUMENTS: DOCUMENTS_KEY,
    DataClass.ACCOUNTS: ACCOUNTS_KEY,
}
declare(
    RETENTION_KEY,
    5,
    "Conservation des dossiers clos avant anonymisation (années)",
    minimum=1,
    maximum=50,
)
declare(
    JOURNAL_KEY,
    2,
    "Conservation des notes du journal des dossiers clos (années après la clôture)",
    minimum=1,
    maximum=50,
)
declare(
    DOCUMENTS_KEY,
    5,
    "Conservation des documents des dossiers clos, factures exceptées (années après la clôture)",
    minimum=1,
    maximum=50,
)
declare(
    ACCOUNTS_KEY,
    1,
    "Conservation des comptes utilisateurs désactivés (années après la dernière connexion)",
    minimum=1,
    maximum=50,
)


@dataclass(frozen=True)
class PurgeLine:
    data_class: DataClass
    id: int  # a case id, or a user id for accounts
    label: str  # a case reference, or « compte n° 12 »
    since: datetime  # closed at, or last signed in

    # Kept for the callers of the closed-cases purge.
    @property
    def case_id(self) -> int:
        return self.id

    @property
    def reference(self) -> str:
        return self.label

    @property
    def closed_at(self) -> datetime:
        return self.since


def cutoff(today: date, years: int) -> datetime:
    """What closed (or was last used) before this instant is past retention."""
    return datetime.combine(add_years(today, -years), time.min, tzinfo=UTC)


def _past_retention(today: date, years: int) -> ColumnElement[bool]:
    """The SQL condition of a case nothing keeps any more after `years`."""
    return (
        (col(Case.phase) == Phase.CLOSED)
        & col(Case.closed_at).is_not(None)
        & (col(Case.closed_at) < cutoff(today, years))
        & col(Case.legal_hold_reason).is_(None)
        # A claim that is not time-barred yet may still have to be defended in court.
        & or_(
            col(Case.balance_cents) <= 0,
            col(Case.limitation_date).is_(None),
            col(Case.limitation_date) < today,
        )
    )


def _case_anonymised() -> ColumnElement[bool]:
    return exists().where(
        col(AuditEvent.action) == "privacy.anonymise",
        col(AuditEvent.entity_type) == "case",
        col(AuditEvent.case_id) == col(Case.id),
    )


def _filled(column: str | None) -> ColumnElement[bool]:
    return col(column).is_not(None) & (col(column) != "") & (col(column) != ANONYMISED)


def _journal_left() -> ColumnElement[bool]:
    """The case still has journal or dispute text."""
    contact_text = exists().where(
        col(ContactEvent.case_id) == col(Case.id),
        or_(
            _filled(ContactEvent.note),
            _filled(ContactEvent.next_action),
            _filled(ContactEvent.guardrail_override_reason),
        ),
    )
    dispute_text = exists().where(
        col(Dispute.case_id) == col(Case.id), _filled(Dispute.resolution_note)
    )
    return contact_text | dispute_text


def _invoices_kept(today: date) -> ColumnElement[bool]:
    """Some invoice of the case is under its ten years of accounting retention."""
    return exists().where(
        col(Claim.case_id) == col(Case.id),
        col(Claim.issue_date) > add_years(today, -ACCOUNTING_RETENTION_YEARS),
    )


def _documents_left(today: date) -> ColumnElement[bool]:
    """The case still has a document the documents class may retire."""
    live = (col(Document.case_id) == col(Case.id)) & (col(Document.sha256) != PLACEHOLDER_SHA)
    others = exists().where(live, col(Document.kind) != DocumentKind.INVOICE)
    invoices = exists().where(live, col(Document.kind) == DocumentKind.INVOICE)
    return others | (invoices & ~_invoices_kept(today))


def _case_condition(data_class: DataClass, today: date, years: int) -> ColumnElement[bool]:
    base = _past_retention(today, years) & ~_case_anonymised()
    if data_class == DataClass.JOURNAL:
        return base & _journal_left()
    if data_class == DataClass.DOCUMENTS:
        return base & _documents_left(today)
    return base


def _account_condition(today: date, years: int) -> ColumnElement[bool]:
    last_seen = func.coalesce(col(User.last_login_at), col(User.created_at))
    return ~col(User.is_active) & (last_seen < cutoff(today, years)) & ~user_anonymised_sql()


def _years(session: Session, data_class: DataClass) -> int:
    return int(get_setting(KEYS[data_class], session))


def purge_candidates(
    actor: Actor,
    today: date | None = None,
    batch: int = 500,
    data_class: DataClass = DataClass.CASES,
) -> Iterator[list[PurgeLine]]:
    """What `data_class` has past retention, by batches of `batch` (keyset on the id)."""
    require(actor, Perm.USERS_MANAGE)
    day = today or today_paris()
    last_id = 0
    while True:
        with read_session() as session:
            years = _years(session, data_class)
            if data_class == DataClass.ACCOUNTS:
                users = session.exec(
                    select(User.id, User.last_login_at, User.created_at)
                    .where(_account_condition(day, years), col(User.id) > last_id)
                    .order_by(col(User.id))
                    .limit(batch)
                ).all()
                lines = [
                    PurgeLine(data_class, int(i or 0), f"compte n° {i}", seen or created)
                    for i, seen, created in users
                ]
            else:
                rows = session.exec(
                    select(Case.id, Case.reference, Case.closed_at)
                    .where(_case_condition(data_class, day, years), col(Case.id) > last_id)
                    .order_by(col(Case.id))
                    .limit(batch)
                ).all()
                lines = [
                    PurgeLine(data_class, int(i or 0), ref, closed)
                    for i, ref, closed in rows
                    if closed is not None
                ]
        if not lines:
            return
        yield lines
        last_id = lines[-1].id


def count_candidates(
    actor: Actor, today: date | None = None, data_class: DataClass = DataClass.CASES
) -> int:
    require(actor, Perm.USERS_MANAGE)
    day = today or today_paris()
    with read_session() as session:
        years = _years(session, data_class)
        condition = (
            _account_condition(day, years)
            if data_class == DataClass.ACCOUNTS
            else _case_condition(data_class, day, years)
        )
        return int(session.exec(select(func.count()).where(condition)).one())


def count_all(actor: Actor, today: date | None = None) -> dict[DataClass, int]:
    """Per data class, how many cases (or accounts) are past retention."""
    return {c: count_candidates(actor, today, c) for c in DataClass}


def _debtor_fully_past(session: Session, debtor_id: int, day: date, years: int) -> bool:
    """True when none of the debtor's cases must be kept (so their identity may go)."""
    kept = session.exec(
        select(func.count())
        .select_from(Case)
        .where(Case.debtor_id == debtor_id)
        .where(~_past_retention(day, years))
    ).one()
    return int(kept) == 0


def _keep_kinds(session: Session, case: Case, day: date) -> frozenset[DocumentKind]:
    last_invoice = session.exec(
        select(func.max(Claim.issue_date)).where(Claim.case_id == case.id)
    ).one()
    if last_invoice and add_years(last_invoice, ACCOUNTING_RETENTION_YEARS) > day:
        return frozenset({DocumentKind.INVOICE})
    return frozenset()


def _purge_cases(uow: UnitOfWork, cases: list[Case], day: date, years: int) -> None:
    session = uow.session
    debtors: set[int] = set()
    for case in cases:
        anonymise_case(uow, case, _keep_kinds(session, case, day))
        debtors.add(case.debtor_id)
    for debtor_id in sorted(debtors):
        if _debtor_fully_past(session, debtor_id, day, years):
            party = uow.lock(Party, debtor_id)
            if not is_anonymised(party):
                anonymise_party(uow, party)


def _purge_journal(uow: UnitOfWork, cases: list[Case], day: date, years: int) -> None:
    for case in cases:
        anonymise_journal(uow, case)


def _purge_documents(uow: UnitOfWork, cases: list[Case], day: date, years: int) -> None:
    for case in cases:
        retire_documents(uow, case, _keep_kinds(uow.session, case, day))


_CASE_PURGES: dict[DataClass, Callable[[UnitOfWork, list[Case], date, int], None]] = {
    DataClass.CASES: _purge_cases,
    DataClass.JOURNAL: _purge_journal,
    DataClass.DOCUMENTS: _purge_documents,
}


def purge_batch(
    actor: Actor,
    case_ids: list[int],
    today: date | None = None,
    data_class: DataClass = DataClass.CASES,
) -> int:
    """Anonymise `data_class` in the cases (or accounts) of one batch, in one write; each is
    checked again under its lock (a case reopened or put on hold meanwhile is skipped).
    Returns how many were anonymised."""
    day = today or today_paris()
    with change(actor, Perm.USERS_MANAGE, "privacy.purge") as uow:
        session = uow.session
        years = _years(session, data_class)
        if data_class == DataClass.ACCOUNTS:
            users = session.exec(
                select(User)
                .where(col(User.id).in_(case_ids), _account_condition(day, years))
                .order_by(col(User.id))
                .with_for_update()
            ).all()
            for user in users:
                anonymise_user(uow, user)
            done = [f"compte n° {u.id}" for u in users]
        else:
            cases = list(
                session.exec(
                    select(Case)
                    .where(col(Case.id).in_(case_ids), _case_condition(data_class, day, years))
                    .order_by(col(Case.id))
                    .with_for_update()
                ).all()
            )
            for case in cases:
                uow.hold(case)
            _CASE_PURGES[data_class](uow, cases, day, years)
            for case in cases:
                uow.on_exit(partial(refresh_case_totals, session, case))
            done = [c.reference for c in cases]
        uow.event(
            audit.PendingEvent(
                "privacy.purge",
                "case" if data_class != DataClass.ACCOUNTS else "user",
                None,
                {
                    "classe": {"before": None, "after": data_class.value},
                    ("comptes" if data_class == DataClass.ACCOUNTS else "dossiers"): {
                        "before": None,
                        "after": done,
                    },
                    "conservation_annees": {"before": None, "after": years},
                },
            )
        )
        return len(done)
