"""Échéanciers: every plan holding a case, filterable; what is due this week, late and
missed; the cash expected per month against the cash received."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from case_core.accounts import auth
from case_core.cases.portfolio import creditor_choices
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.money import format_cents
from case_core.plans.board import BOARD_FILTERS, cash_by_month, plan_board
from pages.components.session import current_actor, reporting_errors, show_flash

PAGE_SIZE = 25

actor = current_actor()
st.title("Échéanciers")
show_flash()


def _first_page() -> None:
    st.session_state["plans_page"] = 0


with reporting_errors():
    c1, c2, c3 = st.columns(3)
    users = auth.assignable_users(actor)
    names = {u.id: u.full_name for u in users}
    assignee_id = c1.selectbox(
        "Chargé de dossier",
        [None, *names],
        format_func=lambda v: "Tous" if v is None else names[v],
        key="plans_assignee",
        on_change=_first_page,
    )
    creditors = {p.id: p.display_name for p in creditor_choices(actor)}
    creditor_id = c2.selectbox(
        "Créancier",
        [None, *creditors],
        format_func=lambda v: "Tous" if v is None else creditors[v],
        key="plans_creditor",
        on_change=_first_page,
    )
    status = c3.selectbox(
        "Statut",
        [None, *BOARD_FILTERS],
        format_func=lambda v: "Tous" if v is None else BOARD_FILTERS[v],
        key="plans_status",
        on_change=_first_page,
    )
    page = int(st.session_state.get("plans_page", 0))
    today = today_paris()
    board = plan_board(
        actor,
        assignee_id=assignee_id,
        creditor_id=creditor_id,
        status=status,
        page=page,
        page_size=PAGE_SIZE,
        today=today,
    )
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Échéanciers", board.total)
    m2.metric(
        "Échéances cette semaine",
        board.due_this_week_count,
        help=f"Reste à encaisser : {format_cents(board.due_this_week_cents)}",
    )
    m3.metric("Échéances en retard", board.late_count)
    m4.metric("Échéances impayées", board.missed_count)
    st.caption(f"Cette semaine : {format_cents(board.due_this_week_cents)} attendus.")

    if not board.rows:
        st.info("Aucun échéancier ne correspond à ces critères.")
    else:
        st.dataframe(
            [
                {
                    "Dossier": r.reference,
                    "Débiteur": r.debtor_name,
                    "Créancier": r.creditor_name,
                    "Chargé": r.assignee_name or "",
                    "Statut": r.status.label,
                    "Prochaine échéance": format_date(r.next_due_date),
                    "Payé": format_cents(r.paid_cents),
                    "Reste dû": format_cents(r.remaining_cents),
                    "En retard": r.late_count,
                    "Impayées": r.missed_count,
                }
                for r in board.rows
            ],
            hide_index=True,
            width="stretch",
        )
        pages = board.pages
        prev_col, label_col, next_col = st.columns([1, 2, 1])
        if prev_col.button("Précédente", disabled=page == 0, key="plans_prev"):
            st.session_state["plans_page"] = page - 1
            st.rerun()
        label_col.caption(f"Page {page + 1} sur {pages}")
        if next_col.button("Suivante", disabled=page + 1 >= pages, key="plans_next"):
            st.session_state["plans_page"] = page + 1
            st.rerun()

    st.subheader("Encaissements attendus et reçus par mois")
    months = cash_by_month(actor, assignee_id=assignee_id, creditor_id=creditor_id, today=today)
    figure = go.Figure(
        [
            go.Bar(
                name="Attendu (échéances)",
                x=[m.label for m in months],
                y=[m.expected_euros for m in months],
            ),
            go.Bar(
                name="Reçu (paiements)",
                x=[m.label for m in months],
                y=[m.received_euros for m in months],
            ),
        ]
    )
    figure.update_layout(barmode="group", yaxis_title="€", separators=", ", height=380)
    st.plotly_chart(figure, key="plans_cash_chart")
