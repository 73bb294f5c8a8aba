"""Dossiers: the filtered, sorted, paginated portfolio; a row opens the case."""

from __future__ import annotations

import io
from datetime import date

import streamlit as st

from case_core.accounts import auth
from case_core.cases.export import export_cases
from case_core.cases.portfolio import SORT_LABELS, CaseFilter, creditor_choices, list_cases
from case_core.kernel.dates import format_date
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_cents, parse_amount
from case_core.kernel.permissions import Perm, can
from case_core.models import DebtorKind, Phase
from pages.components.session import current_actor, reporting_errors, show_case_error, show_flash

PAGE_KEY = "portfolio_page"
PAGE_SIZES = [25, 50, 100]
# Streamlit forgets a page's widget values once another page runs; the filters are saved
# here so that coming back from a case finds the list as it was left.
SAVED_KEY = "_portfolio_saved"
FILTER_KEYS = (
    "portfolio_search",
    "portfolio_phases",
    "portfolio_assignee",
    "portfolio_creditor",
    "portfolio_kind",
    "portfolio_min_balance",
    "portfolio_max_balance",
    "portfolio_min_days",
    "portfolio_next_action",
    "portfolio_near_limitation",
    "portfolio_sort",
    "portfolio_desc",
    "portfolio_page_size",
    PAGE_KEY,
)

actor = current_actor()
st.title("Dossiers")
show_flash()

# "all" rather than None for "no filter": a selectbox whose value is None shows Streamlit's
# own « Choose an option » instead of « Tous » once its value is restored.
ALL = "all"
users = auth.assignable_users(actor)
assignee_options: list[int | str] = [ALL, "none", *[u.id for u in users]]
names = {u.id: u.full_name for u in users}
creditors = creditor_choices(actor)
creditor_names = {p.id: p.display_name for p in creditors}
creditor_options: list[int | str] = [ALL, *creditor_names]
kind_options: list[DebtorKind | str] = [ALL, *DebtorKind]
_choices = {
    "portfolio_assignee": assignee_options,
    "portfolio_creditor": creditor_options,
    "portfolio_kind": kind_options,
}
for _key, _value in st.session_state.get(SAVED_KEY, {}).items():
    if _key not in st.session_state and (_key not in _choices or _value in _choices[_key]):
        st.session_state[_key] = _value


def _first_page() -> None:
    st.session_state[PAGE_KEY] = 1


search = st.text_input(
    "Rechercher",
    placeholder="Référence, débiteur, SIREN, n° de facture, e-mail, téléphone",
    key="portfolio_search",
    on_change=_first_page,
)

with st.expander("Filtres", expanded=False):
    c1, c2, c3 = st.columns(3)
    phases = c1.multiselect(
        "Phases",
        list(Phase),
        format_func=lambda p: p.label,
        key="portfolio_phases",
        on_change=_first_page,
        placeholder="Toutes",
        select_all=False,
    )
    assignee = c2.selectbox(
        "Chargé de dossier",
        assignee_options,
        format_func=lambda v: "Tous" if v == ALL else "Non attribué" if v == "none" else names[v],
        key="portfolio_assignee",
        on_change=_first_page,
    )
    creditor_id = c3.selectbox(
        "Créancier",
        creditor_options,
        format_func=lambda v: "Tous" if v == ALL else creditor_names[v],
        key="portfolio_creditor",
        on_change=_first_page,
    )
    c1, c2, c3 = st.columns(3)
    debtor_kind = c1.selectbox(
        "Type de débiteur",
        kind_options,
        format_func=lambda k: "Tous" if k == ALL else DebtorKind(k).label,
        key="portfolio_kind",
        on_change=_first_page,
    )
    min_balance_text = c2.text_input(
        "Solde hors intérêts minimum (€)", key="portfolio_min_balance", on_change=_first_page
    )
    max_balance_text = c3.text_input(
        "Solde hors intérêts maximum (€)", key="portfolio_max_balance", on_change=_first_page
    )
    c1, c2, c3 = st.columns(3)
    min_days = c1.number_input(
        "Jours de retard (minimum)",
        min_value=0,
        step=30,
        key="portfolio_min_days",
        on_change=_first_page,
    )
    next_action_by: date | None = c2.date_input(
        "Prochaine action au plus tard le",
        # No default once restored: Streamlit refuses a default beside a restored value.
        **({} if "portfolio_next_action" in st.session_state else {"value": None}),
        format="DD/MM/YYYY",
        key="portfolio_next_action",
        on_change=_first_page,
    )
    near_limitation = c3.checkbox(
        "Prescription dans les 90 jours", key="portfolio_near_limitation", on_change=_first_page
    )

c1, c2, c3 = st.columns([2, 1, 1])
sort = c1.selectbox(
    "Trier par", list(SORT_LABELS), format_func=SORT_LABELS.get, key="portfolio_sort"
)
descending = c2.toggle("Décroissant", key="portfolio_desc")
page_size = c3.selectbox("Par page", PAGE_SIZES, key="portfolio_page_size", on_change=_first_page)

balance_bounds: dict[str, int | None] = {}
bad_input: dict[str, str] = {}
for name, text in (("min", min_balance_text), ("max", max_balance_text)):
    try:
        balance_bounds[name] = parse_amount(text, name) if text.strip() else None
    except ValidationError as exc:
        bad_input.update(exc.errors)
        balance_bounds[name] = None
for message in bad_input.values():
    st.error(f"Solde hors intérêts : {message}")

page_number = int(st.session_state.get(PAGE_KEY, 1))
case_filter = CaseFilter(
    phases=tuple(phases),
    assignee_id=assignee if isinstance(assignee, int) else None,
    unassigned=assignee == "none",
    creditor_id=creditor_id if isinstance(creditor_id, int) else None,
    debtor_kind=None if debtor_kind == ALL else DebtorKind(debtor_kind),
    min_balance_cents=balance_bounds["min"],
    max_balance_cents=balance_bounds["max"],
    min_days_overdue=int(min_days) or None,
    next_action_by=next_action_by,
    near_limitation=near_limitation,
    search=search,
    sort=sort,
    descending=descending,
    page=page_number,
    page_size=page_size,
)

try:
    result = list_cases(actor, case_filter)
except CaseError as exc:
    show_case_error(exc)
    st.stop()

st.caption(
    f"{result.total} dossier(s) — page {result.page} sur {result.pages}. "
    "Cochez la case en tête d'une ligne pour ouvrir le dossier."
)
table = [
    {
        "Référence": r.reference,
        "Débiteur": r.debtor_name,
        "Créancier": r.creditor_name,
        "Phase": r.phase.label,
        "Chargé": r.assignee_name or "",
        "Solde hors intérêts": format_cents(r.balance_cents),
        "Échéance": format_date(r.oldest_due_date),
        "Retard (j)": r.days_overdue,
        "Prochaine action": format_date(r.next_action_date),
    }
    for r in result.rows
]
# Streamlit opens a row only through its selection box (a click on a cell selects the
# cell); every row of the page is shown, money right-aligned, no column cut.
MONEY = st.column_config.TextColumn(alignment="right", width=115)
selection = None
if not table:
    st.info("Aucun dossier ne correspond à ces critères.")
else:
    selection = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height="content",
        column_config={
            # Widths in pixels that fit their content: a narrow window scrolls sideways
            # instead of cutting « 2026-000123 » or an amount.
            "Référence": st.column_config.TextColumn(width=110, pinned=True),
            "Débiteur": st.column_config.TextColumn(width=220),
            "Créancier": st.column_config.TextColumn(width=190),
            "Phase": st.column_config.TextColumn(width=130),
            "Chargé": st.column_config.TextColumn(width=160),
            "Solde hors intérêts": MONEY,
            "Échéance": st.column_config.TextColumn(width=95),
            "Retard (j)": st.column_config.NumberColumn(width=75),
            "Prochaine action": st.column_config.TextColumn(width=120),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="portfolio_table",
    )
chosen = selection.selection.rows if selection else []
if chosen:
    reference = result.rows[chosen[0]].reference
    st.session_state["case_ref"] = reference
    st.switch_page("pages/case.py", query_params={"case": reference})


def _step(delta: int) -> None:
    st.session_state[PAGE_KEY] = int(st.session_state.get(PAGE_KEY, 1)) + delta


# The page number widget holds the page; filters reset it and the buttons step it.
if st.session_state.get(PAGE_KEY) != result.page:
    st.session_state[PAGE_KEY] = result.page
c1, c2, c3 = st.columns([1, 1, 4])
c1.button(
    "◀ Précédente", disabled=result.page <= 1, key="portfolio_prev", on_click=_step, args=(-1,)
)
c2.button(
    "Suivante ▶",
    disabled=result.page >= result.pages,
    key="portfolio_next",
    on_click=_step,
    args=(1,),
)
c3.number_input("Page", min_value=1, max_value=result.pages, step=1, key=PAGE_KEY)
st.session_state[SAVED_KEY] = {k: st.session_state[k] for k in FILTER_KEYS if k in st.session_state}

if can(actor, Perm.CASES_EXPORT):
    with st.expander("Exporter la liste filtrée"):
        fmt = st.radio("Format", ["xlsx", "csv"], horizontal=True, key="portfolio_export_fmt")
        if st.button("Préparer l'export", key="portfolio_export"):
            with reporting_errors(), st.spinner("Export en cours…"):
                buffer = io.BytesIO()
                count = export_cases(actor, case_filter, buffer, fmt)  # type: ignore[arg-type]
                st.download_button(
                    f"Télécharger ({count} dossiers)",
                    buffer.getvalue(),
                    file_name=f"dossiers.{fmt}",
                    mime="text/csv"
                    if fmt == "csv"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    key="portfolio_download",
                )
