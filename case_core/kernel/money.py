"""Money as integer cents: parsing what users type and formatting the French way."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from case_core.kernel.errors import ValidationError

_NBSP = "\u00a0"
_NNBSP = "\u202f"

# The largest amount a form or an import accepts, either sign: one billion euros. Far above
# any invoice the team handles, far below what a 64-bit cents column holds, so that sums of
# many amounts never overflow either.
MAX_AMOUNT_CENTS = 100_000_000_000


def parse_amount(text: str | int | float | Decimal, field: str = "amount") -> int:
    """'1 234,56', '1234,56', '1234.56' or '1 234 €' -> cents; refuses more than two decimals."""
    if isinstance(text, int) and not isinstance(text, bool):
        return _within_bounds(text * 100, str(text), field)
    raw = str(text).strip()
    cleaned = re.sub(rf"[\s{_NBSP}{_NNBSP}€]", "", raw)
    if not cleaned:
        raise ValidationError({field: "Le montant est obligatoire."})
    if "," in cleaned and "." in cleaned:
        # "1.234,56" (dots for thousands) or "1,234.56" (commas for thousands)
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValidationError({field: f"Montant illisible : « {raw} »."})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError({field: f"Montant illisible : « {raw} »."}) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: f"Deux décimales au plus : « {raw} »."})
    return _within_bounds(int(value * 100), raw, field)


def _within_bounds(cents: int, raw: str, field: str) -> int:
    if abs(cents) > MAX_AMOUNT_CENTS:
        raise ValidationError(
            {
                field: f"Montant trop élevé : « {raw} ». Le maximum accepté est "
                f"{format_cents(MAX_AMOUNT_CENTS)}."
            }
        )
    return cents


def parse_positive_amount(text: str | int | float | Decimal, field: str = "amount") -> int:
    cents = parse_amount(text, field)
    if cents <= 0:
        raise ValidationError({field: "Le montant doit être supérieur à zéro."})
    return cents


def format_cents(cents: int, *, symbol: bool = True) -> str:
    """12345678 -> '123 456,78 €' (narrow no-break space between thousands)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}".replace(",", _NNBSP)
    text = f"{sign}{grouped},{rest:02d}"
    return f"{text}{_NBSP}€" if symbol else text


def format_rate_bp(rate_bp: int) -> str:
    """1476 -> '14,76 %'."""
    return f"{rate_bp / 100:.2f}".replace(".", ",") + f"{_NBSP}%"


_SIZE_UNITS = ("Ko", "Mo", "Go")


def format_size(size_bytes: int) -> str:
    """A file size as French users read it: 463 -> '463 o', 38400 -> '37,5 Ko',
    1258291 -> '1,2 Mo' (binary multiples, one decimal, comma, no-break space)."""
    if size_bytes < 1024:
        return f"{max(int(size_bytes), 0)}{_NBSP}o"
    value = size_bytes / 1024
    index = 0
    # 1 023,96 Ko rounds to « 1 024,0 Ko »: move up to the next unit instead.
    while round(value, 1) >= 1024 and index < len(_SIZE_UNITS) - 1:
        value /= 1024
        index += 1
    text = f"{value:.1f}".replace(".", ",")
    return f"{text}{_NBSP}{_SIZE_UNITS[index]}"
