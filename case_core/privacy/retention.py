"""Retention of closed cases: past the retention period, a closed case is anonymised
(the debtor's identity, contact and bank data, free text and documents replaced; amounts,
dates and invoice numbers kept for statistics and accounts).

Default: 5 years after closure. The CNIL référentiel on unpaid-debt management keeps the data
of a settled file in intermediate archive no longer than the limitation period of the claims
it may still be needed to defend: 5 years for commercial claims and the general rule (Code de
commerce L110-4, Code civil 2224), 2 years for a professional's claims against a consumer
(Code de la consommation L218-2). Five years covers both. A case whose claim is not time-barred
yet (unpaid balance, limitation date not reached) is kept whatever the setting. Invoices under
the 10-year accounting retention (Code de commerce L123-22) keep their documents.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from case_core.kernel.unit_of_work import change
from case_core.models import AuditEvent, Case, Claim, DocumentKind, Party, Phase
from case_core.privacy.anonymise import anonymise_case, anonymise_party, is_anonymised
from case_core.privacy.grounds import ACCOUNTING_RETENTION_YEARS, add_years

RETENTION_KEY = "privacy.closed_case_retention_years"
declare(
    RETENTION_KEY,
    5,
    "Conservation des dossiers clos avant anonymisation (années)",
    minimum=1,
    maximum=50,
)


@dataclass(frozen=True)
class PurgeLine:
    case_id: int
    reference: str
    closed_at: datetime
    debtor_id: int


def cutoff(today: date, years: int) -> datetime:
    """Cases closed before this instant are past retention."""
    return datetime.combine(add_years(today, -years), time.min, tzinfo=UTC)


def _past_retention(today: date, years: int) -> ColumnElement[bool]:
    """The SQL condition of a case nothing keeps any more."""
    return (
        (col(Case.phase) == Phase.CLOSED)
        & col(Case.closed_at).is_not(None)
        & (col(Case.closed_at) < cutoff(today, years))
        # A claim that is not time-barred yet may still have to be defended in court.
        & or_(
            col(Case.balance_cents) <= 0,
            col(Case.limitation_date).is_(None),
            col(Case.limitation_date) < today,
        )
    )


def _eligible(today: date, years: int) -> ColumnElement[bool]:
    """Past retention and not anonymised yet (by a purge or an erasure)."""
    purged = exists().where(
        col(AuditEvent.action) == "privacy.anonymise",
        col(AuditEvent.entity_type) == "case",
        col(AuditEvent.case_id) == col(Case.id),
    )
    return _past_retention(today, years) & ~purged


def purge_candidates(
    actor: Actor, today: date | None = None, batch: int = 500
) -> Iterator[list[PurgeLine]]:
    """The cases past retention, by batches of `batch` (keyset on the id, in SQL)."""
    require(actor, Perm.USERS_MANAGE)
    day = today or today_paris()
    last_id = 0
    while True:
        with read_session() as session:
            years = int(get_setting(RETENTION_KEY, session))
            rows = session.exec(
                select(Case.id, Case.reference, Case.closed_at, Case.debtor_id)
                .where(_eligible(day, years), col(Case.id) > last_id)
                .order_by(col(Case.id))
                .limit(batch)
            ).all()
        if not rows:
            return
        yield [PurgeLine(*row) for row in rows]  # type: ignore[arg-type]
        last_id = int(rows[-1][0] or 0)


def count_candidates(actor: Actor, today: date | None = None) -> int:
    require(actor, Perm.USERS_MANAGE)
    day = today or today_paris()
    with read_session() as session:
        years = int(get_setting(RETENTION_KEY, session))
        return int(session.exec(select(func.count()).where(_eligible(day, years))).one())


def _debtor_fully_past(session: Session, debtor_id: int, day: date, years: int) -> bool:
    """True when none of the debtor's cases must be kept (so their identity may go)."""
    kept = session.exec(
        select(func.count())
        .select_from(Case)
        .where(Case.debtor_id == debtor_id)
        .where(~_past_retention(day, years))
    ).one()
    return int(kept) == 0


def purge_batch(actor: Actor, case_ids: list[int], today: date | None = None) -> int:
    """Anonymise the cases of one batch in one write; each is checked again after its lock
    (a case reopened meanwhile is skipped). Returns how many were anonymised."""
    day = today or today_paris()
    with change(actor, Perm.USERS_MANAGE, "privacy.purge") as uow:
        session = uow.session
        years = int(get_setting(RETENTION_KEY, session))
        cases = session.exec(
            select(Case)
            .where(col(Case.id).in_(case_ids), _eligible(day, years))
            .order_by(col(Case.id))
            .with_for_update()
        ).all()
        debtors: set[int] = set()
        for case in cases:
            uow.hold(case)
            last_invoice = session.exec(
                select(func.max(Claim.issue_date)).where(Claim.case_id == case.id)
            ).one()
            keep = (
                frozenset({DocumentKind.INVOICE})
                if last_invoice and add_years(last_invoice, ACCOUNTING_RETENTION_YEARS) > day
                else frozenset()
            )
            anonymise_case(uow, case, keep)
            debtors.add(case.debtor_id)
        for debtor_id in sorted(debtors):
            if _debtor_fully_past(session, debtor_id, day, years):
                party = uow.lock(Party, debtor_id)
                if not is_anonymised(party):
                    anonymise_party(uow, party)
        for case in cases:
            uow.on_exit(partial(refresh_case_totals, session, case))
        uow.event(
            audit.PendingEvent(
                "privacy.purge",
                "case",
                None,
                {
                    "dossiers": {"before": None, "after": [c.reference for c in cases]},
                    "conservation_annees": {"before": None, "after": years},
                },
            )
        )
        return len(cases)
