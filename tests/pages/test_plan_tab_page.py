"""The « Échéancier » and « Paiements » tabs driven with AppTest (no Streamlit in services)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.models import AcceptanceChannel, Payment, PaymentMethod, PlanStatus, Role
from case_core.payments import service as payments
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from case_core.plans.schedule import FRENCH_MONTHS, next_working_day
from case_core.plans.status import PlanState
from case_core.plans.views import plan_view, plans_for_case
from case_core.statement.limitation import add_years
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, add_claim, make_case
from tests.letter_helpers import set_sender


def _plan_tab() -> None:
    import streamlit as st

    from pages.components.plan_tab import render_plan_tab

    render_plan_tab(st.session_state["actor"], st.session_state["reference"])


def _payments_tab() -> None:
    import streamlit as st

    from pages.components.payments_tab import render_payments_tab

    render_payments_tab(st.session_state["actor"], st.session_state["reference"])


def run(script, actor: Actor, reference: str) -> AppTest:  # type: ignore[no-untyped-def]
    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["reference"] = reference
    return at.run()


def test_compare_save_accept_a_proposal(admin: Actor) -> None:
    set_sender(admin)
    reference = make_case(
        admin, **NO_INTEREST, principal_cents=100_000, due_date=today_paris() - timedelta(days=60)
    ).reference
    at = run(_plan_tab, admin, reference)
    assert not at.exception
    assert any("Aucun échéancier en cours" in i.value for i in at.info)
    at.number_input(key="prop0_count").set_value(3)
    at.radio(key="prop1_mode").set_value("Montant par échéance")
    at.run()
    at.text_input(key="prop1_per").input("300")
    at.run()
    table = next(d.value for d in at.dataframe if "Proposition" in d.value.columns)
    assert list(table["Échéances"]) == [3, 4]
    assert list(table["Coût total"]) == ["1\u202f000,00\u00a0€"] * 2
    assert len(at.get("plotly_chart")) == 1
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    month = FRENCH_MONTHS[(today_paris() + timedelta(days=61)).month - 1]
    assert any(label.startswith(month) for label in chart["layout"]["xaxis"]["ticktext"])
    first_due = next_working_day(today_paris() + timedelta(days=30)).strftime("%d/%m/%Y")
    assert first_due in chart["data"][0]["customdata"]
    assert {"Enregistrer la proposition A", "Enregistrer la proposition B"} <= {
        b.label for b in at.button
    }
    at.button(key="save_Proposition A").click()
    at.run()
    assert not at.exception
    at.button(key="save_Proposition B").click()
    at.run()
    assert not at.exception  # two proposals side by side, each with its own forms
    saved_b, saved = plans_for_case(admin, reference)
    assert saved_b.count == 4 and saved.count == 3
    assert [i.amount_cents for i in saved.instalments] == [33_333, 33_333, 33_334]
    assert any("enregistrée" in s.value for s in at.success)

    at.button(key=f"letter_{saved.id}").click()
    at.run()
    assert not at.exception
    assert any("Courrier enregistré" in s.value for s in at.success)
    assert len(at.get("download_button")) == 1

    at.text_input(key=f"accepted_by_{saved.id}").input("Jeanne Dupont")
    at.selectbox(key=f"channel_{saved.id}").set_value(AcceptanceChannel.LETTER)
    accept_form = next(b for b in at.button if b.proto.form_id == f"accept_{saved.id}")
    accept_form.click()
    at.run()
    assert not at.exception
    assert plan_view(admin, saved.id).stored_status == PlanStatus.ACTIVE
    assert plan_view(admin, saved_b.id).stored_status == PlanStatus.PROPOSED
    assert any("Échéancier en cours" in h.value for h in at.subheader)
    statuses = list(next(d.value for d in at.dataframe if "Statut" in d.value.columns)["Statut"])
    assert statuses == ["À venir"] * 3


def test_warning_for_a_plan_over_24_months(admin: Actor) -> None:
    reference = make_case(
        admin, **NO_INTEREST, principal_cents=500_000, due_date=today_paris() - timedelta(days=60)
    ).reference
    at = run(_plan_tab, admin, reference)
    at.number_input(key="prop0_count").set_value(30)
    at.run()
    assert any("24 mois" in w.value for w in at.warning)


def test_time_barred_claim_is_said_not_advised_to_interrupt(admin: Actor) -> None:
    set_sender(admin)
    barred_since = today_paris() - timedelta(days=10)
    # A consumer invoice due two years before that day: time-barred ten days ago.
    reference = make_case(admin, **NO_INTEREST, due_date=add_years(barred_since, -2)).reference
    at = run(_plan_tab, admin, reference)
    at.number_input(key="prop0_count").set_value(6)
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("prescrite depuis le" in w and "ne fait pas revivre" in w for w in warnings)
    assert not any("interrompre la prescription" in w for w in warnings)
    at.button(key="save_Proposition A").click()
    at.run()
    (saved,) = plans_for_case(admin, reference)
    assert any("prescrite depuis le" in w for w in saved.warnings)
    at.button(key=f"letter_{saved.id}").click()
    at.run()
    assert any("est prescrite depuis le" in e.value for e in at.error)
    at.checkbox(key=f"letter_barred_{saved.id}").check()
    at.button(key=f"letter_{saved.id}").click()
    at.run()
    assert any("Courrier enregistré" in s.value for s in at.success)


def test_broken_plan_shows_and_manager_declares_acceleration(admin: Actor) -> None:
    today = today_paris()
    reference = make_case(
        admin, **NO_INTEREST, principal_cents=60_000, due_date=today - timedelta(days=400)
    ).reference
    basis = today - timedelta(days=200)
    plan = plans.propose_plan(
        admin,
        reference,
        Proposal(basis, basis + timedelta(days=10), count=6),
    )
    plans.accept_plan(
        admin,
        plan.id,
        expected_version=plan.version,
        accepted_on=basis,
        accepted_by="Jeanne Dupont",
        channel="phone",
    )
    at = run(_plan_tab, admin, reference)
    assert any("Plan rompu" in e.value for e in at.error)
    at.checkbox(key=f"acc_ok_{plan.id}").check()
    next(b for b in at.button if b.label == "Prononcer la déchéance du terme").click()
    at.run()
    assert not at.exception
    view = plan_view(admin, plan.id)
    assert view.status == PlanState.ACCELERATED and view.due_now_cents == 60_000
    assert any("Déchéance du terme prononcée" in e.value for e in at.error)


def test_payments_tab_duplicate_needs_confirmation(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=50_000).reference
    payments.record_payment(
        admin,
        reference,
        payments.PaymentInput(today_paris(), 10_000, PaymentMethod.TRANSFER, "VIR-1"),
    )
    at = run(_payments_tab, admin, reference)
    at.text_input(key=f"pay_amount_{reference}").input("100,00")
    at.text_input(key=f"pay_ref_{reference}").input("VIR-1")
    at.button[0].click()
    at.run()
    assert any("identique" in w.value for w in at.warning)
    assert len(payments.list_payments(admin, reference)) == 1
    claim_id, _number = payments.claim_choices(admin, reference)[0]
    at.selectbox(key=f"pay_claim_{reference}").set_value(claim_id)
    at.checkbox(key=f"pay_dup_{reference}").check()
    at.button[0].click()
    at.run()
    assert not at.exception
    assert len(payments.list_payments(admin, reference)) == 2
    assert any("Paiement enregistré" in s.value for s in at.success)
    with read_session() as session:
        imputed = session.exec(select(Payment.imputed_claim_id).order_by(Payment.id)).all()
    assert imputed == [None, claim_id]


def test_payments_tab_reverses_a_bounced_cheque(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=50_000).reference
    cheque = payments.record_payment(
        admin,
        reference,
        payments.PaymentInput(date.today(), 10_000, PaymentMethod.CHEQUE, "CHQ 42"),
        today=max(date.today(), today_paris()),
    )
    at = run(_payments_tab, admin, reference)
    at.text_input(key=f"reverse_reason_{reference}").input("Chèque impayé")
    next(b for b in at.button if b.label == "Annuler ce paiement").click()
    at.run()
    assert not at.exception
    rows = payments.list_payments(admin, reference)
    assert sum(p.amount_cents for p in rows) == 0
    assert any(p.reverses_payment_id == cheque.id for p in rows)


def test_viewer_sees_the_plan_but_no_forms(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=30_000).reference
    plans.propose_plan(
        admin, reference, Proposal(today_paris(), today_paris() + timedelta(days=7), count=3)
    )
    viewer = actor_with_role(admin, Role.VIEWER)
    at = run(_plan_tab, viewer, reference)
    assert not at.exception
    assert any(h.value.startswith("Proposition n°") for h in at.subheader)
    assert not any(h.value == "Nouvelle proposition" for h in at.subheader)
    assert len(at.button) == 0
    pay = run(_payments_tab, viewer, reference)
    assert not pay.exception and len(pay.button) == 0


def _accepted(actor: Actor, reference: str, basis: date, count: int, **kw: object) -> int:
    proposed = plans.propose_plan(
        actor, reference, Proposal(basis, basis + timedelta(days=35), count=count)
    )
    plans.accept_plan(
        actor,
        proposed.id,
        expected_version=proposed.version,
        accepted_on=basis,
        accepted_by="Le débiteur",
        channel="phone",
        **kw,  # type: ignore[arg-type]
    )
    return proposed.id


def test_case_tab_lists_a_completed_and_a_superseded_plan_as_ended(admin: Actor) -> None:
    today = today_paris()
    reference = make_case(
        admin, **NO_INTEREST, principal_cents=30_000, due_date=today - timedelta(days=400)
    ).reference
    done = _accepted(admin, reference, today - timedelta(days=200), 3)
    payments.record_payment(
        admin,
        reference,
        payments.PaymentInput(today - timedelta(days=150), 30_000, PaymentMethod.TRANSFER, "V1"),
    )
    add_claim(admin, reference, 60_000, today - timedelta(days=120))
    replaced = _accepted(admin, reference, today - timedelta(days=100), 6)
    _accepted(admin, reference, today - timedelta(days=5), 3, supersede=True)
    at = run(_plan_tab, admin, reference)
    assert not at.exception
    assert any("Échéancier en cours" in h.value for h in at.subheader)
    ended = " ".join(m.value for m in at.markdown)
    assert f"N° {done}** — soldé" in ended
    assert f"N° {replaced}** — remplacé le" in ended


def test_under_an_active_plan_a_new_proposal_is_asked_for(admin: Actor) -> None:
    today = today_paris()
    reference = make_case(
        admin, **NO_INTEREST, principal_cents=60_000, due_date=today - timedelta(days=40)
    ).reference
    _accepted(admin, reference, today, 3)
    at = run(_plan_tab, admin, reference)
    assert not at.exception, at.exception
    assert not any(h.value == "Nouvelle proposition" for h in at.subheader)
    asks = [e for e in at.expander if e.label.startswith("Proposer un nouvel échéancier")]
    assert len(asks) == 1
    at.session_state[f"plan_new_{reference}"] = True  # as a click on it does
    at.run()
    assert not at.exception, at.exception
    assert any(h.value == "Nouvelle proposition" for h in at.subheader)
    # Without a plan in force the form is there at once.
    other = make_case(
        admin, **NO_INTEREST, principal_cents=30_000, due_date=today - timedelta(days=40)
    ).reference
    fresh = run(_plan_tab, admin, other)
    assert any(h.value == "Nouvelle proposition" for h in fresh.subheader)
