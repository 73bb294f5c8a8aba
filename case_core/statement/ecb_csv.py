"""The ECB main refinancing rate from the ECB Data Portal, as CSV (pure: no network, no
database).

Series FM.B.U2.EUR.4F.KR.MRR_FR.LEV lists one observation per change of the rate (date of
change, level in %). Two CSV shapes come out of the portal:
- the API's `format=csvdata` (columns KEY, FREQ, …, TIME_PERIOD, OBS_VALUE, …);
- the web page's « Download CSV » (columns "DATE", "TIME PERIOD", "<series title> (KEY)").
Code de commerce L441-10: the rate of a semester is the one in force on its first day
(1st January, 1st July), i.e. the last change on or before that day.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from case_core.kernel.dates import format_date
from case_core.kernel.errors import ValidationError
from case_core.statement.rates import parse_rate, semester_bounds

ECB_SERIES_KEY = "FM.B.U2.EUR.4F.KR.MRR_FR.LEV"
ECB_CSV_URL = (
    "https://data-api.ecb.europa.eu/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata"
)
_FIELD = "file"


@dataclass(frozen=True)
class RateChange:
    effective_on: date
    rate_bp: int


@dataclass(frozen=True)
class SemesterRate:
    period_start: date
    period_end: date
    rate_bp: int
    changed_on: date  # the change in force on period_start

    @property
    def source(self) -> str:
        percent = f"{self.rate_bp / 100:.2f}".replace(".", ",")
        return (
            f"BCE, taux des opérations principales de refinancement : {percent} % depuis le "
            f"{format_date(self.changed_on)} (portail de données de la BCE, série "
            f"{ECB_SERIES_KEY})"
        )


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({_FIELD: "Fichier illisible : encodage inconnu."})


def _columns(header: list[str]) -> tuple[int, int]:
    """(date column, value column) for either export shape."""
    names = [h.strip().upper() for h in header]
    if "TIME_PERIOD" in names and "OBS_VALUE" in names:
        return names.index("TIME_PERIOD"), names.index("OBS_VALUE")
    if names and names[0] == "DATE" and len(names) >= 3:
        return 0, 2
    raise ValidationError(
        {
            _FIELD: "Ce fichier n'est pas un export CSV du portail de données de la BCE "
            "(colonnes TIME_PERIOD et OBS_VALUE, ou DATE et la série, attendues)."
        }
    )


def _check_series(header: list[str], rows: list[list[str]]) -> None:
    """Refuse another series (the deposit rate, say) instead of importing it as the refi."""
    names = [h.strip().upper() for h in header]
    keys: set[str] = set()
    if "KEY" in names:
        i = names.index("KEY")
        keys = {row[i].strip() for row in rows if len(row) > i and row[i].strip()}
    elif len(header) >= 3 and "(" in header[2]:
        keys = {header[2].rsplit("(", 1)[1].rstrip(") ").strip()}
    wrong = sorted(k for k in keys if k != ECB_SERIES_KEY)
    if wrong:
        raise ValidationError(
            {
                _FIELD: f"Ce fichier contient la série {', '.join(wrong)} ; "
                f"attendue : {ECB_SERIES_KEY} (taux des opérations principales de "
                "refinancement)."
            }
        )


def parse_ecb_csv(data: bytes | str) -> list[RateChange]:
    """The rate changes listed in an ECB Data Portal CSV, oldest first."""
    reader = csv.reader(io.StringIO(_text(data)))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError({_FIELD: "Le fichier est vide."})
    header, body = rows[0], rows[1:]
    date_col, value_col = _columns(header)
    _check_series(header, body)
    changes: dict[date, int] = {}
    for line_no, row in enumerate(body, start=2):
        if len(row) <= max(date_col, value_col):
            raise ValidationError({_FIELD: f"Ligne {line_no} : colonnes manquantes."})
        raw_day, raw_value = row[date_col].strip(), row[value_col].strip()
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise ValidationError(
                {_FIELD: f"Ligne {line_no} : date illisible « {raw_day} » (AAAA-MM-JJ attendu)."}
            ) from None
        if not raw_value:
            continue  # the portal leaves a blank value for a missing observation
        try:
            changes[day] = parse_rate(raw_value)
        except ValidationError:
            raise ValidationError(
                {_FIELD: f"Ligne {line_no} : taux illisible « {raw_value} »."}
            ) from None
    if not changes:
        raise ValidationError({_FIELD: "Aucun taux dans ce fichier."})
    return [RateChange(day, bp) for day, bp in sorted(changes.items())]


def semester_rates(changes: list[RateChange], through: date) -> list[SemesterRate]:
    """The rate of every semester from the first one the changes cover up to the
    semester holding `through` (a semester that has not started yet is not known)."""
    ordered = sorted(changes, key=lambda c: c.effective_on)
    if not ordered:
        return []
    first = ordered[0].effective_on
    start, _ = semester_bounds(first)
    if start < first:  # the series starts mid-semester: that semester's first day is unknown
        start = _next_semester(start)
    result: list[SemesterRate] = []
    while start <= through:
        in_force = [c for c in ordered if c.effective_on <= start][-1]
        result.append(
            SemesterRate(start, semester_bounds(start)[1], in_force.rate_bp, in_force.effective_on)
        )
        start = _next_semester(start)
    return result


def _next_semester(start: date) -> date:
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)
