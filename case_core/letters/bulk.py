"""Which cases a bulk letter run writes to: chosen by filters or pasted references,
capped, listed for the user to confirm before anything is generated."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.models import Case, Party, Phase

MAX_BULK_CASES = 500
# Phases a reminder or a formal notice is written in.
LETTER_PHASES = (Phase.AMIABLE, Phase.PRE_CONTENTIEUX)


@dataclass(frozen=True)
class BulkCandidate:
    reference: str
    debtor_name: str
    phase: Phase
    balance_cents: int
    oldest_due_date: date | None


@dataclass(frozen=True)
class BulkSelection:
    candidates: list[BulkCandidate]
    total: int  # before the cap
    unknown: list[str]  # pasted references that match no case

    @property
    def capped(self) -> bool:
        return self.total > len(self.candidates)

    @property
    def references(self) -> list[str]:
        return [c.reference for c in self.candidates]


def _candidates_query() -> Any:
    # SQLAlchemy's select: sqlmodel's typed overloads stop at four columns.
    return sa_select(
        col(Case.reference),
        col(Party.display_name),
        col(Case.phase),
        col(Case.balance_cents),
        col(Case.oldest_due_date),
    ).join(Party, col(Party.id) == col(Case.debtor_id))


def _candidate(row: Any) -> BulkCandidate:
    return BulkCandidate(row[0], row[1], Phase(row[2]), int(row[3]), row[4])


def split_references(text: str) -> list[str]:
    """References pasted one per line or separated by commas, semicolons or spaces."""
    return list(dict.fromkeys(r for r in re.split(r"[\s,;]+", text or "") if r))


def select_by_filter(
    actor: Actor,
    phases: Sequence[Phase],
    min_days_overdue: int | None = None,
    assignee_id: int | None = None,
    today: date | None = None,
) -> BulkSelection:
    """Open cases in `phases` (among LETTER_PHASES), overdue by at least
    `min_days_overdue` days, assigned to `assignee_id` if given; the first
    MAX_BULK_CASES by reference."""
    require(actor, Perm.LETTERS_GENERATE)
    wrong = [p for p in phases if p not in LETTER_PHASES]
    if not phases or wrong:
        raise ValidationError({"phases": "Choisissez la phase amiable et/ou pré-contentieuse."})
    if min_days_overdue is not None and min_days_overdue < 0:
        raise ValidationError({"min_days": "Le retard minimum ne peut pas être négatif."})
    today = today or today_paris()
    conditions = [Case.phase.in_(list(phases))]  # type: ignore[attr-defined]
    if min_days_overdue:
        cutoff = today - timedelta(days=min_days_overdue)
        conditions.append(Case.oldest_due_date <= cutoff)  # type: ignore[operator]
    if assignee_id is not None:
        conditions.append(Case.assignee_id == assignee_id)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Case).where(*conditions)).one()
        rows = session.execute(
            _candidates_query().where(*conditions).order_by(Case.reference).limit(MAX_BULK_CASES)
        ).all()
    return BulkSelection([_candidate(r) for r in rows], int(total), [])


def select_by_references(actor: Actor, references: Sequence[str]) -> BulkSelection:
    """The pasted references that exist (in the order pasted), the others listed apart."""
    require(actor, Perm.LETTERS_GENERATE)
    refs = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    if len(refs) > MAX_BULK_CASES:
        raise ValidationError(
            {"references": f"{len(refs)} références : {MAX_BULK_CASES} au plus par envoi."}
        )
    with read_session() as session:
        rows = session.execute(
            _candidates_query().where(Case.reference.in_(refs))  # type: ignore[attr-defined]
        ).all()
    found = {r[0]: _candidate(r) for r in rows}
    return BulkSelection(
        [found[r] for r in refs if r in found], len(found), [r for r in refs if r not in found]
    )
