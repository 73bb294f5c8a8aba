"""Données personnelles (administrators): access export of a person, requests register."""

from __future__ import annotations

from functools import partial

import streamlit as st

from case_core.cases.parties import PartySummary, search_parties
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.settings import get_setting
from case_core.models import (
    ObjectionKind,
    ObjectionSource,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from case_core.privacy.answer_letter import answer_letter
from case_core.privacy.export import export_party
from case_core.privacy.objections import lift_objection, party_objections, record_objection
from case_core.privacy.requests import (
    answer_request,
    execute_erasure,
    list_requests,
    record_request,
)
from case_core.privacy.retention import KEYS, count_all
from pages.components.session import current_actor, flash, reporting_errors, show_flash

actor = current_actor()


def _letter_bytes(request_id: int) -> bytes:
    return answer_letter(actor, request_id)[1]


st.title("Données personnelles")
show_flash()

st.subheader("Export d'accès (RGPD, art. 15)")
st.caption(
    "Tout ce qui est détenu sur une personne : identité, dossiers, factures, journal, "
    "paiements, échéanciers, documents et historique, en JSON avec une synthèse en français. "
    "Le contenu des médiations, confidentiel, n'y figure pas."
)
found: list[PartySummary] = []
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

st.divider()
st.subheader("Oppositions à un canal de contact (RGPD, art. 21)")
st.caption(
    "Plus d'appels, écrit uniquement, plus de SMS ou d'e-mails : le journal demande un motif "
    "pour consigner un contact par un canal refusé, et « Ma journée » propose l'écrit."
)
with reporting_errors():
    if found:
        objections = party_objections(actor, chosen.id)
        for objection in objections:
            state = (
                "en vigueur"
                if objection.in_force
                else f"levée le {format_date(objection.lifted_on)}"
            )
            line, action = st.columns([4, 1])
            line.write(
                f"**{objection.kind.label}** — reçue le {format_date(objection.received_on)} "
                f"({objection.source.label.lower()}), {state}"
            )
            if objection.in_force and action.button("Lever", key=f"lift_{objection.id}"):
                with reporting_errors():
                    lift_objection(actor, objection.id, today_paris(), objection.version)
                    flash("Opposition levée.")
                    st.rerun()
        with st.form(f"objection_{chosen.id}"):
            st.write(f"Nouvelle opposition de **{chosen.display_name}**")
            o_kind = st.selectbox(
                "Canal refusé",
                list(ObjectionKind),
                format_func=lambda k: k.label,
                key="objection_kind",
            )
            o_received = st.date_input(
                "Reçue le", value=today_paris(), format="DD/MM/YYYY", key="objection_received"
            )
            o_source = st.selectbox(
                "Par",
                [s for s in ObjectionSource if s != ObjectionSource.PRIVACY_REQUEST],
                format_func=lambda s: s.label,
            )
            if st.form_submit_button("Enregistrer l'opposition"):
                with reporting_errors():
                    record_objection(actor, chosen.id, o_kind, o_received, o_source)
                    flash("Opposition enregistrée.")
                    st.rerun()
    else:
        st.info("Recherchez une personne ci-dessus pour voir ou enregistrer ses oppositions.")

st.divider()
st.subheader("Registre des demandes")
st.caption(
    "Demandes d'accès, d'effacement, de rectification ou d'opposition, avec leur date et la "
    "réponse apportée (un mois pour répondre, RGPD art. 12.3). Un effacement est vérifié "
    "contre les motifs de conservation, puis refusé avec ses motifs ou exécuté par "
    "anonymisation."
)
with reporting_errors():
    if found:
        generation = st.session_state.setdefault("_privacy_request_form", 0)
        with st.form(f"privacy_request_{generation}"):
            st.write(f"Nouvelle demande de **{chosen.display_name}**")
            kind = st.selectbox(
                "Nature",
                list(PrivacyRequestKind),
                format_func=lambda k: k.label,
                key="request_kind",
            )
            received = st.date_input("Reçue le", value=today_paris(), format="DD/MM/YYYY")
            details = st.text_area("Détail de la demande", max_chars=2000, key="request_details")
            if st.form_submit_button("Enregistrer la demande", type="primary"):
                with reporting_errors():
                    record_request(actor, chosen.id, kind, received, details)
                    st.session_state["_privacy_request_form"] = generation + 1
                    flash("Demande enregistrée.")
                    st.rerun()

    requests = list_requests(actor)
    if not requests:
        st.info("Aucune demande enregistrée.")
    for request in requests:
        title = (
            f"{request.kind.label} · {request.party_name} · reçue le "
            f"{format_date(request.received_on)} · {request.status.label}"
        )
        with st.expander(title, expanded=request.status == PrivacyRequestStatus.PENDING):
            if request.details:
                st.write(request.details)
            if request.status != PrivacyRequestStatus.PENDING:
                st.write(f"Réponse du {format_date(request.answered_on)} : {request.answer}")
                if request.letter_document_id is not None:
                    st.download_button(
                        "Lettre de réponse (DOCX)",
                        # Read on click only, bound to this request.
                        data=partial(_letter_bytes, request.id),
                        file_name=f"reponse-demande-{request.id}.docx",
                        mime="application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document",
                        key=f"letter_{request.id}",
                    )
                continue
            if request.kind == PrivacyRequestKind.ERASURE:
                if st.button("Examiner et exécuter l'effacement", key=f"erase_{request.id}"):
                    with reporting_errors():
                        done = execute_erasure(actor, request.id, request.version)
                        flash(f"Demande {done.status.label.lower()} : {done.answer}")
                        st.rerun()
                continue
            with st.form(f"answer_{request.id}"):
                status = st.radio(
                    "Décision",
                    [PrivacyRequestStatus.DONE, PrivacyRequestStatus.REFUSED],
                    format_func=lambda s: s.label,
                    horizontal=True,
                )
                answer = st.text_area("Réponse apportée")
                if st.form_submit_button("Enregistrer la réponse"):
                    with reporting_errors():
                        answer_request(actor, request.id, status, answer, request.version)
                        flash("Réponse enregistrée.")
                        st.rerun()

st.divider()
st.subheader("Conservation")
with reporting_errors():
    due = count_all(actor)
    st.dataframe(
        [
            {
                "Données": data_class.label,
                "Conservation (années)": get_setting(key),
                "Paramètre": key,
                "À anonymiser aujourd'hui": due[data_class],
            }
            for data_class, key in KEYS.items()
        ],
        hide_index=True,
    )
    st.caption(
        "Les durées se règlent sur la page « Paramètres ». Un dossier ouvert, sous "
        "conservation légale ou dont la créance n'est pas prescrite n'est jamais touché. "
        "L'anonymisation se lance en ligne de commande : `casedesk privacy purge --dry-run` "
        "pour la liste, puis `casedesk privacy purge`."
    )
