"""The route the dossier recommends, each side of 5 000 €, and the CPC 750-1 check."""

from __future__ import annotations

from datetime import date

import pytest

from case_core.dossiers.route import (
    Court,
    PriorAttempt,
    Route,
    RouteFacts,
    recommend,
)

LIMIT = 5_000_00


def facts(amount: int = 3_000_00, **kw: object) -> RouteFacts:
    return RouteFacts(amount_cents=amount, commercial=kw.pop("commercial", False), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [1_00, LIMIT - 1, LIMIT])
def test_up_to_5000_small_claims_by_commissaire(amount: int) -> None:
    rec = recommend(facts(amount))
    assert rec.route == Route.SMALL_CLAIMS
    assert rec.court == Court.COMMISSAIRE
    assert "L125-1" in rec.reasons[0]
    assert "silence vaut refus" in rec.reasons[0]
    assert "charge du créancier" in rec.reasons[0]
    assert not rec.check_750_1.applies
    assert rec.cerfa is None


def test_above_5000_injonction_tribunal_judiciaire_12948() -> None:
    rec = recommend(facts(LIMIT + 1))
    assert rec.route == Route.INJONCTION
    assert rec.court == Court.TRIBUNAL_JUDICIAIRE
    assert rec.cerfa and "12948" in rec.cerfa
    assert not rec.check_750_1.applies
    assert "25 septembre 2025" in rec.check_750_1.text


def test_commercial_debt_injonction_12946() -> None:
    rec = recommend(facts(LIMIT + 1, commercial=True))
    assert rec.route == Route.INJONCTION
    assert rec.court == Court.TRIBUNAL_COMMERCE
    assert rec.cerfa and "12946" in rec.cerfa
    assert "tribunal des activités économiques" in rec.court_text


def test_protection_judge_16040() -> None:
    rec = recommend(facts(8_000_00, protection_matter=True))
    assert rec.route == Route.INJONCTION
    assert rec.court == Court.JCP
    assert rec.cerfa and "16040" in rec.cerfa


def test_failed_small_claims_under_5000_goes_to_injonction() -> None:
    rec = recommend(facts(LIMIT, small_claims_failed=True))
    assert rec.route == Route.INJONCTION
    assert "12948" in (rec.cerfa or "")


def test_acknowledged_debt_above_5000_refere_provision() -> None:
    ack = ("échéancier accepté le 01/02/2026 puis rompu le 15/04/2026",)
    rec = recommend(facts(LIMIT + 1, acknowledgements=ack))
    assert rec.route == Route.REFERE_PROVISION
    assert "835" in rec.court_text
    assert "rompu" in rec.reasons[0]
    assert not rec.check_750_1.applies  # above 5 000 €
    commercial = recommend(facts(LIMIT + 1, acknowledgements=ack, commercial=True))
    assert "873" in commercial.court_text


def test_acknowledged_debt_under_5000_after_failed_small_claims_is_exempt() -> None:
    rec = recommend(facts(LIMIT, acknowledgements=("plan rompu",), small_claims_failed=True))
    assert rec.route == Route.REFERE_PROVISION
    assert rec.check_750_1.applies and rec.check_750_1.satisfied
    assert "engagée en vain" in rec.check_750_1.text


def test_disputed_claim_goes_to_the_merits() -> None:
    rec = recommend(facts(LIMIT + 1, open_disputes=1))
    assert rec.route == Route.ASSIGNATION_FOND
    assert rec.court == Court.TRIBUNAL_JUDICIAIRE
    assert "contestée" in rec.reasons[0]


def test_opposed_injonction_goes_to_the_merits() -> None:
    rec = recommend(facts(LIMIT + 1, injunction_opposed=True))
    assert rec.route == Route.ASSIGNATION_FOND
    assert "opposition" in rec.reasons[0]


def test_750_1_warns_without_proof_up_to_5000() -> None:
    rec = recommend(facts(LIMIT, open_disputes=2))
    assert rec.route == Route.ASSIGNATION_FOND
    assert rec.check_750_1.applies and not rec.check_750_1.satisfied
    assert any("Aucune preuve" in w for w in rec.warnings)
    assert any("n'est pas soumise" in a for a in rec.alternatives)


def test_750_1_not_applicable_just_above_5000() -> None:
    rec = recommend(facts(LIMIT + 1, open_disputes=2))
    assert not rec.check_750_1.applies
    assert rec.warnings == []


def test_750_1_names_the_mediation_on_file() -> None:
    attempt = PriorAttempt(
        "Médiation conventionnelle (médiateur : Centre de médiation de Lyon)",
        date(2026, 5, 4),
        "constat d'échec en pièce n° 14",
    )
    rec = recommend(facts(LIMIT, open_disputes=1, prior_attempts=(attempt,)))
    assert rec.check_750_1.applies and rec.check_750_1.satisfied
    assert "Centre de médiation de Lyon" in rec.check_750_1.text
    assert "04/05/2026" in rec.check_750_1.text
    assert "pièce n° 14" in rec.check_750_1.text


def test_750_1_does_not_govern_the_commercial_court() -> None:
    rec = recommend(facts(LIMIT, open_disputes=1, commercial=True))
    assert rec.route == Route.ASSIGNATION_FOND
    assert not rec.check_750_1.applies


def test_contribution_justice_economique_flagged_above_50000_commercial() -> None:
    rec = recommend(facts(50_000_01, commercial=True))
    assert any("justice économique" in w for w in rec.warnings)
    assert not any(
        "justice économique" in w for w in recommend(facts(50_000_00, commercial=True)).warnings
    )
    assert not any("justice économique" in w for w in recommend(facts(60_000_00)).warnings)


def test_non_contractual_cause_excludes_summary_routes() -> None:
    rec = recommend(facts(1_000_00, contractual_cause=False))
    assert rec.route == Route.ASSIGNATION_FOND
