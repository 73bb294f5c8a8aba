"""Builds the Word template of the judicial-referral dossier
(templates_docx/dossier_contentieux.docx) with python-docx, on A4 paper.

The file holds docxtpl (Jinja) tags and is committed, so that users may reword it in Word or
LibreOffice; `python -m case_core.dossiers.template` rewrites it from this module (erasing local
edits). The context it reads is documented in case_core.dossiers.context.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from case_core.dossiers.sample import sample_context
from case_core.letters.templates import TEMPLATES_DIR, a4, para
from case_core.templates.registry import TemplateSpec, register

TEMPLATE_NAME = "dossier_contentieux.docx"
TEMPLATE_PATH = TEMPLATES_DIR / TEMPLATE_NAME
register(TemplateSpec(TEMPLATE_NAME, "Dossier de transmission contentieuse", sample_context))


def heading(doc: DocxDocument, text: str, level: int = 1) -> None:
    doc.add_heading(text, level=level)


def fields(doc: DocxDocument, rows: list[tuple[str, str]]) -> None:
    """A two-column table: label, value (a row may be wrapped in {%tr if %} by the caller)."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    para(doc)


def loop_table(doc: DocxDocument, headers: list[str], loop: str, cells: list[str]) -> None:
    """A table with one row per item of `loop` (« x in xs »)."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.add_row().cells[0].text = f"{{%tr for {loop} %}}"
    for cell, text in zip(table.add_row().cells, cells, strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    para(doc)


def cover(doc: DocxDocument) -> None:
    para(doc, "{{ sender.name }}", bold=True)
    para(doc, "{{ sender.address }}")
    para(doc)
    para(
        doc,
        "DOSSIER DE TRANSMISSION CONTENTIEUSE",
        bold=True,
        size=20,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    para(
        doc,
        "Recouvrement judiciaire — dossier {{ case.reference }}",
        size=13,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    para(doc)
    fields(
        doc,
        [
            ("Créancier", "{{ creditor.name }}"),
            ("Débiteur", "{{ debtor.name }}"),
            ("Référence du dossier", "{{ case.reference }}"),
            ("Montant réclamé au {{ dossier.at }}", "{{ claimed.total }}"),
            ("Destinataire", "{{ recipient.kind }} : {{ recipient.name }}"),
            ("Étude / cabinet", "{{ recipient.office }}"),
            ("Adresse du destinataire", "{{ recipient.address }}"),
            ("Contact du destinataire", "{{ recipient.email }} {{ recipient.phone }}"),
            ("Référence du destinataire", "{{ recipient.reference }}"),
            ("Voie recommandée", "{{ route.label }} — {{ route.court }}"),
            ("Date du dossier", "{{ dossier.date }}"),
        ],
    )
    para(
        doc,
        "{% if claimed.excluded %}Créances prescrites écartées du montant réclamé : "
        "{{ claimed.excluded }}.{% endif %}",
    )
    doc.add_page_break()


def party(doc: DocxDocument, name: str, title: str) -> None:
    heading(doc, title, 2)
    fields(
        doc,
        [
            ("Dénomination / nom", f"{{{{ {name}.name }}}}"),
            ("Qualité", f"{{{{ {name}.kind }}}}"),
            ("SIREN / SIRET", f"{{{{ {name}.siren }}}} {{{{ {name}.siret }}}}"),
            ("N° de TVA", f"{{{{ {name}.vat }}}}"),
            ("Adresse (siège)", f"{{{{ {name}.address }}}}"),
            ("Représentant", f"{{{{ {name}.representative }}}}"),
            ("Téléphones", f"{{{{ {name}.phones }}}}"),
            ("E-mails", f"{{{{ {name}.emails }}}}"),
            ("Coordonnées bancaires", f"{{{{ {name}.bank }}}}"),
        ],
    )


def parties(doc: DocxDocument) -> None:
    heading(doc, "1. Les parties")
    party(doc, "creditor", "Créancier")
    party(doc, "debtor", "Débiteur")
    para(doc, "Nature du débiteur : {{ debtor.debtor_kind }}. {{ debtor.contact_note }}")


def claim(doc: DocxDocument) -> None:
    heading(doc, "2. La créance")
    heading(doc, "Factures", 2)
    loop_table(
        doc,
        ["Facture", "Émise le", "Échue le", "Montant", "Payé", "Solde", "Objet"],
        "c in invoices",
        [
            "{{ c.number }}",
            "{{ c.issue_date }}",
            "{{ c.due_date }}",
            "{{ c.principal }}",
            "{{ c.paid }}",
            "{{ c.balance }}",
            "{{ c.description }}",
        ],
    )
    heading(doc, "Décompte arrêté au {{ statement.at }}", 2)
    loop_table(
        doc,
        ["Facture", "Régime", "Principal", "Intérêts", "Indemnité", "Payé", "Solde"],
        "c in statement.claims",
        [
            "{{ c.number }}",
            "{{ c.regime }}{% if c.interest_from %} (dès le {{ c.interest_from }}){% endif %}",
            "{{ c.principal }}",
            "{{ c.interest }}",
            "{{ c.indemnity }}",
            "{{ c.paid }}",
            "{{ c.balance }}",
        ],
    )
    para(doc, "Intérêts de retard", bold=True)
    loop_table(
        doc,
        ["Facture", "Du", "Au", "Jours", "Base", "Taux", "Intérêts", "Fondement"],
        "i in statement.interest_lines",
        [
            "{{ i.number }}",
            "{{ i.start }}",
            "{{ i.end }}",
            "{{ i.days }}",
            "{{ i.base }}",
            "{{ i.rate }}",
            "{{ i.amount }}",
            "{{ i.basis }}",
        ],
    )
    para(doc, "Paiements reçus et leur imputation (Code civil art. 1343-1)", bold=True)
    loop_table(
        doc,
        ["Date", "Montant", "Référence", "Imputation"],
        "p in statement.payments",
        ["{{ p.date }}", "{{ p.amount }}", "{{ p.reference }}", "{{ p.imputations }}"],
    )
    para(doc, "Frais de recouvrement", bold=True)
    loop_table(
        doc,
        ["Date", "Libellé", "À la charge de", "Montant", "Payé"],
        "f in statement.costs",
        ["{{ f.date }}", "{{ f.label }}", "{{ f.borne_by }}", "{{ f.amount }}", "{{ f.paid }}"],
    )
    para(doc, "Totaux du décompte au {{ statement.at }}", bold=True)
    fields(
        doc,
        [
            ("Principal", "{{ statement.totals.principal }}"),
            ("dont payé", "{{ statement.totals.principal_paid }}"),
            ("Intérêts", "{{ statement.totals.interest }}"),
            ("dont payés", "{{ statement.totals.interest_paid }}"),
            ("Indemnités forfaitaires", "{{ statement.totals.indemnity }}"),
            ("dont payées", "{{ statement.totals.indemnity_paid }}"),
            ("Frais à la charge du débiteur", "{{ statement.totals.debtor_costs }}"),
            ("Paiements reçus", "{{ statement.totals.payments }}"),
            ("Trop-perçu", "{{ statement.totals.surplus }}"),
            ("Solde dû", "{{ statement.totals.balance }}"),
            (
                "Frais à la charge du créancier (hors solde)",
                "{{ statement.totals.creditor_costs }}",
            ),
        ],
    )
    para(doc, "Montant réclamé : {{ claimed.total }} ({{ claimed.explanation }})", bold=True)


def history(doc: DocxDocument) -> None:
    heading(doc, "3. Les démarches amiables")
    para(doc, "Mise en demeure", bold=True)
    para(doc, "{{ formal_notice.text }}")
    para(doc, "Chronologie", bold=True)
    loop_table(
        doc,
        ["Date", "Démarche", "Détail"],
        "e in chronology",
        ["{{ e.date }}", "{{ e.kind }}", "{{ e.text }}"],
    )


def mediation(doc: DocxDocument) -> None:
    heading(doc, "4. Médiation")
    para(
        doc,
        "Seuls le fait qu'une médiation a eu lieu, sa nature, le tiers, ses dates et son "
        "issue sont indiqués : ce qui y a été dit ou écrit est confidentiel (loi n° 95-125 "
        "art. 21-3, CPC art. 1528-3).",
    )
    para(doc, "{% if not mediations %}Aucune médiation enregistrée sur ce dossier.{% endif %}")
    loop_table(
        doc,
        ["Nature", "Tiers", "Dates", "Issue", "Pièce"],
        "m in mediations",
        [
            "{{ m.kind }}",
            "{{ m.third_party }}",
            "{{ m.dates }}",
            "{{ m.outcome }}",
            "{{ m.exhibit }}",
        ],
    )


def limitation(doc: DocxDocument) -> None:
    heading(doc, "5. Prescription")
    para(doc, "{{ limitation.rule }}")
    loop_table(
        doc,
        ["Facture", "Échue le", "Prescription le", "Situation"],
        "c in limitation.claims",
        ["{{ c.number }}", "{{ c.due_date }}", "{{ c.limitation_date }}", "{{ c.status }}"],
    )
    para(doc, "Actes interruptifs retenus : {{ limitation.acknowledgements }}")
    para(doc, "{% if limitation.suspensions %}{{ limitation.suspensions }}{% endif %}")
    para(doc, "{{ limitation.note }}")


def route(doc: DocxDocument) -> None:
    heading(doc, "6. Voie recommandée")
    fields(
        doc,
        [
            ("Procédure", "{{ route.label }}"),
            ("Juridiction / intervenant", "{{ route.court }}"),
            ("Formulaire", "{{ route.cerfa }}"),
            ("Montant en principal et intérêts", "{{ route.amount }}"),
        ],
    )
    para(doc, "Motifs", bold=True)
    para(doc, "{{ route.reasons }}")
    para(doc, "Article 750-1 du code de procédure civile", bold=True)
    para(doc, "{{ route.check_750_1 }}")
    para(doc, "{% if route.alternatives %}Autres voies : {{ route.alternatives }}{% endif %}")
    para(doc, "{% if route.warnings %}Points d'attention : {{ route.warnings }}{% endif %}")


def exhibits(doc: DocxDocument) -> None:
    heading(doc, "7. Bordereau de pièces communiquées")
    loop_table(
        doc,
        ["N°", "Pièce", "Fichier"],
        "x in exhibits",
        ["{{ x.number }}", "{{ x.title }}", "{{ x.filename }}"],
    )
    para(doc, "Fait le {{ dossier.date }}, {{ sender.signatory }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def dossier_template() -> DocxDocument:
    doc = Document()
    a4(doc, font_size=10)
    cover(doc)
    parties(doc)
    claim(doc)
    history(doc)
    mediation(doc)
    limitation(doc)
    route(doc)
    exhibits(doc)
    return doc


def write_template(directory: Path = TEMPLATES_DIR) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / TEMPLATE_NAME
    dossier_template().save(str(path))
    return path


if __name__ == "__main__":
    print(write_template())
