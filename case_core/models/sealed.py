"""Bank details encrypted at rest, when a key is configured.

`CASEDESK_DATA_KEY` (a Fernet key: `casedesk privacy new-data-key` prints one) lives outside
the database, like the audit key. With it, an IBAN or BIC written is stored as a Fernet token
(prefixed, so that a plain value from before is still read as it is); reading decrypts
transparently, so every service sees the plain value. Without it, values are stored plain,
and reading an encrypted value refuses with a French message instead of showing a token.
Rows written before the key was set stay plain until `casedesk privacy encrypt-bank-details`
rewrites them: nothing is encrypted silently.

The column cannot be compared in SQL once encrypted; `Party.iban_digest` (a keyed hash of the
normalised IBAN) is what a search matches on.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

# Read here, below the kernel (models are the lowest layer); kernel.config documents it.
DATA_KEY_ENV = "CASEDESK_DATA_KEY"
PREFIX = "enc1:"
# Without a data key the digest is still computed (so matching works), with a fixed key: it
# then protects nothing, and neither does the plain column beside it.
_UNKEYED = b"casedesk-iban-digest"


class DataKeyError(ValueError):
    """The bank details cannot be read or written with the configured key (French message)."""


def data_key() -> bytes | None:
    value = os.environ.get(DATA_KEY_ENV, "").strip()
    return value.encode() if value else None


def _fernet() -> Fernet | None:
    key = data_key()
    if key is None:
        return None
    try:
        return Fernet(key)
    except ValueError:
        raise DataKeyError(
            f"{DATA_KEY_ENV} n'est pas une clé valide (32 octets en base64 URL : "
            "`casedesk privacy new-data-key` en donne une)."
        ) from None


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and str(stored).startswith(PREFIX)


def seal(value: str) -> str:
    """`value` as stored: a token with a key, the value itself without."""
    fernet = _fernet()
    if fernet is None or is_sealed(value):
        return value
    return PREFIX + fernet.encrypt(value.encode()).decode()


def unseal(stored: str) -> str:
    if not is_sealed(stored):
        return stored
    fernet = _fernet()
    if fernet is None:
        raise DataKeyError(
            f"Les coordonnées bancaires sont chiffrées : définissez {DATA_KEY_ENV} (la clé "
            "utilisée pour les chiffrer) pour les lire."
        )
    try:
        return fernet.decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise DataKeyError(
            f"Les coordonnées bancaires ne se déchiffrent pas avec la clé {DATA_KEY_ENV} "
            "actuelle : ce n'est pas celle qui a servi à les chiffrer."
        ) from None


def iban_digest(iban: str | None) -> str | None:
    """The keyed hash a search matches on (spaces and case ignored)."""
    if not iban:
        return None
    normalised = "".join(iban.split()).upper()
    return hmac.new(data_key() or _UNKEYED, normalised.encode(), hashlib.sha256).hexdigest()


class SealedString(TypeDecorator[str]):
    """A string column encrypted at rest when CASEDESK_DATA_KEY is set."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else seal(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else unseal(str(value))
