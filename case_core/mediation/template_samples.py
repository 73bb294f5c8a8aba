"""The three mediation templates on « Modèles », each with a full-case sample of the
context its document is rendered with (mediation.documents builds the real ones).

The failure record's sample holds the disclosure alone: an upload naming anything else (a
session's notes, a proposal) is refused by the undeclared-variables check, so no edited
template can carry what was said in a mediation into the record.
"""

from __future__ import annotations

from typing import Any

from case_core.mediation.templates import FAILURE_RECORD, HOMOLOGATION, PROTOCOL
from case_core.templates.registry import TemplateSpec, register


def _parties() -> dict[str, Any]:
    return {
        "reference": "2026-000123",
        "creditor": {
            "name": "Recouvrement Durand SAS",
            "identity": "personne morale, SIREN 732829320, dont le siège est "
            "8 rue Mercière, 69002 Lyon",
        },
        "debtor": {
            "name": "MARTIN Léa",
            "identity": "demeurant 12 rue des Lilas, 69003 Lyon",
        },
    }


def _common() -> dict[str, Any]:
    return {
        **_parties(),
        "claim": {"total": "1 200,00 €", "invoices": "F2026-118, F2026-131"},
        "mediation": {
            "kind_label": "Médiation judiciaire",
            "third_party": "Maître Claire Bernard",
            "court_name": "Tribunal judiciaire de Lyon",
            "court_reference": "26/01234",
            "is_judicial": True,
            "agreed_on": "05/01/2026",
            "subject": "Factures impayées de 2026",
        },
        "date": "01/12/2026",
        "place": "Lyon",
        "signatory": "Paul Durand, gérant",
    }


def protocol_sample() -> dict[str, Any]:
    return {
        **_common(),
        "agreement": {
            "amount": "1 200,00 €",
            "waivers": "les intérêts de retard (37,40 €)",
            "terms": "Paiement par virement le 15 de chaque mois.",
        },
        "schedule": {
            "phrase": "6 mensualités après un acompte de 200,00 €",
            "missed_to_break": "2 échéances",
        },
        "instalments": [
            {"label": "Acompte", "due_date": "15/12/2026", "amount": "200,00 €"},
            {"label": "Échéance 1", "due_date": "15/01/2027", "amount": "166,67 €"},
        ],
        "payment_instructions": "Virement sur le compte FR76 3000 6000 0112 3456 7890 189.",
    }


def failure_record_sample() -> dict[str, Any]:
    return {
        **_parties(),
        "d": {
            "kind_label": "Médiation conventionnelle",
            "third_party": "Maître Claire Bernard",
            "counts_as_prior_attempt": True,
            "agreed_on": "05/01/2026",
            "first_session_on": "20/01/2026",
            "last_session_on": "10/02/2026",
            "ended_on": "21/02/2026",
            "outcome_label": "échec",
        },
        "date": "01/12/2026",
        "signatory": "Paul Durand, gérant",
    }


def homologation_sample() -> dict[str, Any]:
    return {
        **_common(),
        "court": "Tribunal judiciaire de Lyon",
        "joint": True,
        "lawyers_countersigned": False,
        "agreement": {"signed_on": "03/12/2026"},
        "pieces": [
            {"number": 1, "label": "Protocole d'accord de médiation signé par les parties"},
            {"number": 2, "label": "Facture n° F2026-118 du 15/03/2026"},
        ],
    }


register(TemplateSpec(PROTOCOL, "Médiation : protocole d'accord", protocol_sample))
register(TemplateSpec(FAILURE_RECORD, "Médiation : constat d'échec", failure_record_sample))
register(TemplateSpec(HOMOLOGATION, "Médiation : requête en homologation", homologation_sample))
