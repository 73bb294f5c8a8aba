"""The fields the letter templates may use, as a full case shows them: the documentation of the
context (the « Modèles » page prints it) and the data of the check render of an upload.

A test compares these keys with the context of a real letter, so that this documentation and
`letters.service.letter_context` (and `plan_letter.plan_letter_context`) never drift apart.
Every value is already formatted the French way (amounts « 1 234,56 € », dates « 23/11/2026 »).
"""

from __future__ import annotations

from typing import Any

from case_core.statement.interest import DAY_COUNT_CONVENTION


def letter_sample() -> dict[str, Any]:
    """Reminders and formal notice."""
    return {
        "reference": "2026-000123",  # the case: to be recalled with a payment
        "salutation": "Madame, Monsieur",
        "sender": {
            "name": "Recouvrement Durand",
            "address": "8 rue Mercière, 69002 Lyon",
            "city": "Lyon",
            "signatory": "Le service recouvrement",
        },
        "debtor": {
            "name": "Bâtiment Martin SARL",
            "address": "12 rue de la Roquette, 75011 Paris",
            "representative": "Claire Martin, gérante",
        },
        "creditor": {
            "name": "Fournitures Durand SAS",
            "address": "3 quai Saint-Antoine, 69002 Lyon",
            "iban": "FR7630006000011234567890189",
            "representative": "Paul Durand, président",
        },
        "payment_instructions": "par virement bancaire sur le compte du créancier",
        "letter": {
            "reference": "2026-000123/2",  # the case, then the letter's number on it
            "date": "02/12/2026",
            "date_long": "2 décembre 2026",
        },
        # R124-4 when the organisation recovers on behalf of others; first_letter is empty on
        # the first letter of the case.
        "collection": {
            "on_behalf": True,
            "first_letter": {"reference": "2026-000123/1", "date": "02/11/2026"},
        },
        "deadline": "10/12/2026",  # formal notice only
        "ar_number": "1A 234 567 8901 2",
        "basis": "Maintenance du 1er trimestre, Pièces détachées",  # descriptions as typed
        "interest_basis": "Taux BCE + 10 points (L441-10)",
        "penalties": [
            "facture F2025-118 : du 01/10/2025 au 31/12/2025, 92 jours au taux de 12,15 % "
            "(BCE 2,15 % + 10 points (L441-10)) sur 2 400,00 €, soit 73,50 €"
        ],
        "starts_legal_interest": False,
        "day_count": DAY_COUNT_CONVENTION,
        "claims": [
            {
                "number": "F2025-118",
                "description": "Maintenance du 1er trimestre",
                "issue_date": "01/09/2025",
                "due_date": "30/09/2025",
                "principal": "2 400,00 €",
                "principal_outstanding": "2 400,00 €",
            }
        ],
        "amounts": {
            "principal": "2 400,00 €",
            "interest": "172,34 €",
            "indemnity": "40,00 €",
            "has_indemnity": True,
            "costs": "0,00 €",
            "payments": "100,00 €",
            "total": "2 512,34 €",
        },
    }


def plan_letter_sample() -> dict[str, Any]:
    """The « Échéancier » letter: every letter field, and the plan."""
    return {
        **letter_sample(),
        "plan": {
            "total": "2 512,34 €",
            "basis_date": "02/12/2026",
            "waived": "40,00 €",
            "waived_parts": "indemnité forfaitaire",
            "rate": "3,00 %",
            "interest": "12,40 €",
            "total_cost": "2 484,74 €",
            "count": 6,
            "instalments_phrase": "6 échéances mensuelles",
            "down_payment": "500,00 €",
            "end_date": "05/06/2027",
            "missed_to_break": "2 échéances",
        },
        "instalments": [
            {
                "label": "Échéance 1",
                "due_date": "05/01/2027",
                "amount": "330,79 €",
                "interest": "2,07 €",
            }
        ],
    }
