"""The « Échéancier » tab of the case page: compare up to three proposals, save one, record
the debtor's agreement, follow the instalments, declare the acceleration.

Rendering only: every figure comes from case_core.plans (views, proposals, schedule); the
status shown is the one rule of case_core.plans.status.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import plotly.graph_objects as go
import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_cents, format_rate_bp, parse_amount
from case_core.kernel.permissions import Perm, can
from case_core.letters import plan_letter
from case_core.letters.service import letter_checks
from case_core.models import AcceptanceChannel, Frequency
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal, balance_basis, preview
from case_core.plans.schedule import MAX_PROPOSALS, Schedule, compare, month_ticks
from case_core.plans.status import PlanState
from case_core.plans.views import PlanView, plans_for_case
from case_core.statement.rates import parse_rate
from pages.components.session import flash, reporting_errors, show_case_error, show_flash

PROPOSAL_LABELS = ["Proposition A", "Proposition B", "Proposition C"]


def instalment_rows(plan: PlanView) -> list[dict[str, str]]:
    return [
        {
            "Échéance": inst.label,
            "Date": format_date(inst.due_date),
            "Montant": format_cents(inst.amount_cents),
            "dont intérêts": format_cents(inst.interest_cents),
            "Payé": format_cents(inst.paid_cents),
            "Statut": inst.status.label,
        }
        for inst in plan.instalments
    ]


def render_plan_tab(actor: Actor, reference: str) -> None:
    show_flash()
    today = today_paris()
    try:
        all_plans = plans_for_case(actor, reference, today)
    except CaseError as exc:
        show_case_error(exc)
        return
    holding = [p for p in all_plans if p.holds_case]
    if holding:
        _render_current(actor, holding[0])
    else:
        st.info("Aucun échéancier en cours sur ce dossier.")
    proposed = [p for p in all_plans if p.status == PlanState.PROPOSED]
    for plan in proposed:
        _render_proposed(actor, plan, has_holding=bool(holding))
    if can(actor, Perm.PLANS_PROPOSE):
        if holding:
            # Under a plan in force, a new proposal is asked for, not laid out by default
            # (its body, and the statement it needs, run only when opened).
            section = st.expander(
                "Proposer un nouvel échéancier (il remplacera l'actuel une fois accepté)",
                key=f"plan_new_{reference}",
                on_change="rerun",
            )
            if section.open:
                with section:
                    _render_new_proposals(actor, reference, today)
        else:
            _render_new_proposals(actor, reference, today)
    ended = [p for p in all_plans if p.status in ENDED]
    if ended:
        with st.expander(f"Échéanciers soldés, annulés ou remplacés ({len(ended)})"):
            for plan in ended:
                st.markdown(_ended_line(plan))


ENDED = (PlanState.COMPLETED, PlanState.CANCELLED, PlanState.SUPERSEDED)


def _ended_line(plan: PlanView) -> str:
    if plan.status == PlanState.COMPLETED:
        return (
            f"**N° {plan.id}** — soldé : {format_cents(plan.total_cost_cents)} payés "
            f"(accepté le {format_date(plan.accepted_on)})"
        )
    if plan.status == PlanState.SUPERSEDED:
        return (
            f"**N° {plan.id}** — remplacé le {format_date(plan.cancelled_on)} par "
            f"l'échéancier n° {plan.superseded_by_id}"
        )
    return (
        f"**N° {plan.id}** — annulé le {format_date(plan.cancelled_on)} — "
        f"{plan.cancel_reason or ''}"
    )


def _render_current(actor: Actor, plan: PlanView) -> None:
    st.subheader(f"Échéancier en cours (n° {plan.id}) — {plan.status_label}")
    channel = (
        AcceptanceChannel(plan.acceptance_channel).label
        if plan.acceptance_channel in set(AcceptanceChannel)
        else plan.acceptance_channel or ""
    )
    st.caption(
        f"Accepté le {format_date(plan.accepted_on)} par {plan.accepted_by or '—'} "
        f"({channel}) ; solde retenu au {format_date(plan.basis_date)}."
    )
    cols = st.columns(4)
    cols[0].metric("Total de l'échéancier", format_cents(plan.total_cost_cents))
    cols[1].metric("Payé", format_cents(plan.paid_cents))
    cols[2].metric("Reste dû", format_cents(plan.remaining_cents))
    cols[3].metric("Exigible maintenant", format_cents(plan.due_now_cents))
    if plan.carry_forward_cents > 0:
        st.info(f"Trop-versé reporté : {format_cents(plan.carry_forward_cents)}.")
    if plan.status == PlanState.BROKEN:
        st.error(
            f"Plan rompu : {plan.missed_count} échéance(s) impayée(s). Vous pouvez prononcer "
            "la déchéance du terme."
        )
    elif plan.missed_count or plan.late_count:
        st.warning(
            f"{plan.late_count} échéance(s) en retard, {plan.missed_count} impayée(s) "
            "(au-delà du délai de grâce)."
        )
    if plan.status == PlanState.ACCELERATED:
        st.error(
            f"Déchéance du terme prononcée le {format_date(plan.accelerated_on)} : "
            f"{format_cents(plan.accelerated_balance_cents or 0)} exigibles immédiatement."
        )
        if plan.formal_notice_suggested:
            st.warning("Adressez une mise en demeure au débiteur (onglet Courriers).")
    st.dataframe(instalment_rows(plan), hide_index=True, width="stretch")
    if (
        plan.status in (PlanState.ACTIVE, PlanState.BROKEN)
        and plan.missed_count > 0
        and can(actor, Perm.PLANS_ACCELERATE)
    ):
        with st.form(f"accelerate_{plan.id}"):
            st.markdown("**Déchéance du terme** : tout le solde restant devient exigible.")
            confirm = st.checkbox("Je confirme la déchéance du terme", key=f"acc_ok_{plan.id}")
            if st.form_submit_button("Prononcer la déchéance du terme"):
                if not confirm:
                    st.error("Cochez la confirmation.")
                else:
                    with reporting_errors():
                        plans.declare_acceleration(actor, plan.id, expected_version=plan.version)
                        flash("Déchéance du terme enregistrée.")
                        st.rerun()


def _render_proposed(actor: Actor, plan: PlanView, *, has_holding: bool) -> None:
    st.subheader(f"Proposition n° {plan.id} — {plan.count} échéance(s)")
    st.caption(
        f"Solde retenu au {format_date(plan.basis_date)} : {format_cents(plan.total_cents)}"
        + (f" (abandon consenti : {format_cents(plan.waived_cents)})" if plan.waived_cents else "")
        + (f" ; taux {format_rate_bp(plan.rate_bp)}" if plan.rate_bp else "")
    )
    for warning in plan.warnings:
        st.warning(warning)
    st.dataframe(instalment_rows(plan), hide_index=True, width="stretch")
    _render_letter(actor, plan)
    left, right = st.columns(2)
    if can(actor, Perm.PLANS_ACCEPT):
        with left.form(f"accept_{plan.id}"):
            st.markdown("**Accord du débiteur**")
            accepted_on = st.date_input(
                "Date de l'accord",
                value=today_paris(),
                format="DD/MM/YYYY",
                key=f"accepted_on_{plan.id}",
            )
            accepted_by = st.text_input("Accord donné par", key=f"accepted_by_{plan.id}")
            channel = st.selectbox(
                "Forme de l'accord",
                list(AcceptanceChannel),
                format_func=lambda c: c.label,
                key=f"channel_{plan.id}",
            )
            supersede = (
                st.checkbox("Remplacer l'échéancier en cours", key=f"supersede_{plan.id}")
                if has_holding
                else False
            )
            if st.form_submit_button("Enregistrer l'accord"):
                with reporting_errors():
                    plans.accept_plan(
                        actor,
                        plan.id,
                        expected_version=plan.version,
                        accepted_on=accepted_on,
                        accepted_by=accepted_by,
                        channel=channel,
                        supersede=supersede,
                    )
                    flash("Échéancier accepté : il est désormais en cours.")
                    st.rerun()
    if can(actor, Perm.PLANS_PROPOSE):
        with right.form(f"cancel_{plan.id}"):
            st.markdown("**Annuler la proposition**")
            reason = st.text_input("Motif", key=f"cancel_reason_{plan.id}")
            if st.form_submit_button("Annuler la proposition"):
                with reporting_errors():
                    plans.cancel_plan(actor, plan.id, expected_version=plan.version, reason=reason)
                    flash("Proposition annulée.")
                    st.rerun()


def _render_letter(actor: Actor, plan: PlanView) -> None:
    if not can(actor, Perm.LETTERS_GENERATE):
        return
    try:
        checks = letter_checks(actor, plan.reference)
    except CaseError as exc:
        show_case_error(exc)
        return
    if checks.sender_missing:
        st.warning(checks.sender_missing)
    include_time_barred = (
        st.checkbox(
            "Je sais qu'une facture est prescrite et j'adresse quand même le courrier",
            key=f"letter_barred_{plan.id}",
        )
        if checks.time_barred
        else False
    )
    if st.button(
        "Générer le courrier « Échéancier » (DOCX)",
        key=f"letter_{plan.id}",
        disabled=bool(checks.sender_missing),
    ):
        with reporting_errors():
            doc = plan_letter.generate_plan_letter(
                actor, plan.id, include_time_barred=include_time_barred
            )
            st.session_state[f"_letter_{plan.id}"] = (doc.filename, doc.content)
            st.success(f"Courrier enregistré dans les documents du dossier : {doc.filename}")
    letter = st.session_state.get(f"_letter_{plan.id}")
    if letter:
        st.download_button(
            "Télécharger le courrier",
            data=letter[1],
            file_name=letter[0],
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key=f"letter_dl_{plan.id}",
        )


def _proposal_inputs(index: int, today: date) -> Proposal | None:
    """One column of the comparison; None when the user left it empty."""
    key = f"prop{index}"
    mode = st.radio(
        "Calcul",
        ["Nombre d'échéances", "Montant par échéance"],
        key=f"{key}_mode",
        horizontal=True,
    )
    if mode == "Nombre d'échéances":
        count = int(st.number_input("Nombre d'échéances", 0, 240, 0, key=f"{key}_count"))
        per_text = ""
    else:
        count = 0
        per_text = st.text_input("Montant par échéance (€)", key=f"{key}_per")
    frequency = st.selectbox(
        "Périodicité",
        list(Frequency),
        index=list(Frequency).index(Frequency.MONTHLY),
        format_func=lambda f: f.label,
        key=f"{key}_freq",
    )
    first = st.date_input(
        "Première échéance",
        value=today + timedelta(days=30),
        format="DD/MM/YYYY",
        key=f"{key}_first",
    )
    day = int(st.number_input("Jour du mois (0 : celui de la 1re)", 0, 31, 0, key=f"{key}_day"))
    down_text = st.text_input("Acompte (€)", key=f"{key}_down")
    rate_text = st.text_input("Taux annuel sur le plan (%)", key=f"{key}_rate")
    if count == 0 and not per_text.strip():
        return None
    return Proposal(
        basis_date=today,  # replaced by the basis date chosen above
        first_due_date=first,
        frequency=frequency,
        count=count or None,
        instalment_cents=parse_amount(per_text, "instalment_cents") if per_text.strip() else None,
        down_payment_cents=parse_amount(down_text, "down_payment_cents")
        if down_text.strip()
        else 0,
        down_payment_date=None,
        day_of_month=day or None,
        rate_bp=parse_rate(rate_text, "rate_bp") if rate_text.strip() else 0,
    )


def _render_new_proposals(actor: Actor, reference: str, today: date) -> None:
    st.subheader("Nouvelle proposition")
    cols = st.columns(4)
    basis_date = cols[0].date_input(
        "Solde arrêté au", value=today, format="DD/MM/YYYY", key="plan_basis_date"
    )
    include_principal = cols[1].checkbox("Principal", value=True, key="plan_inc_principal")
    include_interest = cols[2].checkbox("Intérêts", value=True, key="plan_inc_interest")
    include_indemnity = cols[3].checkbox("Indemnité", value=True, key="plan_inc_indemnity")
    try:
        basis = balance_basis(actor, reference, basis_date)
    except CaseError as exc:
        show_case_error(exc)
        return
    retained = basis.included_total(include_principal, include_interest, include_indemnity)
    st.caption(
        f"Principal {format_cents(basis.principal_cents)} · intérêts "
        f"{format_cents(basis.interest_cents)} · indemnité {format_cents(basis.indemnity_cents)}"
        f" · frais {format_cents(basis.costs_cents)} — retenu : "
        f"**{format_cents(retained)}**"
    )
    proposals: list[tuple[str, Proposal, Schedule]] = []
    columns = st.columns(MAX_PROPOSALS)
    for index, column in enumerate(columns):
        with column:
            st.markdown(f"**{PROPOSAL_LABELS[index]}**")
            try:
                proposal = _proposal_inputs(index, today)
                if proposal is None:
                    continue
                proposal = dataclasses.replace(
                    proposal,
                    basis_date=basis_date,
                    include_principal=include_principal,
                    include_interest=include_interest,
                    include_indemnity=include_indemnity,
                )
                schedule = preview(basis, proposal)
            except ValidationError as exc:
                show_case_error(exc)
                continue
            proposals.append((PROPOSAL_LABELS[index], proposal, schedule))
    if not proposals:
        st.caption("Renseignez au moins une proposition (nombre ou montant des échéances).")
        return
    summaries = compare(
        [(label, s) for label, _p, s in proposals], basis_date, basis.limitation_date
    )
    st.dataframe(
        [
            {
                "Proposition": s.label,
                "Échéances": s.count,
                "Montant": format_cents(s.regular_cents),
                "Acompte": format_cents(s.down_payment_cents),
                "Fin": format_date(s.end_date),
                "Intérêts du plan": format_cents(s.interest_cents),
                "Coût total": format_cents(s.total_cost_cents),
            }
            for s in summaries
        ],
        hide_index=True,
        width="stretch",
        key="plan_comparison",
    )
    for s in summaries:
        for warning in s.warnings:
            st.warning(f"{s.label} : {warning}")
    figure = go.Figure()
    for label, _proposal, schedule in proposals:
        points = schedule.cumulative_euros()
        figure.add_trace(
            go.Scatter(
                x=[d for d, _ in points],
                y=[euros for _, euros in points],
                mode="lines+markers",
                line_shape="hv",
                name=label,
                # The hover would print the date the English way: give it ours.
                customdata=[format_date(d) for d, _ in points],
                hovertemplate="%{customdata} : %{y:,.2f} €<extra>%{fullData.name}</extra>",
            )
        )
    days = [d for _label, _p, schedule in proposals for d, _ in schedule.cumulative_euros()]
    ticks, tick_labels = month_ticks(min(days), max(days))
    if not ticks:  # a plan within one month: its own dates
        ticks = sorted(set(days))
        tick_labels = [format_date(d) for d in ticks]
    figure.update_xaxes(tickmode="array", tickvals=ticks, ticktext=tick_labels)
    figure.update_layout(
        title="Montant cumulé payé selon chaque proposition",
        xaxis_title="Date",
        yaxis_title="Cumul (€)",
        separators=", ",
        height=360,
    )
    st.plotly_chart(figure, key="plan_chart")
    for label, proposal, _schedule in proposals:
        # « Enregistrer la proposition A »: the letter stays upper-case.
        if st.button(f"Enregistrer la {label[0].lower()}{label[1:]}", key=f"save_{label}"):
            with reporting_errors():
                saved = plans.propose_plan(actor, reference, proposal)
                flash(f"Proposition n° {saved.id} enregistrée.")
                st.rerun()
