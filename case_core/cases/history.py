"""Audit events as a user reads them: French action names and one readable line of changes.

The audit trail stores raw values (codes, cents, ISO dates, ids); the « Historique » tab
shows them the way the rest of the app does (labels, « 1 234,56 € », dd/mm/yyyy).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from case_core.kernel.dates import format_date, format_instant
from case_core.kernel.money import format_cents, format_rate_bp
from case_core.models.enums import (
    LABELS,
    Channel,
    ClosureReason,
    CostBearer,
    DebtorKind,
    DisputeCategory,
    Frequency,
    InterestRegime,
    LabelledEnum,
    PaymentMethod,
    Phase,
    PlanStatus,
    Role,
)

EMPTY = "—"
CREATION = "Création"

ACTION_LABELS: dict[str, str] = {
    "auth.locked": "Compte verrouillé",
    "auth.login": "Connexion",
    "auth.login_failed": "Échec de connexion",
    "auth.login_sso": "Connexion (SSO)",
    "case.assign": "Réattribution",
    "case.close": "Clôture",
    "case.create": "Création du dossier",
    "case.formal_notice": "Mise en demeure",
    "case.hand_over": "Transmission contentieuse",
    "case.import": "Import de factures",
    "case.next_action": "Prochaine action",
    "case.phase": "Changement de phase",
    "case.reopen": "Réouverture",
    "claim.create": "Ajout d'une facture",
    "claim.interest_terms": "Conditions d'intérêts d'une facture",
    "case.creditor_professional": "Qualité du créancier (besoins professionnels)",
    "claim.clocks": "Achèvement de la prestation, capitalisation",
    "case.notice_presented": "Mise en demeure présentée (accusé de réception)",
    "contact.correct": "Correction d'un contact",
    "contact.log": "Contact enregistré",
    "cost.record": "Frais de recouvrement",
    "demo.generate": "Données de démonstration",
    "dispute.open": "Ouverture d'une contestation",
    "dispute.resolve": "Contestation résolue",
    "promise.cancel": "Promesse annulée (entrée corrigée)",
    "document.add": "Ajout d'un document",
    "import_mapping.save": "Correspondance d'import enregistrée",
    "mediation.confidential_read": "Consultation d'une note de médiation confidentielle",
    "mediation.record": "Séance de médiation",
    "mediation.open": "Ouverture d'une médiation",
    "mediation.consent": "Consentements à la médiation",
    "mediation.session_plan": "Séance de médiation planifiée",
    "mediation.session_write_up": "Compte rendu de séance de médiation",
    "mediation.session_cancel": "Séance de médiation supprimée",
    "mediation.end": "Fin de la médiation",
    "mediation.agreement": "Accord de médiation",
    "mediation.sign": "Signature de l'accord de médiation",
    "mediation.document": "Document de médiation",
    "mediator.create": "Ajout d'un médiateur extérieur",
    "party.create": "Création d'une partie",
    "party.written_contact_only": "Contact par écrit uniquement",
    "payment.record": "Paiement enregistré",
    "payment.reverse": "Paiement annulé",
    "plan.accelerate": "Déchéance du terme de l'échéancier",
    "plan.accept": "Échéancier accepté",
    "plan.cancel": "Échéancier annulé",
    "plan.letter": "Courrier d'échéancier adressé pour signature",
    "plan.propose": "Échéancier proposé",
    "plan.supersede": "Échéancier remplacé",
    "promise.create": "Promesse de paiement",
    "rate.add": "Ajout d'un taux",
    "rate.import_ecb": "Import des taux BCE (portail de données de la BCE)",
    "recipient.activate": "Destinataire réactivé",
    "recipient.create": "Ajout d'un destinataire",
    "recipient.deactivate": "Destinataire désactivé",
    "recipient.update": "Destinataire modifié",
    "referral.outcome": "Issue de la transmission",
    "setting.update": "Paramètre modifié",
    "user.create": "Création d'un utilisateur",
    "user.password_change": "Changement de mot de passe",
    "user.password_reset": "Réinitialisation du mot de passe",
    "user.update": "Utilisateur modifié",
}

FIELD_LABELS: dict[str, str] = {
    "assignee": "Chargé de dossier",
    "recipient": "Destinataire",
    "recipient_reference": "Référence du destinataire",
    "recovered_cents": "Montant recouvré",
    "title_obtained": "Titre exécutoire obtenu",
    "accelerated_balance_cents": "Solde exigible",
    "accelerated_on": "Déchéance le",
    "acceptance_channel": "Accepté par",
    "acceptance_note": "Note d'acceptation",
    "accepted_by": "Accepté par (personne)",
    "accepted_on": "Accepté le",
    "address_line1": "Adresse",
    "address_line2": "Complément d'adresse",
    "amount_cents": "Montant",
    "basis_date": "Date de calcul",
    "basis_costs_cents": "Frais",
    "basis_indemnity_cents": "Indemnités",
    "basis_interest_cents": "Intérêts",
    "basis_principal_cents": "Principal",
    "borne_by": "À la charge de",
    "broken_at": "Rompu le",
    "cancel_reason": "Motif d'annulation",
    "cancelled_on": "Annulé le",
    "category": "Motif",
    "channel": "Canal",
    "city": "Ville",
    "claims_created": "Factures créées",
    "claims_updated": "Factures mises à jour",
    "closed_at": "Clos le",
    "closure_reason": "Motif de clôture",
    "company_name": "Raison sociale",
    "contractual_rate_bp": "Taux contractuel",
    "creditor_is_natural_person": "Créancier personne physique",
    "creditor_professional": "Créancier agissant pour des besoins professionnels",
    "day_of_month": "Jour du mois",
    "debtor_kind": "Type de débiteur",
    "description": "Description",
    "display_name": "Nom",
    "down_payment_cents": "Premier versement",
    "due_date": "Échéance",
    "email": "E-mail",
    "filename": "Fichier",
    "first_due_date": "Première échéance",
    "first_name": "Prénom",
    "formal_notice_date": "Mise en demeure le",
    "formal_notice_presented_on": "Mise en demeure présentée le",
    "service_completed_on": "Prestation achevée le",
    "capitalise_interest": "Capitalisation des intérêts",
    "formal_notice_deadline": "Délai de la mise en demeure",
    "frequency": "Périodicité",
    "generated": "Généré",
    "guardrail_override_reason": "Motif de dérogation",
    "includes_indemnity": "Indemnités incluses",
    "includes_interest": "Intérêts inclus",
    "includes_principal": "Principal inclus",
    "incurred_on": "Date",
    "instalment_count": "Nombre d'échéances",
    "instalments": "Échéances",
    "insolvency_proceedings": "Procédure collective",
    "interest_regime": "Intérêts",
    "interest_start_date": "Intérêts à partir du",
    "invoice_number": "N° facture",
    "issue_date": "Date de facture",
    "items": "Échéances promises",
    "judgment_date": "Date du jugement",
    "judgment_rate_increase": "Majoration du taux légal",
    "kind": "Type",
    "label": "Libellé",
    "last_contact_at": "Dernier contact",
    "last_name": "Nom",
    "limitation_date": "Prescription",
    "method": "Mode de paiement",
    "next_action": "Prochaine action",
    "next_action_date": "Date de la prochaine action",
    "next_action_note": "Prochaine action",
    "note": "Note",
    "occurred_at": "Date",
    "oldest_due_date": "Échéance la plus ancienne",
    "outcome": "Résultat",
    "paid_cents": "Payé",
    "person_reached": "Personne jointe",
    "phase": "Phase",
    "phone": "Téléphone",
    "postcode": "Code postal",
    "principal_cents": "Montant",
    "principal_first": "Imputé sur le principal d'abord",
    "raised_at": "Ouverte le",
    "rate_bp": "Taux",
    "received_on": "Reçu le",
    "reference": "Référence",
    "refund_due_cents": "À rembourser",
    "registered_letter_number": "N° de recommandé",
    "resolution_note": "Résolution",
    "resolved_at": "Résolue le",
    "role": "Rôle",
    "siren": "SIREN",
    "siret": "SIRET",
    "source": "Source",
    "status": "Statut",
    "total_cents": "Total",
    "waived_cents": "Remise",
    "written_contact_only": "Contact par écrit uniquement",
}
# The mediation record (confidential fields show as « [confidentiel] », see unit_of_work).
FIELD_LABELS.update(
    {
        "agreed_on": "Accord pour la médiation",
        "confidential_notes": "Notes de séance",
        "court_name": "Juridiction",
        "court_reference": "N° RG",
        "creditor_confidentiality_ack": "Confidentialité reconnue (créancier)",
        "creditor_consent_on": "Consentement du créancier",
        "creditor_position": "Position du créancier",
        "creditor_signatory": "Signataire (créancier)",
        "creditor_signed_on": "Signé par le créancier le",
        "debtor_confidentiality_ack": "Confidentialité reconnue (débiteur)",
        "debtor_consent_on": "Consentement du débiteur",
        "debtor_position": "Position du débiteur",
        "debtor_signatory": "Signataire (débiteur)",
        "debtor_signed_on": "Signé par le débiteur le",
        "duration_minutes": "Durée (min)",
        "ended_by": "Terminée à l'initiative de",
        "ended_on": "Terminée le",
        "lawyers_countersigned": "Contresigné par les avocats",
        "mode": "Modalité",
        "next_step": "Suite prévue",
        "nonpayment_reasons": "Motifs du non-paiement",
        "participants": "Participants",
        "place": "Lieu",
        "planned_at": "Séance le",
        "proposals": "Propositions",
        "signature_mode": "Signature",
        "signed_on": "Signé le",
        "subject": "Objet",
        "terms": "Conditions",
        "waived_indemnity": "Indemnité abandonnée",
        "waived_interest": "Intérêts abandonnés",
        "waived_principal_cents": "Principal abandonné",
        "written_up_at": "Compte rendu le",
    }
)

# Bookkeeping a reader has no use for; raw ids (`*_id`) are dropped too.
HIDDEN_FIELDS = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "version",
        "password_hash",
        "search_text",
        "sha256",
        "mime_type",
        "size_bytes",
    }
)

# Which enum a field's code belongs to, where the code alone is ambiguous.
FIELD_ENUMS: dict[str, type[LabelledEnum]] = {
    "acceptance_channel": Channel,
    "borne_by": CostBearer,
    "category": DisputeCategory,
    "channel": Channel,
    "closure_reason": ClosureReason,
    "debtor_kind": DebtorKind,
    "frequency": Frequency,
    "interest_regime": InterestRegime,
    "method": PaymentMethod,
    "phase": Phase,
    "role": Role,
    "status": PlanStatus,
}
FIRST_FIELDS = (
    "reference",
    "invoice_number",
    "label",
    "filename",
    "received_on",
    "amount_cents",
    "principal_cents",
    "issue_date",
    "due_date",
    "phase",
)
_BY_CODE: dict[str, list[str]] = {}
for (_enum, _code), _label in LABELS.items():
    _BY_CODE.setdefault(_code, []).append(_label)
_UNIQUE_LABELS = {code: labels[0] for code, labels in _BY_CODE.items() if len(set(labels)) == 1}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def is_hidden(name: str) -> bool:
    return name in HIDDEN_FIELDS or name.endswith("_id") or name.endswith("_hash")


def _enum_label(name: str, code: str) -> str | None:
    enum = FIELD_ENUMS.get(name)
    if enum is not None:
        try:
            return enum(code).label
        except ValueError:
            pass
    return _UNIQUE_LABELS.get(code)


def format_value(name: str, value: Any) -> str:
    """One stored value as the app shows it elsewhere; `name` is its field."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int) and name.endswith("_cents"):
        return format_cents(value)
    if isinstance(value, int) and name.endswith("_bp"):
        return format_rate_bp(value)
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return format_date(date.fromisoformat(value))
        if _ISO_INSTANT.match(value):
            try:
                return format_instant(datetime.fromisoformat(value))
            except ValueError:
                return value
        label = _enum_label(name, value)
        return label if label is not None else value
    if isinstance(value, list):
        return "; ".join(_format_item(name, item) for item in value) or EMPTY
    if isinstance(value, dict):
        return _format_mapping(value)
    return str(value)


def _format_item(name: str, item: Any) -> str:
    # Schedules are stored as [date, cents] or [cents, date] pairs.
    if isinstance(item, list) and len(item) == 2:
        dates = [v for v in item if isinstance(v, str) and _ISO_DATE.match(v)]
        amounts = [v for v in item if isinstance(v, int) and not isinstance(v, bool)]
        if len(dates) == 1 and len(amounts) == 1:
            return f"{format_cents(amounts[0])} le {format_date(date.fromisoformat(dates[0]))}"
    return format_value(name, item)


def _is_change(value: Any) -> bool:
    return isinstance(value, dict) and set(value) <= {"before", "after"} and "after" in value


def _format_mapping(values: Mapping[str, Any]) -> str:
    if values and all(_is_change(v) for v in values.values()):
        return describe_changes(values)
    parts = [
        f"{field_label(k)} : {format_value(k, v)}"
        for k, v in values.items()
        if not is_hidden(k) and v not in (None, "")
    ]
    # A mapping keyed by something else than field names (e.g. invoice numbers).
    if not parts and values:
        parts = [f"{k} : {format_value(k, v)}" for k, v in values.items()]
    return "(" + ", ".join(parts) + ")"


def describe_changes(changes: Mapping[str, Any]) -> str:
    """One readable line: « Création » and the fields set, or « Champ : avant → après »."""
    # Stored with sorted keys; the identifying fields read best first.
    keys = sorted(
        (k for k in changes if not is_hidden(k)),
        key=lambda k: FIRST_FIELDS.index(k) if k in FIRST_FIELDS else len(FIRST_FIELDS),
    )
    shown = {k: changes[k] for k in keys}
    entries = {k: v for k, v in shown.items() if _is_change(v)}
    creation = bool(entries) and all(v.get("before") is None for v in entries.values())
    parts: list[str] = []
    for key, value in shown.items():
        if not _is_change(value):
            parts.append(f"{field_label(key)} : {format_value(key, value)}")
            continue
        before, after = value.get("before"), value.get("after")
        if before is None:
            # A field set from nothing: its value is enough; an empty one says nothing.
            if after in (None, "", False, 0, [], {}):
                continue
            parts.append(f"{field_label(key)} : {format_value(key, after)}")
        else:
            parts.append(
                f"{field_label(key)} : {format_value(key, before)} → {format_value(key, after)}"
            )
    text = " · ".join(parts)
    if creation:
        return f"{CREATION} — {text}" if text else CREATION
    return text
