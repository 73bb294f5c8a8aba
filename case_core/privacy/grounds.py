"""The grounds to keep a person's data, against which an erasure request is checked
(GDPR art. 17.3: a legal obligation, the establishment or defence of legal claims)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents
from case_core.models import Case, Claim, Phase
from case_core.privacy.access import party_cases

# Code de commerce L123-22: accounting documents and vouchers (invoices) are kept ten years.
ACCOUNTING_RETENTION_YEARS = 10


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def case_obstacles(session: Session, case: Case, today: date) -> list[str]:
    """Why `case`'s data must be kept today, in French; empty when nothing stops erasure."""
    reasons: list[str] = []
    if case.legal_hold_reason is not None:
        reasons.append(
            f"Le dossier {case.reference} est sous conservation légale : {case.legal_hold_reason}."
        )
    if case.phase != Phase.CLOSED:
        reasons.append(
            f"Le dossier {case.reference} est en cours (phase « {Phase(case.phase).label} ») : "
            "la créance est toujours poursuivie."
        )
    elif case.balance_cents > 0 and (case.limitation_date is None or case.limitation_date >= today):
        barred = f" jusqu'au {format_date(case.limitation_date)}" if case.limitation_date else ""
        reasons.append(
            f"La créance du dossier {case.reference} ({format_cents(case.balance_cents)} "
            f"impayés) n'est pas prescrite{barred} : les données restent nécessaires à la "
            "constatation ou à la défense d'un droit en justice."
        )
    last_invoice = session.exec(
        select(func.max(Claim.issue_date)).where(Claim.case_id == case.id)
    ).one()
    if last_invoice is not None:
        until = add_years(last_invoice, ACCOUNTING_RETENTION_YEARS)
        if until > today:
            reasons.append(
                f"Les factures du dossier {case.reference} (la dernière émise le "
                f"{format_date(last_invoice)}) doivent être conservées dix ans (Code de "
                f"commerce, art. L123-22) : jusqu'au {format_date(until)}."
            )
    return reasons


def erasure_obstacles(session: Session, party_id: int, today: date) -> list[str]:
    """Every reason to refuse erasing the party's data, over all their cases."""
    reasons: list[str] = []
    for case in party_cases(session, party_id):
        reasons.extend(case_obstacles(session, case, today))
    return reasons
