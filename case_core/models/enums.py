"""Every enumeration of the domain, as str enums with their French labels."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class LabelledEnum(StrEnum):
    """A str enum whose members have a French label: the stored enums below in LABELS,
    the enums of a service module through `add_labels`."""

    @property
    def label(self) -> str:
        key = (type(self), self.value)
        return LABELS.get(key) or _SERVICE_LABELS.get(key, self.value)


# Kept apart from LABELS, which describes what is stored (the audit history reads it).
_SERVICE_LABELS: dict[tuple[type, str], str] = {}


def add_labels(labels: Mapping[StrEnum, str]) -> None:
    """Give the members of one service-module LabelledEnum their French labels."""
    _SERVICE_LABELS.update({(type(m), m.value): label for m, label in labels.items()})


class Role(LabelledEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    COLLECTOR = "collector"
    MEDIATOR = "mediator"
    VIEWER = "viewer"


class PartyKind(LabelledEnum):
    PERSON = "person"
    COMPANY = "company"


class DebtorKind(LabelledEnum):
    CONSUMER = "consumer"
    PROFESSIONAL = "professional"


class Phase(LabelledEnum):
    AMIABLE = "amiable"
    PRE_CONTENTIEUX = "pre_contentieux"
    MEDIATION = "mediation"
    CONTENTIEUX = "contentieux"
    CLOSED = "closed"


class ClosureReason(LabelledEnum):
    PAID = "paid"
    SETTLED = "settled"
    WRITTEN_OFF = "written_off"
    REFERRED = "referred"
    DROPPED = "dropped"


class InterestRegime(LabelledEnum):
    NONE = "none"
    LEGAL = "legal"
    L441_10 = "l441_10"
    CONTRACTUAL = "contractual"


class RateKind(LabelledEnum):
    LEGAL_NATURAL_PERSON = "legal_natural_person"
    LEGAL_OTHER = "legal_other"
    ECB_REFI = "ecb_refi"


class PaymentMethod(LabelledEnum):
    TRANSFER = "transfer"
    CARD = "card"
    CHEQUE = "cheque"
    CASH = "cash"
    DIRECT_DEBIT = "direct_debit"


class CostBearer(LabelledEnum):
    CREDITOR = "creditor"
    DEBTOR = "debtor"


class Channel(LabelledEnum):
    CALL_OUT = "call_out"
    CALL_IN = "call_in"
    EMAIL_OUT = "email_out"
    EMAIL_IN = "email_in"
    LETTER = "letter"
    REGISTERED_LETTER = "registered_letter"
    SMS = "sms"
    VISIT = "visit"
    MEETING = "meeting"


class PersonReached(LabelledEnum):
    DEBTOR = "debtor"
    REPRESENTATIVE = "representative"
    THIRD_PARTY = "third_party"
    NOBODY = "nobody"


class ContactOutcome(LabelledEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"
    DISPUTE = "dispute"
    PROMISE = "promise"
    PAYMENT_ANNOUNCED = "payment_announced"
    ASKED_SCHEDULE = "asked_schedule"
    ASKED_MEDIATION = "asked_mediation"
    SENT = "sent"  # a letter or an e-mail that went out, with no answer to record yet


class DisputeCategory(LabelledEnum):
    AMOUNT = "amount"
    QUALITY = "quality"
    NOT_RECEIVED = "not_received"
    ALREADY_PAID = "already_paid"
    OTHER = "other"


class PlanStatus(LabelledEnum):
    """What users did to a plan. Whether it is paid up, late or broken is derived from the
    payments (case_core.plans.status), never stored: a bounced cheque would leave it wrong."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ACCELERATED = "accelerated"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


class Frequency(LabelledEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class DocumentKind(LabelledEnum):
    INVOICE = "invoice"
    CONTRACT = "contract"
    ORDER = "order"
    LETTER = "letter"
    DOSSIER = "dossier"
    AGREEMENT = "agreement"
    OTHER = "other"


# (member, label) pairs rather than a dict keyed by member: members of different enums
# with the same value (CostBearer.DEBTOR, PersonReached.DEBTOR) are equal as strings.
_STORED_LABELS: list[tuple[StrEnum, str]] = [
    (Role.ADMIN, "Administrateur"),
    (Role.MANAGER, "Responsable"),
    (Role.COLLECTOR, "Chargé de recouvrement"),
    (Role.MEDIATOR, "Médiateur"),
    (Role.VIEWER, "Lecture seule"),
    (PartyKind.PERSON, "Personne physique"),
    (PartyKind.COMPANY, "Personne morale"),
    (DebtorKind.CONSUMER, "Consommateur"),
    (DebtorKind.PROFESSIONAL, "Professionnel"),
    (Phase.AMIABLE, "Amiable"),
    (Phase.PRE_CONTENTIEUX, "Pré-contentieux"),
    (Phase.MEDIATION, "Médiation"),
    (Phase.CONTENTIEUX, "Contentieux"),
    (Phase.CLOSED, "Clos"),
    (ClosureReason.PAID, "Payé"),
    (ClosureReason.SETTLED, "Transigé"),
    (ClosureReason.WRITTEN_OFF, "Passé en perte"),
    (ClosureReason.REFERRED, "Transmis (contentieux)"),
    (ClosureReason.DROPPED, "Abandonné"),
    (InterestRegime.NONE, "Aucun intérêt"),
    (InterestRegime.LEGAL, "Taux d'intérêt légal"),
    (InterestRegime.L441_10, "Taux BCE + 10 points (L441-10)"),
    (InterestRegime.CONTRACTUAL, "Taux contractuel"),
    (RateKind.LEGAL_NATURAL_PERSON, "Taux légal : créancier personne physique"),
    (RateKind.LEGAL_OTHER, "Taux légal : autres cas"),
    (RateKind.ECB_REFI, "Taux de refinancement BCE"),
    (PaymentMethod.TRANSFER, "Virement"),
    (PaymentMethod.CARD, "Carte"),
    (PaymentMethod.CHEQUE, "Chèque"),
    (PaymentMethod.CASH, "Espèces"),
    (PaymentMethod.DIRECT_DEBIT, "Prélèvement"),
    (CostBearer.CREDITOR, "À la charge du créancier"),
    (CostBearer.DEBTOR, "À la charge du débiteur"),
    (Channel.CALL_OUT, "Appel sortant"),
    (Channel.CALL_IN, "Appel entrant"),
    (Channel.EMAIL_OUT, "E-mail envoyé"),
    (Channel.EMAIL_IN, "E-mail reçu"),
    (Channel.LETTER, "Courrier"),
    (Channel.REGISTERED_LETTER, "Lettre recommandée AR"),
    (Channel.SMS, "SMS"),
    (Channel.VISIT, "Visite"),
    (Channel.MEETING, "Rendez-vous"),
    (PersonReached.DEBTOR, "Débiteur"),
    (PersonReached.REPRESENTATIVE, "Représentant"),
    (PersonReached.THIRD_PARTY, "Tiers"),
    (PersonReached.NOBODY, "Aucun interlocuteur (personne n'a été jointe)"),
    (ContactOutcome.REACHED, "Joint"),
    (ContactOutcome.NO_ANSWER, "Pas de réponse"),
    (ContactOutcome.VOICEMAIL, "Messagerie"),
    (ContactOutcome.WRONG_NUMBER, "Faux numéro"),
    (ContactOutcome.REFUSED, "Refus de payer"),
    (ContactOutcome.DISPUTE, "Contestation"),
    (ContactOutcome.PROMISE, "Promesse de paiement"),
    (ContactOutcome.PAYMENT_ANNOUNCED, "Paiement annoncé"),
    (ContactOutcome.ASKED_SCHEDULE, "Demande d'échéancier"),
    (ContactOutcome.ASKED_MEDIATION, "Demande de médiation"),
    (ContactOutcome.SENT, "Envoyé"),
    (DisputeCategory.AMOUNT, "Montant"),
    (DisputeCategory.QUALITY, "Qualité"),
    (DisputeCategory.NOT_RECEIVED, "Non reçu"),
    (DisputeCategory.ALREADY_PAID, "Déjà payé"),
    (DisputeCategory.OTHER, "Autre"),
    (PlanStatus.PROPOSED, "Proposé"),
    (PlanStatus.ACTIVE, "Actif"),
    (PlanStatus.ACCELERATED, "Déchéance du terme"),
    (PlanStatus.CANCELLED, "Annulé"),
    (PlanStatus.SUPERSEDED, "Remplacé"),
    (Frequency.WEEKLY, "Hebdomadaire"),
    (Frequency.BIWEEKLY, "Toutes les deux semaines"),
    (Frequency.MONTHLY, "Mensuelle"),
    (Frequency.QUARTERLY, "Trimestrielle"),
    (DocumentKind.INVOICE, "Facture"),
    (DocumentKind.CONTRACT, "Contrat"),
    (DocumentKind.ORDER, "Bon de commande"),
    (DocumentKind.LETTER, "Courrier"),
    (DocumentKind.DOSSIER, "Dossier de transmission"),
    (DocumentKind.AGREEMENT, "Accord"),
    (DocumentKind.OTHER, "Autre"),
]

# The labels of the stored enums, by (enum class, value).
LABELS: dict[tuple[type, str], str] = {(type(m), m.value): label for m, label in _STORED_LABELS}
