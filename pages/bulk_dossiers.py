"""Dossiers en masse: the judicial-referral dossier of each selected case, in one ZIP, with a
progress bar. Nothing is handed over here: that is done case by case, from its page."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice

import streamlit as st

from case_core.cases.portfolio import CaseFilter, iter_cases, list_cases
from case_core.dossiers.context import DossierOptions
from case_core.dossiers.service import generate_dossiers
from case_core.kernel.dates import today_paris
from case_core.models import Phase, RecipientKind
from case_core.templates.render import soffice_path
from pages.components.session import current_actor, reporting_errors

MAX_CASES = 100
RESULT_KEY = "_bulk_dossiers"

actor = current_actor()
st.title("Dossiers en masse")
st.caption(
    "Un dossier de transmission par dossier sélectionné (décompte, chronologie, voie "
    "recommandée, pièces), réunis dans un ZIP. Un dossier en erreur est signalé sans bloquer "
    "les autres. La transmission elle-même se fait depuis la fiche de chaque dossier."
)

source = st.radio(
    "Dossiers",
    ["Filtres", "Références collées"],
    horizontal=True,
    key="bulk_dossier_src",
)
references: list[str] = []
if source == "Références collées":
    pasted = st.text_area(
        "Références (une par ligne, ou séparées par des virgules)", key="bulk_dossier_refs"
    )
    references = [r for r in re.split(r"[\s,;]+", pasted) if r]
else:
    phases = st.multiselect(
        "Phases",
        [Phase.PRE_CONTENTIEUX, Phase.CONTENTIEUX, Phase.AMIABLE],
        default=[Phase.PRE_CONTENTIEUX],
        format_func=lambda p: p.label,
        key="bulk_dossier_phases",
        # Streamlit's own texts are English (« Choose options », « Select all »).
        placeholder="Choisissez une phase",
        select_all=False,
    )
    chosen = CaseFilter(phases=tuple(phases))
    with reporting_errors():
        total = list_cases(actor, replace(chosen, page_size=1)).total
        references = [r.reference for r in islice(iter_cases(actor, chosen), MAX_CASES)]
        if total > MAX_CASES:
            st.warning(f"{total} dossiers : seuls les {MAX_CASES} premiers sont retenus.")

st.write(f"{len(references)} dossier(s) sélectionné(s).")
c1, c2 = st.columns(2)
kind = c1.radio(
    "Pour",
    list(RecipientKind),
    format_func=lambda k: k.label,
    horizontal=True,
    key="bulk_dossier_kind",
)
with_pdf = c2.checkbox(
    "Joindre aussi le PDF (plus lent)",
    value=False,
    disabled=soffice_path() is None,
    help=None if soffice_path() else "LibreOffice n'est pas installé : DOCX seul.",
    key="bulk_dossier_pdf",
)

if st.button("Générer les dossiers", type="primary", disabled=not references):
    bar = st.progress(0.0, text="Génération…")

    def _progress(done: int, count: int) -> None:
        bar.progress(done / count, text=f"{done} / {count}")

    with reporting_errors():
        st.session_state[RESULT_KEY] = generate_dossiers(
            actor,
            references,
            DossierOptions(recipient_kind=RecipientKind(kind)),
            with_pdf=with_pdf,
            progress=_progress,
        )
result = st.session_state.get(RESULT_KEY)
if result is not None:
    st.success(f"{len(result.generated)} dossier(s) généré(s).")
    if result.failures:
        st.error(f"{len(result.failures)} dossier(s) en erreur :")
        st.dataframe(
            [{"Dossier": ref, "Erreur": message} for ref, message in result.failures],
            hide_index=True,
        )
    st.download_button(
        "Télécharger le ZIP",
        result.zip_bytes,
        file_name=f"dossiers_contentieux_{today_paris():%Y%m%d}.zip",
        mime="application/zip",
        key="bulk_dossier_download",
    )
