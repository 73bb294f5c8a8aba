"""Forms beside the statement: the formal notice's receipt, and per claim the completion of
the service and the capitalisation of interest (case_core.cases.clocks)."""

from __future__ import annotations

import streamlit as st

from case_core.cases.clocks import record_notice_presentation, set_claim_clocks
from case_core.cases.standing import set_creditor_professional
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date
from case_core.kernel.permissions import Perm, can
from case_core.statement.creditor import creditor_consequences
from case_core.statement.lines import Statement
from pages.components.session import flash, reporting_errors


def _creditor_form(actor: Actor, reference: str, statement: Statement) -> None:
    with (
        st.expander("Qualité du créancier"),
        st.form(f"creditor_professional_{reference}"),
    ):
        st.caption(
            creditor_consequences(
                statement.creditor_professional,
                statement.debtor_kind,
                statement.creditor_natural_person,
            )
        )
        professional = st.radio(
            "Le créancier agit pour des besoins professionnels",
            [True, False],
            index=0 if statement.creditor_professional else 1,
            format_func=lambda v: "Oui" if v else "Non",
            horizontal=True,
            key=f"creditor_professional_{reference}_value",
        )
        if st.form_submit_button("Enregistrer la qualité du créancier"):
            with reporting_errors():
                set_creditor_professional(actor, reference, bool(professional))
                flash("Qualité du créancier enregistrée.")
                st.rerun()


def render_clocks_forms(actor: Actor, reference: str, statement: Statement) -> None:
    if not can(actor, Perm.CASES_EDIT):
        return
    _creditor_form(actor, reference, statement)
    sent = statement.formal_notice_sent_on
    if sent is not None:
        presented = statement.formal_notice_presented_on
        if presented:
            st.caption(
                f"Mise en demeure envoyée le {format_date(sent)}, présentée le "
                f"{format_date(presented)} : les intérêts au taux légal courent de la "
                "présentation."
            )
        else:
            st.caption(
                f"Mise en demeure envoyée le {format_date(sent)} : accusé de réception à "
                "enregistrer (intérêts au taux légal provisoires depuis l'envoi)."
            )
        with (
            st.expander("Enregistrer l'accusé de réception de la mise en demeure"),
            st.form(f"notice_presented_{reference}"),
        ):
            day = st.date_input(
                "Date de première présentation",
                value=presented,
                format="DD/MM/YYYY",
                key=f"notice_presented_on_{reference}",
            )
            if st.form_submit_button("Enregistrer la présentation") and day is not None:
                with reporting_errors():
                    record_notice_presentation(actor, reference, day)
                    flash(f"Mise en demeure présentée le {format_date(day)} enregistrée.")
                    st.rerun()
    if not statement.claims:
        return
    with (
        st.expander("Achèvement de la prestation, capitalisation des intérêts"),
        st.form(f"claim_clocks_{reference}"),
    ):
        claim = st.selectbox(
            "Facture",
            statement.claims,
            format_func=lambda c: f"{c.invoice_number} (échue le {format_date(c.due_date)})",
            key=f"clocks_claim_{reference}",
        )
        done = st.date_input(
            "Prestation ou travaux achevés le",
            value=None,
            format="DD/MM/YYYY",
            key=f"clocks_done_{reference}",
            help="Point de départ de la prescription de 2 ans d'une créance d'un "
            "professionnel sur un consommateur (Code de la consommation L218-2).",
        )
        capitalise = st.checkbox(
            "Capitaliser les intérêts dus pour une année entière (C. civ. 1343-2)",
            key=f"clocks_capitalise_{reference}",
            help="Seulement si le contrat ou une décision de justice le prévoit.",
        )
        if st.form_submit_button("Enregistrer") and claim is not None:
            with reporting_errors():
                set_claim_clocks(actor, claim.claim_id, done, capitalise)
                flash(f"Facture {claim.invoice_number} : dates et capitalisation enregistrées.")
                st.rerun()
