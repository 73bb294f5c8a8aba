"""Builds the Word templates of the letters (templates_docx/*.docx) with python-docx.

The generated files hold docxtpl (Jinja) tags and are committed, so that users may
reword them in Word; run `python -m case_core.letters.templates` to rewrite them
from this module (which erases any local edits).

When the organisation recovers on behalf of others (a setting), every letter carries the
mentions of Code des procédures civiles d'exécution article R124-4 (who collects, for whom,
basis and breakdown of the claim, how to pay, the text of L111-8 paragraphs 2 and 3, and on
later letters the reference and date of the first one): `collection_mentions` is their one
place. The fields every letter may use are documented in case_core.letters.sample.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from case_core.letters.sample import letter_sample
from case_core.templates.registry import TEMPLATES_DIR, TemplateSpec, register

# Code des procédures civiles d'exécution, article L111-8, paragraphs 2 and 3
# (version in force since 19 March 2014, loi n° 2014-344 art. 12), reproduced as
# R124-4 5° requires.
L111_8_AL2 = (
    "Les frais de recouvrement entrepris sans titre exécutoire restent à la charge du "
    "créancier, sauf s'ils concernent un acte dont l'accomplissement est prescrit par la loi "
    "au créancier. Toute stipulation contraire est réputée non écrite, sauf disposition "
    "législative contraire."
)
L111_8_AL3 = (
    "Cependant, le créancier qui justifie du caractère nécessaire des démarches entreprises "
    "pour recouvrer sa créance peut demander au juge de l'exécution de laisser tout ou partie "
    "des frais ainsi exposés à la charge du débiteur de mauvaise foi."
)


def para(
    doc: DocxDocument,
    text: str = "",
    *,
    bold: bool = False,
    size: int | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align


def header(doc: DocxDocument, title: str, registered: bool) -> None:
    # A4: python-docx starts from US Letter, on which a French letter spills onto page two.
    a4(doc)
    para(doc, "{{ sender.name }}", bold=True)
    para(doc, "{{ sender.address }}")
    para(doc, "{{ debtor.name }}", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    para(
        doc,
        "{% if debtor.representative %}À l'attention de {{ debtor.representative }}{% endif %}",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    para(doc, "{{ debtor.address }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    # « Paris, le 2 décembre 2026 »: the date spelled out, the city of the organisation.
    para(doc, "{{ sender.city }}, le {{ letter.date_long }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    if registered:
        para(doc, "Lettre recommandée avec demande d'avis de réception", bold=True)
        para(doc, "{% if ar_number %}N° de recommandé : {{ ar_number }}{% endif %}")
    para(doc, "Notre référence : {{ reference }} — courrier n° {{ letter.reference }}")
    para(doc, f"Objet : {title}", bold=True)
    para(doc, "{{ salutation }},")


def amounts(doc: DocxDocument) -> None:
    """R124-4 3°: the claim's basis and amount, principal, interest and other sums apart (the
    costs L111-8 leaves to the creditor are not claimed), with the day-count convention."""
    para(
        doc,
        "Fondement de la créance : factures émises par {{ creditor.name }} ({{ basis }}) et "
        "restées impayées à leur échéance.",
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ["Facture", "Émise le", "Échue le", "Montant", "Reste dû en principal"],
        strict=True,
    ):
        cell.text = text
    loop = table.add_row().cells
    loop[0].text = "{%tr for c in claims %}"
    row = table.add_row().cells
    for cell, text in zip(
        row,
        [
            "{{ c.number }}",
            "{{ c.issue_date }}",
            "{{ c.due_date }}",
            "{{ c.principal }}",
            "{{ c.principal_outstanding }}",
        ],
        strict=True,
    ):
        cell.text = text
    end = table.add_row().cells
    end[0].text = "{%tr endfor %}"
    para(doc)
    summary = doc.add_table(rows=0, cols=2)
    summary.style = "Table Grid"
    # The fixed indemnity exists between professionals only: its row shows when it is owed.
    for label, tag in [
        ("Principal restant dû", "{{ amounts.principal }}"),
        ("Intérêts de retard ({{ interest_basis }})", "{{ amounts.interest }}"),
        ("{%tr if amounts.has_indemnity %}", ""),
        (
            "Indemnité forfaitaire pour frais de recouvrement (art. L441-10 et D441-5 du "
            "code de commerce)",
            "{{ amounts.indemnity }}",
        ),
        ("{%tr endif %}", ""),
        ("Autres frais à la charge du débiteur", "{{ amounts.costs }}"),
        ("Total restant dû", "{{ amounts.total }}"),
    ]:
        cells = summary.add_row().cells
        cells[0].text = label
        cells[1].text = tag
    para(doc)
    para(doc, "Paiements déjà reçus et déduits : {{ amounts.payments }}.")
    para(
        doc,
        "Les frais de recouvrement qui restent à la charge du créancier en application de "
        "l'article L. 111-8 du code des procédures civiles d'exécution ne vous sont pas "
        "réclamés.",
    )
    para(doc, "{{ day_count }}")


def payment(doc: DocxDocument) -> None:
    para(doc, "Modalités de paiement : {{ payment_instructions }}")
    para(doc, "{% if creditor.iban %}IBAN : {{ creditor.iban }}{% endif %}")
    para(doc, "Merci de rappeler la référence {{ reference }} avec votre règlement.")


def _signature(doc: DocxDocument) -> None:
    para(
        doc,
        "Nous vous prions d'agréer, {{ salutation }}, l'expression de nos salutations distinguées.",
    )
    para(doc, "{{ sender.signatory }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def collection_mentions(doc: DocxDocument) -> None:
    """The one place of the mentions of CPCE R124-4 that are owed when the organisation
    recovers on behalf of others (the « recouvrement pour le compte de tiers » setting): who
    collects and that it is their activity (1°), the creditor (2°), the reproduction of L111-8
    al. 2 and 3 (5°), and on every later letter the reference and date of the first one (last
    paragraph). The claim's breakdown (3°) and the demand to pay with its means (4°) are in
    every letter (`amounts`, `payment`)."""
    para(doc, "{%p if collection.on_behalf %}")
    para(doc, "Recouvrement amiable pour le compte du créancier", bold=True)
    para(
        doc,
        "{{ sender.name }}, {{ sender.address }}, exerce une activité de recouvrement amiable "
        "et agit pour le compte du créancier : {{ creditor.name }}, {{ creditor.address }}"
        "{% if creditor.representative %}, représenté par {{ creditor.representative }}"
        "{% endif %}.",
    )
    para(doc, "{%p if collection.first_letter %}")
    para(
        doc,
        "Rappel : notre premier courrier relatif à cette créance, référence "
        "{{ collection.first_letter.reference }}, vous a été envoyé le "
        "{{ collection.first_letter.date }}.",
    )
    para(doc, "{%p endif %}")
    para(
        doc,
        "Article L. 111-8 du code des procédures civiles d'exécution (alinéas 2 et 3)",
        bold=True,
    )
    para(doc, f"« {L111_8_AL2}")
    para(doc, f"{L111_8_AL3} »")
    para(doc, "{%p endif %}")


def reminder_1() -> DocxDocument:
    doc = Document()
    header(doc, "Relance – facture(s) impayée(s)", registered=False)
    para(
        doc,
        "Sauf erreur ou omission de notre part, nous constatons que les factures suivantes "
        "restent impayées à ce jour :",
    )
    amounts(doc)
    para(
        doc,
        "Il s'agit peut-être d'un simple oubli : nous vous remercions de bien vouloir procéder "
        "au règlement de la somme de {{ amounts.total }} dans les meilleurs délais. Si votre "
        "paiement a été effectué entre-temps, merci de ne pas tenir compte de ce courrier.",
    )
    payment(doc)
    collection_mentions(doc)
    _signature(doc)
    return doc


def reminder_2() -> DocxDocument:
    doc = Document()
    header(doc, "Seconde relance – facture(s) impayée(s)", registered=False)
    para(
        doc,
        "Malgré notre précédente relance, nous constatons que les sommes suivantes restent "
        "impayées :",
    )
    amounts(doc)
    para(
        doc,
        "Nous vous demandons de régler la somme de {{ amounts.total }} sous quinze jours. "
        "À défaut, nous serons contraints de vous adresser une mise en demeure. Si vous "
        "rencontrez des difficultés, contactez-nous pour convenir d'un échéancier.",
    )
    payment(doc)
    collection_mentions(doc)
    _signature(doc)
    return doc


def mise_en_demeure() -> DocxDocument:
    doc = Document()
    header(doc, "MISE EN DEMEURE DE PAYER", registered=True)
    para(doc, "Créancier", bold=True)
    para(
        doc,
        "{{ creditor.name }}, {{ creditor.address }}"
        "{% if creditor.representative %}, représenté par {{ creditor.representative }}"
        "{% endif %}.",
    )
    para(doc, "Fondement et montant de la créance", bold=True)
    amounts(doc)
    para(doc, "Mise en demeure", bold=True)
    para(
        doc,
        "Par la présente, nous vous mettons en demeure de payer la somme de {{ amounts.total }} "
        "au plus tard le {{ deadline }}. À défaut de paiement dans ce délai, le créancier se "
        "réserve d'engager une procédure judiciaire de recouvrement, sans nouvel avis.",
    )
    # Between professionals the L441-10 penalties run without any reminder: the notice says
    # which already ran and at what rate. Only legal interest is started by the notice.
    para(doc, "{%p if penalties %}")
    para(
        doc,
        "Entre professionnels, les pénalités de retard de l'article L. 441-10 du code de "
        "commerce sont dues de plein droit dès le lendemain de la date d'échéance de chaque "
        "facture, sans qu'un rappel soit nécessaire. Elles ont déjà couru comme suit :",
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p for line in penalties %}")
    para(doc, "– {{ line }} ;")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if starts_legal_interest %}")
    para(
        doc,
        "La présente mise en demeure fait courir les intérêts moratoires au taux légal "
        "(article 1344-1 du code civil).",
    )
    para(doc, "{%p endif %}")
    payment(doc)
    collection_mentions(doc)
    _signature(doc)
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "reminder_1.docx": reminder_1,
    "reminder_2.docx": reminder_2,
    "mise_en_demeure.docx": mise_en_demeure,
}
LETTER_TITLES = {
    "reminder_1.docx": "Courrier : première relance",
    "reminder_2.docx": "Courrier : seconde relance",
    "mise_en_demeure.docx": "Courrier : mise en demeure",
}
for _name, _title in LETTER_TITLES.items():
    register(TemplateSpec(_name, _title, letter_sample))


def a4(doc: DocxDocument, font_size: int = 11) -> None:
    """A4 paper with 2 cm margins, as an office user in France prints it."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Calibri"  # type: ignore[attr-defined]
    style.font.size = Pt(font_size)  # type: ignore[attr-defined]


def save_templates(
    builders: dict[str, Callable[[], DocxDocument]], directory: Path = TEMPLATES_DIR
) -> list[Path]:
    """(Re)write the templates `builders` make into `directory` (committed afterwards)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in builders.items():
        path = directory / name
        build().save(str(path))
        written.append(path)
    return written


def write_templates(directory: Path = TEMPLATES_DIR) -> list[Path]:
    """(Re)write every letter template into `directory`."""
    return save_templates(BUILDERS, directory)


if __name__ == "__main__":
    for path in write_templates():
        print(path)
