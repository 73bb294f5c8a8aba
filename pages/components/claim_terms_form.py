"""Forms beside the statement: how a claim bears interest, and other recovery costs.
Available even when the statement itself cannot be computed (a missing rate)."""

from __future__ import annotations

import streamlit as st

from case_core.cases.costs import record_recovery_cost, set_claim_interest_terms
from case_core.cases.detail import case_claims
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.permissions import Perm, can
from case_core.models import CostBearer, InterestRegime
from pages.components.session import flash, reporting_errors


def render_claim_terms_forms(actor: Actor, reference: str) -> None:
    if can(actor, Perm.CASES_EDIT):
        _interest_terms_form(actor, reference)
    if can(actor, Perm.PAYMENTS_RECORD):
        _recovery_cost_form(actor, reference)


def _interest_terms_form(actor: Actor, reference: str) -> None:
    claims = case_claims(actor, reference)
    if not claims:
        return
    with st.expander("Modifier le régime d'intérêts d'une facture"):
        with st.form(f"claim_terms_{reference}"):
            claim = st.selectbox(
                "Facture",
                claims,
                format_func=lambda c: (
                    f"{c.invoice_number} ({InterestRegime(c.interest_regime).label})"
                ),
            )
            regime = st.selectbox("Régime", list(InterestRegime), format_func=lambda r: r.label)
            rate = st.text_input(
                "Taux contractuel (%)",
                help="Entre professionnels, refusé s'il est inférieur à trois fois le taux légal.",
            )
            start = st.date_input(
                "Point de départ des intérêts (taux légal)",
                value=None,
                format="DD/MM/YYYY",
                help="Par défaut : la date de la mise en demeure.",
            )
            judgment = st.date_input("Date du jugement exécutoire", value=None, format="DD/MM/YYYY")
            increase = st.checkbox(
                "Majoration de 5 points deux mois après le jugement (CMF L313-3)"
            )
            submitted = st.form_submit_button("Enregistrer le régime")
        if submitted and claim is not None:
            with reporting_errors():
                set_claim_interest_terms(
                    actor,
                    claim.id,
                    regime,
                    contractual_rate=rate or None,
                    interest_start_date=start,
                    judgment_date=judgment,
                    judgment_rate_increase=increase,
                )
                flash(f"Régime d'intérêts de la facture {claim.invoice_number} enregistré.")
                st.rerun()


def _recovery_cost_form(actor: Actor, reference: str) -> None:
    with (
        st.expander("Enregistrer des frais de recouvrement"),
        st.form(f"recovery_cost_{reference}", clear_on_submit=False),
    ):
        label = st.text_input("Libellé", placeholder="Frais de lettre recommandée")
        amount = st.text_input("Montant (€)", placeholder="12,50")
        day = st.date_input("Date", value=today_paris(), format="DD/MM/YYYY")
        bearer = st.radio(
            "À la charge de", list(CostBearer), format_func=lambda b: b.label, horizontal=True
        )
        st.caption(
            "Sans titre exécutoire, les frais de recouvrement amiable restent à la charge "
            "du créancier (CPCE L111-8)."
        )
        if st.form_submit_button("Enregistrer les frais"):
            with reporting_errors():
                record_recovery_cost(actor, reference, day, label, amount, bearer)
                flash("Frais de recouvrement enregistrés.")
                st.rerun()
