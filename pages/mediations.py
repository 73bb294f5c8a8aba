"""Médiations: the mediator's desk — upcoming sessions, sessions to write up, mediations by
outcome and age. Lists come paginated from case_core.mediation.board; nothing here reads a
session's content."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from case_core.kernel.dates import format_date, format_instant, today_paris
from case_core.mediation import board
from case_core.models import MediationOutcome
from pages.components.session import current_actor, reporting_errors, show_flash

PAGE_SIZE = 20
STATES = {board.RUNNING: "En cours", **{o.value: o.label for o in MediationOutcome}}

actor = current_actor()
st.title("Médiations")
show_flash()


def _open_case(key: str, references: list[str]) -> None:
    """A row picked in a table opens its case."""
    state = st.session_state.get(key)
    rows = state.selection.rows if state is not None and hasattr(state, "selection") else []
    if rows:
        st.session_state["case_ref"] = references[rows[0]]
        st.switch_page("pages/case.py", query_params={"case": references[rows[0]]})


def _sessions_table(title: str, page: board.SessionPage, key: str, empty: str) -> None:
    st.subheader(f"{title} ({page.total})")
    if not page.rows:
        st.info(empty)
        return
    st.dataframe(
        [
            {
                "Date": format_instant(r.planned_at),
                "Dossier": r.reference,
                "Débiteur": r.debtor_name,
                "Type": r.kind.label,
                "Modalité": r.mode.label,
                "Lieu": r.place or "",
                "Ouvrir": f"dossier?case={r.reference}",
            }
            for r in page.rows
        ],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config={"Ouvrir": st.column_config.LinkColumn("Ouvrir", display_text="Ouvrir")},
    )
    _open_case(key, [r.reference for r in page.rows])


with reporting_errors():
    _sessions_table(
        "Séances à consigner",
        board.sessions_to_write_up(actor, size=PAGE_SIZE),
        "mediations_to_write_up",
        "Aucune séance passée en attente de compte rendu.",
    )
    _sessions_table(
        "Prochaines séances",
        board.upcoming_sessions(actor, size=PAGE_SIZE),
        "mediations_upcoming",
        "Aucune séance planifiée.",
    )

    st.subheader("Médiations par issue")
    counts = board.outcome_counts(actor)
    figure = go.Figure(
        go.Bar(
            x=[STATES.get(k, k) for k in counts],
            y=list(counts.values()),
            marker_color="#4c78a8",
        )
    )
    figure.update_layout(height=300, yaxis_title="Médiations", separators=", ")
    st.plotly_chart(figure, key="mediations_by_outcome")

    state = st.selectbox(
        "Issue",
        [None, *STATES],
        format_func=lambda v: "Toutes" if v is None else STATES[v],
        key="mediations_state",
        on_change=lambda: st.session_state.update(mediations_page=0),
    )
    page_no = int(st.session_state.get("mediations_page", 0))
    listing = board.mediation_list(actor, state, today_paris(), page_no, PAGE_SIZE)
    if not listing.rows:
        st.info("Aucune médiation dans cet état.")
    else:
        st.dataframe(
            [
                {
                    "Dossier": r.reference,
                    "Débiteur": r.debtor_name,
                    "Type": r.kind.label,
                    "Début": format_date(r.started_on),
                    "Fin": format_date(r.ended_on),
                    "Issue": r.outcome.label if r.outcome and r.ended_on else "En cours",
                    "Âge (jours)": r.age_days,
                    "Ouvrir": f"dossier?case={r.reference}",
                }
                for r in listing.rows
            ],
            hide_index=True,
            width="stretch",
            key="mediations_list",
            column_config={"Ouvrir": st.column_config.LinkColumn("Ouvrir", display_text="Ouvrir")},
        )
        pages = max(1, -(-listing.total // PAGE_SIZE))
        prev_col, label_col, next_col = st.columns([1, 2, 1])
        if prev_col.button("Précédente", disabled=page_no == 0, key="mediations_prev"):
            st.session_state["mediations_page"] = page_no - 1
            st.rerun()
        label_col.caption(f"Page {page_no + 1} sur {pages}")
        if next_col.button("Suivante", disabled=page_no + 1 >= pages, key="mediations_next"):
            st.session_state["mediations_page"] = page_no + 1
            st.rerun()
