"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def database_url() -> str:
    """`CASEDESK_DATABASE_URL`, or the embedded SQLite file under `data/`."""
    url = os.environ.get("CASEDESK_DATABASE_URL")
    if url:
        return url
    data_dir = Path(os.environ.get("CASEDESK_DATA_DIR", DEFAULT_DATA_DIR))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'casedesk.db'}"


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
