"""A write on one case, through the one write mechanism (kernel.unit_of_work).

    with change_case(actor, Perm.PAYMENTS_RECORD, reference, "payment.record") as w:
        owed = w.owed_cents(at)          # the statement, read after the lock
        w.add(Payment(case_id=w.case.id, ...))

The case row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite's write lock is
taken by BEGIN IMMEDIATE), a stale `expected_version` is refused, every figure the service
checks is read after that lock through the same connection, and on exit the case's stored
figures are refreshed, its version bumped and the audit recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlmodel import Session, SQLModel, select

from case_core.cases.totals import refresh_case_totals
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, StaleVersion
from case_core.kernel.permissions import Perm
from case_core.kernel.unit_of_work import UnitOfWork, change
from case_core.models import (
    Case,
    Claim,
    ContactEvent,
    Dispute,
    InstalmentPlan,
    Mediation,
    Payment,
)
from case_core.statement.account import load_statement
from case_core.statement.lines import Statement
from case_core.statement.rates import MissingRate

CASE_NOUN = "Ce dossier"
T = TypeVar("T", bound=SQLModel)
# The tables whose rows each belong to one case.
PartOfCase = TypeVar("PartOfCase", Claim, ContactEvent, Dispute, InstalmentPlan, Mediation, Payment)


@dataclass
class CaseChange:
    uow: UnitOfWork
    case: Case
    today: date
    _statements: dict[date, Statement] = field(default_factory=dict)

    @property
    def session(self) -> Session:
        return self.uow.session

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    @property
    def case_id(self) -> int:
        assert self.case.id is not None
        return self.case.id

    def add(self, obj: T) -> T:
        return self.uow.add(obj)

    def statement(self, at: date | None = None) -> Statement:
        """The case's statement at `at` (default today), computed once per date."""
        day = at or self.today
        if day not in self._statements:
            self._statements[day] = load_statement(self.session, self.case, day)
        return self._statements[day]

    def owed_cents(self, at: date | None = None) -> int | None:
        """What the statement says is owed (interest and indemnities included); None when a
        missing rate stops it: the caller then falls back on the principal balance."""
        try:
            return self.statement(at).totals.balance_cents
        except MissingRate:
            return None


def lock_case(
    uow: UnitOfWork,
    reference: str | None = None,
    *,
    case_id: int | None = None,
    expected_version: int | None = None,
) -> Case:
    query = select(Case).with_for_update()
    if case_id is not None:
        query = query.where(Case.id == case_id)
        label = f"n° {case_id}"
    else:
        label = (reference or "").strip()
        query = query.where(Case.reference == label)
    case = uow.session.exec(query).first()
    if case is None:
        raise NotFound(f"Dossier introuvable : « {label} ».")
    if expected_version is not None and case.version != expected_version:
        raise StaleVersion(uow.stale_message(case, CASE_NOUN))
    uow.hold(case)
    uow.case_id = case.id
    return case


def case_of(model: type[PartOfCase], row_id: int, missing: str) -> int:
    """The case a row belongs to (it never changes), read before the change locks that case,
    so that every write on a part of a case takes the case lock first, then the part's."""
    with read_session() as session:
        row = session.get(model, row_id)
        if row is None:
            raise NotFound(missing)
        return row.case_id


@contextmanager
def change_case(
    actor: Actor,
    perm: Perm,
    reference: str | None,
    action: str,
    *,
    case_id: int | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> Iterator[CaseChange]:
    """One audited write on the case `reference` (or `case_id`)."""
    with change(actor, perm, action) as uow:
        case = lock_case(uow, reference, case_id=case_id, expected_version=expected_version)
        uow.on_exit(lambda: refresh_case_totals(uow.session, case))
        yield CaseChange(uow, case, today or today_paris())
