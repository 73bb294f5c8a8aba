"""Tableau de bord: where the money is, how fast it comes back, who does what.

Every figure comes from case_core.reports (SQL aggregates, one read per run); this page
reads the filters, draws the charts and offers each chart's table as CSV and XLSX.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from case_core.journal.promises import PromiseStatus
from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents
from case_core.models import DebtorKind, Phase
from case_core.reports import definitions
from case_core.reports.activity import daily_window
from case_core.reports.buckets import add_months, month_label, month_start
from case_core.reports.dashboard import Dashboard, build_dashboard, data_version, filter_choices
from case_core.reports.filters import DEFAULT_MONTHS, DashboardFilter
from case_core.reports.tables import (
    XLSX_MIME,
    Table,
    activity_table,
    ageing_table,
    cash_table,
    cei_table,
    cohort_table,
    collectors_table,
    dso_table,
    euros,
    plans_risks_table,
    promises_table,
    to_csv,
    to_xlsx,
)
from pages.components.session import current_actor, show_case_error

# Filters live in plain session-state keys: a widget's own key is dropped when the user
# leaves the page, these survive and refill the widgets on the way back.
SAVED = "dash_filters"
EURO_AXIS: dict[str, Any] = {"tickformat": ",.0f", "ticksuffix": " €"}


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}".replace(".", ",") + " %"


def _layout(figure: go.Figure, **kw: Any) -> go.Figure:
    # separators: decimal comma, space between thousands, on axes and hover labels.
    figure.update_layout(separators=", ", height=380, margin={"t": 30}, **kw)
    return figure


def _downloads(table: Table, label: str = "Données") -> None:
    """CSV and XLSX of the chart's table, each built only when its button is clicked."""

    def csv_bytes(t: Table = table) -> bytes:
        return to_csv(t)

    def xlsx_bytes(t: Table = table) -> bytes:
        return to_xlsx(t)

    with st.container(horizontal=True):
        st.download_button(
            f"{label} (CSV)",
            csv_bytes,
            file_name=f"{table.name}.csv",
            mime="text/csv",
            key=f"dl_csv_{table.name}",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            f"{label} (XLSX)",
            xlsx_bytes,
            file_name=f"{table.name}.xlsx",
            mime=XLSX_MIME,
            key=f"dl_xlsx_{table.name}",
            icon=":material/download:",
            on_click="ignore",
        )


def _open_portfolio(
    phase: Phase,
    min_days: int,
    creditor_id: int | None,
    assignee_id: int | None,
    kind: DebtorKind | None,
) -> None:
    """« Dossiers » filtered on a clicked bar: the phase, at least the bucket's days late
    (the list filters on each case's oldest due date), and the dashboard's own filters.
    The portfolio refills its widgets from its saved filters when they are absent."""
    saved = {
        "portfolio_phases": [phase],
        "portfolio_min_days": min_days,
        "portfolio_creditor": creditor_id,
        "portfolio_assignee": assignee_id,
        "portfolio_kind": kind,
        "portfolio_search": "",
        "portfolio_page": 1,
    }
    for key in list(st.session_state.keys()):
        if str(key).startswith("portfolio_"):
            del st.session_state[key]
    st.session_state["_portfolio_saved"] = saved
    st.switch_page("pages/portfolio.py")


@st.cache_data(max_entries=64, show_spinner="Calcul du tableau de bord…")
def _board(
    _actor: Actor,
    actor_id: int | None,
    role: str,
    database: str,
    version: int,
    today: date,
    board_filter: DashboardFilter,
) -> Dashboard:
    """The figures, cached per user, filter, day, database and data version (the newest
    audit event: any write moves it, so nothing stale is ever shown)."""
    return build_dashboard(_actor, board_filter, today)


def _widget(key: str, default: Any, render: Callable[[str], Any]) -> Any:
    """Render a filter widget whose value is kept in the plain dict SAVED."""
    saved = st.session_state.setdefault(SAVED, {})
    widget_key = f"_w_{key}"
    if widget_key not in st.session_state:
        st.session_state[widget_key] = saved.get(key, default)
    value = render(widget_key)
    saved[key] = value
    return value


actor = current_actor()
st.title("Tableau de bord")
try:
    choices = filter_choices(actor)
except CaseError as exc:
    show_case_error(exc)
    st.stop()
creditor_names = dict(choices.creditors)
assignee_names = dict(choices.assignees)
today = today_paris()

with st.expander("Filtres", expanded=False):
    c1, c2, c3 = st.columns(3)
    creditor_id = _widget(
        "creditor",
        None,
        lambda k: c1.selectbox(
            "Créancier",
            [None, *creditor_names],
            format_func=lambda v: "Tous" if v is None else creditor_names[v],
            key=k,
        ),
    )
    assignee_id = _widget(
        "assignee",
        None,
        lambda k: c2.selectbox(
            "Chargé de dossier",
            [None, *assignee_names],
            format_func=lambda v: "Tous" if v is None else assignee_names[v],
            key=k,
        ),
    )
    debtor_kind = _widget(
        "kind",
        None,
        lambda k: c3.selectbox(
            "Type de débiteur",
            [None, *DebtorKind],
            format_func=lambda v: "Tous" if v is None else v.label,
            key=k,
        ),
    )
    c1, c2, c3 = st.columns(3)
    phases = _widget(
        "phases",
        [],
        lambda k: c1.multiselect(
            "Phases",
            list(Phase),
            format_func=lambda p: p.label,
            key=k,
            placeholder="Toutes",
            select_all=False,
        ),
    )
    period_start = _widget(
        "start",
        add_months(month_start(today), -(DEFAULT_MONTHS - 1)),
        lambda k: c2.date_input("Période : du", format="DD/MM/YYYY", key=k),
    )
    period_end = _widget("end", today, lambda k: c3.date_input("au", format="DD/MM/YYYY", key=k))

try:
    board = _board(
        actor,
        actor.id,
        actor.role.value,
        config.database_url(),
        data_version(),
        today,
        DashboardFilter(
            creditor_id=creditor_id,
            assignee_id=assignee_id,
            debtor_kind=debtor_kind,
            phases=tuple(phases),
            period_start=period_start if isinstance(period_start, date) else None,
            period_end=period_end if isinstance(period_end, date) else None,
        ),
    )
except CaseError as exc:
    show_case_error(exc)
    st.stop()

scope = board.scope
st.caption(
    ("Vos dossiers uniquement. " if scope.own_portfolio else "")
    + f"Période du {format_date(scope.period_start)} au {format_date(scope.period_end)} ; "
    f"encours au {format_date(scope.today)}."
)

# ---- 1. outstanding by ageing ---------------------------------------------------------------
ageing = board.ageing
st.subheader("Encours par ancienneté", help=definitions.AGEING)
m1, m2, m3 = st.columns(3)
m1.metric("Encours total", format_cents(ageing.total_cents))
m2.metric("Dossiers avec un solde", f"{ageing.total_cases:,}".replace(",", " "))
m3.metric(
    "Sans contact depuis 30 jours",
    f"{board.activity.silence.cases:,}".replace(",", " "),
    help=definitions.ACTIVITY,
)
figure = go.Figure()
labels = [b.bucket.label for b in ageing.buckets]
for phase in ageing.phases:
    cells = [ageing.cell(b.bucket, phase) for b in ageing.buckets]
    figure.add_bar(
        name=phase.label,
        x=labels,
        y=[euros(c.outstanding_cents) for c in cells],
        customdata=[[format_cents(c.outstanding_cents), c.cases, c.invoices] for c in cells],
        hovertemplate="%{x} — %{fullData.name}<br>%{customdata[0]}<br>"
        "%{customdata[1]} dossier(s), %{customdata[2]} facture(s)<extra></extra>",
    )
_layout(figure, barmode="stack", yaxis=EURO_AXIS, legend_title_text="Phase")
clicked = st.plotly_chart(
    figure, key="dash_ageing", on_select="rerun", selection_mode="points"
).selection.points
st.caption("Un clic sur une barre ouvre les dossiers de cette phase et de ce retard au moins.")
if clicked:
    point = clicked[0]
    _open_portfolio(
        ageing.phases[point["curve_number"]],
        ageing.buckets[point["point_index"]].bucket.min_days or 0,
        creditor_id,
        assignee_id,
        debtor_kind,
    )
st.dataframe(
    [
        {
            "Ancienneté": b.bucket.label,
            "Encours": format_cents(b.outstanding_cents),
            "Dossiers": b.cases,
            "Factures": b.invoices,
        }
        for b in ageing.buckets
    ]
    + [
        {
            "Ancienneté": "Total",
            "Encours": format_cents(ageing.total_cents),
            "Dossiers": ageing.total_cases,
            "Factures": ageing.total_invoices,
        }
    ],
    hide_index=True,
    width="stretch",
)
_downloads(ageing_table(ageing))

# ---- 2. cash ------------------------------------------------------------------------------
st.subheader("Encaissements et prévision", help=definitions.CASH)
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
        [format_cents(f.total_cents), format_cents(f.plans_cents), format_cents(f.promises_cents)]
        for f in board.forecast
    ],
    hovertemplate="%{x} : %{customdata[0]}<br>échéanciers %{customdata[1]}, "
    "promesses %{customdata[2]}<extra>Prévision</extra>",
    mode="lines+markers",
    line={"dash": "dash"},
)
_layout(
    figure,
    barmode="group",
    yaxis=EURO_AXIS,
    xaxis={"type": "category", "categoryorder": "array", "categoryarray": months + ahead},
)
st.plotly_chart(figure, key="dash_cash")
_downloads(cash_table(board.cash, board.forecast))

# ---- 3. cohorts ---------------------------------------------------------------------------
st.subheader("Taux de recouvrement par mois de confiance", help=definitions.COHORTS)
cohorts = board.cohorts
if cohorts:
    ages = list(range(0, 13))
    rows = [month_label(c.month) for c in cohorts]
    z = [
        [
            None if n > (today.year - c.month.year) * 12 + today.month - c.month.month else r
            for n in ages
            for r in [c.cumulative_rate(n)]
        ]
        for c in cohorts
    ]
    figure = go.Figure(
        go.Heatmap(
            z=[[None if v is None else v * 100 for v in row] for row in z],
            x=[f"M+{n}" for n in ages],
            y=rows,
            colorscale="Blues",
            colorbar={"ticksuffix": " %"},
            customdata=[[_percent(v) for v in row] for row in z],
            hovertemplate="Confiés en %{y}, %{x} : %{customdata}<extra></extra>",
        )
    )
    _layout(figure, yaxis={"type": "category", "autorange": "reversed"})
    st.plotly_chart(figure, key="dash_cohorts")
    st.dataframe(
        [
            {
                "Mois de confiance": month_label(c.month),
                "Dossiers": c.cases,
                "Confié": format_cents(c.placed_cents),
                "Encaissé": format_cents(c.collected_cents),
                "Taux": _percent(c.recovery_rate),
            }
            for c in cohorts
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("Aucun dossier confié dans la période.")
_downloads(cohort_table(cohorts))

# ---- 4. promises --------------------------------------------------------------------------
st.subheader("Promesses de paiement par chargé", help=definitions.PROMISES)
promises = board.promises
if promises:
    figure = go.Figure()
    for status in (
        PromiseStatus.KEPT,
        PromiseStatus.PARTLY_KEPT,
        PromiseStatus.BROKEN,
        PromiseStatus.OPEN,
    ):
        figure.add_bar(
            name=status.label,
            x=[p.collector for p in promises],
            y=[p.counts.get(status, 0) for p in promises],
            hovertemplate="%{x} : %{y} promesse(s)<extra>%{fullData.name}</extra>",
        )
    _layout(figure, barmode="stack", yaxis={"title": "Promesses"})
    st.plotly_chart(figure, key="dash_promises")
    st.dataframe(
        [
            {
                "Chargé": p.collector,
                "Faites": p.made,
                "Promis": format_cents(p.promised_cents),
                "Reçu": format_cents(p.paid_cents),
                "Taux tenues": _percent(p.kept_rate),
            }
            for p in promises
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("Aucune promesse de paiement faite dans la période.")
_downloads(promises_table(promises))

# ---- 5. activity --------------------------------------------------------------------------
st.subheader("Activité des chargés", help=definitions.ACTIVITY)
activity = board.activity
first_day, last_day = daily_window(scope)
st.caption(
    f"Contacts par jour et par canal du {format_date(first_day)} au {format_date(last_day)}."
)
if activity.daily:
    figure = go.Figure()
    per_day = activity.per_day_and_channel()
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
    _layout(
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
    st.plotly_chart(figure, key="dash_activity")
    st.dataframe(
        [
            {
                "Chargé": c.collector,
                "Contacts": c.contacts,
                "Appels": c.calls,
                "Débiteur joint": c.right_party_calls,
                "Taux de contact utile": _percent(c.right_party_rate),
            }
            for c in activity.collectors
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("Aucun contact journalisé dans la période.")
silence = activity.silence
st.caption(
    f"Sans contact depuis 30 jours : {silence.cases} dossier(s), "
    f"{format_cents(silence.balance_cents)}, dont {silence.never_contacted} jamais contacté(s)."
)
_downloads(activity_table(activity), "Contacts par jour")
_downloads(collectors_table(activity), "Contacts par chargé")

# ---- 6. DSO and CEI -----------------------------------------------------------------------
c1, c2 = st.columns(2)
with c1:
    st.subheader("DSO par créancier", help=definitions.DSO)
    if board.dso:
        figure = go.Figure(
            go.Bar(
                x=[d.dso_days for d in board.dso],
                y=[d.creditor for d in board.dso],
                orientation="h",
                customdata=[format_cents(d.receivables_cents) for d in board.dso],
                hovertemplate="%{y} : %{x:.1f} jours<br>encours %{customdata}<extra></extra>",
            )
        )
        _layout(figure, xaxis={"title": "jours"}, yaxis={"autorange": "reversed"})
        st.plotly_chart(figure, key="dash_dso")
    else:
        st.info("Aucun encours.")
    _downloads(dso_table(board.dso))
with c2:
    st.subheader("CEI par mois", help=definitions.CEI)
    figure = go.Figure(
        go.Scatter(
            x=[month_label(m.month) for m in board.cei],
            y=[m.cei for m in board.cei],
            mode="lines+markers",
            hovertemplate="%{x} : %{y:.1f} %<extra>CEI</extra>",
        )
    )
    _layout(figure, yaxis={"ticksuffix": " %"}, xaxis={"type": "category"})
    st.plotly_chart(figure, key="dash_cei")
    _downloads(cei_table(board.cei))

# ---- 7. plans and risks -------------------------------------------------------------------
st.subheader("Échéanciers et risques", help=definitions.PLANS_RISKS)
cols = st.columns(len(board.plans))
for col, plan in zip(cols, board.plans, strict=True):
    col.metric(f"Échéanciers : {plan.status.label}", plan.plans)
risks = board.risks
r1, r2, r3 = st.columns(3)
r1.metric(
    f"Prescription dans les {risks.horizon_days} jours",
    risks.near_limitation_cases,
    help=format_cents(risks.near_limitation_cents),
)
r2.metric("Prescription acquise (solde restant)", risks.time_barred_cases)
r3.metric("Contestations en cours", risks.open_disputes)
_downloads(plans_risks_table(board.plans, risks))
st.caption(
    "Médiation (séances, taux d'accord) et transmissions au contentieux : à venir, avec "
    "le registre de médiation et le dossier de transmission."
)
