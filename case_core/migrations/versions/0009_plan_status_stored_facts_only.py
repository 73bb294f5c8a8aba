"""instalment plans store only what users did: « superseded » apart from « cancelled »

Revision ID: 0009
Revises: 0010 (chained after the law branch's 0010 at its merge)

The plan's status column held « cancelled » for a plan replaced by a newer one (told apart
only by superseded_by_id), and older code could rewrite a plan already paid up as cancelled
when a new one was accepted. « completed » and « broken » are derived from the payments
(case_core.plans.status) and are not stored values any more. This migration:
- gives back its « active » status to a replaced plan that was paid up when it was replaced
  (counted as the plans count payments: received after the basis date, or on it but recorded
  after the plan; a reversal with its payment), so that it shows as completed;
- stores « superseded » for every other replaced plan;
- turns any stored « completed » or « broken » into « active » (the rule derives them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

plans = sa.table(
    "instalment_plans",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("basis_date"),
    sa.column("created_at"),
    sa.column("updated_at"),
    sa.column("cancelled_on"),
    sa.column("cancel_reason", sa.String),
    sa.column("superseded_by_id", sa.Integer),
)
instalments = sa.table(
    "instalments",
    sa.column("plan_id", sa.Integer),
    sa.column("cumulative_cents", sa.BigInteger),
)
payments = sa.table(
    "payments",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("amount_cents", sa.BigInteger),
    sa.column("received_on"),
    sa.column("created_at"),
    sa.column("reverses_payment_id", sa.Integer),
)

REPLACED = sa.and_(plans.c.status == "cancelled", plans.c.superseded_by_id.is_not(None))


def _paid_up_when_replaced() -> sa.ColumnElement[bool]:
    """The plan row's instalments were all paid by the payments recorded up to the moment
    it was replaced (its last update)."""
    pay = payments.alias("pay")
    original = payments.alias("original")
    on = sa.func.coalesce(original.c.received_on, pay.c.received_on)
    recorded = sa.func.coalesce(original.c.created_at, pay.c.created_at)
    paid = (
        sa.select(sa.func.coalesce(sa.func.sum(pay.c.amount_cents), 0))
        .select_from(pay.outerjoin(original, pay.c.reverses_payment_id == original.c.id))
        .where(
            pay.c.case_id == plans.c.case_id,
            pay.c.created_at <= plans.c.updated_at,
            sa.or_(
                on > plans.c.basis_date,
                sa.and_(on == plans.c.basis_date, recorded > plans.c.created_at),
            ),
        )
        .scalar_subquery()
    )
    total = (
        sa.select(sa.func.coalesce(sa.func.max(instalments.c.cumulative_cents), 0))
        .where(instalments.c.plan_id == plans.c.id)
        .scalar_subquery()
    )
    return sa.and_(total > 0, paid >= total)


def upgrade() -> None:
    paid_up = sa.select(plans.c.id).where(REPLACED, _paid_up_when_replaced())
    ids = [row[0] for row in op.get_bind().execute(paid_up)]
    if ids:
        op.execute(
            plans.update()
            .where(plans.c.id.in_(ids))
            .values(status="active", cancelled_on=None, cancel_reason=None, superseded_by_id=None)
        )
    op.execute(plans.update().where(REPLACED).values(status="superseded"))
    op.execute(
        plans.update().where(plans.c.status.in_(["completed", "broken"])).values(status="active")
    )


def downgrade() -> None:
    # Paid-up plans given back their status stay active: they were never cancelled.
    op.execute(plans.update().where(plans.c.status == "superseded").values(status="cancelled"))
