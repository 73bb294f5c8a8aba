"""Each dashboard figure as a plain table (French headers, typed cells), and that table
written as CSV (UTF-8 with BOM, ';', amounts as 1234,56 — what French Excel reads as
numbers) or XLSX (numbers with € and % formats), the way the portfolio export writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from case_core.cases.export import _plain_amount
from case_core.journal.promises import PromiseStatus
from case_core.kernel.text import safe_cell, without_forbidden
from case_core.models import Phase
from case_core.reports.activity import Activity
from case_core.reports.ageing import Ageing
from case_core.reports.buckets import ALL_BUCKETS, month_label, rate
from case_core.reports.cash import CashMonth, ForecastMonth
from case_core.reports.cohorts import MAX_AGE_MONTHS, Cohort
from case_core.reports.handovers import Handovers
from case_core.reports.kpis import CeiMonth, CreditorDso, PlanCount, Risks
from case_core.reports.mediations import ENDED_OUTCOMES, MediationFigures, outcome_label
from case_core.reports.promises import CollectorPromises

Kind = Literal["text", "int", "cents", "rate", "days", "date", "month"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    name: str  # file name stem and sheet title
    columns: list[tuple[str, Kind]]
    rows: list[tuple[Any, ...]]


def _csv_cell(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "cents":
        return _plain_amount(int(value))
    if kind == "rate":
        return f"{value * 100:.2f}".replace(".", ",")
    if kind == "days":
        return f"{value:.1f}".replace(".", ",")
    if kind == "date":
        return value.strftime("%d/%m/%Y")
    if kind == "month":
        return month_label(value)
    if kind == "int":
        return str(int(value))
    return safe_cell(str(value))


def to_csv(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    headers = [
        f"{name} (%)" if kind == "rate" else f"{name} (€)" if kind == "cents" else name
        for name, kind in table.columns
    ]
    writer.writerow(headers)
    for row in table.rows:
        writer.writerow([_csv_cell(v, k) for v, (_n, k) in zip(row, table.columns, strict=True)])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name[:31])
    sheet.append([name for name, _kind in table.columns])
    formats = {
        "cents": '#,##0.00 "€"',
        "rate": "0.0%",
        "days": "0.0",
        "date": "DD/MM/YYYY",
        "month": "MM/YYYY",
    }
    for row in table.rows:
        cells = []
        for value, (_name, kind) in zip(row, table.columns, strict=True):
            if kind == "cents" and value is not None:
                value = Decimal(int(value)).scaleb(-2)
            if isinstance(value, str):
                value = without_forbidden(value)
            cell = WriteOnlyCell(sheet, value=value)
            if kind == "text":
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif kind in formats:
                cell.number_format = formats[kind]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def euros(cents: int) -> float:
    """For a chart axis only: every figure stays in cents."""
    return cents / 100


# ---- one table per figure -------------------------------------------------------------------


def ageing_table(report: Ageing) -> Table:
    order = {b.key: n for n, b in enumerate(ALL_BUCKETS)}
    phases = list(Phase)
    cells = sorted(report.cells, key=lambda c: (order[c.bucket.key], phases.index(c.phase)))
    rows: list[tuple[Any, ...]] = [
        (c.bucket.label, c.phase.label, c.outstanding_cents, c.cases, c.invoices) for c in cells
    ]
    rows.append(("Total", "", report.total_cents, report.total_cases, report.total_invoices))
    return Table(
        "encours_par_anciennete",
        [
            ("Ancienneté", "text"),
            ("Phase", "text"),
            ("Encours", "cents"),
            ("Dossiers", "int"),
            ("Factures", "int"),
        ],
        rows,
    )


def cash_table(months: Sequence[CashMonth], forecast: Sequence[ForecastMonth]) -> Table:
    rows: list[tuple[Any, ...]] = [
        (m.month, "Réalisé", m.collected_cents, m.expected_cents, None, None) for m in months
    ]
    rows += [(f.month, "Prévision", None, None, f.plans_cents, f.promises_cents) for f in forecast]
    return Table(
        "encaissements",
        [
            ("Mois", "month"),
            ("Nature", "text"),
            ("Encaissé", "cents"),
            ("Attendu des échéanciers", "cents"),
            ("Prévu : échéanciers", "cents"),
            ("Prévu : promesses", "cents"),
        ],
        rows,
    )


def cohort_table(cohorts: Sequence[Cohort]) -> Table:
    ages = range(0, min(MAX_AGE_MONTHS, 12) + 1)
    return Table(
        "cohortes",
        [
            ("Mois de confiance", "month"),
            ("Dossiers", "int"),
            ("Montant confié", "cents"),
            ("Encaissé", "cents"),
            ("Taux de recouvrement", "rate"),
            *[(f"Cumul à M+{n}", "rate") for n in ages],
        ],
        [
            (
                c.month,
                c.cases,
                c.placed_cents,
                c.collected_cents,
                c.recovery_rate,
                *[c.cumulative_rate(n) for n in ages],
            )
            for c in cohorts
        ],
    )


def promises_table(rows: Sequence[CollectorPromises]) -> Table:
    return Table(
        "promesses",
        [
            ("Chargé", "text"),
            ("Faites", "int"),
            ("Tenues", "int"),
            ("Partiellement tenues", "int"),
            ("Non tenues", "int"),
            ("En cours", "int"),
            ("Montant promis", "cents"),
            ("Reçu", "cents"),
            ("Taux de promesses tenues", "rate"),
        ],
        [
            (
                r.collector,
                r.made,
                r.counts.get(PromiseStatus.KEPT, 0),
                r.counts.get(PromiseStatus.PARTLY_KEPT, 0),
                r.counts.get(PromiseStatus.BROKEN, 0),
                r.counts.get(PromiseStatus.OPEN, 0),
                r.promised_cents,
                r.paid_cents,
                r.kept_rate,
            )
            for r in rows
        ],
    )


def activity_table(activity: Activity) -> Table:
    return Table(
        "activite",
        [
            ("Jour", "date"),
            ("Chargé", "text"),
            ("Canal", "text"),
            ("Résultat", "text"),
            ("Contacts", "int"),
        ],
        [
            (d.day, d.collector, d.channel.label, d.outcome.label, d.contacts)
            for d in activity.daily
        ],
    )


def collectors_table(activity: Activity) -> Table:
    return Table(
        "contacts_par_charge",
        [
            ("Chargé", "text"),
            ("Contacts", "int"),
            ("Appels", "int"),
            ("Appels ayant joint le débiteur", "int"),
            ("Taux de contact utile", "rate"),
        ],
        [
            (c.collector, c.contacts, c.calls, c.right_party_calls, c.right_party_rate)
            for c in activity.collectors
        ],
    )


def dso_table(rows: Sequence[CreditorDso]) -> Table:
    return Table(
        "dso_par_creancier",
        [("Créancier", "text"), ("Encours", "cents"), ("DSO (jours)", "days")],
        [(r.creditor, r.receivables_cents, r.dso_days) for r in rows],
    )


def cei_table(rows: Sequence[CeiMonth]) -> Table:
    return Table(
        "cei_par_mois",
        [
            ("Mois", "month"),
            ("Encours d'ouverture", "cents"),
            ("Confié", "cents"),
            ("Encaissé", "cents"),
            ("Encours de clôture", "cents"),
            ("dont non échu", "cents"),
            ("CEI", "days"),
        ],
        [
            (
                r.month,
                r.opening_cents,
                r.placed_cents,
                r.collected_cents,
                r.closing_cents,
                r.closing_current_cents,
                r.cei,
            )
            for r in rows
        ],
    )


def plans_risks_table(plans: Sequence[PlanCount], risks: Risks) -> Table:
    rows: list[tuple[Any, ...]] = [
        (f"Échéanciers : {p.status.label}", p.plans, p.remaining_cents) for p in plans
    ]
    rows += [
        (
            f"Prescription dans les {risks.horizon_days} jours",
            risks.near_limitation_cases,
            risks.near_limitation_cents,
        ),
        ("Prescription acquise (solde restant)", risks.time_barred_cases, None),
        ("Contestations en cours", risks.open_disputes, None),
    ]
    return Table(
        "echeanciers_et_risques",
        [("Indicateur", "text"), ("Nombre", "int"), ("Montant", "cents")],
        rows,
    )


def mediations_table(figures: MediationFigures) -> Table:
    return Table(
        "mediations",
        [
            ("Mois", "month"),
            ("Séances tenues", "int"),
            ("Médiations terminées", "int"),
            *[(f"Terminées : {outcome_label(o)}", "int") for o in ENDED_OUTCOMES],
            ("Taux d'accord", "rate"),
            ("Accords enregistrés", "int"),
            ("Montant réclamé", "cents"),
            ("Montant accordé", "cents"),
        ],
        [
            (
                m.month,
                m.sessions_held,
                m.ended_total,
                *[m.ended.get(o, 0) for o in ENDED_OUTCOMES],
                rate(m.agreed, m.ended_total),
                m.with_agreement,
                m.claimed_cents,
                m.agreed_cents,
            )
            for m in figures.months
        ],
    )


def handovers_table(figures: Handovers) -> Table:
    return Table(
        "transmissions",
        [
            ("Mois", "month"),
            ("Dossiers transmis", "int"),
            ("Montant transmis", "cents"),
            ("Recouvré après transmission", "cents"),
            ("Taux de recouvrement", "rate"),
            ("Déclaré par les destinataires", "cents"),
            ("Titres obtenus", "int"),
        ],
        [
            (
                m.month,
                m.cases,
                m.referred_cents,
                m.recovered_cents,
                m.recovery_rate,
                m.declared_cents,
                m.titles,
            )
            for m in figures.months
        ],
    )
