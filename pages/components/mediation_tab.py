"""The « Médiation » tab of the case page: the case's mediations as each reader may see
them (the fact, kind, dates and outcome for everyone; what was said only for the
mediation's mediator, managers and admins), and the mediator's actions (their forms are in
mediation_actions and mediation_forms).

Rendering only: case_core.mediation decides who sees what and checks every input.
"""

from __future__ import annotations

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, format_date, format_instant, today_paris
from case_core.kernel.permissions import Perm, can
from case_core.mediation import service
from case_core.mediation.confidentiality import CONFIDENTIAL_NOTICE
from case_core.mediation.ics import session_invitation
from case_core.mediation.queries import mediations_for_case
from case_core.mediation.views import MediationView, SessionView
from pages.components.mediation_actions import (
    done,
    end_form,
    lazy,
    open_form,
    plan_form,
    render_agreement,
    render_failure,
    seen_version,
)
from pages.components.mediation_forms import render_write_up_form
from pages.components.session import reporting_errors, show_flash


def render_mediation_tab(actor: Actor, reference: str) -> None:
    show_flash()
    mediations = mediations_for_case(actor, reference)
    writer = can(actor, Perm.MEDIATION_RECORD)
    if not mediations:
        st.info("Aucune médiation sur ce dossier.")
    if writer and not any(m.running for m in mediations):
        open_form(actor, reference)
    for mediation in mediations:
        _render_mediation(actor, reference, mediation)


# ---- one mediation ----------------------------------------------------------------------


def _render_mediation(actor: Actor, reference: str, m: MediationView) -> None:
    st.subheader(f"{m.kind.label} — {m.status_label}")
    facts = [
        f"Tiers : **{m.third_party}**" if m.third_party else "Rencontre menée par l'équipe",
        f"Accord pour la médiation : {format_date(m.agreed_on) or '—'}",
    ]
    if m.court_name:
        facts.append(f"Juridiction : {m.court_name} {m.court_reference or ''}".strip())
    if m.ended_on:
        who = m.ended_by.label.lower() if m.ended_by else "—"
        facts.append(f"Terminée le {format_date(m.ended_on)} (déclarée par : {who})")
    st.markdown(" · ".join(facts))
    st.caption(
        "Tentative préalable au sens de l'article 750-1 du CPC : "
        + ("oui (processus conduit par un tiers)." if m.counts_as_prior_attempt else "non.")
    )
    if m.confidential_hidden:
        st.info(CONFIDENTIAL_NOTICE, icon=":material/lock:")
    else:
        st.caption(
            "Consentements : créancier "
            f"{format_date(m.creditor_consent_on) or '—'}"
            f"{' (confidentialité reconnue)' if m.creditor_confidentiality_ack else ''}, "
            f"débiteur {format_date(m.debtor_consent_on) or '—'}"
            f"{' (confidentialité reconnue)' if m.debtor_confidentiality_ack else ''}."
        )
    _sessions(actor, reference, m)
    render_agreement(actor, reference, m)
    render_failure(actor, reference, m)
    if m.may_write and m.running:
        plan_form(actor, reference, m)
        end_form(actor, reference, m)


def _sessions(actor: Actor, reference: str, m: MediationView) -> None:
    if not m.sessions:
        st.caption("Aucune séance.")
        return
    st.dataframe(
        [
            {
                "Séance": format_instant(s.planned_at),
                "Durée (min)": s.duration_minutes,
                "Modalité": s.mode.label,
                "Lieu": s.place or "",
                "Issue": _session_state(s),
            }
            for s in m.sessions
        ],
        hide_index=True,
        width="stretch",
    )
    for s in m.sessions:
        label = f"Séance du {format_instant(s.planned_at)}"
        with st.expander(label):
            st.download_button(
                "Invitation (.ics)",
                lazy(lambda sid=s.id: session_invitation(actor, sid).content),
                file_name=f"{reference}_seance_{s.id}.ics",
                mime="text/calendar",
                key=f"med_ics_{s.id}",
            )
            if not m.confidential_hidden and s.written_up:
                _session_content(s)
            if not (m.may_write and m.running and not s.written_up):
                continue
            if _is_future(s):
                if st.button("Supprimer cette séance", key=f"med_cancel_{s.id}"):
                    with reporting_errors():
                        saved = service.cancel_session(
                            actor, s.id, expected_version=seen_version(reference)
                        )
                        done(reference, "Séance supprimée.", saved.case_version)
            else:
                render_write_up_form(actor, reference, m, s, seen_version(reference), done)


def _is_future(s: SessionView) -> bool:
    return s.planned_at.astimezone(PARIS).date() > today_paris()


def _session_state(s: SessionView) -> str:
    if s.outcome is not None:
        return s.outcome.label
    return "Planifiée" if _is_future(s) else "À consigner"


def _session_content(s: SessionView) -> None:
    if s.participants:
        st.markdown(
            "**Participants** : "
            + ", ".join(
                f"{p.name} ({p.role.label.lower()}, "
                f"{'présent' if p.present else 'absent' if p.present is False else '?'})"
                for p in s.participants
            )
        )
    for title, text in (
        ("Position du créancier", s.creditor_position),
        ("Position du débiteur", s.debtor_position),
        ("Motifs du non-paiement", s.nonpayment_reasons),
        ("Notes", s.notes),
        ("Suite", s.next_step),
    ):
        if text:
            st.markdown(f"**{title}** : {text}")
    for p in s.proposals:
        st.markdown(f"{p.seq}. {p.summary}")
