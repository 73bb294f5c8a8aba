"""Import bancaire: read a bank statement, check the case proposed for each credit line,
book the lines the user ticks (nothing is booked before)."""

from __future__ import annotations

import hashlib

import streamlit as st

from case_core.imports import bank as bank_import
from case_core.kernel.dates import format_date
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents
from pages.components.session import current_actor, show_case_error, show_flash

MAX_LINES = 300
STATE = "_bank_import"

actor = current_actor()
st.title("Import bancaire")
st.caption(
    "Relevé au format CSV (date, montant ou débit/crédit, libellé). Chaque crédit est "
    "rapproché d'un dossier par sa référence (2026-000123) ou un numéro de facture du "
    "libellé ; à défaut, son montant suggère des dossiers. Rien n'est enregistré sans votre "
    "confirmation."
)
show_flash()

upload = st.file_uploader("Relevé bancaire", type=["csv", "txt", "xlsx"], key="bank_upload")
if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    state = st.session_state.get(STATE)
    if not state or state["digest"] != digest:
        try:
            statement = bank_import.parse_bank_statement(data, upload.name)
            proposals = bank_import.match_lines(actor, statement.lines[:MAX_LINES])
        except CaseError as exc:
            show_case_error(exc)
            st.stop()
        st.session_state[STATE] = {
            "digest": digest,
            "statement": statement,
            "proposals": proposals,
            "report": None,
        }

state = st.session_state.get(STATE)
if state and state["report"] is not None:
    report: bank_import.BookingReport = state["report"]
    st.success(f"{len(report.booked)} paiement(s) enregistré(s).")
    for booking, reason in report.refused:
        st.warning(f"Ligne {booking.line.line} ({booking.reference}) non enregistrée : {reason}")

if state and upload is not None:
    statement: bank_import.BankStatement = state["statement"]
    proposals: list[bank_import.MatchProposal] = state["proposals"]
    st.info(
        f"{statement.description} — {len(statement.lines)} crédit(s), "
        f"{statement.debits_skipped} débit(s) ignoré(s)."
    )
    if len(statement.lines) > MAX_LINES:
        st.warning(f"Seules les {MAX_LINES} premières lignes sont proposées : découpez le relevé.")
    for number, reason in statement.unreadable:
        st.warning(f"Ligne {number} illisible : {reason}")
    if not proposals:
        st.stop()
    with st.form("bank_confirm"):
        chosen: list[tuple[bank_import.MatchProposal, bool, str]] = []
        for index, proposal in enumerate(proposals):
            line = proposal.line
            left, right = st.columns([3, 2])
            left.markdown(
                f"**Ligne {line.line}** — {format_date(line.booked_on)} — "
                f"**{format_cents(line.amount_cents)}** — {line.label}  \n"
                f"{proposal.kind}"
                + (
                    " : "
                    + ", ".join(f"{c.reference} ({c.debtor_name})" for c in proposal.candidates)
                    if proposal.candidates
                    else ""
                )
            )
            tick = right.checkbox("Enregistrer", value=proposal.sure, key=f"bank_tick_{index}")
            reference = right.text_input(
                "Dossier",
                value=proposal.proposed_reference
                or (proposal.candidates[0].reference if proposal.candidates else ""),
                key=f"bank_ref_{index}",
            )
            chosen.append((proposal, tick, reference.strip()))
        submitted = st.form_submit_button("Enregistrer les paiements cochés")
    if submitted:
        bookings = [
            bank_import.Booking(proposal.line, reference)
            for proposal, tick, reference in chosen
            if tick and reference
        ]
        if not bookings:
            st.error("Cochez au moins une ligne avec un dossier.")
        else:
            try:
                report = bank_import.book_lines(actor, bookings)
            except CaseError as exc:
                show_case_error(exc)
            else:
                state["report"] = report
                st.rerun()
