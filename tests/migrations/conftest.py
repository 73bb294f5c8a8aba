"""Empty databases of their own for the migration tests (not the shared migrated ones)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from case_core.kernel.db import dispose_engines


def _postgres_admin_url() -> str:
    url = os.environ.get("CASEDESK_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CASEDESK_REQUIRE_POSTGRES") == "1":
            pytest.fail("CASEDESK_TEST_POSTGRES_URL is required (CASEDESK_REQUIRE_POSTGRES=1)")
        pytest.skip("CASEDESK_TEST_POSTGRES_URL not set: PostgreSQL half skipped")
    return url


def new_postgres_database(prefix: str = "casedesk_mig") -> tuple[str, str]:
    """(url of a new empty database, its name)."""
    admin_url = _postgres_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def drop_postgres_database(name: str) -> None:
    dispose_engines()
    admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database (no table at all), made the app's database for this test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
        yield url
        dispose_engines()
        return
    url, name = new_postgres_database()
    monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
    try:
        yield url
    finally:
        drop_postgres_database(name)
