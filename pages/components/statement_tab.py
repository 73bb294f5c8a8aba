"""The statement of account tab of the case page: rendering only; figures come from
case_core.statement.account."""

from __future__ import annotations

from datetime import date

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.statement.account import (
    Statement,
    provisional_statement_for_case,
    statement_for_case,
)
from case_core.statement.exports import statement_to_csv, statement_to_xlsx
from case_core.statement.interest import DAY_COUNT_CONVENTION
from case_core.statement.rates import MissingRate
from pages.components.claim_terms_form import render_claim_terms_forms
from pages.components.clocks_form import render_clocks_forms
from pages.components.session import show_case_error

CLAIM_COLUMNS = ("Poste", "Du", "Au", "Jours", "Taux", "Base", "Montant", "Détail")


def render_statement_tab(actor: Actor, reference: str) -> None:
    at = st.date_input(
        "Arrêté au", value=today_paris(), format="DD/MM/YYYY", key=f"statement_at_{reference}"
    )
    try:
        statement = statement_for_case(actor, reference, at)
    except MissingRate as exc:
        _render_provisional(actor, reference, at, exc)
        render_claim_terms_forms(actor, reference)
        return
    except CaseError as exc:
        show_case_error(exc)
        # The terms stay editable: the fix for a refused statement may be one of them.
        render_claim_terms_forms(actor, reference)
        return
    _render_figures(statement)
    name = f"decompte_{reference}_{statement.at.isoformat()}"
    col_xlsx, col_csv = st.columns(2)
    col_xlsx.download_button(
        "Télécharger (XLSX)",
        statement_to_xlsx(statement),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    col_csv.download_button(
        "Télécharger (CSV)", statement_to_csv(statement), file_name=f"{name}.csv", mime="text/csv"
    )
    render_claim_terms_forms(actor, reference)
    render_clocks_forms(actor, reference, statement)


def _render_provisional(actor: Actor, reference: str, at: date, missing: MissingRate) -> None:
    """While a rate is missing: an estimate with the last known rate, said to be one;
    no download (exports, letters and dossiers refuse until the rate is added)."""
    try:
        estimate = provisional_statement_for_case(actor, reference, at)
    except CaseError:
        estimate = None
    if estimate is None or not estimate.assumptions:
        st.error(missing.message)  # no earlier rate to estimate with: refused outright
        return
    st.warning(
        f"{missing.message}\n\n**Estimation provisoire** — "
        + " ; ".join(a.sentence for a in estimate.assumptions)
        + ". Ces montants changeront quand le taux publié sera ajouté ; ils ne peuvent "
        "être ni téléchargés ni repris dans un courrier.",
        icon=":material/hourglass_top:",
    )
    _render_figures(estimate.statement, provisional=True)


def _render_figures(statement: Statement, provisional: bool = False) -> None:
    suffix = " (provisoire)" if provisional else ""
    totals = statement.totals
    cols = st.columns(4)
    cols[0].metric("Principal", format_cents(totals.principal_cents))
    cols[1].metric(f"Intérêts{suffix}", format_cents(totals.interest_cents))
    cols[2].metric("Indemnités forfaitaires", format_cents(totals.indemnity_cents))
    cols[3].metric(
        f"Solde dû (intérêts et indemnités compris){suffix}", format_cents(totals.balance_cents)
    )
    if statement.limitation_date:
        st.caption(f"Prescription la plus proche : {format_date(statement.limitation_date)}")
    st.caption(DAY_COUNT_CONVENTION)

    for claim in statement.claims:
        st.markdown(
            f"**Facture {claim.invoice_number}** — échue le {format_date(claim.due_date)} — "
            f"{claim.regime_label} — prescription le {format_date(claim.limitation_date)}"
        )
        if claim.note:
            st.info(claim.note)
        if claim.limitation_note:
            st.warning(claim.limitation_note)
        rows = [{"Poste": "Principal", "Montant": format_cents(claim.principal_cents)}]
        rows += [
            {
                "Poste": "Intérêts",
                "Du": format_date(line.start),
                "Au": format_date(line.end),
                "Jours": str(line.days),
                "Taux": format_rate_bp(line.rate_bp),
                "Base": format_cents(line.base_cents),
                "Montant": format_cents(line.amount_cents),
                "Détail": line.basis or "",
            }
            for line in claim.interest_lines
        ]
        rows += [
            {"Poste": "Capitalisation", "Au": format_date(cap.on), "Détail": cap.label}
            for cap in claim.capitalisations
        ]
        if claim.indemnity_cents:
            rows.append(
                {"Poste": "Indemnité forfaitaire", "Montant": format_cents(claim.indemnity_cents)}
            )
        rows.append({"Poste": "Payé", "Montant": format_cents(-claim.paid_cents)})
        rows.append({"Poste": "Solde dû", "Montant": format_cents(claim.balance_cents)})
        # Every row has every column: a missing cell would show « None ».
        st.dataframe(
            [{column: row.get(column, "") for column in CLAIM_COLUMNS} for row in rows],
            hide_index=True,
            width="stretch",
        )

    if statement.payments:
        st.markdown("**Paiements et imputation**")
        st.dataframe(
            [
                {
                    "Date": format_date(p.received_on),
                    "Paiement": format_cents(p.amount_cents),
                    "Référence": p.reference or "",
                    "Imputé à": i.label,
                    "Montant imputé": format_cents(i.amount_cents),
                }
                for p in statement.payments
                for i in p.imputations
            ],
            hide_index=True,
            width="stretch",
        )
    if statement.costs:
        st.markdown("**Frais de recouvrement** (hors indemnité forfaitaire)")
        st.dataframe(
            [
                {
                    "Date": format_date(c.incurred_on),
                    "Libellé": c.label,
                    "À la charge de": c.borne_by.label,
                    "Montant": format_cents(c.amount_cents),
                }
                for c in statement.costs
            ],
            hide_index=True,
            width="stretch",
        )
