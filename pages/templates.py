"""Modèles: the Word templates, their versions, an upload checked before it is accepted, a
restore, and the fields each template may use."""

from __future__ import annotations

from functools import partial

import streamlit as st

import case_core.templates_catalog  # noqa: F401  (registers every template)
from case_core.kernel.dates import format_instant
from case_core.templates.store import (
    documented_fields,
    restore_template,
    template_content,
    template_versions,
    templates_overview,
    upload_template,
)
from pages.components.session import current_actor, flash, reporting_errors, show_flash

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

actor = current_actor()
st.title("Modèles")
st.caption(
    "Les documents sont produits à partir de modèles Word (balises docxtpl). Téléchargez un "
    "modèle, modifiez-le dans Word ou LibreOffice, puis déposez la nouvelle version : elle "
    "est vérifiée avant d'être acceptée, et les versions précédentes restent disponibles."
)
show_flash()

with reporting_errors():
    rows = templates_overview(actor)
    st.dataframe(
        [
            {
                "Modèle": r.title,
                "Fichier": r.name,
                "Version en service": r.current_version,
                "Depuis le": format_instant(r.updated_at),
                "Par": r.updated_by,
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )
    titles = {r.name: r.title for r in rows}
    name = st.selectbox(
        "Modèle", list(titles), format_func=lambda n: titles[n], key="template_pick"
    )
    versions = template_versions(actor, name)
    st.subheader("Versions")
    st.dataframe(
        [
            {
                "Version": v.version,
                "En service": "oui" if v.current else "",
                "Fichier déposé": v.filename,
                "Déposé le": format_instant(v.created_at),
                "Par": v.created_by,
                "Note": v.note or "",
            }
            for v in versions
        ],
        hide_index=True,
        width="stretch",
    )
    numbers = [v.version for v in versions]
    c1, c2 = st.columns(2)
    chosen = c1.selectbox("Version", numbers, key="template_version_pick")
    c1.download_button(
        f"Télécharger la version {chosen}",
        data=partial(template_content, actor, name, chosen),
        file_name=f"v{chosen}_{name}",
        mime=DOCX,
        key="template_download",
        on_click="ignore",
    )
    current = next(v.version for v in versions if v.current)
    if chosen != current and c2.button(
        f"Remettre en service la version {chosen}", key="template_restore"
    ):
        restored = restore_template(actor, name, chosen)
        flash(f"Version {chosen} remise en service (nouvelle version {restored}).")
        st.rerun()

    st.subheader("Déposer une nouvelle version")
    with st.form("template_upload", clear_on_submit=True):
        upload = st.file_uploader("Modèle Word (.docx)", type=["docx"], key="template_file")
        note = st.text_input("Note (ce qui change)", max_chars=500)
        submitted = st.form_submit_button("Vérifier et déposer", type="primary")
    if submitted:
        if upload is None:
            st.error("Choisissez un fichier .docx.")
        else:
            version = upload_template(actor, name, upload.name, upload.getvalue(), note)
            flash(f"Modèle « {titles[name]} » : version {version} en service.")
            st.rerun()

    with st.expander("Champs disponibles dans ce modèle (exemple d'un dossier complet)"):
        st.caption(
            "Écrivez {{ champ }} pour une valeur, {%tr for x in liste %} … {%tr endfor %} "
            "pour les lignes d'un tableau, {%p if champ %} … {%p endif %} pour des "
            "paragraphes conditionnels. Toute autre variable est refusée au dépôt."
        )
        st.json(documented_fields(name), expanded=2)
