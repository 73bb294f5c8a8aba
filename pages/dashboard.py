"""Tableau de bord: where the money is, how fast it comes back, who does what.

Every figure comes from case_core.reports (SQL aggregates, one read per run); this page
reads the filters, draws the charts and offers each chart's table as CSV and XLSX.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, format_instant, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents
from case_core.models import DebtorKind, Phase
from case_core.reports import definitions
from case_core.reports.activity import daily_window
from case_core.reports.buckets import add_months, month_start
from case_core.reports.dashboard import (
    Choices,
    data_versions,
    filter_choices,
    kept_dashboard,
)
from case_core.reports.filters import DEFAULT_MONTHS, DashboardFilter, resolve
from case_core.reports.tables import (
    activity_table,
    ageing_table,
    cash_table,
    cei_table,
    cohort_table,
    collectors_table,
    dso_table,
    handovers_table,
    mediations_table,
    plans_risks_table,
    promises_table,
)
from pages.components import dashboard_figures as figures
from pages.components.charts import Point, count, downloads, percent, render_chart
from pages.components.session import current_actor, show_case_error

# Filters live in plain session-state keys: a widget's own key is dropped when the user
# leaves the page, these survive and refill the widgets on the way back.
SAVED = "dash_filters"
# Set by « Actualiser »: the next run recomputes the figures before showing them.
RECOMPUTE = "dash_recompute"


def _open_portfolio(
    phase: Phase,
    min_days: int,
    creditor_id: int | None,
    assignee_id: int | None,
    kind: DebtorKind | None,
) -> None:
    """« Dossiers » filtered on a clicked bar: the phase, at least `min_days` late (the
    list filters on each case's oldest due date), and the dashboard's own filters.
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


@st.cache_data(max_entries=64, show_spinner=False)
def _choices(
    _actor: Actor, actor_id: int | None, role: str, database: str, version: int
) -> Choices:
    return filter_choices(_actor)


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
database, versions = config.database_url(), data_versions(actor.id)  # one read per run
try:
    choices = _choices(actor, actor.id, actor.role.value, database, versions.newest)
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
    scope = resolve(
        actor,
        DashboardFilter(
            creditor_id=creditor_id,
            assignee_id=assignee_id,
            debtor_kind=debtor_kind,
            phases=tuple(phases),
            period_start=period_start if isinstance(period_start, date) else None,
            period_end=period_end if isinstance(period_end, date) else None,
        ),
        today,
    )
    # resolve() checked the user's right before the kept figures are read.
    with st.spinner("Calcul du tableau de bord…"):
        kept = kept_dashboard(
            database, scope, versions, force=bool(st.session_state.pop(RECOMPUTE, False))
        )
except CaseError as exc:
    show_case_error(exc)
    st.stop()

board = kept.value
scope = board.scope
st.caption(
    ("Vos dossiers uniquement. " if scope.own_portfolio else "")
    + f"Période du {format_date(scope.period_start)} au {format_date(scope.period_end)} ; "
    f"encours au {format_date(scope.today)}."
)
if kept.behind(versions.newest):
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.info(
        f"Chiffres calculés à {format_instant(kept.computed_at)} : des saisies d'autres "
        "utilisateurs faites depuis sont en cours de prise en compte (quelques secondes)."
    )
    c2.button(
        "Actualiser",
        key="dashboard_recompute",
        on_click=lambda: st.session_state.update({RECOMPUTE: True}),
    )


def _open_on(phase: Phase, min_days: int = 0) -> None:
    _open_portfolio(phase, min_days, creditor_id, assignee_id, debtor_kind)


# ---- 1. outstanding by ageing ---------------------------------------------------------------
ageing = board.ageing
st.subheader("Encours par ancienneté", help=definitions.AGEING)
m1, m2, m3 = st.columns(3)
m1.metric("Encours total", format_cents(ageing.total_cents))
m2.metric("Dossiers avec un solde", count(ageing.total_cases))
m3.metric(
    "Sans contact depuis 30 jours", count(board.activity.silence.cases), help=definitions.ACTIVITY
)


def _open_bucket(point: Point) -> None:
    bucket = ageing.buckets[point["point_index"]].bucket
    _open_on(ageing.phases[point["curve_number"]], bucket.min_days or 0)


render_chart(
    figures.ageing(board),
    "dash_ageing",
    [ageing_table(ageing)],
    rows=figures.ageing_rows(board),
    on_click=_open_bucket,
    click_hint="Un clic sur une barre ouvre les dossiers de cette phase et de ce retard au moins.",
)

# ---- 2. cash ------------------------------------------------------------------------------
st.subheader("Encaissements et prévision", help=definitions.CASH)
render_chart(figures.cash(board), "dash_cash", [cash_table(board.cash, board.forecast)])

# ---- 3. cohorts ---------------------------------------------------------------------------
st.subheader("Taux de recouvrement par mois de confiance", help=definitions.COHORTS)
render_chart(
    figures.cohorts(board, today),
    "dash_cohorts",
    [cohort_table(board.cohorts)],
    rows=figures.cohort_rows(board),
    empty="Aucun dossier confié dans la période.",
)

# ---- 4. promises --------------------------------------------------------------------------
st.subheader("Promesses de paiement par chargé", help=definitions.PROMISES)
render_chart(
    figures.promises(board),
    "dash_promises",
    [promises_table(board.promises)],
    rows=figures.promise_rows(board),
    empty="Aucune promesse de paiement faite dans la période.",
)

# ---- 5. activity --------------------------------------------------------------------------
st.subheader("Activité des chargés", help=definitions.ACTIVITY)
first_day, last_day = daily_window(scope)
silence = board.activity.silence
st.caption(
    f"Contacts par jour et par canal du {format_date(first_day)} au {format_date(last_day)}. "
    f"Sans contact depuis 30 jours : {silence.cases} dossier(s), "
    f"{format_cents(silence.balance_cents)}, dont {silence.never_contacted} jamais contacté(s)."
)
render_chart(
    figures.activity(board),
    "dash_activity",
    [
        (activity_table(board.activity), "Contacts par jour"),
        (collectors_table(board.activity), "Contacts par chargé"),
    ],
    rows=figures.collector_rows(board),
    empty="Aucun contact journalisé dans la période.",
)

# ---- 6. DSO and CEI -----------------------------------------------------------------------
c1, c2 = st.columns(2)
with c1:
    st.subheader("DSO par créancier", help=definitions.DSO)
    render_chart(figures.dso(board), "dash_dso", [dso_table(board.dso)], empty="Aucun encours.")
with c2:
    st.subheader("CEI par mois", help=definitions.CEI)
    render_chart(figures.cei(board), "dash_cei", [cei_table(board.cei)])

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
downloads(plans_risks_table(board.plans, risks))

# ---- 8. mediation (aggregates only: nothing said in a session is read) --------------------
mediation = board.mediations
st.subheader("Médiation", help=definitions.MEDIATIONS)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Séances tenues", count(mediation.sessions_held))
m2.metric("Médiations terminées", count(mediation.ended))
m3.metric("Taux d'accord", percent(mediation.agreement_rate))
m4.metric(
    "Accordé sur réclamé",
    percent(mediation.agreed_share),
    help=f"{format_cents(mediation.agreed_cents)} accordés sur "
    f"{format_cents(mediation.claimed_cents)} réclamés.",
)
render_chart(
    figures.mediations(board),
    "dash_mediations",
    [],
    empty="Aucune séance tenue ni médiation terminée dans la période.",
)
render_chart(
    figures.mediation_amounts(board),
    "dash_mediation_amounts",
    [mediations_table(mediation)],
    empty="Aucun accord de médiation enregistré dans la période.",
)

# ---- 9. hand-overs ------------------------------------------------------------------------
handed = board.handovers
st.subheader("Transmissions au contentieux", help=definitions.HANDOVERS)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Dossiers transmis", count(handed.cases))
m2.metric("Montant transmis", format_cents(handed.referred_cents))
m3.metric(
    "Recouvré après transmission",
    format_cents(handed.recovered_cents),
    help=f"Taux : {percent(handed.recovery_rate)}.",
)
m4.metric("Déclaré par les destinataires", format_cents(handed.declared_cents))
render_chart(
    figures.handovers(board),
    "dash_handovers",
    [handovers_table(handed)],
    empty="Aucun dossier transmis dans la période.",
    on_click=lambda _point: _open_on(Phase.CONTENTIEUX),
    click_hint="Un clic sur une barre ouvre les dossiers en contentieux (mêmes filtres).",
)
