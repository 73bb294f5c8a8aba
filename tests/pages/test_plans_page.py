"""The « Échéanciers » page and the case page's plan tabs, through the real app.py."""

from __future__ import annotations

from datetime import timedelta

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.models import PaymentMethod, Role
from case_core.payments import service as payments
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from case_core.plans.views import PlanView
from tests.apptest_helpers import open_case_tab, signed_in_app, titles
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, make_case


def _active_plan(actor: Actor, reference: str, days_ago: int, count: int) -> PlanView:
    basis = today_paris() - timedelta(days=days_ago)
    plan = plans.propose_plan(
        actor, reference, Proposal(basis, basis + timedelta(days=5), count=count)
    )
    return plans.accept_plan(
        actor,
        plan.id,
        expected_version=plan.version,
        accepted_on=basis,
        accepted_by="Le débiteur",
        channel="letter",
    )


def test_board_lists_plans_filters_and_charts(admin: Actor) -> None:
    broken_ref = make_case(
        admin, **NO_INTEREST, principal_cents=60_000, debtor="RETARD Rémi"
    ).reference
    fine_ref = make_case(
        admin, **NO_INTEREST, principal_cents=120_000, debtor="PONCTUEL Paul"
    ).reference
    _active_plan(admin, broken_ref, days_ago=150, count=6)
    _active_plan(admin, fine_ref, days_ago=1, count=12)
    viewer = actor_with_role(admin, Role.VIEWER)

    at = signed_in_app(viewer, page="pages/plans.py")
    assert not at.exception
    assert titles(at) == ["Échéanciers"]
    table = at.dataframe[0].value
    assert set(table["Dossier"]) == {broken_ref, fine_ref}
    statuses = dict(zip(table["Dossier"], table["Statut"], strict=True))
    assert statuses == {broken_ref: "Rompu", fine_ref: "Actif"}
    assert len(at.get("plotly_chart")) == 1

    at.selectbox(key="plans_status").set_value("broken")
    at.run()
    assert list(at.dataframe[0].value["Dossier"]) == [broken_ref]


def test_case_page_has_plan_and_payment_tabs(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=30_000).reference
    payments.record_payment(
        admin,
        reference,
        payments.PaymentInput(today_paris(), 5_000, PaymentMethod.TRANSFER, "VIR-77"),
    )
    at = signed_in_app(admin)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    assert not at.exception
    labels = [t.label for t in at.tabs]
    assert "Échéancier" in labels and "Paiements" in labels
    open_case_tab(at, "Paiements")
    paid = next(d.value for d in at.dataframe if "Référence" in d.value.columns)
    assert list(paid["Référence"]) == ["VIR-77"]


def test_bank_import_page_books_only_confirmed_lines(admin: Actor) -> None:
    sure = make_case(admin, **NO_INTEREST, principal_cents=60_000).reference
    guessed = make_case(admin, **NO_INTEREST, principal_cents=777).reference
    day = today_paris().strftime("%d/%m/%Y")
    data = (
        f"Date;Libellé;Montant\n{day};VIR DUPONT {sure};150,00\n{day};VIR SANS REFERENCE;7,77\n"
    ).encode()
    at = signed_in_app(admin, page="pages/bank_import.py")
    assert titles(at) == ["Import bancaire"]
    at.file_uploader(key="bank_upload").set_value(("releve.csv", data, "text/csv")).run()
    assert not at.exception
    assert at.checkbox(key="bank_tick_0").value is True  # found by its reference
    assert at.checkbox(key="bank_tick_1").value is False  # amount only: a suggestion
    assert at.text_input(key="bank_ref_1").value == guessed
    assert payments.list_payments(admin, sure) == []  # nothing booked before confirmation
    next(b for b in at.button if b.label == "Enregistrer les paiements cochés").click()
    at.run()
    assert not at.exception
    assert any("1 paiement(s) enregistré(s)" in s.value for s in at.success)
    assert [p.amount_cents for p in payments.list_payments(admin, sure)] == [15_000]
    assert payments.list_payments(admin, guessed) == []
