"""The statement of account tab of the case page: rendering only; figures come from
case_core.statement.account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.statement.account import (
    ProvisionalStatement,
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


@dataclass(frozen=True)
class ScreenStatement:
    """The statement of a case at a date as the screen shows it: exact, or an estimate
    while a rate is missing, or the refusal to show."""

    at: date
    statement: Statement | None = None
    estimate: ProvisionalStatement | None = None
    missing: MissingRate | None = None
    error: CaseError | None = None

    @property
    def shown(self) -> Statement | None:
        """The figures on screen (the estimate's, labelled « provisoire », if need be)."""
        if self.statement is not None:
            return self.statement
        if self.estimate is not None and self.estimate.assumptions:
            return self.estimate.statement
        return None

    @property
    def provisional(self) -> bool:
        return self.statement is None and self.shown is not None


@dataclass(frozen=True)
class HeaderFigures:
    """What the case header keeps of today's statement (small: kept between reruns)."""

    due_cents: int | None
    principal_left_cents: int | None
    provisional: bool

    @classmethod
    def of(cls, result: ScreenStatement) -> HeaderFigures:
        shown = result.shown
        if shown is None:
            return cls(None, None, False)
        totals = shown.totals
        return cls(
            totals.balance_cents,
            totals.principal_cents - totals.principal_paid_cents,
            result.provisional,
        )


def screen_statement(actor: Actor, reference: str, at: date) -> ScreenStatement:
    """Computed once per run by the case page (its header shows today's amount due) and
    handed to the Décompte tab, which recomputes only for another date."""
    try:
        return ScreenStatement(at, statement=statement_for_case(actor, reference, at))
    except MissingRate as exc:
        try:
            estimate = provisional_statement_for_case(actor, reference, at)
        except CaseError:
            estimate = None
        return ScreenStatement(at, estimate=estimate, missing=exc)
    except CaseError as exc:
        return ScreenStatement(at, error=exc)


def render_statement_tab(
    actor: Actor, reference: str, today: ScreenStatement | None = None
) -> None:
    at = st.date_input(
        "Arrêté au", value=today_paris(), format="DD/MM/YYYY", key=f"statement_at_{reference}"
    )
    result = today if today is not None and today.at == at else None
    result = result or screen_statement(actor, reference, at)
    if result.missing is not None:
        _render_provisional(result.missing, result.estimate)
        render_claim_terms_forms(actor, reference)
        return
    if result.error is not None or result.statement is None:
        if result.error is not None:
            show_case_error(result.error)
        # The terms stay editable: the fix for a refused statement may be one of them.
        render_claim_terms_forms(actor, reference)
        return
    statement = result.statement
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


def _render_provisional(missing: MissingRate, estimate: ProvisionalStatement | None) -> None:
    """While a rate is missing: an estimate with the last known rate, said to be one;
    no download (exports, letters and dossiers refuse until the rate is added)."""
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
    # The summary adds up on screen: principal + interest + indemnities (+ the debtor's
    # costs) − paid = balance due, the amount the case header shows for today.
    figures = [
        ("Principal", totals.principal_cents),
        (f"Intérêts{suffix}", totals.interest_cents),
        ("Indemnités forfaitaires", totals.indemnity_cents),
    ]
    if totals.debtor_costs_cents:
        figures.append(("Frais à la charge du débiteur", totals.debtor_costs_cents))
    figures += [
        ("Payé", -totals.payments_cents),
        (f"Solde dû (intérêts et indemnités compris){suffix}", totals.balance_cents),
    ]
    for column, (label, cents) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, format_cents(cents))
    if totals.surplus_cents:
        st.caption(f"Trop-perçu à rendre au débiteur : {format_cents(totals.surplus_cents)}")
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
