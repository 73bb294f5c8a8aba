"""The case list ("Dossiers") and the case page's data.

Filtering, counting, sorting and paging happen in SQL on the figures stored on `cases`
(kept in step by case_totals); only the shown columns of one page are fetched. Each filter
maps to an indexed column: phase+balance (ix_cases_phase_balance), assignee+next action
(ix_cases_assignee_next_action), phase+oldest due date, creditor_id, debtor_kind,
limitation_date. The free-text search is a LIKE on the lower-cased `search_text`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal

import xlsxwriter
from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from case_core.cases.history import action_label, describe_changes
from case_core.cases.lifecycle import allowed_transitions
from case_core.cases.loading import get_case
from case_core.cases.parties import PartySummary, summary_of
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import get_engine, read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.paging import page_count
from case_core.kernel.permissions import Perm, require
from case_core.models import (
    Case,
    Claim,
    ClosureReason,
    DebtorKind,
    InterestRegime,
    Party,
    Phase,
    User,
)
from case_core.statement.horizon import horizon_end

MAX_PAGE_SIZE = 200
EXPORT_BATCH = 2000

SortKey = Literal[
    "reference",
    "debtor",
    "creditor",
    "balance",
    "oldest_due_date",
    "next_action_date",
    "limitation_date",
    "created_at",
]
SORT_LABELS: dict[str, str] = {
    "reference": "Référence",
    "debtor": "Débiteur",
    "creditor": "Créancier",
    "balance": "Solde hors intérêts",
    "oldest_due_date": "Échéance la plus ancienne",
    "next_action_date": "Prochaine action",
    "limitation_date": "Prescription",
    "created_at": "Date de création",
}


@dataclass(frozen=True)
class CaseFilter:
    phases: tuple[Phase, ...] = ()
    assignee_id: int | None = None
    unassigned: bool = False
    creditor_id: int | None = None
    debtor_kind: DebtorKind | None = None
    min_balance_cents: int | None = None
    max_balance_cents: int | None = None
    min_days_overdue: int | None = None
    next_action_by: date | None = None
    near_limitation: bool = False
    search: str = ""
    sort: SortKey = "reference"
    descending: bool = False
    page: int = 1
    page_size: int = 25


@dataclass(frozen=True)
class CaseRow:
    reference: str
    debtor_name: str
    creditor_name: str
    debtor_kind: DebtorKind
    phase: Phase
    assignee_name: str | None
    principal_cents: int
    paid_cents: int
    balance_cents: int
    oldest_due_date: date | None
    days_overdue: int
    next_action_date: date | None
    limitation_date: date | None


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    pages: int
    page_size: int


_cases = Case.__table__  # type: ignore[attr-defined]
_debtors = Party.__table__.alias("debtor")  # type: ignore[attr-defined]
_creditors = Party.__table__.alias("creditor")  # type: ignore[attr-defined]
_users = User.__table__  # type: ignore[attr-defined]

_SORT_COLUMNS: dict[str, Any] = {
    "reference": _cases.c.reference,
    "debtor": _debtors.c.display_name,
    "creditor": _creditors.c.display_name,
    "balance": _cases.c.balance_cents,
    "oldest_due_date": _cases.c.oldest_due_date,
    "next_action_date": _cases.c.next_action_date,
    "limitation_date": _cases.c.limitation_date,
    "created_at": _cases.c.created_at,
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_needle(text: str) -> str:
    needle = " ".join((text or "").split()).lower()
    # A phone or SIREN typed with spaces or dots: search_text holds it without them.
    if needle and all(ch.isdigit() or ch in " .+" for ch in needle):
        needle = needle.replace(" ", "").replace(".", "")
    return needle


def _conditions(f: CaseFilter, today: date) -> list[ColumnElement[bool]]:
    c = _cases.c
    where: list[ColumnElement[bool]] = []
    if f.phases:
        where.append(c.phase.in_([Phase(p).value for p in f.phases]))
    if f.unassigned:
        where.append(c.assignee_id.is_(None))
    elif f.assignee_id is not None:
        where.append(c.assignee_id == f.assignee_id)
    if f.creditor_id is not None:
        where.append(c.creditor_id == f.creditor_id)
    if f.debtor_kind is not None:
        where.append(c.debtor_kind == DebtorKind(f.debtor_kind).value)
    if f.min_balance_cents is not None:
        where.append(c.balance_cents >= f.min_balance_cents)
    if f.max_balance_cents is not None:
        where.append(c.balance_cents <= f.max_balance_cents)
    if f.min_days_overdue is not None:
        where.append(overdue_at_least(c, f.min_days_overdue, today))
    if f.next_action_by is not None:
        where.append(c.next_action_date <= f.next_action_by)
    if f.near_limitation:
        where.append(c.limitation_date.between(today, horizon_end(today)))
    needle = _search_needle(f.search)
    if needle:
        where.append(c.search_text.like(f"%{_escape_like(needle)}%", escape="\\"))
    return where


def _check_filter(f: CaseFilter) -> None:
    errors: dict[str, str] = {}
    if f.sort not in _SORT_COLUMNS:
        errors["sort"] = "Tri inconnu."
    if f.page < 1:
        errors["page"] = "Numéro de page invalide."
    if not 1 <= f.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = f"Entre 1 et {MAX_PAGE_SIZE} dossiers par page."
    if (
        f.min_balance_cents is not None
        and f.max_balance_cents is not None
        and f.min_balance_cents > f.max_balance_cents
    ):
        errors["max_balance_cents"] = "Le solde maximum est inférieur au minimum."
    if f.min_days_overdue is not None and f.min_days_overdue < 0:
        errors["min_days_overdue"] = "Le nombre de jours de retard doit être positif."
    if errors:
        raise ValidationError(errors)


_COLUMNS = (
    _cases.c.reference,
    _debtors.c.display_name.label("debtor_name"),
    _creditors.c.display_name.label("creditor_name"),
    _cases.c.debtor_kind,
    _cases.c.phase,
    _users.c.full_name.label("assignee_name"),
    _cases.c.principal_cents,
    _cases.c.paid_cents,
    _cases.c.balance_cents,
    _cases.c.oldest_due_date,
    _cases.c.next_action_date,
    _cases.c.limitation_date,
)


def _order(f: CaseFilter) -> list[Any]:
    column = _SORT_COLUMNS[f.sort]
    tie = _cases.c.id
    return [column.desc(), tie.desc()] if f.descending else [column.asc(), tie.asc()]


def _joined(base: Any) -> Any:
    c = _cases.c
    return (
        base.join(_debtors, _debtors.c.id == c.debtor_id)
        .join(_creditors, _creditors.c.id == c.creditor_id)
        .outerjoin(_users, _users.c.id == c.assignee_id)
    )


def _rows_query(f: CaseFilter, today: date) -> Select[Any]:
    """Every row of the filter, sorted (exports)."""
    return (
        select(*_COLUMNS)
        .select_from(_joined(_cases))
        .where(and_(true(), *_conditions(f, today)))
        .order_by(*_order(f))
    )


def _page_query(f: CaseFilter, today: date, page: int) -> Select[Any]:
    """One page: the ids are sorted and cut on `cases` alone (an index can cover it), and
    only the page's rows are joined to the names."""
    base: Any = _cases
    if f.sort == "debtor":
        base = base.join(_debtors, _debtors.c.id == _cases.c.debtor_id)
    elif f.sort == "creditor":
        base = base.join(_creditors, _creditors.c.id == _cases.c.creditor_id)
    ids = (
        select(_cases.c.id)
        .select_from(base)
        .where(and_(true(), *_conditions(f, today)))
        .order_by(*_order(f))
        .limit(f.page_size)
        .offset((page - 1) * f.page_size)
        .subquery("page_ids")
    )
    return (
        select(*_COLUMNS)
        .select_from(_joined(_cases.join(ids, ids.c.id == _cases.c.id)))
        .order_by(*_order(f))
    )


def days_overdue(oldest_due: date | None, balance_cents: int, today: date) -> int:
    """Days since the oldest due date; a case that owes nothing is not overdue."""
    if oldest_due is None or balance_cents <= 0:
        return 0
    return max(0, (today - oldest_due).days)


def overdue_at_least(cases: Any, days: int, today: date) -> ColumnElement[bool]:
    """SQL form of `days_overdue(...) >= days` on the cases table (`days` ≥ 1 or 0)."""
    if days <= 0:
        return true()
    return and_(cases.balance_cents > 0, cases.oldest_due_date <= today - timedelta(days=days))


def _row(r: Any, today: date) -> CaseRow:
    return CaseRow(
        reference=r.reference,
        debtor_name=r.debtor_name,
        creditor_name=r.creditor_name,
        debtor_kind=DebtorKind(r.debtor_kind),
        phase=Phase(r.phase),
        assignee_name=r.assignee_name,
        principal_cents=r.principal_cents,
        paid_cents=r.paid_cents,
        balance_cents=r.balance_cents,
        oldest_due_date=r.oldest_due_date,
        days_overdue=days_overdue(r.oldest_due_date, r.balance_cents, today),
        next_action_date=r.next_action_date,
        limitation_date=r.limitation_date,
    )


def list_cases(actor: Actor, f: CaseFilter, today: date | None = None) -> CasePage:
    """One page of the filtered, sorted portfolio and the total count."""
    require(actor, Perm.CASES_READ)
    _check_filter(f)
    today = today or today_paris()
    with get_engine().connect() as conn:
        # Counting needs no join: every filter is on `cases` itself.
        total = int(
            conn.execute(
                select(func.count()).select_from(_cases).where(and_(true(), *_conditions(f, today)))
            ).scalar_one()
        )
        pages = page_count(total, f.page_size)
        page = min(f.page, pages)
        result = conn.execute(_page_query(f, today, page))
        rows = [_row(r, today) for r in result]
    return CasePage(rows=rows, total=total, page=page, pages=pages, page_size=f.page_size)


def iter_cases(actor: Actor, f: CaseFilter, today: date | None = None) -> Iterator[CaseRow]:
    """Every row of the filter (no paging), streamed from the database in batches."""
    require(actor, Perm.CASES_EXPORT)
    _check_filter(f)
    today = today or today_paris()
    with get_engine().connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=EXPORT_BATCH).execute(
            _rows_query(f, today)
        )
        for r in result:
            yield _row(r, today)


EXPORT_HEADERS = [
    "Référence",
    "Débiteur",
    "Créancier",
    "Type de débiteur",
    "Phase",
    "Chargé de dossier",
    "Principal",
    "Payé",
    "Solde hors intérêts",
    "Échéance la plus ancienne",
    "Jours de retard",
    "Prochaine action",
    "Prescription",
]
# Column widths of the XLSX export, in characters, in EXPORT_HEADERS order.
EXPORT_WIDTHS = [14, 36, 30, 16, 16, 24, 14, 14, 18, 14, 10, 14, 14]


def _plain_amount(cents: int) -> str:
    """'1234,56' — what French Excel reads as a number (no symbol, no grouping)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def _safe_text(value: str | None) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def export_cases(
    actor: Actor,
    f: CaseFilter,
    target: str | Path | IO[bytes],
    fmt: Literal["csv", "xlsx"] | None = None,
    today: date | None = None,
) -> int:
    """Write every case of the filter to CSV (UTF-8 with BOM, ';') or XLSX; rows written."""
    require(actor, Perm.CASES_EXPORT)
    if fmt is None:
        suffix = Path(target).suffix.lower() if isinstance(target, str | Path) else ".csv"
        fmt = "xlsx" if suffix == ".xlsx" else "csv"
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": "Format d'export inconnu (csv ou xlsx)."})
    rows = iter_cases(actor, replace(f, page=1), today)
    if isinstance(target, str | Path):
        with open(target, "wb") as handle:
            return _write(rows, handle, fmt)
    return _write(rows, target, fmt)


def _write(rows: Iterator[CaseRow], handle: IO[bytes], fmt: str) -> int:
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text, delimiter=";")
        writer.writerow(EXPORT_HEADERS)
        for r in rows:
            writer.writerow(
                [
                    r.reference,
                    _safe_text(r.debtor_name),
                    _safe_text(r.creditor_name),
                    r.debtor_kind.label,
                    r.phase.label,
                    _safe_text(r.assignee_name),
                    _plain_amount(r.principal_cents),
                    _plain_amount(r.paid_cents),
                    _plain_amount(r.balance_cents),
                    _csv_date(r.oldest_due_date),
                    r.days_overdue,
                    _csv_date(r.next_action_date),
                    _csv_date(r.limitation_date),
                ]
            )
            count += 1
        text.flush()
        text.detach()  # leave the caller's handle open
        return count
    # XlsxWriter, row by row to a temporary file (constant memory): openpyxl's write-only
    # sheet spent about 60 µs a cell, over 15 s of CPU for 45 000 cases.
    book = xlsxwriter.Workbook(handle, {"constant_memory": True})
    sheet = book.add_worksheet("Dossiers")
    money = book.add_format({"num_format": '#,##0.00 "€"'})
    day = book.add_format({"num_format": "DD/MM/YYYY"})
    bold = book.add_format({"bold": True})
    for column, width in enumerate(EXPORT_WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, EXPORT_HEADERS, bold)
    # write_string: a text is never run as a formula, whatever it starts with.
    text, number, amount, when = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_number,
        sheet.write_datetime,
    )
    for r in rows:
        count += 1
        text(count, 0, r.reference)
        text(count, 1, r.debtor_name or "")
        text(count, 2, r.creditor_name or "")
        text(count, 3, r.debtor_kind.label)
        text(count, 4, r.phase.label)
        text(count, 5, r.assignee_name or "")
        amount(count, 6, r.principal_cents / 100, money)
        amount(count, 7, r.paid_cents / 100, money)
        amount(count, 8, r.balance_cents / 100, money)
        if r.oldest_due_date:
            when(count, 9, r.oldest_due_date, day)
        number(count, 10, r.days_overdue)
        if r.next_action_date:
            when(count, 11, r.next_action_date, day)
        if r.limitation_date:
            when(count, 12, r.limitation_date, day)
    sheet.autofilter(0, 0, count, len(EXPORT_HEADERS) - 1)
    book.close()
    return count


# --- the case page ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimLine:
    id: int
    invoice_number: str
    issue_date: date
    due_date: date
    principal_cents: int
    description: str | None
    interest_regime: InterestRegime


@dataclass(frozen=True)
class HistoryLine:
    occurred_at: datetime
    actor_label: str
    action: str
    action_label: str
    changes: dict[str, Any]
    summary: str = ""  # the changes as a user reads them (audit_display)


@dataclass(frozen=True)
class CaseDetail:
    id: int
    reference: str
    creditor: PartySummary
    debtor: PartySummary
    debtor_kind: DebtorKind
    creditor_professional: bool
    phase: Phase
    closure_reason: ClosureReason | None
    assignee_id: int | None
    assignee_name: str | None
    principal_cents: int
    paid_cents: int
    balance_cents: int
    oldest_due_date: date | None
    days_overdue: int
    limitation_date: date | None
    next_action_date: date | None
    next_action_note: str | None
    version: int
    allowed_phases: list[Phase]


def case_view(actor: Actor, reference: str, today: date | None = None) -> CaseDetail:
    """The case page's header (the figures stored on the case, its parties and assignee),
    read in one transaction; each tab reads its own rows only when it is open."""
    require(actor, Perm.CASES_READ)
    today = today or today_paris()
    with read_session() as session:
        case = get_case(session, reference)
        assert case.id is not None
        creditor = session.get(Party, case.creditor_id)
        debtor = session.get(Party, case.debtor_id)
        assert creditor is not None and debtor is not None
        assignee = session.get(User, case.assignee_id) if case.assignee_id else None
        return CaseDetail(
            id=case.id,
            reference=case.reference,
            creditor=summary_of(creditor),
            debtor=summary_of(debtor),
            debtor_kind=DebtorKind(case.debtor_kind),
            creditor_professional=case.creditor_professional,
            phase=Phase(case.phase),
            closure_reason=ClosureReason(case.closure_reason) if case.closure_reason else None,
            assignee_id=case.assignee_id,
            assignee_name=assignee.full_name if assignee else None,
            principal_cents=case.principal_cents,
            paid_cents=case.paid_cents,
            balance_cents=case.balance_cents,
            oldest_due_date=case.oldest_due_date,
            days_overdue=days_overdue(case.oldest_due_date, case.balance_cents, today),
            limitation_date=case.limitation_date,
            next_action_date=case.next_action_date,
            next_action_note=case.next_action_note,
            version=case.version,
            allowed_phases=allowed_transitions(Phase(case.phase)),
        )


def case_claims(actor: Actor, reference: str) -> list[ClaimLine]:
    """The case's invoices, oldest due first."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        claims = session.scalars(
            select(Claim)
            .where(col(Claim.case_id) == case.id)
            .order_by(col(Claim.due_date), col(Claim.id))
        ).all()
        return [
            ClaimLine(
                id=c.id or 0,
                invoice_number=c.invoice_number,
                issue_date=c.issue_date,
                due_date=c.due_date,
                principal_cents=c.principal_cents,
                description=c.description,
                interest_regime=InterestRegime(c.interest_regime),
            )
            for c in claims
        ]


def case_history(actor: Actor, reference: str) -> list[HistoryLine]:
    """The case's audit events as a reader understands them, newest first. Only roles that
    may read the audit see it: it shows before/after values of contact data and IBANs."""
    require(actor, Perm.AUDIT_READ)
    with read_session() as session:
        case = get_case(session, reference)
        assert case.id is not None
        history = []
        for e in audit.case_history(session, case.id):
            changes = json.loads(e.changes or "{}")
            history.append(
                HistoryLine(
                    occurred_at=e.occurred_at,
                    actor_label=e.actor_label,
                    action=e.action,
                    action_label=action_label(e.action),
                    changes=changes,
                    summary=describe_changes(changes),
                )
            )
        return history


def creditor_choices(actor: Actor) -> list[PartySummary]:
    """Parties that are creditor of at least one case (for the creditor filter)."""
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        ids = select(col(Case.creditor_id)).distinct()
        parties = session.scalars(
            select(Party).where(Party.id.in_(ids)).order_by(Party.display_name)  # type: ignore[union-attr]
        ).all()
        return [summary_of(p) for p in parties]
