"""Name searches fold accented capitals on SQLite as they do on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text

from case_core.kernel.db import get_engine


def test_lower_folds_accented_capitals_on_both_backends(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT lower('ÉLECTRICITÉ Ågé')")).scalar() == "électricité ågé"
