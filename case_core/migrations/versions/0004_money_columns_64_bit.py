"""money columns are 64-bit: amounts no longer stop at 21 474 836,47 euros on PostgreSQL

Revision ID: 0004
Revises: 0003

SQLite stores every INTEGER in up to 8 bytes already: its tables are left as they are
(rebuilding them would gain nothing), and the schema comparison treats INTEGER and BIGINT
as one type there (`case_core.migrations.compare_type`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The money columns as they stood at 0003: (table, column, nullable).
MONEY_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("cases", "principal_cents", False),
    ("cases", "paid_cents", False),
    ("cases", "balance_cents", False),
    ("claims", "principal_cents", False),
    ("instalment_plans", "total_cents", False),
    ("instalment_plans", "down_payment_cents", False),
    ("instalment_plans", "basis_principal_cents", False),
    ("instalment_plans", "basis_interest_cents", False),
    ("instalment_plans", "basis_indemnity_cents", False),
    ("instalment_plans", "basis_costs_cents", False),
    ("instalment_plans", "waived_cents", False),
    ("instalment_plans", "accelerated_balance_cents", True),
    ("instalments", "amount_cents", False),
    ("instalments", "interest_cents", False),
    ("instalments", "cumulative_cents", False),
    ("mediation_agreements", "amount_cents", False),
    ("payments", "amount_cents", False),
    ("payments", "refund_due_cents", False),
    ("promise_items", "amount_cents", False),
    ("recovery_costs", "amount_cents", False),
)


def _set_type(new: sa.types.TypeEngine, old: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, nullable in MONEY_COLUMNS:
        op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=nullable)


def upgrade() -> None:
    _set_type(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    # Refuses (integer out of range) while an amount above 21 474 836,47 euros is stored:
    # going back must not silently cut money.
    _set_type(sa.Integer(), sa.BigInteger())
