"""SQLModel tables of the whole domain; importing this package registers them all.

Each stored enum lives beside the table that stores it; import tables and enums from this
package, not from its modules, so that moving one between modules breaks no import."""

from sqlmodel import SQLModel

from case_core.models.audit import AuditEvent, AuditValue
from case_core.models.base import (
    STORED_LABELS,
    LabelledEnum,
    add_labels,
    add_stored_labels,
    utcnow,
    widen_cents_columns,
)
from case_core.models.cases import Case, ClosureReason, DebtorKind, Phase, ReferenceCounter
from case_core.models.contacts import (
    Channel,
    ContactEvent,
    ContactOutcome,
    Dispute,
    DisputeCategory,
    PersonReached,
    Promise,
    PromiseItem,
)
from case_core.models.documents import Document, DocumentBlob, DocumentKind
from case_core.models.mediation import (
    ExternalMediator,
    Mediation,
    MediationAgreement,
    MediationKind,
    MediationOutcome,
    MediationParticipant,
    MediationProposal,
    MediationSession,
    MediationSide,
    ParticipantRole,
    SessionMode,
    SignatureMode,
)
from case_core.models.money import (
    Claim,
    CostBearer,
    InterestRegime,
    Payment,
    PaymentMethod,
    Rate,
    RateKind,
    RecoveryCost,
)
from case_core.models.parties import Party, PartyKind
from case_core.models.plans import (
    AcceptanceChannel,
    Frequency,
    Instalment,
    InstalmentPlan,
    PlanStatus,
)
from case_core.models.privacy import (
    ContactObjection,
    ObjectionKind,
    ObjectionSource,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
)
from case_core.models.referrals import RecipientKind, Referral, ReferralRecipient
from case_core.models.settings import AppSetting, ImportMapping
from case_core.models.templates import TemplateVersion
from case_core.models.users import Role, User, UserSession

_widened = widen_cents_columns(SQLModel.metadata)

__all__ = [
    "STORED_LABELS",
    "AcceptanceChannel",
    "AppSetting",
    "AuditEvent",
    "AuditValue",
    "Case",
    "Channel",
    "Claim",
    "ClosureReason",
    "ContactEvent",
    "ContactObjection",
    "ContactOutcome",
    "CostBearer",
    "DebtorKind",
    "Dispute",
    "DisputeCategory",
    "Document",
    "DocumentBlob",
    "DocumentKind",
    "ExternalMediator",
    "Frequency",
    "ImportMapping",
    "Instalment",
    "InstalmentPlan",
    "InterestRegime",
    "LabelledEnum",
    "Mediation",
    "MediationAgreement",
    "MediationKind",
    "MediationOutcome",
    "MediationParticipant",
    "MediationProposal",
    "MediationSession",
    "MediationSide",
    "ObjectionKind",
    "ObjectionSource",
    "ParticipantRole",
    "Party",
    "PartyKind",
    "Payment",
    "PaymentMethod",
    "PersonReached",
    "Phase",
    "PlanStatus",
    "PrivacyRequest",
    "PrivacyRequestKind",
    "PrivacyRequestStatus",
    "Promise",
    "PromiseItem",
    "Rate",
    "RateKind",
    "RecipientKind",
    "RecoveryCost",
    "ReferenceCounter",
    "Referral",
    "ReferralRecipient",
    "Role",
    "SessionMode",
    "SignatureMode",
    "TemplateVersion",
    "User",
    "UserSession",
    "add_labels",
    "add_stored_labels",
    "utcnow",
]
