"""The readable French summary of an access export (DOCX)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document as DocxDocument

from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents
from case_core.models import Channel, ContactOutcome, Phase

MEDIATION_NOTICE = (
    "Le contenu des médiations (échanges, documents établis pour la médiation) est "
    "confidentiel (loi n° 95-125, art. 21-3 ; CPC art. 1528-3) : il n'est pas repris dans "
    "cet export. Seuls le fait qu'une médiation a eu lieu et son issue peuvent en sortir."
)

_IDENTITY_LABELS = [
    ("display_name", "Nom"),
    ("first_name", "Prénom"),
    ("last_name", "Nom de famille"),
    ("company_name", "Raison sociale"),
    ("siren", "SIREN"),
    ("address_line1", "Adresse"),
    ("address_line2", "Complément d'adresse"),
    ("postcode", "Code postal"),
    ("city", "Ville"),
    ("email", "E-mail"),
    ("email_alt", "Autre e-mail"),
    ("phone", "Téléphone"),
    ("phone_alt", "Autre téléphone"),
    ("iban", "IBAN"),
    ("bic", "BIC"),
]


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value[:10])) if value else "—"


def _label(enum: Any, value: str | None) -> str:
    try:
        return enum(value).label if value else "—"
    except ValueError:
        return str(value)


def _table(doc: Any, headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        doc.add_paragraph("Aucun élément.")
        return
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def render_summary(data: dict[str, Any], generated_on: date) -> bytes:
    party = data["personne"]
    doc = DocxDocument()
    doc.add_heading("Vos données personnelles", level=0)
    doc.add_paragraph(
        f"Réponse à une demande d'accès (RGPD, art. 15), établie le {format_date(generated_on)}. "
        "Le fichier donnees.json joint contient les mêmes informations, complètes, dans un "
        "format lisible par machine."
    )
    doc.add_heading("Identité et coordonnées", level=1)
    _table(
        doc,
        ["Donnée", "Valeur"],
        [[label, str(party[key])] for key, label in _IDENTITY_LABELS if party.get(key)],
    )
    doc.add_heading("Dossiers", level=1)
    creditors = {c["id"]: c["nom"] for c in data["creanciers"]}
    _table(
        doc,
        ["Référence", "Créancier", "Phase", "Ouvert le", "Solde"],
        [
            [
                c["reference"],
                creditors.get(c["creditor_id"], "—"),
                _label(Phase, c["phase"]),
                _day(c["created_at"]),
                format_cents(c["balance_cents"]),
            ]
            for c in data["dossiers"]
        ],
    )
    doc.add_heading("Factures", level=1)
    _table(
        doc,
        ["N° de facture", "Émise le", "Échéance", "Montant"],
        [
            [
                c["invoice_number"],
                _day(c["issue_date"]),
                _day(c["due_date"]),
                format_cents(c["principal_cents"]),
            ]
            for c in data["factures"]
        ],
    )
    doc.add_heading("Paiements", level=1)
    _table(
        doc,
        ["Reçu le", "Montant", "Référence"],
        [
            [_day(p["received_on"]), format_cents(p["amount_cents"]), p["reference"] or "—"]
            for p in data["paiements"]
        ],
    )
    doc.add_heading("Échéanciers", level=1)
    _table(
        doc,
        ["Créé le", "Montant total", "Échéances", "Première échéance"],
        [
            [
                _day(p["created_at"]),
                format_cents(p["total_cents"]),
                str(p["instalment_count"]),
                _day(p["first_due_date"]),
            ]
            for p in data["echeanciers"]
        ],
    )
    doc.add_heading("Journal des contacts", level=1)
    _table(
        doc,
        ["Date", "Canal", "Résultat", "Note"],
        [
            [
                _day(e["occurred_at"]),
                _label(Channel, e["channel"]),
                _label(ContactOutcome, e["outcome"]),
                e["note"] or "",
            ]
            for e in data["journal"]
        ],
    )
    doc.add_heading("Courriers et documents", level=1)
    _table(
        doc,
        ["Date", "Fichier", "Taille (octets)"],
        [[_day(d["created_at"]), d["filename"], str(d["size_bytes"])] for d in data["documents"]],
    )
    doc.add_heading("Historique (journal d'audit)", level=1)
    doc.add_paragraph(
        f"Événements enregistrés sur vos dossiers : {len(data['evenements_audit'])} ; "
        "leur détail figure dans donnees.json."
    )
    doc.add_heading("Médiation", level=1)
    doc.add_paragraph(MEDIATION_NOTICE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
