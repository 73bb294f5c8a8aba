"""The mediator's actions on the « Médiation » tab: open a mediation, plan a session, end
it, record and sign the agreement, and the documents (protocol, homologation request,
failure record) to generate or download.

Rendering only: case_core.mediation checks every input and who may do what.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import streamlit as st

from case_core.cases.attachments import case_documents
from case_core.documents.store import get_document_content
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents
from case_core.mediation import agreements, documents, service
from case_core.mediation.queries import external_mediators, mediator_users
from case_core.mediation.rules import FINAL_OUTCOMES
from case_core.mediation.views import MediationView
from case_core.models import (
    MediationKind,
    MediationSide,
    SessionMode,
    SignatureMode,
)
from pages.components.session import flash, reporting_errors

VERSIONS_KEY = "_case_versions"  # the case page's record of the version each user saw
DOCX = documents.DOCX_MIME


def seen_version(reference: str) -> int | None:
    return st.session_state.get(VERSIONS_KEY, {}).get(reference)


def done(reference: str, message: str, new_version: int) -> None:
    st.session_state.setdefault(VERSIONS_KEY, {})[reference] = new_version
    flash(message)
    st.rerun()


# ---- agreement and documents --------------------------------------------------------------


def render_agreement(actor: Actor, reference: str, m: MediationView) -> None:
    a = m.agreement
    if a is None:
        if m.may_write and m.last_accepted_proposal is not None:
            with st.form(f"med_agreement_{m.id}"):
                st.markdown(
                    "**Consigner l'accord** (proposition acceptée : "
                    f"{m.last_accepted_proposal.summary})"
                )
                basis = st.date_input("Solde arrêté au", value=today_paris(), format="DD/MM/YYYY")
                terms = st.text_area("Conditions particulières", max_chars=5000)
                lawyers = st.checkbox("Contresigné par l'avocat de chaque partie")
                if st.form_submit_button("Consigner l'accord"):
                    with reporting_errors():
                        saved = agreements.record_agreement(
                            actor,
                            m.id,
                            basis_date=basis,
                            terms=terms,
                            lawyers_countersigned=lawyers,
                            expected_version=seen_version(reference),
                        )
                        done(reference, "Accord consigné, échéancier proposé.", saved.case_version)
        return
    st.markdown(f"**Accord** : {format_cents(a.amount_cents)}")
    if a.signed_on:
        st.markdown(
            f"Signé le {format_date(a.signed_on)} — créancier : {a.creditor_signatory} "
            f"({format_date(a.creditor_signed_on)}), débiteur : {a.debtor_signatory} "
            f"({format_date(a.debtor_signed_on)}), "
            f"{a.signature_mode.label.lower() if a.signature_mode else ''}."
        )
        if a.lawyers_countersigned:
            st.info(documents.CPC_1546_NOTICE)
    else:
        st.caption("Accord non encore signé.")
    if a.plan_id:
        st.caption(f"Échéancier n° {a.plan_id} (onglet « Échéancier »).")
    _document_download(
        "Télécharger le protocole", a.protocol_document_id, actor, reference, f"p{a.id}"
    )
    _document_download(
        "Télécharger l'accord signé", a.signed_document_id, actor, reference, f"s{a.id}"
    )
    if not m.may_write:
        return
    if st.button("Générer le protocole d'accord", key=f"med_protocol_{m.id}"):
        with reporting_errors():
            gen = documents.generate_protocol(actor, m.id, expected_version=seen_version(reference))
            done(reference, f"Protocole généré : {gen.filename}.", gen.case_version)
    if a.signed_on is None:
        _sign_form(actor, reference, m, a.id)
    else:
        joint = st.checkbox("Requête conjointe des parties", value=True, key=f"med_joint_{m.id}")
        if st.button("Préparer la requête en homologation", key=f"med_homolog_{m.id}"):
            with reporting_errors():
                gen = documents.generate_homologation_request(
                    actor, m.id, joint=joint, expected_version=seen_version(reference)
                )
                st.session_state[f"_med_homolog_doc_{m.id}"] = gen.document_id
                done(reference, f"Requête préparée : {gen.filename}.", gen.case_version)
        _document_download(
            "Télécharger la requête en homologation",
            st.session_state.get(f"_med_homolog_doc_{m.id}"),
            actor,
            reference,
            f"h{m.id}",
        )


def _sign_form(actor: Actor, reference: str, m: MediationView, agreement_id: int) -> None:
    with st.form(f"med_sign_{m.id}"):
        st.markdown("**Signatures de l'accord**")
        c1, c2 = st.columns(2)
        creditor = c1.text_input("Signataire pour le créancier")
        creditor_on = c1.date_input(
            "Signé le (créancier)", value=today_paris(), format="DD/MM/YYYY"
        )
        debtor = c2.text_input("Signataire pour le débiteur")
        debtor_on = c2.date_input("Signé le (débiteur)", value=today_paris(), format="DD/MM/YYYY")
        mode = st.radio(
            "Signature", list(SignatureMode), format_func=lambda s: s.label, horizontal=True
        )
        lawyers = st.checkbox("Contresigné par l'avocat de chaque partie")
        upload = st.file_uploader("Copie signée (PDF, PNG ou JPEG)", type=["pdf", "png", "jpg"])
        if st.form_submit_button("Enregistrer les signatures"):
            with reporting_errors():
                saved = agreements.signrender_agreement(
                    actor,
                    agreement_id,
                    agreements.Signatures(
                        creditor,
                        creditor_on,
                        debtor,
                        debtor_on,
                        mode,
                        lawyers,
                        (upload.name, upload.getvalue()) if upload else None,
                    ),
                    expected_version=seen_version(reference),
                )
                done(reference, "Accord signé : échéancier actif.", saved.case_version)


def render_failure(actor: Actor, reference: str, m: MediationView) -> None:
    if not m.failed or m.running:
        return
    _document_download(
        "Télécharger le constat d'échec", m.failure_document_id, actor, reference, f"f{m.id}"
    )
    if m.may_write and st.button("Générer le constat d'échec", key=f"med_failure_{m.id}"):
        with reporting_errors():
            gen = documents.generate_failure_record(
                actor, m.id, expected_version=seen_version(reference)
            )
            done(reference, f"Constat d'échec généré : {gen.filename}.", gen.case_version)


def _document_download(
    label: str, document_id: int | None, actor: Actor, reference: str, key: str
) -> None:
    if not document_id:
        return
    info = next((d for d in case_documents(actor, reference) if d.id == document_id), None)
    st.download_button(
        label,
        lazy(lambda: get_document_content(actor, document_id).content),
        file_name=info.filename if info else f"document_{document_id}.docx",
        mime=info.mime_type if info else DOCX,
        key=f"med_doc_{key}_{document_id}",
    )


def lazy(build: Callable[[], bytes]) -> Callable[[], bytes]:
    """Built on click, not on every rerun; a domain error gives an empty file."""

    def data() -> bytes:
        try:
            return build()
        except CaseError:
            return b""

    return data


# ---- mediator's forms -------------------------------------------------------------------


def open_form(actor: Actor, reference: str) -> None:
    users = {u.id: u.label for u in mediator_users(actor)}
    externals = {e.id: e.label for e in external_mediators(actor)}
    with st.expander("Ouvrir une médiation"), st.form("med_open"):
        kind = st.selectbox("Type", list(MediationKind), format_func=lambda k: k.label)
        team = st.selectbox(
            "Médiateur de l'équipe",
            [None, *users],
            index=(list(users).index(actor.id) + 1) if actor.id in users else 0,
            format_func=lambda i: "—" if i is None else users[i],
        )
        external = st.selectbox(
            "ou médiateur extérieur (annuaire)",
            [None, *externals],
            format_func=lambda i: "—" if i is None else externals[i],
        )
        subject = st.text_input("Objet du différend", max_chars=1000)
        c1, c2 = st.columns(2)
        court = c1.text_input("Juridiction (médiation judiciaire)")
        court_ref = c2.text_input("N° RG")
        agreed = st.date_input("Accord écrit pour la médiation", value=None, format="DD/MM/YYYY")
        c1, c2 = st.columns(2)
        cred_on = c1.date_input("Consentement du créancier", value=None, format="DD/MM/YYYY")
        cred_ack = c1.checkbox("Le créancier reconnaît la confidentialité")
        debt_on = c2.date_input("Consentement du débiteur", value=None, format="DD/MM/YYYY")
        debt_ack = c2.checkbox("Le débiteur reconnaît la confidentialité")
        if st.form_submit_button("Ouvrir la médiation"):
            with reporting_errors():
                saved = service.open_mediation(
                    actor,
                    reference,
                    service.MediationInput(
                        kind=kind,
                        mediator_user_id=None if external else team,
                        external_mediator_id=external,
                        subject=subject,
                        court_name=court,
                        court_reference=court_ref,
                        agreed_on=agreed,
                        creditor_consent_on=cred_on,
                        debtor_consent_on=debt_on,
                        creditor_confidentiality_ack=cred_ack,
                        debtor_confidentiality_ack=debt_ack,
                    ),
                    expected_version=seen_version(reference),
                )
                done(reference, "Médiation ouverte.", saved.case_version)
    with st.expander("Ajouter un médiateur extérieur à l'annuaire"), st.form("med_directory"):
        name = st.text_input("Nom")
        org = st.text_input("Centre ou organisme")
        accreditation = st.text_input("Inscription (liste de la cour d'appel…)")
        email = st.text_input("E-mail")
        phone = st.text_input("Téléphone")
        address = st.text_input("Adresse")
        if st.form_submit_button("Ajouter à l'annuaire"):
            with reporting_errors():
                service.add_external_mediator(
                    actor,
                    service.ExternalMediatorInput(name, org, accreditation, email, phone, address),
                )
                flash(f"Médiateur « {name.strip()} » ajouté.")
                st.rerun()


def plan_form(actor: Actor, reference: str, m: MediationView) -> None:
    with st.expander("Planifier une séance"), st.form(f"med_plan_{m.id}"):
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Date", value=today_paris(), format="DD/MM/YYYY")
        hour = c2.time_input("Heure", value=time(9, 0), step=900)
        duration = c3.number_input("Durée (min)", 10, 600, 60, step=15)
        mode = st.radio(
            "Modalité", list(SessionMode), format_func=lambda s: s.label, horizontal=True
        )
        place = st.text_input("Lieu (en présentiel)")
        if st.form_submit_button("Planifier la séance"):
            with reporting_errors():
                saved = service.plan_session(
                    actor,
                    m.id,
                    service.SessionPlan(
                        service.paris_instant(day, hour.hour, hour.minute),
                        mode,
                        place,
                        int(duration),
                    ),
                    expected_version=seen_version(reference),
                )
                done(reference, "Séance planifiée.", saved.case_version)


def end_form(actor: Actor, reference: str, m: MediationView) -> None:
    with st.expander("Terminer la médiation"), st.form(f"med_end_{m.id}"):
        ended_on = st.date_input("Date de fin", value=today_paris(), format="DD/MM/YYYY")
        by = st.selectbox(
            "Déclarée terminée par", list(MediationSide), format_func=lambda s: s.label
        )
        outcome = st.selectbox("Issue", list(FINAL_OUTCOMES), format_func=lambda o: o.label)
        if st.form_submit_button("Terminer la médiation"):
            with reporting_errors():
                saved = service.end_mediation(
                    actor,
                    m.id,
                    ended_on=ended_on,
                    ended_by=by,
                    outcome=outcome,
                    expected_version=seen_version(reference),
                )
                done(reference, "Médiation terminée.", saved.case_version)
