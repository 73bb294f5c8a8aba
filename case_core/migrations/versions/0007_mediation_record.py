"""mediation record: mediations, external mediators, sessions reshaped, participants,
proposals, agreements with signatures

Existing sessions and agreements are kept: each case that had some gets one mediation
(conventional, its first session's mediator), its sessions point to it, the old free-text
participants go into the session's confidential notes, and the old `held_at` becomes
`planned_at`.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from case_core.models.base import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _mode(old: str | None) -> tuple[str, str | None]:
    text = (old or "").strip().lower()
    if not text or "visio" in text or "video" in text:
        return "video", None
    if "phone" in text or "tél" in text or "tel" in text:
        return "phone", None
    return "in_person", (old or "")[:300]


def _detach_agreements() -> dict[int, int]:
    """SQLite batch mode recreates the session table (copy, drop, rename): dropping a
    parent that rows still point to is refused with foreign keys on, so the agreements
    let go of their session meanwhile (`_reattach_agreements` puts it back)."""
    bind = op.get_bind()
    links = {
        int(a): int(s)
        for a, s in bind.execute(
            sa.text("SELECT id, session_id FROM mediation_agreements WHERE session_id IS NOT NULL")
        ).all()
    }
    bind.execute(sa.text("UPDATE mediation_agreements SET session_id = NULL"))
    return links


def _reattach_agreements(links: dict[int, int]) -> None:
    bind = op.get_bind()
    for agreement_id, session_id in links.items():
        bind.execute(
            sa.text("UPDATE mediation_agreements SET session_id = :s WHERE id = :a"),
            {"s": session_id, "a": agreement_id},
        )


def upgrade() -> None:
    links = _detach_agreements()
    op.create_table(
        "external_mediators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("accreditation", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "mediations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("mediator_user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column(
            "external_mediator_id",
            sa.Integer(),
            sa.ForeignKey("external_mediators.id"),
            nullable=True,
        ),
        sa.Column("subject", sa.String(length=1000), nullable=True),
        sa.Column("court_name", sa.String(length=200), nullable=True),
        sa.Column("court_reference", sa.String(length=100), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("creditor_consent_on", sa.Date(), nullable=True),
        sa.Column("debtor_consent_on", sa.Date(), nullable=True),
        sa.Column("creditor_confidentiality_ack", sa.Boolean(), nullable=False),
        sa.Column("debtor_confidentiality_ack", sa.Boolean(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_by", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("failure_document_id", sa.Integer(), sa.ForeignKey("documents.id")),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mediations_case_id", "mediations", ["case_id"])
    op.create_index("ix_mediations_mediator_user_id", "mediations", ["mediator_user_id"])

    with op.batch_alter_table("mediation_sessions") as batch:
        batch.add_column(sa.Column("mediation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("duration_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("place", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("creditor_position", sa.String(), nullable=True))
        batch.add_column(sa.Column("debtor_position", sa.String(), nullable=True))
        batch.add_column(sa.Column("nonpayment_reasons", sa.String(), nullable=True))
        batch.add_column(sa.Column("next_step", sa.String(), nullable=True))
        batch.add_column(sa.Column("written_up_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("updated_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch.alter_column("held_at", new_column_name="planned_at")

    _migrate_sessions()

    with op.batch_alter_table("mediation_sessions") as batch:
        batch.drop_index("ix_mediation_sessions_mediator_id")
        batch.drop_column("mediator_id")
        batch.drop_column("participants")
        batch.alter_column("mediation_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("duration_minutes", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("updated_at", existing_type=UTCDateTime(timezone=True), nullable=False)
        batch.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("mode", existing_type=sa.String(length=40), type_=sa.String(length=32))
        batch.create_foreign_key(
            "fk_mediation_sessions_mediation_id", "mediations", ["mediation_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_mediation_sessions_created_by_id", "users", ["created_by_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_mediation_sessions_updated_by_id", "users", ["updated_by_id"], ["id"]
        )
        batch.create_index("ix_mediation_sessions_mediation_id", ["mediation_id"])
        batch.create_index("ix_mediation_sessions_planned_at", ["planned_at"])

    op.create_table(
        "mediation_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "session_id", sa.Integer(), sa.ForeignKey("mediation_sessions.id"), nullable=False
        ),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_mediation_participants_session_id", "mediation_participants", ["session_id"]
    )
    op.create_table(
        "mediation_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "session_id", sa.Integer(), sa.ForeignKey("mediation_sessions.id"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.String(length=32), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("instalment_count", sa.Integer(), nullable=True),
        sa.Column("frequency", sa.String(length=32), nullable=True),
        sa.Column("first_due_date", sa.Date(), nullable=True),
        sa.Column("down_payment_cents", sa.BigInteger(), nullable=False),
        sa.Column("waive_interest", sa.Boolean(), nullable=False),
        sa.Column("waive_indemnity", sa.Boolean(), nullable=False),
        sa.Column("waive_principal_cents", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mediation_proposals_session_id", "mediation_proposals", ["session_id"])

    with op.batch_alter_table("mediation_agreements") as batch:
        batch.add_column(sa.Column("mediation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        for name in ("waived_interest", "waived_indemnity", "lawyers_countersigned"):
            batch.add_column(
                sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
            )
        batch.add_column(
            sa.Column("waived_principal_cents", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("creditor_signatory", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("creditor_signed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("debtor_signatory", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("debtor_signed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("signature_mode", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("signed_document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("protocol_document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("updated_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.alter_column("signed_on", existing_type=sa.Date(), nullable=True)
        batch.alter_column("amount_cents", existing_type=sa.Integer(), type_=sa.BigInteger())
        batch.create_foreign_key(
            "fk_mediation_agreements_mediation_id", "mediations", ["mediation_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_mediation_agreements_proposal_id", "mediation_proposals", ["proposal_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_mediation_agreements_signed_document_id",
            "documents",
            ["signed_document_id"],
            ["id"],
        )
        batch.create_foreign_key(
            "fk_mediation_agreements_protocol_document_id",
            "documents",
            ["protocol_document_id"],
            ["id"],
        )
        batch.create_foreign_key(
            "fk_mediation_agreements_updated_by_id", "users", ["updated_by_id"], ["id"]
        )
        batch.create_index("ix_mediation_agreements_mediation_id", ["mediation_id"])

    _reattach_agreements(links)
    _migrate_agreements()
    with op.batch_alter_table("mediation_agreements") as batch:
        batch.alter_column("updated_at", existing_type=UTCDateTime(timezone=True), nullable=False)


# The tables as this migration knows them (never the live models).
_mediations = sa.table(
    "mediations",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("mediator_user_id", sa.Integer),
    sa.column("agreed_on", sa.Date),
    sa.column("creditor_confidentiality_ack", sa.Boolean),
    sa.column("debtor_confidentiality_ack", sa.Boolean),
    sa.column("outcome", sa.String),
    sa.column("created_at", UTCDateTime),
    sa.column("created_by_id", sa.Integer),
    sa.column("updated_at", UTCDateTime),
    sa.column("version", sa.Integer),
)
_sessions = sa.table(
    "mediation_sessions",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("mediation_id", sa.Integer),
    sa.column("mediator_id", sa.Integer),
    sa.column("planned_at", UTCDateTime),
    sa.column("mode", sa.String),
    sa.column("place", sa.String),
    sa.column("participants", sa.String),
    sa.column("confidential_notes", sa.String),
    sa.column("outcome", sa.String),
    sa.column("duration_minutes", sa.Integer),
    sa.column("written_up_at", UTCDateTime),
    sa.column("created_at", UTCDateTime),
    sa.column("created_by_id", sa.Integer),
    sa.column("updated_at", UTCDateTime),
    sa.column("version", sa.Integer),
)
_agreements = sa.table(
    "mediation_agreements",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("mediation_id", sa.Integer),
    sa.column("signed_on", sa.Date),
    sa.column("created_at", UTCDateTime),
    sa.column("created_by_id", sa.Integer),
    sa.column("updated_at", UTCDateTime),
)


def _new_mediation(
    bind: sa.Connection, case_id: int, mediator_id: int | None, first: datetime | None
) -> int:
    now = _now()
    result = bind.execute(
        _mediations.insert()
        .values(
            case_id=case_id,
            kind="conventional",
            mediator_user_id=mediator_id,
            agreed_on=first.date() if first else None,
            creditor_confidentiality_ack=False,
            debtor_confidentiality_ack=False,
            created_at=now,
            created_by_id=mediator_id,
            updated_at=now,
            version=1,
        )
        .returning(_mediations.c.id)
    )
    return int(result.scalar_one())


def _migrate_sessions() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _sessions.c.id,
            _sessions.c.case_id,
            _sessions.c.mediator_id,
            _sessions.c.planned_at,
            _sessions.c.mode,
            _sessions.c.participants,
            _sessions.c.confidential_notes,
            _sessions.c.outcome,
            _sessions.c.created_at,
        ).order_by(_sessions.c.case_id, _sessions.c.planned_at, _sessions.c.id)
    ).all()
    by_case: dict[int, int] = {}
    for row in rows:
        if row.case_id not in by_case:
            by_case[row.case_id] = _new_mediation(
                bind, row.case_id, row.mediator_id, row.planned_at
            )
        mode, place = _mode(row.mode)
        notes = row.confidential_notes
        if row.participants:
            notes = f"Participants : {row.participants}" + (f"\n{notes}" if notes else "")
        bind.execute(
            _sessions.update()
            .where(_sessions.c.id == row.id)
            .values(
                mediation_id=by_case[row.case_id],
                mode=mode,
                place=place,
                confidential_notes=notes,
                duration_minutes=60,
                written_up_at=row.created_at if row.outcome else None,
                created_by_id=row.mediator_id,
                updated_at=row.created_at,
                version=1,
            )
        )
    for case_id, mediation_id in by_case.items():
        last = [r.outcome for r in rows if r.case_id == case_id and r.outcome]
        if last:
            bind.execute(
                _mediations.update()
                .where(_mediations.c.id == mediation_id)
                .values(outcome=last[-1])
            )


def _migrate_agreements() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _agreements.c.id,
            _agreements.c.case_id,
            _agreements.c.signed_on,
            _agreements.c.created_at,
            _agreements.c.created_by_id,
        )
    ).all()
    for row in rows:
        mediation_id = bind.execute(
            sa.select(sa.func.min(_mediations.c.id)).where(_mediations.c.case_id == row.case_id)
        ).scalar()
        if mediation_id is None:
            first = (
                datetime.combine(row.signed_on, datetime.min.time(), UTC) if row.signed_on else None
            )
            mediation_id = _new_mediation(bind, row.case_id, row.created_by_id, first)
        bind.execute(
            _agreements.update()
            .where(_agreements.c.id == row.id)
            .values(mediation_id=mediation_id, updated_at=row.created_at)
        )


def downgrade() -> None:
    # Back to the two thin tables: what only the new columns held is lost.
    with op.batch_alter_table("mediation_agreements") as batch:
        batch.drop_index("ix_mediation_agreements_mediation_id")
        for fk in (
            "fk_mediation_agreements_mediation_id",
            "fk_mediation_agreements_proposal_id",
            "fk_mediation_agreements_signed_document_id",
            "fk_mediation_agreements_protocol_document_id",
            "fk_mediation_agreements_updated_by_id",
        ):
            batch.drop_constraint(fk, type_="foreignkey")
        for name in (
            "mediation_id",
            "proposal_id",
            "waived_interest",
            "waived_indemnity",
            "lawyers_countersigned",
            "waived_principal_cents",
            "creditor_signatory",
            "creditor_signed_on",
            "debtor_signatory",
            "debtor_signed_on",
            "signature_mode",
            "signed_document_id",
            "protocol_document_id",
            "updated_at",
            "updated_by_id",
            "version",
        ):
            batch.drop_column(name)
    op.execute("UPDATE mediation_agreements SET signed_on = CURRENT_DATE WHERE signed_on IS NULL")
    with op.batch_alter_table("mediation_agreements") as batch:
        batch.alter_column("signed_on", existing_type=sa.Date(), nullable=False)
    op.drop_table("mediation_proposals")
    op.drop_table("mediation_participants")
    links = _detach_agreements()
    with op.batch_alter_table("mediation_sessions") as batch:
        batch.add_column(sa.Column("mediator_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("participants", sa.String(length=2000), nullable=True))
    op.execute(
        "UPDATE mediation_sessions SET mediator_id = "
        "(SELECT COALESCE(m.mediator_user_id, m.created_by_id) FROM mediations m "
        "WHERE m.id = mediation_sessions.mediation_id)"
    )
    op.execute("DELETE FROM mediation_sessions WHERE mediator_id IS NULL")
    with op.batch_alter_table("mediation_sessions") as batch:
        batch.drop_index("ix_mediation_sessions_mediation_id")
        batch.drop_index("ix_mediation_sessions_planned_at")
        for fk in (
            "fk_mediation_sessions_mediation_id",
            "fk_mediation_sessions_created_by_id",
            "fk_mediation_sessions_updated_by_id",
        ):
            batch.drop_constraint(fk, type_="foreignkey")
        for name in (
            "mediation_id",
            "duration_minutes",
            "place",
            "creditor_position",
            "debtor_position",
            "nonpayment_reasons",
            "next_step",
            "written_up_at",
            "created_by_id",
            "updated_at",
            "updated_by_id",
            "version",
        ):
            batch.drop_column(name)
        batch.alter_column("planned_at", new_column_name="held_at")
        batch.alter_column("mediator_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            "fk_mediation_sessions_mediator_id", "users", ["mediator_id"], ["id"]
        )
        batch.create_index("ix_mediation_sessions_mediator_id", ["mediator_id"])
    _reattach_agreements(links)
    op.drop_index("ix_mediations_mediator_user_id", table_name="mediations")
    op.drop_index("ix_mediations_case_id", table_name="mediations")
    op.drop_table("mediations")
    op.drop_table("external_mediators")
