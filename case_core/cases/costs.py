"""Recording what the statement needs beyond claims and payments: recovery costs (shown
apart, with who bears them) and the interest terms of a claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_core.cases.change import case_of, change_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import parse_date, today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import parse_positive_amount
from case_core.kernel.permissions import Perm, require
from case_core.kernel.validation import FieldErrors
from case_core.models import Claim, CostBearer, DebtorKind, InterestRegime, RecoveryCost
from case_core.statement.interest import check_contractual_rate
from case_core.statement.rates import load_rate_table, parse_rate


@dataclass(frozen=True)
class CostView:
    id: int
    case_reference: str
    incurred_on: date
    label: str
    amount_cents: int
    borne_by: CostBearer


def record_recovery_cost(
    actor: Actor,
    reference: str,
    incurred_on: date | str,
    label: str,
    amount: str | int,
    borne_by: CostBearer | str,
) -> CostView:
    """Record a recovery cost other than the fixed indemnity; audited.

    Without an enforceable title, amicable recovery costs stay with the creditor (Code des
    procédures civiles d'exécution L111-8): a cost put on a consumer must say so.
    """
    require(actor, Perm.PAYMENTS_RECORD)
    errors = FieldErrors()
    day = errors.check(parse_date, incurred_on, "incurred_on")
    if day is not None and day > today_paris():
        errors["incurred_on"] = "La date des frais ne peut pas être dans le futur."
    label = (label or "").strip()
    if not label:
        errors["label"] = "Indiquez la nature des frais."
    elif len(label) > 300:
        errors["label"] = "Le libellé ne doit pas dépasser 300 caractères."
    cents = errors.check(parse_positive_amount, amount, "amount") or 0
    try:
        bearer = CostBearer(borne_by)
    except ValueError:
        errors["borne_by"] = "Indiquez qui supporte les frais."
    errors.raise_if_any()
    assert day is not None
    with change_case(actor, Perm.PAYMENTS_RECORD, reference, "cost.record") as work:
        case = work.case
        if bearer == CostBearer.DEBTOR and case.debtor_kind == DebtorKind.CONSUMER:
            raise ValidationError(
                {
                    "borne_by": "Les frais de recouvrement amiable ne peuvent être mis à la "
                    "charge d'un consommateur sans titre exécutoire (CPCE L111-8)."
                }
            )
        cost = work.add(
            RecoveryCost(
                case_id=work.case_id,
                incurred_on=day,
                label=label,
                amount_cents=cents,
                borne_by=bearer,
                created_by_id=actor.id,
            )
        )
    assert cost.id is not None
    return CostView(cost.id, case.reference, day, label, cents, bearer)


@dataclass(frozen=True)
class ClaimTermsView:
    claim_id: int
    invoice_number: str
    regime: InterestRegime
    contractual_rate_bp: int | None
    interest_start_date: date | None
    judgment_date: date | None
    judgment_rate_increase: bool


def set_claim_interest_terms(
    actor: Actor,
    claim_id: int,
    regime: InterestRegime | str,
    contractual_rate: str | None = None,
    interest_start_date: date | str | None = None,
    judgment_date: date | str | None = None,
    judgment_rate_increase: bool = False,
) -> ClaimTermsView:
    """Change how a claim bears interest; audited. A contractual rate between
    professionals is refused below three times the legal rate of its due date."""
    require(actor, Perm.CASES_EDIT)
    errors = FieldErrors()
    try:
        regime = InterestRegime(regime)
    except ValueError:
        errors["regime"] = "Régime d'intérêts inconnu."
    rate_bp: int | None = None
    if contractual_rate not in (None, ""):
        rate_bp = errors.check(parse_rate, str(contractual_rate), "contractual_rate")
    start = judgment = None
    if interest_start_date:
        start = errors.check(parse_date, interest_start_date, "interest_start_date")
    if judgment_date:
        judgment = errors.check(parse_date, judgment_date, "judgment_date")
    if judgment_rate_increase and judgment is None:
        errors["judgment_date"] = (
            "La majoration de 5 points (L313-3) suppose la date à laquelle le jugement "
            "est devenu exécutoire."
        )
    if regime == InterestRegime.CONTRACTUAL and contractual_rate in (None, ""):
        errors["contractual_rate"] = "Indiquez le taux contractuel."
    errors.raise_if_any()
    assert isinstance(regime, InterestRegime)
    case_id = case_of(Claim, claim_id, "Facture introuvable.")
    with change_case(actor, Perm.CASES_EDIT, None, "claim.interest_terms", case_id=case_id) as work:
        session, case = work.session, work.case
        claim = session.get(Claim, claim_id)
        assert claim is not None
        professional = case.debtor_kind == DebtorKind.PROFESSIONAL
        if regime == InterestRegime.L441_10 and not professional:
            raise ValidationError(
                {"regime": "Le régime L441-10 ne s'applique qu'à un débiteur professionnel."}
            )
        if rate_bp is not None and professional:
            check_contractual_rate(load_rate_table(session), rate_bp, claim.due_date)
        claim.interest_regime = regime
        claim.contractual_rate_bp = rate_bp
        claim.interest_start_date = start
        claim.judgment_date = judgment
        claim.judgment_rate_increase = judgment_rate_increase
        session.add(claim)
    assert claim.id is not None
    return ClaimTermsView(
        claim.id,
        claim.invoice_number,
        regime,
        rate_bp,
        start,
        judgment,
        judgment_rate_increase,
    )
