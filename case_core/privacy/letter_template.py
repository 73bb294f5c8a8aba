"""Builds the Word template of the answer to a data-protection request
(templates_docx/reponse_demande_rgpd.docx) with python-docx, on A4 paper.

The file holds docxtpl (Jinja) tags and is committed so that users may reword it; run
`python -m case_core.privacy.letter_template` to rewrite it from this module (erasing local
edits). The context it reads is the one `sample_context` documents.

GDPR art. 12.4: a refusal states its reasons and the right to complain to the CNIL and to
seek a judicial remedy; the template always carries both.
"""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from case_core.letters.templates import TEMPLATES_DIR, a4, para, save_templates
from case_core.templates.registry import TemplateSpec, register

TEMPLATE_NAME = "reponse_demande_rgpd.docx"
TEMPLATE_PATH = TEMPLATES_DIR / TEMPLATE_NAME


def sample_context() -> dict[str, Any]:
    """Every field the template may use, filled (the check render of uploads reads it)."""
    return {
        "sender": {
            "name": "Recouvrement Durand",
            "address": "8 rue Mercière, 69002 Lyon",
            "city": "Lyon",
            "signatory": "Le délégué à la protection des données",
        },
        "person": {"name": "MARTIN Léa", "address": "12 rue des Lilas, 69003 Lyon"},
        "letter_date": "03/12/2026",
        "references": "2026-000123, 2026-000124",
        "request": {
            "kind": "Effacement",
            "article": "article 17",
            "received_on": "02/12/2026",
            "answered_on": "03/12/2026",
        },
        "granted": False,
        "answer": "Demande d'effacement refusée : la créance n'est pas prescrite.",
        "actions": ["Nom, coordonnées et coordonnées bancaires remplacés."],
        "kept": ["Montants et dates, sans lien avec votre identité, à des fins statistiques."],
        "grounds": [
            "Le dossier 2026-000123 est en cours : la créance est toujours poursuivie.",
        ],
        "objections": ["Écrit uniquement (reçue le 02/12/2026, courrier)"],
    }


register(TemplateSpec(TEMPLATE_NAME, "Réponse à une demande RGPD", sample_context))


def answer_letter() -> DocxDocument:
    doc = Document()
    a4(doc)
    para(doc, "{{ sender.name }}", bold=True)
    para(doc, "{{ sender.address }}")
    para(doc, "{{ person.name }}", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    para(doc, "{{ person.address }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{{ sender.city }}, le {{ letter_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(doc, "{% if references %}Nos références : {{ references }}{% endif %}")
    para(
        doc,
        "Objet : votre demande « {{ request.kind }} » ({{ request.article }} du règlement "
        "général sur la protection des données)",
        bold=True,
    )
    para(doc, "Madame, Monsieur,")
    para(
        doc,
        "Nous avons reçu le {{ request.received_on }} votre demande relative aux données "
        "personnelles que nous détenons à votre sujet. Nous y avons répondu le "
        "{{ request.answered_on }}.",
    )
    para(
        doc,
        "{% if granted %}Votre demande a été satisfaite.{% else %}Nous ne pouvons pas "
        "satisfaire votre demande, pour les motifs exposés ci-dessous.{% endif %}",
        bold=True,
    )
    para(doc, "{{ answer }}")
    para(doc, "{% if actions %}Ce que nous avons fait :{% endif %}", bold=True)
    para(doc, "{%p for item in actions %}")
    para(doc, "– {{ item }}")
    para(doc, "{%p endfor %}")
    para(doc, "{% if objections %}Oppositions enregistrées à votre demande :{% endif %}", bold=True)
    para(doc, "{%p for item in objections %}")
    para(doc, "– {{ item }}")
    para(doc, "{%p endfor %}")
    para(
        doc,
        "{% if grounds %}Motifs de conservation de vos données :{% endif %}",
        bold=True,
    )
    para(doc, "{%p for item in grounds %}")
    para(doc, "– {{ item }}")
    para(doc, "{%p endfor %}")
    para(doc, "{% if kept %}Ce que nous conservons :{% endif %}", bold=True)
    para(doc, "{%p for item in kept %}")
    para(doc, "– {{ item }}")
    para(doc, "{%p endfor %}")
    para(
        doc,
        "Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une "
        "réclamation à la Commission nationale de l'informatique et des libertés (CNIL, "
        "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr) et former un "
        "recours devant la juridiction compétente.",
    )
    para(doc, "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.")
    para(doc)
    para(doc, "{{ sender.signatory }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


BUILDERS = {TEMPLATE_NAME: answer_letter}


if __name__ == "__main__":
    for path in save_templates(BUILDERS):
        print(path)
