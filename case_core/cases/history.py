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
from case_core.models import (
    STORED_LABELS,
    AcceptanceChannel,
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
from case_core.models.labels import field_label

EMPTY = "—"
CREATION = "Création"

ACTION_LABELS: dict[str, str] = {
    "auth.session_open": "Session gardée ouverte",
    "auth.session_cookie": "Session gardée remise au navigateur",
    "auth.session_seen": "Session gardée reprise",
    "auth.session_end": "Session gardée fermée",
    "case.legal_hold": "Conservation légale posée",
    "case.legal_hold_lift": "Conservation légale levée",
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
    "acceptance_channel": AcceptanceChannel,
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
for (_enum, _code), _label in STORED_LABELS.items():
    _BY_CODE.setdefault(_code, []).append(_label)
_UNIQUE_LABELS = {code: labels[0] for code, labels in _BY_CODE.items() if len(set(labels)) == 1}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


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
