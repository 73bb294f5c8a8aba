"""Input checks built on well-kept libraries (email-validator, python-stdnum, phonenumbers)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from case_core.errors import ValidationError


def normalize_email(value: str, field: str = "email") -> str:
    """A syntactically valid address, lower-cased; no DNS lookup."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: "L'adresse e-mail est obligatoire."})
    try:
        info = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError({field: f"Adresse e-mail invalide : « {value} »."}) from None
    return info.normalized.lower()
