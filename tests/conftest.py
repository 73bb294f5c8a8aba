"""Shared fixtures: a migrated database on a real SQLite file and on the real PostgreSQL.

`CASEDESK_TEST_POSTGRES_URL` (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)
names a server where one database per run (per xdist worker) is created, then dropped.
Without it the PostgreSQL half is skipped, unless `CASEDESK_REQUIRE_POSTGRES=1` (CI),
in which case it fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from case_core import migrations
from case_core.kernel.actor import Actor
from case_core.kernel.db import dispose_engines, get_engine
from case_core.kernel.seeding import seed_reference_data
from case_core.models import Role

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    dispose_engines()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    admin_url = os.environ.get("CASEDESK_TEST_POSTGRES_URL")
    if not admin_url:
        if os.environ.get("CASEDESK_REQUIRE_POSTGRES") == "1":
            pytest.fail("CASEDESK_TEST_POSTGRES_URL is required (CASEDESK_REQUIRE_POSTGRES=1)")
        pytest.skip("CASEDESK_TEST_POSTGRES_URL not set: PostgreSQL half skipped")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw")
    name = f"casedesk_test_{worker}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server must be there when asked for
        pytest.fail(f"PostgreSQL unreachable at {admin_url}: {exc}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(url)
        yield url
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname='public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        # The audit journal refuses TRUNCATE (its triggers); between tests, as superuser,
        # the triggers are set aside for this one transaction.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        seed_reference_data(conn)


def _use(monkeypatch: pytest.MonkeyPatch, url: str) -> str:
    monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
    return url


@pytest.fixture
def sqlite_url(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh, migrated SQLite file, made the app's database for this test."""
    path = tmp_path / "casedesk.db"
    shutil.copy(sqlite_template, path)
    yield _use(monkeypatch, f"sqlite:///{path}")
    dispose_engines()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    url = request.getfixturevalue("postgres_database")
    _empty_postgres(url)
    yield _use(monkeypatch, url)


def make_admin(email: str = "admin@example.fr", password: str = "motdepasse-admin") -> Actor:
    from case_core.accounts import auth

    return auth.create_first_admin(email, "Alice Admin", password)


@pytest.fixture
def admin(db_url: str) -> Actor:
    return make_admin()


def actor_with_role(admin: Actor, role: Role, email: str | None = None) -> Actor:
    from case_core.accounts import auth

    email = email or f"{role.value}@example.fr"
    view = auth.create_user(admin, email, f"Test {role.label}", role, "motdepasse-test")
    return Actor(id=view.id, email=view.email, full_name=view.full_name, role=view.role)
