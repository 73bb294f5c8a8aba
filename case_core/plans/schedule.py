"""Instalment schedules, pure: split a total into dated instalments, compare proposals.

Every amount is integer cents and the instalments always add up exactly to what they
finance: the rounding difference goes to the last instalment (1 000,00 € in 3 gives
333,33 / 333,33 / 333,34).

Interest on a plan, when the creditor asks for it, is computed as a level-payment
schedule (échéances constantes, the usual French amortisation): a periodic rate equal to
the annual rate divided by the number of periods a year, each instalment paying the
interest on the capital still due and the rest in capital; the last instalment settles the
remaining capital, so capital repaid always equals the amount financed.

Due dates falling on a Saturday, a Sunday or a French public holiday (metropolitan France)
move to the next working day; the next nominal date is not affected by that move.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays

from case_core.kernel.errors import ValidationError
from case_core.models import Frequency

MAX_INSTALMENTS = 240
COURT_GRACE_MONTHS = 24  # Code civil 1343-5: a court may defer or spread a debt over 2 years
MAX_PROPOSALS = 3
# An agreed plan's interest stays far below the usury rates (taux d'usure, L314-6 Code de la
# consommation, about 20 % a year for small consumer loans): more is a typo (10 000 %).
MAX_RATE_BP = 2_000

PERIODS_PER_YEAR = {
    Frequency.WEEKLY: 52,
    Frequency.BIWEEKLY: 26,
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
}


def add_months(day: date, months: int, day_of_month: int | None = None) -> date:
    """`day` moved by `months`, on `day_of_month` (default: the same day), clamped to the
    month's last day (31 in February gives 28 or 29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    wanted = day_of_month or day.day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> holidays.HolidayBase:
    # No subdivision: the national (metropolitan) calendar, without Alsace-Moselle extras.
    return holidays.country_holidays("FR", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def nominal_due_date(
    first_due_date: date, frequency: Frequency, index: int, day_of_month: int | None = None
) -> date:
    """The calendar date of instalment `index` (0 = first), before the working-day move."""
    if frequency == Frequency.WEEKLY:
        return first_due_date + timedelta(weeks=index)
    if frequency == Frequency.BIWEEKLY:
        return first_due_date + timedelta(weeks=2 * index)
    step = 3 if frequency == Frequency.QUARTERLY else 1
    if index == 0:
        return first_due_date
    return add_months(first_due_date, step * index, day_of_month)


@dataclass(frozen=True)
class PlanTerms:
    """What the user chooses. Exactly one of `count` and `instalment_cents` is given."""

    total_cents: int
    first_due_date: date
    frequency: Frequency = Frequency.MONTHLY
    count: int | None = None
    instalment_cents: int | None = None
    down_payment_cents: int = 0
    down_payment_date: date | None = None  # default: the first due date
    day_of_month: int | None = None
    rate_bp: int = 0  # annual rate on the plan, in basis points (500 = 5,00 %)


@dataclass(frozen=True)
class ScheduledInstalment:
    seq: int  # 0 is the down payment, when there is one
    due_date: date
    nominal_date: date
    amount_cents: int  # what the debtor pays: capital + interest
    capital_cents: int
    interest_cents: int


@dataclass(frozen=True)
class Schedule:
    terms: PlanTerms
    instalments: tuple[ScheduledInstalment, ...]

    @property
    def count(self) -> int:
        """Number of instalments, the down payment excluded."""
        return sum(1 for i in self.instalments if i.seq > 0)

    @property
    def regular_cents(self) -> int:
        """The amount of the first instalment after the down payment."""
        regular = [i.amount_cents for i in self.instalments if i.seq > 0]
        return regular[0] if regular else 0

    @property
    def interest_cents(self) -> int:
        return sum(i.interest_cents for i in self.instalments)

    @property
    def total_cost_cents(self) -> int:
        """Everything the debtor pays under the plan."""
        return sum(i.amount_cents for i in self.instalments)

    @property
    def end_date(self) -> date:
        return max(i.due_date for i in self.instalments)

    def cumulative(self) -> list[tuple[date, int]]:
        """(due date, amount paid by then) after each instalment, for charts."""
        running = 0
        out: list[tuple[date, int]] = []
        for inst in self.instalments:
            running += inst.amount_cents
            out.append((inst.due_date, running))
        return out

    def cumulative_euros(self) -> list[tuple[date, float]]:
        """The same in euros, for a chart axis (never for sums)."""
        return [(day, cents / 100) for day, cents in self.cumulative()]


FRENCH_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def month_ticks(first: date, last: date, max_ticks: int = 12) -> tuple[list[date], list[str]]:
    """Ticks for a chart's date axis: first days of months within [first, last], one every
    few months so there are at most `max_ticks`, labelled the French way (« janv. 2027 »);
    plotly would print English month names."""
    start = first if first.day == 1 else add_months(first.replace(day=1), 1)
    months = (last.year - start.year) * 12 + last.month - start.month
    if months < 0:
        return [], []
    step = months // max_ticks + 1
    ticks = [add_months(start, n) for n in range(0, months + 1, step)]
    return ticks, [f"{FRENCH_MONTHS[d.month - 1]} {d.year}" for d in ticks]


def _validate(terms: PlanTerms) -> None:
    errors: dict[str, str] = {}
    if terms.total_cents <= 0:
        errors["total_cents"] = "Le montant de l'échéancier doit être supérieur à zéro."
    if terms.down_payment_cents < 0:
        errors["down_payment_cents"] = "L'acompte ne peut pas être négatif."
    elif terms.down_payment_cents >= terms.total_cents > 0:
        errors["down_payment_cents"] = "L'acompte doit être inférieur au montant total."
    if (terms.count is None) == (terms.instalment_cents is None):
        errors["count"] = "Indiquez soit un nombre d'échéances, soit un montant par échéance."
    elif terms.count is not None and not 1 <= terms.count <= MAX_INSTALMENTS:
        errors["count"] = f"Le nombre d'échéances doit être compris entre 1 et {MAX_INSTALMENTS}."
    elif terms.count is not None and terms.total_cents - terms.down_payment_cents < terms.count:
        errors["count"] = "Trop d'échéances pour ce montant : un centime au moins par échéance."
    elif terms.instalment_cents is not None and terms.instalment_cents <= 0:
        errors["instalment_cents"] = "Le montant par échéance doit être supérieur à zéro."
    if terms.day_of_month is not None and not 1 <= terms.day_of_month <= 31:
        errors["day_of_month"] = "Le jour du mois doit être compris entre 1 et 31."
    if terms.rate_bp < 0:
        errors["rate_bp"] = "Le taux ne peut pas être négatif."
    elif terms.rate_bp > MAX_RATE_BP:
        errors["rate_bp"] = "Le taux d'un échéancier ne peut pas dépasser 20,00 % par an."
    if errors:
        raise ValidationError(errors)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _periodic_rate(terms: PlanTerms) -> Decimal:
    return Decimal(terms.rate_bp) / Decimal(10_000) / PERIODS_PER_YEAR[terms.frequency]


def _capital_parts(terms: PlanTerms, financed: int) -> list[tuple[int, int]]:
    """(capital, interest) of each instalment after the down payment."""
    rate = _periodic_rate(terms)
    if terms.count is not None:
        n = terms.count
        if rate == 0:
            base = financed // n
            return [(base, 0)] * (n - 1) + [(financed - base * (n - 1), 0)]
        level = _round(Decimal(financed) * rate / (1 - (1 + rate) ** -n))
        return _amortise(financed, rate, level, max_count=n)
    assert terms.instalment_cents is not None
    level = terms.instalment_cents
    if rate == 0:
        full, rest = divmod(financed, level)
        parts = [(level, 0)] * full + ([(rest, 0)] if rest else [])
        if len(parts) > MAX_INSTALMENTS:
            raise ValidationError(
                {"instalment_cents": f"Plus de {MAX_INSTALMENTS} échéances : montant trop faible."}
            )
        return parts
    if _round(Decimal(financed) * rate) >= level:
        raise ValidationError(
            {"instalment_cents": "L'échéance ne couvre pas les intérêts : montant trop faible."}
        )
    return _amortise(financed, rate, level, max_count=None)


def _amortise(
    financed: int, rate: Decimal, level: int, max_count: int | None
) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    remaining = financed
    while remaining > 0:
        interest = _round(Decimal(remaining) * rate)
        if max_count is None:
            capital = min(remaining, level - interest)
        else:
            # Keep at least one cent for each instalment still to come, so the count holds.
            left_after = max_count - 1 - len(parts)
            capital = (
                remaining if left_after == 0 else min(level - interest, remaining - left_after)
            )
        parts.append((capital, interest))
        remaining -= capital
        if len(parts) > MAX_INSTALMENTS:
            raise ValidationError(
                {"instalment_cents": f"Plus de {MAX_INSTALMENTS} échéances : montant trop faible."}
            )
    return parts


def build_schedule(terms: PlanTerms) -> Schedule:
    """The dated instalments of `terms`; raises ValidationError on impossible terms."""
    _validate(terms)
    financed = terms.total_cents - terms.down_payment_cents
    out: list[ScheduledInstalment] = []
    if terms.down_payment_cents:
        nominal = terms.down_payment_date or terms.first_due_date
        out.append(
            ScheduledInstalment(
                0,
                next_working_day(nominal),
                nominal,
                terms.down_payment_cents,
                terms.down_payment_cents,
                0,
            )
        )
    for index, (capital, interest) in enumerate(_capital_parts(terms, financed)):
        nominal = nominal_due_date(terms.first_due_date, terms.frequency, index, terms.day_of_month)
        out.append(
            ScheduledInstalment(
                index + 1,
                next_working_day(nominal),
                nominal,
                capital + interest,
                capital,
                interest,
            )
        )
    return Schedule(terms, tuple(out))


def plan_warnings(end_date: date, start: date, limitation_date: date | None = None) -> list[str]:
    """What the user should know before proposing a plan ending on `end_date`."""
    from case_core.kernel.dates import format_date

    warnings: list[str] = []
    limit = add_months(start, COURT_GRACE_MONTHS)
    if end_date > limit:
        warnings.append(
            f"L'échéancier se termine le {format_date(end_date)}, au-delà de 24 mois "
            f"(le {format_date(limit)}) : durée supérieure au délai de grâce qu'un juge peut "
            "accorder (Code civil, art. 1343-5)."
        )
    if limitation_date is not None and limitation_date < start:
        # Code civil 2240 interrupts a running limitation only: signing cannot revive it.
        warnings.append(
            f"Créance prescrite depuis le {format_date(limitation_date)} (au moins une "
            "facture) : un échéancier, même signé, ne fait pas revivre une dette prescrite. "
            "Ne réclamez pas les factures prescrites."
        )
    elif limitation_date is not None and end_date > limitation_date:
        warnings.append(
            f"L'échéancier se termine après la date de prescription "
            f"({format_date(limitation_date)}) : faites signer l'échéancier (reconnaissance de "
            "dette) pour interrompre la prescription."
        )
    return warnings


@dataclass(frozen=True)
class ProposalSummary:
    label: str
    count: int
    regular_cents: int
    down_payment_cents: int
    end_date: date
    interest_cents: int
    total_cost_cents: int
    warnings: tuple[str, ...]


def compare(
    proposals: list[tuple[str, Schedule]], start: date, limitation_date: date | None = None
) -> list[ProposalSummary]:
    """Side-by-side figures of up to three proposals (label, schedule)."""
    if len(proposals) > MAX_PROPOSALS:
        raise ValidationError(f"Au plus {MAX_PROPOSALS} propositions à comparer.")
    return [
        ProposalSummary(
            label=label,
            count=s.count,
            regular_cents=s.regular_cents,
            down_payment_cents=s.terms.down_payment_cents,
            end_date=s.end_date,
            interest_cents=s.interest_cents,
            total_cost_cents=s.total_cost_cents,
            warnings=tuple(plan_warnings(s.end_date, start, limitation_date)),
        )
        for label, s in proposals
    ]
