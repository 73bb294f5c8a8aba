"""Données personnelles (administrators): access export of a person."""

from __future__ import annotations

import streamlit as st

from case_core.cases.parties import search_parties
from case_core.privacy.export import export_party
from pages.components.session import current_actor, reporting_errors, show_flash

actor = current_actor()
st.title("Données personnelles")
show_flash()

st.subheader("Export d'accès (RGPD, art. 15)")
st.caption(
    "Tout ce qui est détenu sur une personne : identité, dossiers, factures, journal, "
    "paiements, échéanciers, documents et historique, en JSON avec une synthèse en français. "
    "Le contenu des médiations, confidentiel, n'y figure pas."
)
needle = st.text_input("Rechercher une personne (nom, SIREN, e-mail, téléphone)", key="privacy_q")
with reporting_errors():
    found = search_parties(actor, needle) if needle.strip() else []
    if needle.strip() and not found:
        st.info("Aucune personne ne correspond.")
    if found:
        chosen = st.selectbox(
            "Personne",
            found,
            format_func=lambda p: " · ".join(
                part for part in (p.display_name, p.postcode, p.email) if part
            ),
            key="privacy_party",
        )
        party_id = chosen.id
        st.download_button(
            "Télécharger l'export (ZIP)",
            # Built on click only: a rerun of the page does not rebuild the archive.
            data=lambda: export_party(actor, party_id).content,
            file_name=f"donnees-personne-{party_id}.zip",
            mime="application/zip",
            type="primary",
        )
