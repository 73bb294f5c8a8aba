"""Taux (administrators): the rate tables with their sources; add a semester's rate."""

from __future__ import annotations

from datetime import date

import streamlit as st

from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.money import format_rate_bp
from case_core.models import RateKind
from case_core.statement import rates
from pages.components.session import current_actor, flash, reporting_errors, show_flash

actor = current_actor()
st.title("Taux")
st.caption(
    "Taux d'intérêt légal par semestre (deux catégories) et taux de refinancement de la BCE "
    "(Code de commerce L441-10 : taux en vigueur au 1er janvier pour le 1er semestre, au "
    "1er juillet pour le 2nd). Un calcul sur un semestre sans taux est refusé."
)
show_flash()

with reporting_errors():
    tabs = st.tabs([kind.label for kind in RateKind])
    for kind, tab in zip(RateKind, tabs, strict=True):
        with tab:
            periods = rates.list_rates(actor, kind)
            st.dataframe(
                [
                    {
                        "Période": p.semester,
                        "Du": format_date(p.period_start),
                        "Au": format_date(p.period_end),
                        "Taux": format_rate_bp(p.rate_bp),
                        "Source": p.source,
                    }
                    for p in periods
                ],
                hide_index=True,
                width="stretch",
            )

    st.subheader("Ajouter un taux")
    with st.form("add_rate"):
        kind = st.selectbox("Type de taux", list(RateKind), format_func=lambda k: k.label)
        today = today_paris()
        col_year, col_half = st.columns(2)
        year = col_year.number_input(
            "Année", min_value=2015, max_value=today.year + 1, value=today.year, step=1
        )
        half = col_half.selectbox("Semestre", ["1er semestre", "2nd semestre"])
        rate_text = st.text_input("Taux en % (ex. 3,15)")
        source = st.text_input("Source (arrêté, décision de la BCE…)")
        if st.form_submit_button("Ajouter le taux", type="primary"):
            first = half.startswith("1er")
            start = date(int(year), 1 if first else 7, 1)
            end = date(int(year), 6, 30) if first else date(int(year), 12, 31)
            with reporting_errors():
                added = rates.add_rate(actor, kind, start, end, rate_text, source)
                flash(
                    f"Taux ajouté : {kind.label}, {added.semester}, "
                    f"{format_rate_bp(added.rate_bp)}."
                )
                st.rerun()
