"""The write-up form of a mediation session: participants, positions, proposals in order,
outcome and next step. Everything typed here is confidential (case_core redacts it from
the audit and hides it from collectors and viewers)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_cents, parse_amount
from case_core.mediation import service
from case_core.mediation.agreements import plan_total_cents
from case_core.mediation.views import MediationView, SessionView
from case_core.models import Frequency, MediationOutcome, MediationSide, ParticipantRole
from pages.components.session import show_case_error

PROPOSAL_ROWS = 3


def _suggested_amount(actor: Actor, reference: str) -> str:
    """The balance an instalment plan would take today (what an agreement usually is)."""
    try:
        return format_cents(plan_total_cents(actor, reference, today_paris(), False, False))
    except CaseError:
        return ""


def render_write_up_form(
    actor: Actor,
    reference: str,
    m: MediationView,
    s: SessionView,
    expected_version: int | None,
    done: Callable[[str, str, int], None],
) -> None:
    suggested = _suggested_amount(actor, reference)
    with st.form(f"med_write_up_{s.id}"):
        st.markdown("**Compte rendu de la séance** (confidentiel)")
        c1, c2 = st.columns([3, 1])
        creditor_name = c1.text_input("Représentant du créancier", key=f"wu_cr_{s.id}")
        creditor_present = c2.checkbox("Présent", value=True, key=f"wu_crp_{s.id}")
        c1, c2 = st.columns([3, 1])
        debtor_name = c1.text_input("Débiteur", key=f"wu_db_{s.id}")
        debtor_present = c2.checkbox("Présent", value=True, key=f"wu_dbp_{s.id}")
        c1, c2 = st.columns([3, 1])
        counsel_name = c1.text_input("Avocat, conseil ou accompagnant", key=f"wu_co_{s.id}")
        counsel_present = c2.checkbox("Présent", value=True, key=f"wu_cop_{s.id}")
        creditor_position = st.text_area("Position du créancier", key=f"wu_cpos_{s.id}")
        debtor_position = st.text_area("Position du débiteur", key=f"wu_dpos_{s.id}")
        reasons = st.text_area("Motifs du non-paiement (tels que rapportés)", key=f"wu_rsn_{s.id}")
        notes = st.text_area("Notes de séance", key=f"wu_notes_{s.id}")
        st.markdown(
            "**Propositions et contre-propositions, dans l'ordre** "
            f"(solde repris par un échéancier aujourd'hui : {suggested or '—'})"
        )
        rows = []
        for i in range(1, PROPOSAL_ROWS + 1):
            c = st.columns([2, 2, 1, 2, 1, 1])
            rows.append(
                (
                    c[0].selectbox(
                        f"Proposée par ({i})",
                        list(MediationSide),
                        index=1,
                        format_func=lambda x: x.label,
                        key=f"wu_by_{s.id}_{i}",
                    ),
                    c[1].text_input(f"Montant ({i})", key=f"wu_amt_{s.id}_{i}"),
                    c[2].number_input(f"Échéances ({i})", 0, 120, 0, key=f"wu_cnt_{s.id}_{i}"),
                    c[3].date_input(
                        f"1re échéance ({i})",
                        value=None,
                        format="DD/MM/YYYY",
                        key=f"wu_first_{s.id}_{i}",
                    ),
                    c[4].checkbox(f"Sans intérêts ({i})", key=f"wu_wi_{s.id}_{i}"),
                    c[5].checkbox(f"Sans indemnité ({i})", key=f"wu_wf_{s.id}_{i}"),
                )
            )
        accepted = st.radio(
            "Proposition acceptée",
            [0, *range(1, PROPOSAL_ROWS + 1)],
            format_func=lambda n: "Aucune" if n == 0 else f"Proposition {n}",
            horizontal=True,
            key=f"wu_acc_{s.id}",
        )
        outcome = st.selectbox(
            "Issue de la séance",
            list(MediationOutcome),
            format_func=lambda o: o.label,
            key=f"wu_out_{s.id}",
        )
        next_step = st.text_input("Suite prévue", key=f"wu_next_{s.id}")
        if st.form_submit_button("Enregistrer le compte rendu"):
            try:
                proposals = []
                for i, (by, amount, count, first, wi, wf) in enumerate(rows, start=1):
                    if not amount.strip():
                        continue
                    proposals.append(
                        service.ProposalInput(
                            made_by=by,
                            amount_cents=parse_amount(amount, f"proposals.{i}.amount_cents"),
                            instalment_count=int(count) or None,
                            frequency=Frequency.MONTHLY if count else None,
                            first_due_date=first,
                            waive_interest=wi,
                            waive_indemnity=wf,
                            accepted=accepted == i,
                        )
                    )
                if accepted and not any(p.accepted for p in proposals):
                    raise ValidationError(
                        {"proposals": f"La proposition {accepted} acceptée est vide."}
                    )
                participants = [
                    service.ParticipantInput(role, name, present)
                    for role, name, present in (
                        (ParticipantRole.CREDITOR_REP, creditor_name, creditor_present),
                        (ParticipantRole.DEBTOR, debtor_name, debtor_present),
                        (ParticipantRole.COUNSEL, counsel_name, counsel_present),
                    )
                    if name.strip()
                ]
                saved = service.write_up_session(
                    actor,
                    s.id,
                    service.SessionReport(
                        outcome=outcome,
                        participants=participants,
                        creditor_position=creditor_position,
                        debtor_position=debtor_position,
                        nonpayment_reasons=reasons,
                        notes=notes,
                        proposals=proposals,
                        next_step=next_step,
                    ),
                    expected_version=expected_version,
                )
            except CaseError as exc:
                show_case_error(exc)
            else:
                done(reference, "Compte rendu enregistré.", saved.case_version)
