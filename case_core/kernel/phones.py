"""Phone numbers: French by default, international accepted, stored in E.164."""

from __future__ import annotations

import phonenumbers

from case_core.kernel.errors import ValidationError


def normalize_phone(value: str, field: str = "phone", region: str = "FR") -> str:
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError({field: f"Numéro de téléphone illisible : « {raw} »."}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError({field: f"Numéro de téléphone invalide : « {raw} »."})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """+33612345678 -> '06 12 34 56 78'; foreign numbers in international format."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
