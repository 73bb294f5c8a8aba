"""Mediation: the record of a case's entry into mediation, its sessions (participants,
proposals), its agreement and its end. Everything said or written for a mediation is
confidential (loi 95-125 art. 21-3, CPC 1528-3): the columns named in CONFIDENTIAL_FIELDS
never enter the audit trail in clear, and case_core.mediation only returns them to the
mediation's mediator, managers and admins."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_stored_labels, enum_field, instant_field
from case_core.models.plans import Frequency


class MediationKind(LabelledEnum):
    CONVENTIONAL = "conventional"
    JUDICIAL = "judicial"
    CONCILIATION = "conciliation"
    # Run by the creditor's own staff: an amicable negotiation, not a third-party
    # process in the sense of CPC 1530 (and not the prior attempt of CPC 750-1).
    INTERNAL = "internal"


# A process run by a third party (CPC 1530 s.): the prior amicable attempt of CPC 750-1,
# and what suspends the limitation (C. civ. 2238).
THIRD_PARTY_KINDS = frozenset(
    {MediationKind.CONVENTIONAL, MediationKind.JUDICIAL, MediationKind.CONCILIATION}
)


class MediationOutcome(LabelledEnum):
    AGREEMENT = "agreement"
    PARTIAL = "partial"
    FAILURE = "failure"
    ADJOURNED = "adjourned"
    PARTY_ABSENT = "party_absent"


class SessionMode(LabelledEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"


class MediationSide(LabelledEnum):
    CREDITOR = "creditor"
    DEBTOR = "debtor"
    MEDIATOR = "mediator"


class ParticipantRole(LabelledEnum):
    CREDITOR_REP = "creditor_rep"
    DEBTOR = "debtor"
    COUNSEL = "counsel"
    COMPANION = "companion"


class SignatureMode(LabelledEnum):
    PAPER = "paper"
    ELECTRONIC = "electronic"


# Stored enums: their labels join the table the audit history reads.
add_stored_labels(
    [
        (MediationKind.CONVENTIONAL, "Médiation conventionnelle"),
        (MediationKind.JUDICIAL, "Médiation judiciaire"),
        (MediationKind.CONCILIATION, "Conciliation (conciliateur de justice)"),
        (MediationKind.INTERNAL, "Rencontre amiable interne"),
        (MediationOutcome.AGREEMENT, "Accord"),
        (MediationOutcome.PARTIAL, "Accord partiel"),
        (MediationOutcome.FAILURE, "Pas d'accord"),
        (MediationOutcome.ADJOURNED, "Reportée"),
        (MediationOutcome.PARTY_ABSENT, "Partie absente"),
        (SessionMode.IN_PERSON, "En présentiel"),
        (SessionMode.VIDEO, "Visioconférence"),
        (SessionMode.PHONE, "Téléphone"),
        (MediationSide.CREDITOR, "Créancier"),
        (MediationSide.DEBTOR, "Débiteur"),
        (MediationSide.MEDIATOR, "Médiateur"),
        (ParticipantRole.CREDITOR_REP, "Représentant du créancier"),
        (ParticipantRole.DEBTOR, "Débiteur"),
        (ParticipantRole.COUNSEL, "Avocat ou conseil"),
        (ParticipantRole.COMPANION, "Accompagnant"),
        (SignatureMode.PAPER, "Sur papier"),
        (SignatureMode.ELECTRONIC, "Électronique"),
    ]
)

# Columns whose values are confidential: the audit records that they changed, never what
# they hold (kernel.unit_of_work redacts them). Proposals and participants are parts of
# their session (silent tables): the session's event says they changed.
CONFIDENTIAL_FIELDS: dict[str, frozenset[str]] = {
    "mediation_sessions": frozenset(
        {
            "creditor_position",
            "debtor_position",
            "nonpayment_reasons",
            "confidential_notes",
            "next_step",
        }
    ),
}
SILENT_MEDIATION_TABLES = frozenset({"mediation_proposals", "mediation_participants"})
REDACTED = "[confidentiel]"


class ExternalMediator(SQLModel, table=True):
    """A mediator, centre or conciliateur de justice who is not a casedesk user."""

    __tablename__ = "external_mediators"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    # E.g. « Liste des médiateurs de la cour d'appel de Lyon ».
    accreditation: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=500)
    is_active: bool = Field(default=True)
    created_at: datetime = instant_field(default_now=True)
    version: int = Field(default=1)


class Mediation(SQLModel, table=True):
    """A case's entry into mediation (or conciliation, or an internal amicable meeting)."""

    __tablename__ = "mediations"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: MediationKind = enum_field(default=MediationKind.CONVENTIONAL)
    mediator_user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    external_mediator_id: int | None = Field(default=None, foreign_key="external_mediators.id")
    subject: str | None = Field(default=None, max_length=1000)
    court_name: str | None = Field(default=None, max_length=200)
    court_reference: str | None = Field(default=None, max_length=100)
    # The written agreement to mediate: the limitation is suspended from it (C. civ. 2238).
    agreed_on: date | None = Field(default=None)
    creditor_consent_on: date | None = Field(default=None)
    debtor_consent_on: date | None = Field(default=None)
    creditor_confidentiality_ack: bool = Field(default=False)
    debtor_confidentiality_ack: bool = Field(default=False)
    ended_on: date | None = Field(default=None)
    ended_by: MediationSide | None = enum_field(default=None, nullable=True)
    outcome: MediationOutcome | None = enum_field(default=None, nullable=True)
    failure_document_id: int | None = Field(default=None, foreign_key="documents.id")
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)


class MediationSession(SQLModel, table=True):
    __tablename__ = "mediation_sessions"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    mediation_id: int = Field(foreign_key="mediations.id", index=True)
    planned_at: datetime = instant_field(index=True)
    duration_minutes: int = Field(default=60)
    mode: SessionMode = enum_field(default=SessionMode.VIDEO)
    place: str | None = Field(default=None, max_length=300)
    # Confidential (CONFIDENTIAL_FIELDS).
    creditor_position: str | None = Field(default=None)
    debtor_position: str | None = Field(default=None)
    nonpayment_reasons: str | None = Field(default=None)
    confidential_notes: str | None = Field(default=None)
    next_step: str | None = Field(default=None)
    # Not confidential: the fact and the outcome leave the mediation.
    outcome: MediationOutcome | None = enum_field(default=None, nullable=True)
    written_up_at: datetime | None = instant_field(nullable=True)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)


class MediationParticipant(SQLModel, table=True):
    __tablename__ = "mediation_participants"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="mediation_sessions.id", index=True)
    role: ParticipantRole = enum_field()
    name: str = Field(max_length=200)
    present: bool | None = Field(default=None)


class MediationProposal(SQLModel, table=True):
    """A proposal or counter-proposal made in a session, in order (confidential)."""

    __tablename__ = "mediation_proposals"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="mediation_sessions.id", index=True)
    seq: int
    made_by: MediationSide = enum_field()
    amount_cents: int = Field(sa_type=BigInteger)
    instalment_count: int | None = Field(default=None)
    frequency: Frequency | None = enum_field(default=None, nullable=True)
    first_due_date: date | None = Field(default=None)
    down_payment_cents: int = Field(default=0, sa_type=BigInteger)
    waive_interest: bool = Field(default=False)
    waive_indemnity: bool = Field(default=False)
    waive_principal_cents: int = Field(default=0, sa_type=BigInteger)
    note: str | None = Field(default=None, max_length=1000)
    accepted: bool = Field(default=False)


class MediationAgreement(SQLModel, table=True):
    """The agreement that came out of a mediation. Once signed (`signed_on`, the day the
    last party signed) it is an acknowledgement of the debt for the limitation clock."""

    __tablename__ = "mediation_agreements"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    mediation_id: int | None = Field(default=None, foreign_key="mediations.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="mediation_sessions.id")
    proposal_id: int | None = Field(default=None, foreign_key="mediation_proposals.id")
    signed_on: date | None = Field(default=None)
    amount_cents: int = Field(sa_type=BigInteger)
    terms: str = Field(default="")
    waived_interest: bool = Field(default=False)
    waived_indemnity: bool = Field(default=False)
    waived_principal_cents: int = Field(default=0, sa_type=BigInteger)
    plan_id: int | None = Field(default=None, foreign_key="instalment_plans.id")
    creditor_signatory: str | None = Field(default=None, max_length=200)
    creditor_signed_on: date | None = Field(default=None)
    debtor_signatory: str | None = Field(default=None, max_length=200)
    debtor_signed_on: date | None = Field(default=None)
    signature_mode: SignatureMode | None = enum_field(default=None, nullable=True)
    signed_document_id: int | None = Field(default=None, foreign_key="documents.id")
    protocol_document_id: int | None = Field(default=None, foreign_key="documents.id")
    # Countersigned by each party's lawyer: the greffe can make it enforceable (CPC 1546).
    lawyers_countersigned: bool = Field(default=False)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int = Field(foreign_key="users.id")
    updated_at: datetime = instant_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    version: int = Field(default=1)
