"""The « Paiements » tab of the case page: record a payment, reverse one (bounced cheque).

Rendering only: case_core.payments.service checks duplicates and over-payments; when it refuses,
the form offers the explicit confirmation it asks for.
"""

from __future__ import annotations

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents, parse_positive_amount
from case_core.kernel.permissions import Perm, can
from case_core.models import PaymentMethod
from case_core.payments import service as payments
from pages.components.session import flash, reporting_errors, show_case_error, show_flash


def render_payments_tab(actor: Actor, reference: str) -> None:
    show_flash()
    try:
        rows = payments.list_payments(actor, reference)
    except CaseError as exc:
        show_case_error(exc)
        return
    if can(actor, Perm.PAYMENTS_RECORD):
        _record_form(actor, reference)
    st.subheader("Paiements reçus")
    if not rows:
        st.info("Aucun paiement enregistré.")
        return
    st.dataframe(
        [
            {
                "Date": format_date(p.received_on),
                "Montant": format_cents(p.amount_cents),
                "Moyen": p.method_label,
                "Référence": p.payment_reference or "",
                "Note": p.note or "",
                "État": "Annulation"
                if p.is_reversal
                else ("Annulé" if p.reversed_by_id else "Encaissé"),
            }
            for p in rows
        ],
        hide_index=True,
        width="stretch",
    )
    reversible = [p for p in rows if p.can_be_reversed]
    if reversible and can(actor, Perm.PAYMENTS_REVERSE):
        with st.form(f"reverse_{reference}"):
            st.markdown("**Annuler un paiement** (chèque impayé, rejet de prélèvement)")
            chosen = st.selectbox(
                "Paiement",
                reversible,
                format_func=lambda p: (
                    f"{format_date(p.received_on)} — {format_cents(p.amount_cents)} — "
                    f"{p.payment_reference or p.method_label}"
                ),
                key=f"reverse_choice_{reference}",
            )
            on = st.date_input("Date du rejet", value=today_paris(), format="DD/MM/YYYY")
            reason = st.text_input("Motif", key=f"reverse_reason_{reference}")
            if st.form_submit_button("Annuler ce paiement"):
                with reporting_errors():
                    payments.reverse_payment(actor, chosen.id, on=on, reason=reason)
                    flash("Paiement annulé : une écriture d'annulation a été enregistrée.")
                    st.rerun()


def _record_form(actor: Actor, reference: str) -> None:
    pending_key = f"_payment_pending_{reference}"
    pending = st.session_state.get(pending_key)
    with st.form(f"record_payment_{reference}"):
        st.markdown("**Enregistrer un paiement**")
        cols = st.columns(4)
        received_on = cols[0].date_input(
            "Date", value=today_paris(), format="DD/MM/YYYY", key=f"pay_on_{reference}"
        )
        amount_text = cols[1].text_input("Montant (€)", key=f"pay_amount_{reference}")
        method = cols[2].selectbox(
            "Moyen", list(PaymentMethod), format_func=lambda m: m.label, key=f"pay_m_{reference}"
        )
        ref = cols[3].text_input("Référence", key=f"pay_ref_{reference}")
        note = st.text_input("Note", key=f"pay_note_{reference}")
        invoices = dict(payments.claim_choices(actor, reference))
        imputed = st.selectbox(
            "Imputation demandée par le débiteur",
            [None, *invoices],
            format_func=lambda v: (
                "Règles légales (intérêts puis principal, dette la plus ancienne d'abord)"
                if v is None
                else f"Facture {invoices[v]}"
            ),
            key=f"pay_claim_{reference}",
        )
        principal_first = st.checkbox(
            "Principal avant intérêts (accord avec le créancier)", key=f"pay_pf_{reference}"
        )
        confirm_duplicate = overpayment = False
        if pending:
            st.warning(pending[1])
        if pending and pending[0] == "duplicate":
            confirm_duplicate = st.checkbox(
                "Je confirme qu'il s'agit d'un second paiement", key=f"pay_dup_{reference}"
            )
        elif pending and pending[0] == "overpayment":
            overpayment = st.checkbox(
                "Enregistrer l'excédent comme trop-perçu à rembourser",
                key=f"pay_over_{reference}",
            )
        if not st.form_submit_button("Enregistrer le paiement"):
            return
    try:
        payments.record_payment(
            actor,
            reference,
            payments.PaymentInput(
                received_on=received_on,
                amount_cents=parse_positive_amount(amount_text, "amount"),
                method=method,
                reference=ref,
                note=note,
                imputed_claim_id=imputed,
                principal_first=principal_first,
            ),
            confirm_duplicate=confirm_duplicate,
            overpayment_refund=overpayment,
        )
    except payments.PossibleDuplicate as exc:
        # Redraw the form with the confirmation the service asks for.
        st.session_state[pending_key] = ("duplicate", exc.message)
        st.rerun()
    except payments.Overpayment as exc:
        st.session_state[pending_key] = ("overpayment", exc.message)
        st.rerun()
    except CaseError as exc:
        show_case_error(exc)
        return
    st.session_state.pop(pending_key, None)
    flash("Paiement enregistré.")
    st.rerun()
