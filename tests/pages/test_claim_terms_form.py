"""The forms beside the statement: a claim's interest regime and other recovery costs."""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.money import format_cents
from case_core.models import Claim, CostBearer, InterestRegime, RecoveryCost
from tests.factories import make_case


def _app(actor: Actor, reference: str) -> AppTest:
    def app(actor: object, reference: str) -> None:
        from pages.components.claim_terms_form import render_claim_terms_forms

        render_claim_terms_forms(actor, reference)

    return AppTest.from_function(app, args=(actor, reference), default_timeout=60).run()


def test_change_a_claims_interest_regime(admin: Actor) -> None:
    case = make_case(admin)
    at = _app(admin, case.reference)
    regime = next(s for s in at.selectbox if s.label == "Régime")
    regime.set_value(InterestRegime.NONE)
    next(b for b in at.button if b.label == "Enregistrer le régime").click()
    at.run()
    assert not at.exception and not at.error
    with read_session() as session:
        assert session.exec(select(Claim.interest_regime)).one() == InterestRegime.NONE


def test_a_too_low_contractual_rate_is_refused_and_nothing_changes(admin: Actor) -> None:
    case = make_case(admin)
    at = _app(admin, case.reference)
    next(s for s in at.selectbox if s.label == "Régime").set_value(InterestRegime.CONTRACTUAL)
    next(t for t in at.text_input if t.label == "Taux contractuel (%)").input("1,5")
    next(b for b in at.button if b.label == "Enregistrer le régime").click()
    at.run()
    assert at.error and "taux" in at.error[0].value.lower()
    with read_session() as session:
        assert session.exec(select(Claim.interest_regime)).one() == InterestRegime.L441_10


def test_record_a_recovery_cost(admin: Actor) -> None:
    case = make_case(admin)
    at = _app(admin, case.reference)
    next(t for t in at.text_input if t.label == "Libellé").input("Lettre recommandée & AR")
    next(t for t in at.text_input if t.label == "Montant (€)").input("12,50")
    next(b for b in at.button if b.label == "Enregistrer les frais").click()
    at.run()
    assert not at.exception and not at.error
    with read_session() as session:
        cost = session.exec(select(RecoveryCost)).one()
    assert (cost.label, cost.amount_cents, cost.borne_by) == (
        "Lettre recommandée & AR",
        1250,
        CostBearer.CREDITOR,
    )


def test_a_refused_statement_can_be_fixed_from_the_tab(admin: Actor) -> None:
    """With no rate for the semester the statement stops, naming it; the regime
    form is still offered, and a claim without interest then computes."""

    def app(actor: object, reference: str) -> None:
        from pages.components.statement_tab import render_statement_tab

        render_statement_tab(actor, reference)

    case = make_case(admin)
    at = AppTest.from_function(app, args=(admin, case.reference), default_timeout=60)
    at.run()
    # A date whose semester no shipped rate table will ever cover.
    at.date_input[0].set_value(date(2099, 1, 15)).run()
    # Refused as a statement: said, with the estimate beside it (never silently).
    assert any("Taux manquant" in w.value for w in at.warning)
    next(s for s in at.selectbox if s.label == "Régime").set_value(InterestRegime.NONE)
    next(b for b in at.button if b.label == "Enregistrer le régime").click()
    at.run()
    assert not at.error
    assert any(m.label == "Principal" and m.value == format_cents(123456) for m in at.metric)


def test_costs_and_terms_count_as_changes_of_the_case(admin: Actor) -> None:
    from case_core.cases.costs import record_recovery_cost, set_claim_interest_terms
    from case_core.cases.detail import case_claims, case_view

    case = make_case(admin)
    before = case_view(admin, case.reference).version
    record_recovery_cost(admin, case.reference, date(2026, 4, 2), "Recommandé", "9,90", "creditor")
    claim_id = case_claims(admin, case.reference)[0].id
    set_claim_interest_terms(admin, claim_id, InterestRegime.NONE)
    assert case_view(admin, case.reference).version == before + 2
