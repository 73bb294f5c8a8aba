"""A full case as the dossier template sees it: every field of the documented context
(case_core.dossiers.context) filled, every list with an item. Templates uploaded by users are
checked against it, and the admin page shows it as the documentation of the fields."""

from __future__ import annotations

from typing import Any

_PARTY = {
    "name": "Fournitures Durand SAS",
    "kind": "Personne morale",
    "siren": "SIREN 732829320",
    "siret": "SIRET 73282932000074",
    "vat": "FR44732829320",
    "address": "3 quai Saint-Antoine, 69002 Lyon",
    "representative": "représentant légal en exercice",
    "phones": "04 72 00 00 00",
    "emails": "compta@durand.fr",
    "bank": "IBAN FR7630006000011234567890189, BIC AGRIFRPP",
}


def sample_context() -> dict[str, Any]:
    return {
        "dossier": {"date": "03/12/2026", "at": "03/12/2026"},
        "sender": {
            "name": "Recouvrement Durand",
            "address": "8 rue Mercière, 69002 Lyon",
            "signatory": "Le service recouvrement",
        },
        "case": {"reference": "2026-000123"},
        "claimed": {
            "total": "12 345,67 €",
            "explanation": "solde du décompte",
            "excluded": "F2020-001 (900,00 €)",
        },
        "recipient": {
            "kind": "Commissaire de justice",
            "name": "Me Claire Petit",
            "office": "SELARL Petit & Associés",
            "address": "4 place Bellecour, 69002 Lyon",
            "email": "contact@petit-cj.fr",
            "phone": "04 72 00 00 01",
            "reference": "CJ-2026/77",
        },
        "creditor": dict(_PARTY),
        "debtor": {
            **_PARTY,
            "name": "Bâtiment Martin SARL",
            "debtor_kind": "Professionnel",
            "contact_note": "Le débiteur a demandé à n'être contacté que par écrit.",
        },
        "invoices": [
            {
                "number": "F2025-118",
                "issue_date": "01/09/2025",
                "due_date": "30/09/2025",
                "principal": "2 400,00 €",
                "paid": "0,00 €",
                "balance": "2 612,34 €",
                "description": "Prestation de maintenance",
            }
        ],
        "statement": {
            "at": "03/12/2026",
            "claims": [
                {
                    "number": "F2025-118",
                    "regime": "Taux BCE + 10 points (L441-10)",
                    "interest_from": "01/10/2025",
                    "principal": "2 400,00 €",
                    "interest": "172,34 €",
                    "indemnity": "40,00 €",
                    "paid": "0,00 €",
                    "balance": "2 612,34 €",
                }
            ],
            "interest_lines": [
                {
                    "number": "F2025-118",
                    "start": "01/10/2025",
                    "end": "31/12/2025",
                    "days": "92",
                    "base": "2 400,00 €",
                    "rate": "12,15 %",
                    "amount": "73,50 €",
                    "basis": "BCE 2,15 % + 10 points (L441-10)",
                }
            ],
            "payments": [
                {
                    "date": "15/12/2025",
                    "amount": "100,00 €",
                    "reference": "VIR 122025",
                    "imputations": "Intérêts — facture F2025-118 : 100,00 €",
                }
            ],
            "costs": [
                {
                    "date": "01/11/2025",
                    "label": "Frais de lettre recommandée",
                    "borne_by": "À la charge du créancier",
                    "amount": "8,00 €",
                    "paid": "0,00 €",
                }
            ],
            "totals": {
                key: "0,00 €"
                for key in (
                    "principal",
                    "principal_paid",
                    "interest",
                    "interest_paid",
                    "indemnity",
                    "indemnity_paid",
                    "debtor_costs",
                    "payments",
                    "surplus",
                    "balance",
                    "creditor_costs",
                )
            },
        },
        "formal_notice": {"text": "Mise en demeure du 02/11/2026 (LRAR n° 1A 234 567 8901 2)."},
        "chronology": [
            {"date": "02/11/2026", "kind": "Appel sortant — Joint", "text": "Promet un virement"}
        ],
        "mediations": [
            {
                "kind": "Médiation conventionnelle",
                "third_party": "Centre de médiation de Lyon",
                "dates": "première réunion le 20/04/2026",
                "outcome": "Échec",
                "exhibit": "pièce n° 3",
            }
        ],
        "limitation": {
            "rule": "Délai de prescription : 5 ans à compter de l'échéance.",
            "claims": [
                {
                    "number": "F2025-118",
                    "due_date": "30/09/2025",
                    "limitation_date": "30/09/2030",
                    "status": "non prescrite",
                }
            ],
            "acknowledgements": "paiement du 15/12/2025",
            "suspensions": "Suspension de la prescription pendant la médiation (C. civ. 2238).",
            "note": "Aucune facture ouverte n'est prescrite à la date du dossier.",
        },
        "route": {
            "label": "Injonction de payer",
            "court": "Tribunal de commerce",
            "cerfa": "Cerfa n° 12946",
            "amount": "2 572,34 €",
            "reasons": "Créance contractuelle d'un montant déterminé.",
            "check_750_1": "Article 750-1 du CPC non applicable.",
            "alternatives": "Référé-provision.",
            "warnings": "Aucun.",
        },
        "exhibits": [
            {
                "number": "01",
                "title": "Facture F2025-118",
                "filename": "Pièce 01 - Facture F2025-118.pdf",
            }
        ],
    }
