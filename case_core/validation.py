"""Input checks built on well-kept libraries (email-validator, python-stdnum, phonenumbers)."""

from __future__ import annotations

from collections.abc import Callable

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


def collect_errors(*checks: Callable[[], object]) -> list[object]:
    """Run every check and raise one ValidationError holding all their messages,
    so that a form shows each error beside its field at once."""
    errors: dict[str, str] = {}
    results: list[object] = []
    for check in checks:
        try:
            results.append(check())
        except ValidationError as exc:
            errors.update(exc.errors)
            results.append(None)
    if errors:
        raise ValidationError(errors)
    return results
