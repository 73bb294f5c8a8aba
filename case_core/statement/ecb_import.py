"""Bring the ECB main refinancing rate into the rate table: from the ECB Data Portal
when the server is online (`casedesk rates fetch-ecb`), or from the CSV file that portal
exports (page « Taux »). The legal rate stays typed by an administrator from the arrêté."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.models import Rate, RateKind
from case_core.statement.ecb_csv import ECB_CSV_URL, SemesterRate, parse_ecb_csv, semester_rates

FETCH_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class EcbImportPlan:
    """What a file would change: the semesters to add, and those already known (with a
    differing value listed apart: a published rate is never replaced)."""

    to_add: list[SemesterRate]
    already_known: list[SemesterRate]
    differing: list[tuple[SemesterRate, int]]  # (file's rate, stored rate_bp)
    last_change_on: date


def fetch_ecb_csv(url: str = ECB_CSV_URL, timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes:
    """The series as CSV from the ECB Data Portal; a French CaseError when offline."""
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CaseError(
            f"Portail de données de la BCE injoignable ({exc}). Téléchargez le fichier CSV "
            "de la série depuis un poste connecté et déposez-le sur la page « Taux »."
        ) from None


def plan_ecb_import(actor: Actor, data: bytes | str, through: date | None = None) -> EcbImportPlan:
    """Read a portal CSV and compare it with the stored ECB rates (nothing written)."""
    require(actor, Perm.RATES_MANAGE)
    changes = parse_ecb_csv(data)
    semesters = semester_rates(changes, through or today_paris())
    with read_session() as session:
        stored = {
            r.period_start: r.rate_bp
            for r in session.exec(select(Rate).where(Rate.kind == RateKind.ECB_REFI)).all()
        }
    to_add = [s for s in semesters if s.period_start not in stored]
    known = [s for s in semesters if s.period_start in stored]
    differing = [(s, stored[s.period_start]) for s in known if stored[s.period_start] != s.rate_bp]
    return EcbImportPlan(to_add, known, differing, changes[-1].effective_on)


def apply_ecb_import(actor: Actor, plan: EcbImportPlan) -> int:
    """Add the plan's missing semesters in one audited transaction; returns how many.
    A semester added meanwhile by someone else is skipped, not replaced."""
    if not plan.to_add:
        return 0
    with change(actor, Perm.RATES_MANAGE, "rate.import_ecb") as uow:
        session = uow.session
        present = set(
            session.exec(select(col(Rate.period_start)).where(Rate.kind == RateKind.ECB_REFI)).all()
        )
        added = 0
        for semester in plan.to_add:
            if semester.period_start in present:
                continue
            uow.add(
                Rate(
                    kind=RateKind.ECB_REFI,
                    period_start=semester.period_start,
                    period_end=semester.period_end,
                    rate_bp=semester.rate_bp,
                    source=semester.source,
                )
            )
            added += 1
    return added
