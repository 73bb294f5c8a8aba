"""Rate tables: the legal rate per semester in its two categories, the ECB main
refinancing rate. Rates are data with their source; a gap stops the computation."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import per_run, read_session
from case_core.kernel.errors import CaseError, ValidationError
from case_core.kernel.money import format_rate_bp
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.kernel.validation import FieldErrors
from case_core.models import Rate, RateKind

# Wording used inside sentences ("Taux manquant : taux d'intérêt légal (autres cas) …").
KIND_PHRASES: dict[RateKind, str] = {
    RateKind.LEGAL_NATURAL_PERSON: "taux d'intérêt légal (créancier personne physique)",
    RateKind.LEGAL_OTHER: "taux d'intérêt légal (autres cas)",
    RateKind.ECB_REFI: "taux de refinancement de la BCE",
}
MAX_RATE_BP = 10_000  # 100 %: anything above is a typing error, not a published rate


class MissingRate(CaseError):
    """No rate of this kind covers the day: the computation stops rather than guess."""

    def __init__(self, kind: RateKind, day: date) -> None:
        self.kind = kind
        self.day = day
        super().__init__(
            f"Taux manquant : {KIND_PHRASES[kind]} du {semester_label(day)}. "
            "Un administrateur doit l'ajouter (page « Taux ») avant tout calcul d'intérêts "
            "sur cette période."
        )


def semester_bounds(day: date) -> tuple[date, date]:
    """First and last day of the semester holding `day`."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def semester_label(day: date) -> str:
    """'1er semestre 2025' / '2nd semestre 2027'."""
    return f"{'1er' if day.month <= 6 else '2nd'} semestre {day.year}"


@dataclass(frozen=True)
class RatePeriod:
    kind: RateKind
    period_start: date
    period_end: date
    rate_bp: int
    source: str
    id: int | None = None

    @property
    def semester(self) -> str:
        return semester_label(self.period_start)


class RateTable:
    """Every known rate, in memory, looked up by kind and day (pure: no database)."""

    def __init__(self, periods: Iterable[RatePeriod]) -> None:
        self._by_kind: dict[RateKind, list[RatePeriod]] = {}
        for p in sorted(periods, key=lambda p: (p.kind, p.period_start)):
            self._by_kind.setdefault(RateKind(p.kind), []).append(p)
        self._starts = {k: [p.period_start for p in v] for k, v in self._by_kind.items()}

    def period_on(self, kind: RateKind, day: date) -> RatePeriod:
        """The rate period of `kind` covering `day`; MissingRate if there is none."""
        periods = self._by_kind.get(kind, [])
        i = bisect.bisect_right(self._starts.get(kind, []), day) - 1
        if i >= 0 and periods[i].period_end >= day:
            return periods[i]
        raise MissingRate(kind, day)

    def rate_bp(self, kind: RateKind, day: date) -> int:
        return self.period_on(kind, day).rate_bp

    def periods(self, kind: RateKind) -> list[RatePeriod]:
        return list(self._by_kind.get(kind, []))


def _period(row: Rate) -> RatePeriod:
    return RatePeriod(
        kind=RateKind(row.kind),
        period_start=row.period_start,
        period_end=row.period_end,
        rate_bp=row.rate_bp,
        source=row.source,
        id=row.id,
    )


def load_rate_table(session: Session) -> RateTable:
    """The whole rate table (a few hundred rows at most), read once per page run."""
    return per_run(
        session,
        "rate_table",
        lambda: RateTable(_period(r) for r in session.exec(select(Rate)).all()),
    )


def parse_rate(text: str | int | Decimal, field: str = "rate") -> int:
    """'3,15', '3.15 %' or '13' -> basis points (315, 315, 1300); two decimals at most."""
    raw = str(text).strip()
    cleaned = re.sub(r"[\s\u00a0\u202f%]", "", raw).replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValidationError({field: f"Taux illisible : « {raw} » (exemple : 3,15)."})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError({field: f"Taux illisible : « {raw} »."}) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: f"Deux décimales au plus : « {raw} »."})
    return int(value * 100)


def list_rates(actor: Actor, kind: RateKind | None = None) -> list[RatePeriod]:
    """Rates, newest period first, optionally of one kind."""
    require(actor, Perm.RATES_MANAGE)
    with read_session() as session:
        query = select(Rate)
        if kind is not None:
            query = query.where(Rate.kind == kind)
        rows = session.exec(query).all()
        periods = [_period(r) for r in rows]
    return sorted(periods, key=lambda p: (p.kind, p.period_start), reverse=True)


def add_rate(
    actor: Actor,
    kind: RateKind | str,
    period_start: date,
    period_end: date,
    rate: str | int | Decimal,
    source: str,
) -> RatePeriod:
    """Add the rate of one semester (`rate` as typed, e.g. '3,15'); audited."""
    require(actor, Perm.RATES_MANAGE)
    errors = FieldErrors()
    try:
        kind = RateKind(kind)
    except ValueError:
        errors["kind"] = "Type de taux inconnu."
    rate_bp = errors.check(parse_rate, rate)
    if rate_bp is not None and not 0 <= rate_bp <= MAX_RATE_BP:
        errors["rate"] = "Le taux doit être compris entre 0 % et 100 %."
    start, end = semester_bounds(period_start)
    if period_start != start or period_end != end:
        errors["period"] = (
            "La période doit être un semestre entier : du 1er janvier au 30 juin "
            "ou du 1er juillet au 31 décembre."
        )
    source = (source or "").strip()
    if not source:
        errors["source"] = "Indiquez la source du taux (arrêté, décision de la BCE…)."
    elif len(source) > 500:
        errors["source"] = "La source ne doit pas dépasser 500 caractères."
    errors.raise_if_any()
    assert isinstance(kind, RateKind) and rate_bp is not None
    with change(actor, Perm.RATES_MANAGE, "rate.add") as uow:
        session = uow.session
        clash = session.exec(
            select(Rate).where(
                Rate.kind == kind,
                Rate.period_start <= period_end,
                Rate.period_end >= period_start,
            )
        ).first()
        if clash is not None:
            raise ValidationError(
                {
                    "period": f"Le {KIND_PHRASES[kind]} du {semester_label(period_start)} "
                    f"existe déjà ({format_rate_bp(clash.rate_bp)}) : "
                    "un taux publié ne se remplace pas."
                }
            )
        row = Rate(
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            rate_bp=rate_bp,
            source=source,
        )
        uow.add(row)
    return _period(row)


@dataclass(frozen=True)
class MissingSemester:
    """A semester up to today with no rate of this kind: computations over it stop."""

    kind: RateKind
    period_start: date

    @property
    def label(self) -> str:
        return f"{KIND_PHRASES[self.kind]} du {semester_label(self.period_start)}"


@dataclass(frozen=True)
class ProvisionalRate:
    """A missing semester estimated with the last known rate of its kind."""

    missing: MissingSemester
    assumed: RatePeriod

    @property
    def period(self) -> RatePeriod:
        start, end = semester_bounds(self.missing.period_start)
        return RatePeriod(
            self.missing.kind,
            start,
            end,
            self.assumed.rate_bp,
            f"provisoire : {self.assumed.semester} repris",
        )

    @property
    def sentence(self) -> str:
        return (
            f"{self.missing.label} : manquant, supposé égal à celui du "
            f"{self.assumed.semester} ({format_rate_bp(self.assumed.rate_bp)})"
        )


def _semester_starts(first: date, through: date) -> list[date]:
    starts: list[date] = []
    start = semester_bounds(first)[0]
    while start <= through:
        starts.append(start)
        start = date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)
    return starts


def missing_semesters(table: RateTable, through: date) -> list[MissingSemester]:
    """Each semester from the first known one of each kind up to the semester holding
    `through` that has no rate (a kind with no rate at all: its current semester)."""
    missing: list[MissingSemester] = []
    for kind in RateKind:
        periods = table.periods(kind)
        first = periods[0].period_start if periods else through
        for start in _semester_starts(first, through):
            try:
                table.period_on(kind, start)
            except MissingRate:
                missing.append(MissingSemester(kind, start))
    return missing


def missing_rate_semesters(through: date | None = None) -> list[MissingSemester]:
    """The semesters up to today (Paris) whose rate an administrator must still add.
    Every signed-in user may know it: no permission needed, nothing personal."""
    return rate_table_state(through)[0]


def rate_table_state(through: date | None = None) -> tuple[list[MissingSemester], int]:
    """The missing semesters up to today and a fingerprint of the whole table, in one read
    (every page shows the first; a figure computed with the table, such as the case
    header's amount due, is reused only while the second is the same)."""
    with read_session() as session:
        table = load_rate_table(session)
    periods = [p for kind in RateKind for p in table.periods(kind)]
    revision = hash(tuple((p.kind, p.period_start, p.period_end, p.rate_bp) for p in periods))
    return missing_semesters(table, through or today_paris()), revision


def provisional_table(table: RateTable, through: date) -> tuple[RateTable, list[ProvisionalRate]]:
    """`table` with each missing semester up to `through` filled with the last known rate
    of its kind before it, and the list of those assumptions (never silent: the caller
    must show them). A kind with no earlier rate stays missing."""
    assumptions: list[ProvisionalRate] = []
    for gap in missing_semesters(table, through):
        earlier = [p for p in table.periods(gap.kind) if p.period_start < gap.period_start]
        if earlier:
            assumptions.append(ProvisionalRate(gap, earlier[-1]))
    return extended(table, assumptions), assumptions


def extended(table: RateTable, assumptions: Iterable[ProvisionalRate]) -> RateTable:
    """`table` plus the provisional periods of `assumptions`."""
    every = [p for kind in RateKind for p in table.periods(kind)]
    return RateTable([*every, *(a.period for a in assumptions)])
