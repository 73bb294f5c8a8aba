"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


AUDIT_KEY_FILE = "audit.key"
AUDIT_KEY_MIN_LENGTH = 32


def data_dir() -> Path:
    """`CASEDESK_DATA_DIR` (default `data/`), created if missing."""
    path = Path(os.environ.get("CASEDESK_DATA_DIR", DEFAULT_DATA_DIR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """`CASEDESK_DATABASE_URL`, or the embedded SQLite file under `data/`."""
    url = os.environ.get("CASEDESK_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'casedesk.db'}"


class AuditKeyError(ValueError):
    """The configured audit key is unusable; the message is French."""


def audit_key() -> bytes:
    """The secret that keys the audit chain's HMAC, kept outside the database.

    `CASEDESK_AUDIT_KEY` (at least 32 characters; the same on every replica and for the
    command line), else the file `audit.key` under the data directory, created on first use
    (readable by its owner only). Never logged, never stored in the database."""
    value = os.environ.get("CASEDESK_AUDIT_KEY", "").strip()
    if value:
        if len(value) < AUDIT_KEY_MIN_LENGTH:
            raise AuditKeyError(
                f"CASEDESK_AUDIT_KEY est trop courte : {AUDIT_KEY_MIN_LENGTH} caractères au "
                "moins (par exemple la sortie de `openssl rand -hex 32`)."
            )
        return value.encode()
    path = data_dir() / AUDIT_KEY_FILE
    if not path.exists():
        # Written aside then linked into place: two processes starting together end up
        # with the same key, and nobody reads a half-written file.
        draft = path.with_name(f".{AUDIT_KEY_FILE}.{secrets.token_hex(8)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if len(key) < AUDIT_KEY_MIN_LENGTH:
        raise AuditKeyError(f"Le fichier de clé d'audit {path} est vide ou trop court.")
    return key.encode()


def idle_timeout_minutes() -> int:
    """Minutes of inactivity after which a signed-in session expires (default 8 hours)."""
    return int(os.environ.get("CASEDESK_IDLE_TIMEOUT_MINUTES", "480"))


def max_upload_bytes() -> int:
    """Largest supporting document accepted (default 20 MB)."""
    return int(os.environ.get("CASEDESK_MAX_UPLOAD_MB", "20")) * 1024 * 1024


def max_import_bytes() -> int:
    """Largest CSV/XLSX/FEC file an import accepts (default 20 MB)."""
    return int(os.environ.get("CASEDESK_MAX_IMPORT_MB", "20")) * 1024 * 1024


def migration_lock_timeout() -> str:
    """How long `casedesk db upgrade` waits for a table lock on PostgreSQL before giving up
    with nothing changed (`CASEDESK_MIGRATION_LOCK_TIMEOUT`, PostgreSQL syntax, default 10s)."""
    return os.environ.get("CASEDESK_MIGRATION_LOCK_TIMEOUT", "10s")
