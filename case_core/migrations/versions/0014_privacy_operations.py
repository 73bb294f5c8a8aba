"""data protection and operations: objections to contact channels, legal hold on a case,
room for encrypted bank details and the keyed IBAN digest

Revision ID: 0014
Revises: 0008
"""

import hashlib
import hmac
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The keyed digest as models.sealed computes it at this revision (a migration keeps its own
# copy of the rule of its time): HMAC-SHA256 of the IBAN without spaces, upper-cased, keyed
# by CASEDESK_DATA_KEY or a fixed key when none is set.
_UNKEYED = b"casedesk-iban-digest"


def _digest(iban: str) -> str:
    key = os.environ.get("CASEDESK_DATA_KEY", "").strip().encode() or _UNKEYED
    return hmac.new(key, "".join(iban.split()).upper().encode(), hashlib.sha256).hexdigest()


def upgrade() -> None:
    op.create_table(
        "contact_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("privacy_request_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["privacy_request_id"], ["privacy_requests.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_objections", schema=None) as batch_op:
        batch_op.create_index("ix_contact_objections_party_id", ["party_id"], unique=False)

    with op.batch_alter_table("privacy_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_privacy_requests_letter_document_id", "documents", ["letter_document_id"], ["id"]
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_hold_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("legal_hold_since", sa.DateTime(timezone=True), nullable=True)
        )

    # An encrypted IBAN or BIC (a Fernet token) is longer than the plain value. Nothing is
    # encrypted here: `casedesk privacy encrypt-bank-details` does it when asked.
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.alter_column(
            "iban", existing_type=sa.String(length=34), type_=sa.String(length=400)
        )
        batch_op.alter_column(
            "bic", existing_type=sa.String(length=11), type_=sa.String(length=400)
        )
        batch_op.add_column(sa.Column("iban_digest", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_parties_iban_digest", ["iban_digest"], unique=False)

    # The digest of the IBANs already stored (plain at this point), so the bank import
    # matches them at once.
    parties = sa.table(
        "parties",
        sa.column("id", sa.Integer),
        sa.column("iban", sa.String),
        sa.column("iban_digest", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(parties.c.id, parties.c.iban).where(parties.c.iban.is_not(None)))
    for party_id, iban in rows.fetchall():
        conn.execute(
            parties.update().where(parties.c.id == party_id).values(iban_digest=_digest(iban))
        )


def downgrade() -> None:
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index("ix_parties_iban_digest")
        batch_op.drop_column("iban_digest")
        batch_op.alter_column(
            "bic", existing_type=sa.String(length=400), type_=sa.String(length=11)
        )
        batch_op.alter_column(
            "iban", existing_type=sa.String(length=400), type_=sa.String(length=34)
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("legal_hold_since")
        batch_op.drop_column("legal_hold_reason")
    with op.batch_alter_table("privacy_requests", schema=None) as batch_op:
        batch_op.drop_constraint("fk_privacy_requests_letter_document_id", type_="foreignkey")
        batch_op.drop_column("letter_document_id")
    with op.batch_alter_table("contact_objections", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_objections_party_id")
    op.drop_table("contact_objections")
