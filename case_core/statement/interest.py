"""Late interest, pure: no database. Rates come from a RateTable.

Day count: interest runs for the days *after* an anchor date up to and including the
last day counted: `days = last - anchor`. Under L441-10 the anchor is the due date, so the
first day counted is the day after it; a payment received on day P still bears interest
for day P on the principal it then reduces. So a 10 000 € invoice due 31/03/2025 and paid
15/09/2025 counts 01/04–30/06 (91 days at 13,15 %) and 01/07–15/09 (77 days at 12,15 %).

Simple interest on a 365-day year whatever the year (amount × rate × days / 36 500),
one line per stretch of constant principal and rate; a line never crosses a semester
boundary. Each line is rounded half-up to the cent and totals are sums of lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from case_core.kernel.dates import format_date
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_rate_bp
from case_core.models import InterestRegime, RateKind
from case_core.statement.facts import CaseFacts, ClaimFacts
from case_core.statement.rates import RateTable, semester_bounds, semester_label

L441_10_MARGIN_BP = 1_000  # ECB rate + 10 points (Code de commerce L441-10)
L313_3_MARGIN_BP = 500  # legal rate + 5 points (Code monétaire et financier L313-3)
CONTRACTUAL_FLOOR_FACTOR = 3  # a contractual rate below 3 × the legal rate is refused
_DENOMINATOR = 10_000 * 365  # basis points × days of a 365-day year
# Said on the statement, its exports and the letters, so a reader can redo every line.
DAY_COUNT_CONVENTION = (
    "Intérêts comptés jour par jour sur une année de 365 jours (montant × taux × nombre de "
    "jours / 36 500), chaque ligne arrondie au centime."
)


def interest_cents(base_cents: int, rate_bp: int, days: int) -> int:
    """base × rate × days / 36 500, rounded half-up to the cent (integer arithmetic)."""
    if base_cents <= 0 or rate_bp <= 0 or days <= 0:
        return 0
    numerator = base_cents * rate_bp * days
    return (2 * numerator + _DENOMINATOR) // (2 * _DENOMINATOR)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class InterestTerms:
    """How one claim bears interest, resolved from the claim and its case."""

    regime: InterestRegime
    # Interest runs for the days after this date; None: no interest (e.g. no formal notice).
    anchor: date | None
    legal_kind: RateKind
    contractual_rate_bp: int | None = None
    professional_debtor: bool = False
    # L313-3: from the day after this date the rate is the legal rate + 5 points.
    increase_after: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class InterestLine:
    start: date  # first day counted
    end: date  # last day counted, inclusive
    days: int
    base_cents: int
    rate_bp: int
    amount_cents: int
    basis: str  # how the rate was obtained, in French


def legal_kind_for(case: CaseFacts) -> RateKind:
    """The legal rate category follows the creditor (natural person not acting
    for professional needs, or any other case: a sole trader takes the other rate)."""
    return RateKind.LEGAL_NATURAL_PERSON if case.private_creditor else RateKind.LEGAL_OTHER


def default_regime(professional_debtor: bool) -> InterestRegime:
    """L441-10 for a professional debtor, legal rate for a consumer."""
    return InterestRegime.L441_10 if professional_debtor else InterestRegime.LEGAL


def terms_for(claim: ClaimFacts, case: CaseFacts) -> InterestTerms:
    """Resolve regime, start and options of `claim`; refuses inconsistent settings."""
    regime = claim.regime
    kind = legal_kind_for(case)
    increase_after = (
        add_months(claim.judgment_date, 2)
        if claim.judgment_rate_increase and claim.judgment_date
        else None
    )
    common = {
        "regime": regime,
        "legal_kind": kind,
        "contractual_rate_bp": claim.contractual_rate_bp,
        "professional_debtor": case.professional_debtor,
        "increase_after": increase_after,
    }
    if regime == InterestRegime.NONE:
        return InterestTerms(**{**common, "anchor": None, "increase_after": None})
    if regime == InterestRegime.L441_10 and not case.professional_debtor:
        raise CaseError(
            f"Facture {claim.invoice_number} : les pénalités de l'article L441-10 du Code de "
            "commerce ne s'appliquent qu'à un débiteur professionnel ; choisissez le taux légal."
        )
    if regime == InterestRegime.CONTRACTUAL and claim.contractual_rate_bp is None:
        raise CaseError(
            f"Facture {claim.invoice_number} : régime « taux contractuel » sans taux indiqué."
        )
    if regime == InterestRegime.LEGAL:
        # Code civil 1231-6 and 1344: legal interest runs from the formal notice, that is
        # from its first presentation to the debtor (the receipt of the registered letter).
        start = claim.interest_start_date or case.formal_notice_presented_on
        note = None
        if start is None and case.formal_notice_date is not None:
            start = case.formal_notice_date
            note = (
                f"Provisoire : intérêts comptés depuis l'envoi de la mise en demeure le "
                f"{format_date(start)} ; ils courent de sa première présentation, à "
                "enregistrer au retour de l'accusé de réception."
            )
        if start is None:
            return InterestTerms(
                **common,
                anchor=None,
                note="Pas de mise en demeure ni de date de départ : pas d'intérêts au taux légal.",
            )
        return InterestTerms(**common, anchor=max(start, claim.due_date), note=note)
    # L441-10 and contractual penalties run from the day after the due date, no reminder needed.
    start = claim.interest_start_date or claim.due_date
    return InterestTerms(**common, anchor=max(start, claim.due_date))


def _rate_on(terms: InterestTerms, table: RateTable, day: date) -> tuple[int, str, date]:
    """Rate of `day`, how it was obtained, and the last day it holds."""
    sem_end = semester_bounds(day)[1]
    if terms.increase_after is not None and day > terms.increase_after:
        legal = table.period_on(terms.legal_kind, day)
        return (
            legal.rate_bp + L313_3_MARGIN_BP,
            f"taux légal {format_rate_bp(legal.rate_bp)} + 5 points (L313-3 CMF)",
            min(sem_end, legal.period_end),
        )
    until = sem_end
    if terms.increase_after is not None:
        until = min(until, terms.increase_after)
    if terms.regime == InterestRegime.LEGAL:
        legal = table.period_on(terms.legal_kind, day)
        return (
            legal.rate_bp,
            f"taux légal {format_rate_bp(legal.rate_bp)}",
            min(until, legal.period_end),
        )
    contractual = terms.contractual_rate_bp
    if terms.regime == InterestRegime.CONTRACTUAL and not terms.professional_debtor:
        assert contractual is not None
        return contractual, f"taux contractuel {format_rate_bp(contractual)}", until
    # Between professionals (L441-10): the contractual rate if not below 3 × the legal
    # rate, otherwise the clause is refused and the default rate (ECB + 10 points) applies.
    refused = ""
    if contractual is not None:
        legal = table.period_on(RateKind.LEGAL_OTHER, day)
        until = min(until, legal.period_end)
        floor = CONTRACTUAL_FLOOR_FACTOR * legal.rate_bp
        if contractual >= floor:
            return contractual, f"taux contractuel {format_rate_bp(contractual)}", until
        refused = (
            f" (taux contractuel {format_rate_bp(contractual)} refusé : inférieur à "
            f"3 × {format_rate_bp(legal.rate_bp)})"
        )
    ecb = table.period_on(RateKind.ECB_REFI, day)
    return (
        ecb.rate_bp + L441_10_MARGIN_BP,
        f"BCE {format_rate_bp(ecb.rate_bp)} + 10 points (L441-10){refused}",
        min(until, ecb.period_end),
    )


def rate_in_force(terms: InterestTerms, table: RateTable, day: date) -> int:
    """The rate a claim bears for `day` (0 when no interest runs yet): what makes a
    debtor more interested in paying one debt than another (Code civil 1342-10)."""
    if terms.anchor is None or day <= terms.anchor:
        return 0
    return _rate_on(terms, table, day)[0]


def interest_lines(
    terms: InterestTerms, table: RateTable, base_cents: int, after: date, through: date
) -> list[InterestLine]:
    """Lines for the days after `after` up to `through` inclusive on a constant base,
    split wherever the rate may change (semesters, rate periods, L313-3 increase)."""
    if terms.anchor is None or base_cents <= 0:
        return []
    day = max(after, terms.anchor) + timedelta(days=1)
    lines: list[InterestLine] = []
    while day <= through:
        rate_bp, basis, holds_until = _rate_on(terms, table, day)
        end = min(through, holds_until)
        days = (end - day).days + 1
        lines.append(
            InterestLine(
                start=day,
                end=end,
                days=days,
                base_cents=base_cents,
                rate_bp=rate_bp,
                amount_cents=interest_cents(base_cents, rate_bp, days),
                basis=basis,
            )
        )
        day = end + timedelta(days=1)
    return lines


def check_contractual_rate(table: RateTable, rate_bp: int, on: date) -> None:
    """Refuse a contractual late-payment rate below three times the legal rate in force
    on `on` (Code de commerce L441-10); for the services that record the rate."""
    legal = table.period_on(RateKind.LEGAL_OTHER, on)
    floor = CONTRACTUAL_FLOOR_FACTOR * legal.rate_bp
    if rate_bp < floor:
        raise ValidationError(
            {
                "contractual_rate": (
                    f"Taux contractuel {format_rate_bp(rate_bp)} refusé : il ne peut être "
                    f"inférieur à trois fois le taux d'intérêt légal, soit "
                    f"{format_rate_bp(floor)} au {semester_label(on)} (Code de commerce L441-10)."
                )
            }
        )
