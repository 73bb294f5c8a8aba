"""who the creditor is (acting for professional needs), when the clocks start

- cases.creditor_professional replaces cases.creditor_is_natural_person. The law asks whether
  the creditor acts for professional needs (CMF L313-2, C. consom. L218-2), not whether it is
  a person or a company. An old row flagged « personne physique » stays non-professional
  unless its creditor has a SIREN (a sole trader: the invoice import flagged those wrongly);
  every other row was already treated as a professional's claim.
- cases.formal_notice_presented_on: first presentation of the formal notice (the receipt).
- claims.service_completed_on: completion of the work or service (start of the L218-2 period).
- claims.capitalise_interest: Code civil 1343-2, off unless a contract or judgment provides it.

Revision ID: 0010
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "creditor_professional", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        batch_op.add_column(sa.Column("formal_notice_presented_on", sa.Date(), nullable=True))
    cases = sa.table(
        "cases",
        sa.column("creditor_id", sa.Integer()),
        sa.column("creditor_is_natural_person", sa.Boolean()),
        sa.column("creditor_professional", sa.Boolean()),
    )
    parties = sa.table("parties", sa.column("id", sa.Integer()), sa.column("siren", sa.String()))
    sole_trader = (
        sa.select(parties.c.id)
        .where(
            parties.c.id == cases.c.creditor_id,
            parties.c.siren.is_not(None),
            parties.c.siren != "",
        )
        .exists()
    )
    op.execute(
        cases.update().values(
            creditor_professional=sa.or_(sa.not_(cases.c.creditor_is_natural_person), sole_trader)
        )
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("creditor_professional", server_default=None)
        batch_op.drop_column("creditor_is_natural_person")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_completed_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "capitalise_interest", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.alter_column("capitalise_interest", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("capitalise_interest")
        batch_op.drop_column("service_completed_on")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "creditor_is_natural_person",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    # Only a non-professional creditor had the natural-person rate before; a company acting
    # outside any profession (rare) comes back as a professional, as it was then.
    cases = sa.table(
        "cases",
        sa.column("creditor_id", sa.Integer()),
        sa.column("creditor_is_natural_person", sa.Boolean()),
        sa.column("creditor_professional", sa.Boolean()),
    )
    parties = sa.table("parties", sa.column("id", sa.Integer()), sa.column("kind", sa.String()))
    person = (
        sa.select(parties.c.id)
        .where(parties.c.id == cases.c.creditor_id, parties.c.kind == "person")
        .exists()
    )
    op.execute(
        cases.update().values(
            creditor_is_natural_person=sa.and_(sa.not_(cases.c.creditor_professional), person)
        )
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("creditor_is_natural_person", server_default=None)
        batch_op.drop_column("formal_notice_presented_on")
        batch_op.drop_column("creditor_professional")
