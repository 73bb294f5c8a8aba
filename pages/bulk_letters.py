"""Courriers en masse: one letter per selected case, as a ZIP, with a progress bar."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice

import streamlit as st

from case_core.cases.portfolio import CaseFilter, iter_cases, list_cases
from case_core.kernel.dates import today_paris
from case_core.letters.service import LetterKind, generate_letters, sender_missing
from case_core.models import Phase
from pages.components.session import current_actor, reporting_errors

MAX_CASES = 500

actor = current_actor()
st.title("Courriers en masse")
st.caption(
    "Chaque dossier est traité séparément : le courrier est enregistré dans ses documents "
    "et son journal ; un dossier en erreur (contestation en cours, dossier clos…) est "
    "signalé sans bloquer les autres. Un dossier dont une facture est prescrite ou dont "
    "l'échéancier accepté est en cours est signalé en erreur : traitez-le depuis sa fiche."
)
missing = sender_missing()
if missing:
    st.warning(missing)

source = st.radio(
    "Dossiers", ["Mes dossiers (filtres)", "Références collées"], horizontal=True, key="bulk_src"
)
references: list[str] = []
if source == "Références collées":
    pasted = st.text_area(
        "Références (une par ligne, ou séparées par des virgules)", key="bulk_refs"
    )
    references = [r for r in re.split(r"[\s,;]+", pasted) if r]
else:
    c1, c2 = st.columns(2)
    phases = c1.multiselect(
        "Phases",
        [Phase.AMIABLE, Phase.PRE_CONTENTIEUX],
        default=[Phase.AMIABLE],
        format_func=lambda p: p.label,
    )
    min_days = c2.number_input("Retard minimum (jours)", min_value=0, value=30)
    chosen = CaseFilter(
        phases=tuple(phases), assignee_id=actor.id, min_days_overdue=int(min_days) or None
    )
    with reporting_errors():
        total = list_cases(actor, replace(chosen, page_size=1)).total
        references = [r.reference for r in islice(iter_cases(actor, chosen), MAX_CASES)]
        if total > MAX_CASES:
            st.warning(f"{total} dossiers : seuls les {MAX_CASES} premiers sont retenus.")

st.write(f"{len(references)} dossier(s) sélectionné(s).")
kind = st.selectbox("Courrier", list(LetterKind), format_func=lambda k: k.label, key="bulk_kind")
at = st.date_input("Date des courriers", value=today_paris(), format="DD/MM/YYYY")

if st.button("Générer les courriers", type="primary", disabled=not references or bool(missing)):
    bar = st.progress(0.0, text="Génération…")

    def _progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done} / {total}")

    with reporting_errors():
        result = generate_letters(actor, references, LetterKind(kind), at=at, progress=_progress)
        st.session_state["_bulk_letters"] = result
result = st.session_state.get("_bulk_letters")
if result is not None:
    st.success(f"{len(result.generated)} courrier(s) généré(s).")
    if result.failures:
        st.error(f"{len(result.failures)} dossier(s) en erreur :")
        st.dataframe(
            [{"Dossier": ref, "Erreur": message} for ref, message in result.failures],
            hide_index=True,
        )
    st.download_button(
        "Télécharger le ZIP",
        result.zip_bytes,
        file_name=f"courriers_{today_paris():%Y%m%d}.zip",
        mime="application/zip",
    )
