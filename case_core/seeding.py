"""Reference data every database holds (rate tables…), inserted by a migration and
re-inserted by the tests after they empty a database."""

from __future__ import annotations

from sqlalchemy.engine import Connection


def seed_reference_data(connection: Connection) -> None:
    """Insert the shipped reference data that is missing; idempotent."""
    # Filled by the capabilities that ship reference data (rate tables).
    return None
