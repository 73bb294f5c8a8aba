"""The dashboard's plotly figures and the small tables under them, built from the figures
case_core.reports computed (no arithmetic on money here: amounts are only formatted, or
turned into euros for an axis). A builder returns None when there is nothing to draw."""

from __future__ import annotations

from datetime import date
from typing import Any

import plotly.graph_objects as go

from case_core.journal.promises import PromiseStatus
from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents
from case_core.reports.buckets import month_label
from case_core.reports.dashboard import Dashboard
from case_core.reports.mediations import ENDED_OUTCOMES, outcome_label
from case_core.reports.tables import euros
from pages.components.charts import EURO_AXIS, layout, percent

Rows = list[dict[str, Any]]


def ageing(board: Dashboard) -> go.Figure:
    report = board.ageing
    figure = go.Figure()
    labels = [b.bucket.label for b in report.buckets]
    for phase in report.phases:
        cells = [report.cell(b.bucket, phase) for b in report.buckets]
        figure.add_bar(
            name=phase.label,
            x=labels,
            y=[euros(c.outstanding_cents) for c in cells],
            customdata=[[format_cents(c.outstanding_cents), c.cases, c.invoices] for c in cells],
            hovertemplate="%{x} — %{fullData.name}<br>%{customdata[0]}<br>"
            "%{customdata[1]} dossier(s), %{customdata[2]} facture(s)<extra></extra>",
        )
    return layout(figure, barmode="stack", yaxis=EURO_AXIS, legend_title_text="Phase")


def ageing_rows(board: Dashboard) -> Rows:
    report = board.ageing
    return [
        {
            "Ancienneté": b.bucket.label,
            "Encours": format_cents(b.outstanding_cents),
            "Dossiers": b.cases,
            "Factures": b.invoices,
        }
        for b in report.buckets
    ] + [
        {
            "Ancienneté": "Total",
            "Encours": format_cents(report.total_cents),
            "Dossiers": report.total_cases,
            "Factures": report.total_invoices,
        }
    ]


def cash(board: Dashboard) -> go.Figure:
    figure = go.Figure()
    months = [month_label(m.month) for m in board.cash]
    figure.add_bar(
        name="Encaissé",
        x=months,
        y=[euros(m.collected_cents) for m in board.cash],
        customdata=[format_cents(m.collected_cents) for m in board.cash],
        hovertemplate="%{x} : %{customdata}<extra>Encaissé</extra>",
    )
    figure.add_bar(
        name="Attendu (échéanciers)",
        x=months,
        y=[euros(m.expected_cents) for m in board.cash],
        customdata=[format_cents(m.expected_cents) for m in board.cash],
        hovertemplate="%{x} : %{customdata}<extra>Attendu</extra>",
    )
    ahead = [month_label(f.month) for f in board.forecast]
    figure.add_scatter(
        name="Prévu (échéanciers et promesses)",
        x=ahead,
        y=[euros(f.total_cents) for f in board.forecast],
        customdata=[
            [
                format_cents(f.total_cents),
                format_cents(f.plans_cents),
                format_cents(f.promises_cents),
            ]
            for f in board.forecast
        ],
        hovertemplate="%{x} : %{customdata[0]}<br>échéanciers %{customdata[1]}, "
        "promesses %{customdata[2]}<extra>Prévision</extra>",
        mode="lines+markers",
        line={"dash": "dash"},
    )
    return layout(
        figure,
        barmode="group",
        yaxis=EURO_AXIS,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": months + ahead},
    )


def cohorts(board: Dashboard, today: date) -> go.Figure | None:
    if not board.cohorts:
        return None
    ages = list(range(0, 13))
    z = [
        [
            None if n > (today.year - c.month.year) * 12 + today.month - c.month.month else r
            for n in ages
            for r in [c.cumulative_rate(n)]
        ]
        for c in board.cohorts
    ]
    figure = go.Figure(
        go.Heatmap(
            z=[[None if v is None else v * 100 for v in row] for row in z],
            x=[f"M+{n}" for n in ages],
            y=[month_label(c.month) for c in board.cohorts],
            colorscale="Blues",
            colorbar={"ticksuffix": " %"},
            customdata=[[percent(v) for v in row] for row in z],
            hovertemplate="Confiés en %{y}, %{x} : %{customdata}<extra></extra>",
        )
    )
    return layout(figure, yaxis={"type": "category", "autorange": "reversed"})


def cohort_rows(board: Dashboard) -> Rows:
    return [
        {
            "Mois de confiance": month_label(c.month),
            "Dossiers": c.cases,
            "Confié": format_cents(c.placed_cents),
            "Encaissé": format_cents(c.collected_cents),
            "Taux": percent(c.recovery_rate),
        }
        for c in board.cohorts
    ]


def promises(board: Dashboard) -> go.Figure | None:
    if not board.promises:
        return None
    figure = go.Figure()
    for status in (
        PromiseStatus.KEPT,
        PromiseStatus.PARTLY_KEPT,
        PromiseStatus.BROKEN,
        PromiseStatus.OPEN,
    ):
        figure.add_bar(
            name=status.label,
            x=[p.collector for p in board.promises],
            y=[p.counts.get(status, 0) for p in board.promises],
            hovertemplate="%{x} : %{y} promesse(s)<extra>%{fullData.name}</extra>",
        )
    return layout(figure, barmode="stack", yaxis={"title": "Promesses"})


def promise_rows(board: Dashboard) -> Rows:
    return [
        {
            "Chargé": p.collector,
            "Faites": p.made,
            "Promis": format_cents(p.promised_cents),
            "Reçu": format_cents(p.paid_cents),
            "Taux tenues": percent(p.kept_rate),
        }
        for p in board.promises
    ]


def activity(board: Dashboard) -> go.Figure | None:
    if not board.activity.daily:
        return None
    figure = go.Figure()
    per_day = board.activity.per_day_and_channel()
    for channel in sorted({ch for _d, ch, _n in per_day}, key=lambda c: c.label):
        points = [(d, n) for d, ch, n in per_day if ch == channel]
        figure.add_bar(
            name=channel.label,
            x=[format_date(d) for d, _n in points],
            y=[n for _d, n in points],
            hovertemplate="%{x} : %{y} contact(s)<extra>%{fullData.name}</extra>",
        )
    days = sorted({d for d, _ch, _n in per_day})
    busiest = max(sum(n for d, _ch, n in per_day if d == day) for day in days)
    return layout(
        figure,
        barmode="stack",
        # Counts: whole ticks when the bars are short (no 0,2 contact).
        yaxis={"title": "Contacts", "dtick": 1 if busiest <= 10 else None},
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [format_date(d) for d in days],
        },
    )


def collector_rows(board: Dashboard) -> Rows:
    return [
        {
            "Chargé": c.collector,
            "Contacts": c.contacts,
            "Appels": c.calls,
            "Débiteur joint": c.right_party_calls,
            "Taux de contact utile": percent(c.right_party_rate),
        }
        for c in board.activity.collectors
    ]


def dso(board: Dashboard) -> go.Figure | None:
    if not board.dso:
        return None
    figure = go.Figure(
        go.Bar(
            x=[d.dso_days for d in board.dso],
            y=[d.creditor for d in board.dso],
            orientation="h",
            customdata=[format_cents(d.receivables_cents) for d in board.dso],
            hovertemplate="%{y} : %{x:.1f} jours<br>encours %{customdata}<extra></extra>",
        )
    )
    return layout(figure, xaxis={"title": "jours"}, yaxis={"autorange": "reversed"})


def cei(board: Dashboard) -> go.Figure:
    figure = go.Figure(
        go.Scatter(
            x=[month_label(m.month) for m in board.cei],
            y=[m.cei for m in board.cei],
            mode="lines+markers",
            hovertemplate="%{x} : %{y:.1f} %<extra>CEI</extra>",
        )
    )
    return layout(figure, yaxis={"ticksuffix": " %"}, xaxis={"type": "category"})


def mediations(board: Dashboard) -> go.Figure | None:
    """Mediations ended per month by outcome (stacked), sessions held as a line."""
    figures = board.mediations
    if figures.is_empty:
        return None
    months = [month_label(m.month) for m in figures.months]
    figure = go.Figure()
    for outcome in ENDED_OUTCOMES:
        if outcome is None and not figures.count(None):
            continue
        figure.add_bar(
            name=outcome_label(outcome),
            x=months,
            y=[m.ended.get(outcome, 0) for m in figures.months],
            hovertemplate="%{x} : %{y} médiation(s) terminée(s)<extra>%{fullData.name}</extra>",
        )
    figure.add_scatter(
        name="Séances tenues",
        x=months,
        y=[m.sessions_held for m in figures.months],
        mode="lines+markers",
        hovertemplate="%{x} : %{y} séance(s) tenue(s)<extra></extra>",
    )
    busiest = max(max(m.ended_total, m.sessions_held) for m in figures.months)
    return layout(
        figure,
        barmode="stack",
        yaxis={"title": "Nombre", "dtick": 1 if busiest <= 10 else None},
        xaxis={"type": "category"},
    )


def mediation_amounts(board: Dashboard) -> go.Figure | None:
    """Per month, the principal claimed against the amount agreed on the agreements."""
    figures = board.mediations
    if not any(m.with_agreement for m in figures.months):
        return None
    months = [month_label(m.month) for m in figures.months]
    figure = go.Figure()
    for name, values in (
        ("Réclamé", [m.claimed_cents for m in figures.months]),
        ("Accordé", [m.agreed_cents for m in figures.months]),
    ):
        figure.add_bar(
            name=name,
            x=months,
            y=[euros(v) for v in values],
            customdata=[format_cents(v) for v in values],
            hovertemplate="%{x} : %{customdata}<extra>%{fullData.name}</extra>",
        )
    return layout(figure, barmode="group", yaxis=EURO_AXIS, xaxis={"type": "category"})


def handovers(board: Dashboard) -> go.Figure | None:
    """Amounts referred and recovered after, per month of the first hand-over."""
    figures = board.handovers
    if not figures.cases:
        return None
    months = [month_label(m.month) for m in figures.months]
    figure = go.Figure()
    figure.add_bar(
        name="Transmis",
        x=months,
        y=[euros(m.referred_cents) for m in figures.months],
        customdata=[[format_cents(m.referred_cents), m.cases] for m in figures.months],
        hovertemplate="%{x} : %{customdata[0]}<br>%{customdata[1]} dossier(s)"
        "<extra>Transmis</extra>",
    )
    figure.add_bar(
        name="Recouvré depuis",
        x=months,
        y=[euros(m.recovered_cents) for m in figures.months],
        customdata=[
            [format_cents(m.recovered_cents), percent(m.recovery_rate)] for m in figures.months
        ],
        hovertemplate="%{x} : %{customdata[0]} (%{customdata[1]})<extra>Recouvré</extra>",
    )
    return layout(figure, barmode="group", yaxis=EURO_AXIS, xaxis={"type": "category"})
