"""Taux (administrators): the rate tables with their sources; add a semester's rate."""

from __future__ import annotations

from datetime import date

import streamlit as st

from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.money import format_rate_bp
from case_core.models import RateKind
from case_core.statement import rates
from case_core.statement.ecb_csv import ECB_CSV_URL, ECB_SERIES_KEY
from case_core.statement.ecb_import import apply_ecb_import, plan_ecb_import
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
    # A new form (new widgets) after each save: the next rate starts from an empty form.
    generation = int(st.session_state.get("_add_rate_generation", 0))
    with st.form(f"add_rate_{generation}"):
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
                st.session_state["_add_rate_generation"] = generation + 1
                st.rerun()

st.subheader("Taux BCE depuis le portail de données de la BCE")
st.caption(
    f"Téléchargez la série {ECB_SERIES_KEY} au format CSV ({ECB_CSV_URL}, ou bouton "
    "« Download » de la page de la série) et déposez le fichier ici ; seuls les semestres "
    "absents sont ajoutés (un taux publié ne se remplace pas). La commande "
    "`casedesk rates fetch-ecb` fait de même depuis un serveur connecté à Internet. "
    "Le taux d'intérêt légal, lui, se saisit depuis l'arrêté."
)
upload = st.file_uploader("Fichier CSV de la BCE", type=["csv"], key="ecb_csv")
if upload is not None:
    with reporting_errors():
        plan = plan_ecb_import(actor, upload.getvalue())
        st.write(
            f"Dernière variation du taux dans le fichier : {format_date(plan.last_change_on)}."
        )
        for semester, stored_bp in plan.differing:
            st.warning(
                f"{rates.semester_label(semester.period_start)} : enregistré à "
                f"{format_rate_bp(stored_bp)}, le fichier indique "
                f"{format_rate_bp(semester.rate_bp)} (non remplacé : vérifiez la source)."
            )
        if not plan.to_add:
            st.info("Aucun semestre à ajouter : la table BCE est à jour.")
        else:
            st.dataframe(
                [
                    {
                        "Période": rates.semester_label(s.period_start),
                        "Taux": format_rate_bp(s.rate_bp),
                        "Source": s.source,
                    }
                    for s in plan.to_add
                ],
                hide_index=True,
                width="stretch",
            )
            if st.button(f"Ajouter {len(plan.to_add)} semestre(s)", type="primary"):
                added = apply_ecb_import(actor, plan)
                flash(f"Taux BCE : {added} semestre(s) ajouté(s).")
                st.rerun()
