"""The case page's « Transmission contentieuse » section: who has the case since when, the
dossier (preview, ZIP built on click), the hand-over (a manager's confirmed act) and the
recipient's outcome. Only ids and small values are kept in session state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import partial

import streamlit as st

from case_core.documents.store import get_document_content
from case_core.dossiers.context import DossierOptions
from case_core.dossiers.directory import recipient_choices
from case_core.dossiers.handover import (
    ReferralView,
    hand_over,
    record_outcome,
    referrals_for_case,
)
from case_core.dossiers.service import DossierPreview, generate_dossier, preview_dossier
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, can
from case_core.models import Phase, RecipientKind
from case_core.templates.render import soffice_path
from pages.components.session import attempt, reporting_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TO_NAME = {-1: RecipientKind.COMMISSAIRE, -2: RecipientKind.AVOCAT}


def section_key(reference: str) -> str:
    return f"handover_section_{reference}"


def _options_key(reference: str) -> str:
    return f"_dossier_options_{reference}"


def _preview_key(reference: str) -> str:
    return f"_dossier_preview_{reference}"


def render_holder(actor: Actor, reference: str) -> list[ReferralView]:
    """One line under the case header: who has the case, since when."""
    referrals = attempt(lambda: referrals_for_case(actor, reference)) or []
    current = next((r for r in referrals if not r.closed), None)
    if current is not None:
        their = f", réf. {current.recipient_reference}" if current.recipient_reference else ""
        st.info(f"Transmis à **{current.summary}**{their}.", icon=":material/gavel:")
    return referrals


def _show_preview(preview: DossierPreview) -> None:
    st.markdown(
        f"**Voie recommandée : {preview.route}** — {preview.court}"
        + (f" — {preview.cerfa}" if preview.cerfa else "")
    )
    st.markdown(
        f"Montant réclamé au {format_date(preview.at)} : **{preview.claimed}** · "
        f"{preview.exhibits} pièce(s)"
    )
    for reason in preview.reasons:
        st.caption(reason)
    (st.caption if preview.check_750_1_ok else st.warning)(preview.check_750_1)
    for warning in preview.warnings:
        if warning != preview.check_750_1:
            st.warning(warning)
    if preview.excluded:
        st.warning(
            "Factures prescrites écartées du montant réclamé : " + ", ".join(preview.excluded)
        )


def _dossier_form(actor: Actor, reference: str) -> None:
    recipients = recipient_choices(actor)
    labels = {-1: "Commissaire de justice (à désigner)", -2: "Avocat (à désigner)"}
    labels.update({r.id: r.label for r in recipients})
    with st.form(f"dossier_form_{reference}"):
        chosen = st.selectbox(
            "Destinataire",
            list(labels),
            format_func=lambda i: labels[i],
            key=f"dossier_recipient_{reference}",
            help="Les destinataires se gèrent dans la page « Annuaire ».",
        )
        c1, c2 = st.columns(2)
        their_reference = c1.text_input(
            "Référence du destinataire", max_chars=100, key=f"dossier_theirref_{reference}"
        )
        at = c2.date_input(
            "Décompte arrêté au",
            value=today_paris(),
            max_value=today_paris(),
            format="DD/MM/YYYY",
            key=f"dossier_at_{reference}",
        )
        include = st.checkbox(
            "Réclamer aussi les factures prescrites (en connaissance de cause)",
            key=f"dossier_barred_{reference}",
        )
        protection = st.checkbox(
            "Crédit à la consommation ou bail d'habitation (juge des contentieux de la protection)",
            key=f"dossier_jcp_{reference}",
        )
        failed = st.checkbox(
            "Une procédure de petites créances a déjà échoué", key=f"dossier_pc_{reference}"
        )
        opposed = st.checkbox(
            "Une injonction de payer a fait l'objet d'une opposition",
            key=f"dossier_opp_{reference}",
        )
        submitted = st.form_submit_button("Préparer le dossier", type="primary")
    if submitted:
        options = DossierOptions(
            recipient_kind=TO_NAME.get(chosen, RecipientKind.COMMISSAIRE),
            recipient_id=chosen if chosen > 0 else None,
            recipient_reference=their_reference.strip() or None,
            at=at,
            include_time_barred=include,
            protection_matter=protection,
            small_claims_failed=failed,
            injunction_opposed=opposed,
        )
        if chosen > 0:
            kind = next(r.kind for r in recipients if r.id == chosen)
            options = DossierOptions(**{**asdict(options), "recipient_kind": kind})
        with reporting_errors():
            st.session_state[_preview_key(reference)] = preview_dossier(actor, reference, options)
            st.session_state[_options_key(reference)] = options


def _hand_over_form(
    actor: Actor,
    reference: str,
    options: DossierOptions,
    seen_version: int,
    done: Callable[[str, int], None],
) -> None:
    if options.recipient_id is None:
        st.info("Pour transmettre le dossier, choisissez un destinataire de l'annuaire.")
        return
    with st.form(f"handover_form_{reference}"):
        note = st.text_area("Note pour la transmission", max_chars=2000)
        confirmed = st.checkbox(
            "Je confirme la transmission : le dossier passe en contentieux et les actions "
            "amiables s'arrêtent (les paiements restent enregistrés).",
            key=f"handover_confirm_{reference}",
        )
        submitted = st.form_submit_button("Transmettre le dossier", type="primary")
    if submitted:
        with reporting_errors():
            result = hand_over(
                actor,
                reference,
                options,
                expected_version=seen_version,
                confirmed=confirmed,
                note=note,
            )
            st.session_state.pop(_preview_key(reference), None)
            st.session_state.pop(_options_key(reference), None)
            done(
                f"Dossier transmis à {result.referral.recipient.name} : passé en contentieux.",
                result.case_version,
            )


def _outcome_form(actor: Actor, referral: ReferralView) -> None:
    with st.form(f"outcome_form_{referral.id}"):
        c1, c2 = st.columns(2)
        title = c1.checkbox("Titre exécutoire obtenu", value=referral.title_obtained)
        title_on = c2.date_input(
            "Date du titre", value=referral.title_on, format="DD/MM/YYYY", max_value=today_paris()
        )
        recovered = st.text_input(
            "Montant recouvré (€)",
            value=format_cents(referral.recovered_cents, symbol=False),
            key=f"outcome_recovered_{referral.id}",
        )
        closed = st.checkbox("Transmission clôturée", value=referral.closed)
        note = st.text_area("Issue", value=referral.outcome_note or "", max_chars=2000)
        submitted = st.form_submit_button("Enregistrer l'issue")
    if submitted:
        with reporting_errors():
            record_outcome(
                actor,
                referral.id,
                expected_version=referral.version,
                title_obtained=title,
                title_on=title_on if title else None,
                recovered=recovered,
                closed=closed,
                note=note,
            )
            st.session_state["_flash"] = "Issue de la transmission enregistrée."
            st.rerun()


def _document_bytes(actor: Actor, document_id: int) -> bytes:
    return get_document_content(actor, document_id).content


def _referral_lines(actor: Actor, referrals: list[ReferralView]) -> None:
    for r in referrals:
        outcome = [
            "titre obtenu" + (f" le {format_date(r.title_on)}" if r.title_on else "")
            if r.title_obtained
            else "pas de titre",
            f"recouvré {format_cents(r.recovered_cents)}",
            f"clôturée le {format_date(r.closed_on)}" if r.closed else "en cours",
        ]
        st.markdown(
            f"- {r.summary} (par {r.handed_over_by}) — {r.route.label if r.route else ''} — "
            + ", ".join(outcome)
        )
        if r.document_id is not None:
            st.download_button(
                "Télécharger le dossier transmis",
                data=partial(_document_bytes, actor, r.document_id),
                file_name=r.document_filename or f"Dossier transmis {r.id}.docx",
                mime=DOCX,
                key=f"referral_doc_{r.id}",
                on_click="ignore",
            )


def render_handover(
    actor: Actor,
    reference: str,
    phase: Phase,
    seen_version: int,
    referrals: list[ReferralView],
    done: Callable[[str, int], None],
) -> None:
    """The section, under « Actions » on the case page."""
    manager = can(actor, Perm.DOSSIERS_GENERATE)
    if not referrals and not manager:
        return
    current = next((r for r in referrals if not r.closed), None)
    # Keyed and rerun on toggle: its body (the directory, the forms) runs only when open.
    section = st.expander(
        "Transmission contentieuse",
        expanded=current is not None,
        key=section_key(reference),
        on_change="rerun",
    )
    if not section.open:
        return
    with section:
        if referrals:
            _referral_lines(actor, referrals)
        if not manager:
            return
        if current is not None:
            st.markdown("**Issue de la transmission en cours**")
            _outcome_form(actor, current)
        st.markdown("**Dossier de transmission**")
        _dossier_form(actor, reference)
        preview = st.session_state.get(_preview_key(reference))
        options = st.session_state.get(_options_key(reference))
        if isinstance(preview, DossierPreview) and isinstance(options, DossierOptions):
            _show_preview(preview)
            if soffice_path() is None:
                st.caption(
                    "LibreOffice n'est pas installé : le ZIP contient le dossier en DOCX seul."
                )
            st.download_button(
                "Télécharger le dossier (ZIP)",
                data=lambda: generate_dossier(actor, reference, options).zip_bytes,
                file_name=preview.file_name,
                mime="application/zip",
                key=f"dossier_zip_{reference}",
                on_click="ignore",
                icon=":material/download:",
            )
            if current is None and phase != Phase.CLOSED:
                _hand_over_form(actor, reference, options, seen_version, done)
