"""audit trail: events keyed by an HMAC (key_id), TRUNCATE refused on PostgreSQL

Revision ID: 0005
Revises: 0004

The column is added with a plain ALTER TABLE, also on SQLite: rebuilding audit_events (batch
mode) would drop its append-only triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_events is append-only"


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("key_id", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite has no TRUNCATE; DELETE is refused since 0002
    op.execute(
        "CREATE FUNCTION audit_events_no_truncate() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_no_truncate()")
        op.drop_column("audit_events", "key_id")
        return
    # SQLite drops a column in place since 3.35, keeping the table and its triggers.
    op.execute("ALTER TABLE audit_events DROP COLUMN key_id")
