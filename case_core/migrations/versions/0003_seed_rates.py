"""rate tables shipped with the package: legal rate per semester since 2015, ECB rate

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

from case_core.kernel.seeding import seed_reference_data

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    seed_reference_data(op.get_bind())


def downgrade() -> None:
    # Rates added by an administrator since are data, not schema: leave them all in place.
    pass
