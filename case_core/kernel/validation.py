"""Input checks built on well-kept libraries (email-validator, python-stdnum, phonenumbers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ParamSpec, TypeVar

from email_validator import EmailNotValidError, validate_email
from stdnum import bic, iban
from stdnum.eu import vat
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret

from case_core.kernel.errors import ValidationError

P = ParamSpec("P")
T = TypeVar("T")


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


class FieldErrors(dict[str, str]):
    """The messages of a form's fields, gathered so that the form shows each error beside
    its field at once rather than the first one only. Set a message by field name; run a
    check or parser through `check`; `raise_if_any` when every field has been looked at."""

    def check(self, parse: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
        """What `parse` returns, or None with its messages kept when it refuses the input."""
        try:
            return parse(*args, **kwargs)
        except ValidationError as exc:
            self.update(exc.errors)
            return None

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _company_number_error(name: str, raw: str, digits: int, exc: StdnumError) -> str:
    # Nine good-looking digits with a wrong key are a typo, not a wrong length: say so.
    if isinstance(exc, InvalidChecksum):
        return (
            f"{name} invalide : « {raw} » : la clé de contrôle ne correspond pas "
            "(un chiffre est probablement erroné)."
        )
    return f"{name} invalide : « {raw} » ({digits} chiffres attendus)."


def _company_number(
    validate: Callable[[str], str], name: str, digits: int, value: str, field: str
) -> str:
    raw = (value or "").strip()
    try:
        return str(validate(raw))
    except StdnumError as exc:
        raise ValidationError({field: _company_number_error(name, raw, digits, exc)}) from None


def normalize_siren(value: str, field: str = "siren") -> str:
    """Nine digits with a valid Luhn key (python-stdnum)."""
    return _company_number(siren.validate, "SIREN", 9, value, field)


def normalize_siret(value: str, field: str = "siret") -> str:
    return _company_number(siret.validate, "SIRET", 14, value, field)


def normalize_vat(value: str, field: str = "vat_number") -> str:
    """An EU VAT number (FR… checked against its SIREN key), upper-case and compact."""
    raw = (value or "").strip()
    try:
        return str(vat.validate(raw))
    except StdnumError:
        raise ValidationError(
            {field: f"Numéro de TVA intracommunautaire invalide : « {raw} »."}
        ) from None


def normalize_iban(value: str, field: str = "iban") -> str:
    raw = (value or "").strip()
    try:
        return str(iban.validate(raw))
    except StdnumError:
        raise ValidationError({field: f"IBAN invalide : « {raw} »."}) from None


def normalize_bic(value: str, field: str = "bic") -> str:
    raw = (value or "").strip()
    try:
        return str(bic.validate(raw))
    except StdnumError:
        raise ValidationError({field: f"BIC invalide : « {raw} »."}) from None


def normalize_postcode(value: str, field: str = "postcode", country: str = "FR") -> str:
    """A French postcode: five digits, department 01–95 or overseas 97x/98x (Corsica 20)."""
    raw = (value or "").strip()
    if country.upper() != "FR":
        if not raw or len(raw) > 10:
            raise ValidationError({field: f"Code postal invalide : « {raw} »."})
        return raw
    compact = raw.replace(" ", "")
    if not (
        len(compact) == 5
        and compact.isascii()
        and compact.isdigit()
        and ("01" <= compact[:2] <= "95" or compact[:2] in ("97", "98"))
    ):
        raise ValidationError({field: f"Code postal invalide : « {raw} » (5 chiffres)."})
    return compact


def check_siret_matches_siren(siret_value: str, siren_value: str, field: str = "siret") -> None:
    if siret_value[:9] != siren_value:
        raise ValidationError({field: "Le SIRET ne commence pas par le SIREN indiqué."})


def check_due_after_issue(issue: date, due: date, field: str = "due_date") -> None:
    if due < issue:
        raise ValidationError(
            {field: "La date d'échéance ne peut pas précéder la date de facture."}
        )
