"""SQLModel tables of the whole domain; importing this package registers them all."""

from sqlmodel import SQLModel

from case_core.models.audit import AuditEvent
from case_core.models.base import utcnow, widen_cents_columns
from case_core.models.cases import Case, ReferenceCounter
from case_core.models.contacts import ContactEvent, Dispute, Promise, PromiseItem
from case_core.models.documents import Document, DocumentBlob
from case_core.models.enums import (
    Channel,
    ClosureReason,
    ContactOutcome,
    CostBearer,
    DebtorKind,
    DisputeCategory,
    DocumentKind,
    Frequency,
    InterestRegime,
    PartyKind,
    PaymentMethod,
    PersonReached,
    Phase,
    PlanStatus,
    RateKind,
    Role,
)
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
from case_core.models.money import Claim, Payment, Rate, RecoveryCost
from case_core.models.parties import Party
from case_core.models.plans import Instalment, InstalmentPlan
from case_core.models.privacy import PrivacyRequest, PrivacyRequestKind, PrivacyRequestStatus
from case_core.models.referrals import RecipientKind, Referral, ReferralRecipient
from case_core.models.settings import AppSetting, ImportMapping
from case_core.models.templates import TemplateVersion
from case_core.models.users import User, UserSession

_widened = widen_cents_columns(SQLModel.metadata)

__all__ = [
    "AppSetting",
    "AuditEvent",
    "Case",
    "Channel",
    "Claim",
    "ClosureReason",
    "ContactEvent",
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
    "Mediation",
    "MediationAgreement",
    "MediationKind",
    "MediationOutcome",
    "MediationParticipant",
    "MediationProposal",
    "MediationSession",
    "MediationSide",
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
    "utcnow",
]
