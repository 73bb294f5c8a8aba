"""The password policy: long enough, and not among the guessable ones.

Guessability is zxcvbn's estimate (dictionaries of common passwords and words, keyboard
walks, repeats, sequences, dates, and the account's own email and name); its English
feedback is replaced by French reasons."""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

from case_core.kernel.errors import ValidationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
# zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" online).
MIN_SCORE = 3
# zxcvbn refuses longer input (its cost grows with the length); 72 characters that pass
# are enough to judge the whole.
_CHECKED_LENGTH = 72

_REASONS = {
    "repeat": "il répète un même caractère ou un même motif",
    "sequence": "c'est une suite de caractères (1234…, abcd…)",
    "spatial": "c'est une suite de touches du clavier (azerty…)",
    "date": "il contient une date",
    "regex": "il contient une année",
}


def _personal_words(user_inputs: Iterable[str | None]) -> list[str]:
    words: list[str] = []
    for value in user_inputs:
        value = (value or "").strip().lower()
        if not value:
            continue
        words.append(value)
        words += [w for w in re.split(r"[@.\s_+-]+", value) if len(w) >= 3]
    return words


def _reason(result: dict) -> str:
    for match in result.get("sequence", []):
        if match.get("pattern") == "dictionary":
            source = match.get("dictionary_name")
            if source == "user_inputs":
                return "il reprend l'adresse e-mail ou le nom du compte"
            if source == "passwords" and len(match.get("token", "")) >= 6:
                return "il fait partie des mots de passe les plus courants"
    for match in result.get("sequence", []):
        reason = _REASONS.get(str(match.get("pattern")))
        if reason:
            return reason
    return "il est fait de mots ou de motifs trop courants"


def check_password_policy(
    password: str, field: str = "password", user_inputs: Iterable[str | None] = ()
) -> None:
    """Refuse, with a French message under `field`, a password that is too short, blank,
    the account's own email or name, or easy to guess."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {field: f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."}
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            {field: f"Le mot de passe ne doit pas dépasser {MAX_PASSWORD_LENGTH} caractères."}
        )
    if not password.strip():
        raise ValidationError({field: "Le mot de passe ne peut pas n'être fait que d'espaces."})
    words = _personal_words(user_inputs)
    if password.strip().lower() in words:
        raise ValidationError(
            {field: "Le mot de passe ne doit pas être l'adresse e-mail ni le nom du compte."}
        )
    result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=words)
    if result["score"] < MIN_SCORE:
        raise ValidationError(
            {
                field: f"Mot de passe trop facile à deviner : {_reason(result)}. Choisissez "
                "par exemple quatre mots sans lien entre eux, séparés par des tirets."
            }
        )
