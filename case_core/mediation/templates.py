"""Builds the Word templates of a mediation (templates_docx/*.docx) with python-docx, on
A4 paper: the « Protocole d'accord de médiation », the « Constat d'échec de médiation » and
the request for homologation (CPC 1543-1545).

The files hold docxtpl (Jinja) tags and are committed so that users may reword them in
Word; `python -m case_core.mediation.templates` rewrites them from this module (erasing
local edits). The failure record's context is built from the disclosure only (what may
leave a mediation), so no template edit can put a session's content into it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from case_core.letters.templates import TEMPLATES_DIR, a4, para, save_templates

PROTOCOL = "protocole_mediation.docx"
FAILURE_RECORD = "constat_echec_mediation.docx"
HOMOLOGATION = "requete_homologation_mediation.docx"

CONFIDENTIALITY_CLAUSE = (
    "Les parties rappellent que la médiation est soumise au principe de confidentialité "
    "(article 21-3 de la loi n° 95-125 du 8 février 1995 et article 1528-3 du code de "
    "procédure civile) : les constatations du médiateur et les déclarations recueillies au "
    "cours de la médiation ne peuvent être divulguées aux tiers ni invoquées ou produites "
    "dans le cadre d'une instance judiciaire ou arbitrale sans l'accord des parties. Le "
    "présent accord peut toutefois être produit pour sa mise en œuvre ou son exécution."
)


def _title(doc: DocxDocument, text: str) -> None:
    para(doc, text, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "Dossier {{ reference }}", align=WD_ALIGN_PARAGRAPH.CENTER)


def _parties(doc: DocxDocument) -> None:
    para(doc, "Entre les soussignés :", bold=True)
    para(doc, "{{ creditor.name }}, {{ creditor.identity }}, ci-après « le créancier »,")
    para(doc, "et")
    para(doc, "{{ debtor.name }}, {{ debtor.identity }}, ci-après « le débiteur ».")


def _process(doc: DocxDocument) -> None:
    para(
        doc,
        "Processus : {{ mediation.kind_label }}"
        "{% if mediation.third_party %}, conduit par {{ mediation.third_party }}{% endif %}"
        "{% if mediation.court_name %}, ordonné par {{ mediation.court_name }}"
        "{% if mediation.court_reference %} (RG {{ mediation.court_reference }}){% endif %}"
        "{% endif %}.",
    )


def _table(doc: DocxDocument, headers: list[str], cells: list[str], loop: str) -> None:
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.rows[1].cells[0].text = "{%tr " + loop + " %}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"


def protocol() -> DocxDocument:
    doc = Document()
    a4(doc)
    _title(doc, "Protocole d'accord de médiation")
    _parties(doc)
    para(doc, "Objet du différend", bold=True)
    para(
        doc,
        "Le créancier réclame au débiteur le paiement de {{ claim.total }} au titre des "
        "factures {{ claim.invoices }}{% if mediation.subject %} ({{ mediation.subject }})"
        "{% endif %}. Les parties sont convenues le {{ mediation.agreed_on }} de recourir à "
        "une médiation.",
    )
    _process(doc)
    para(doc, "Termes de l'accord", bold=True)
    para(
        doc,
        "Article 1. Le débiteur s'engage à payer au créancier la somme de "
        "{{ agreement.amount }}, qu'il reconnaît devoir, en règlement de la créance "
        "ci-dessus.",
    )
    para(
        doc,
        "{% if agreement.waivers %}Article 2. Sous réserve de la parfaite exécution du "
        "présent accord, le créancier renonce à : {{ agreement.waivers }}."
        "{% else %}Article 2. Le créancier ne renonce à aucune somme.{% endif %}",
    )
    para(
        doc,
        "{% if agreement.terms %}Article 3. Conditions particulières : {{ agreement.terms }}"
        "{% else %}Article 3. Aucune condition particulière.{% endif %}",
    )
    para(
        doc,
        "Article 4. Échéancier{% if schedule.phrase %} : {{ schedule.phrase }}{% endif %}.",
    )
    _table(
        doc,
        ["Échéance", "Date", "Montant"],
        ["{{ i.label }}", "{{ i.due_date }}", "{{ i.amount }}"],
        "for i in instalments",
    )
    para(doc)
    para(doc, "{{ payment_instructions }}")
    para(
        doc,
        "Article 5. Clause de déchéance du terme. À défaut de paiement de "
        "{{ schedule.missed_to_break }} à leur date, et huit jours après une mise en demeure "
        "restée sans effet, la totalité des sommes restant dues deviendra immédiatement "
        "exigible, les abandons consentis à l'article 2 seront caducs et le créancier "
        "pourra poursuivre le recouvrement de l'intégralité de sa créance.",
    )
    para(
        doc,
        "Article 6. Le présent accord vaut reconnaissance de dette (article 2240 du code "
        "civil). Il constitue une transaction au sens de l'article 2044 du code civil et peut "
        "être soumis à l'homologation du juge (articles 1543 à 1545 du code de procédure "
        "civile) à la demande de toutes les parties ou de la plus diligente.",
    )
    para(doc, "Article 7. Confidentialité. " + CONFIDENTIALITY_CLAUSE)
    para(doc, "Fait à {{ place }}, le {{ date }}, en autant d'exemplaires que de parties.")
    para(doc)
    para(doc, "Le créancier : {{ creditor.name }}", bold=True)
    para(doc, "Nom et qualité du signataire : ____________________    Signature :")
    para(doc)
    para(doc, "Le débiteur : {{ debtor.name }}", bold=True)
    para(doc, "Nom et qualité du signataire : ____________________    Signature :")
    para(
        doc,
        "{% if mediation.is_judicial %}Attestation du médiateur : je soussigné(e) "
        "{{ mediation.third_party }}, médiateur désigné par {{ mediation.court_name }}"
        "{% if mediation.court_reference %} (RG {{ mediation.court_reference }}){% endif %}, "
        "atteste que le présent accord est issu de la médiation judiciaire que j'ai conduite "
        "entre les parties.{% endif %}",
    )
    para(
        doc,
        "{% if mediation.is_judicial %}Signature du médiateur :{% endif %}",
    )
    return doc


def failure_record() -> DocxDocument:
    doc = Document()
    a4(doc)
    _title(doc, "Constat d'échec de médiation")
    para(
        doc,
        "Parties : {{ creditor.name }} (créancier) et {{ debtor.name }} (débiteur).",
    )
    para(doc, "Processus : {{ d.kind_label }}.")
    para(doc, "{% if d.third_party %}Tiers l'ayant conduit : {{ d.third_party }}.{% endif %}")
    para(
        doc,
        "{% if d.agreed_on %}Accord des parties pour la médiation : {{ d.agreed_on }}.{% endif %}",
    )
    para(
        doc,
        "{% if d.first_session_on %}Réunion(s) : du {{ d.first_session_on }} au "
        "{{ d.last_session_on }}.{% endif %}",
    )
    para(doc, "{% if d.ended_on %}Fin de la médiation : {{ d.ended_on }}.{% endif %}")
    para(
        doc,
        "Il est constaté qu'une tentative de résolution amiable a eu lieu et qu'elle n'a pas "
        "abouti (issue : {{ d.outcome_label }}).",
    )
    para(
        doc,
        "{% if d.counts_as_prior_attempt %}Ce processus, conduit par un tiers, constitue la "
        "tentative préalable de résolution amiable prévue à l'article 750-1 du code de "
        "procédure civile.{% else %}Cette rencontre, menée par le créancier lui-même, n'est "
        "pas une médiation ou une conciliation conduite par un tiers et ne vaut pas "
        "tentative préalable au sens de l'article 750-1 du code de procédure civile."
        "{% endif %}",
    )
    para(
        doc,
        "Conformément au principe de confidentialité de la médiation (article 21-3 de la loi "
        "n° 95-125 et article 1528-3 du code de procédure civile), le présent constat ne "
        "rapporte rien des déclarations, propositions ou documents échangés.",
    )
    para(doc, "Fait le {{ date }}.")
    para(doc, "{{ signatory }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def homologation_request() -> DocxDocument:
    doc = Document()
    a4(doc)
    para(doc, "{{ court }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _title(doc, "Requête aux fins d'homologation d'un accord issu d'une médiation")
    para(doc, "(articles 1543 à 1545, 54 et 57 du code de procédure civile)")
    para(
        doc,
        "{% if joint %}À la requête conjointe de :{% else %}À la requête de :{% endif %}",
        bold=True,
    )
    para(doc, "{{ creditor.name }}, {{ creditor.identity }} ;")
    para(doc, "{% if joint %}{{ debtor.name }}, {{ debtor.identity }} ;{% endif %}")
    para(
        doc,
        "{% if not joint %}Contre : {{ debtor.name }}, {{ debtor.identity }}.{% endif %}",
    )
    para(doc, "Objet de la demande", bold=True)
    para(
        doc,
        "Les parties ont conclu le {{ agreement.signed_on }}, à l'issue d'une "
        "{{ mediation.kind_label|lower }}{% if mediation.third_party %} conduite par "
        "{{ mediation.third_party }}{% endif %}, un accord mettant fin au différend relatif "
        "au paiement des factures {{ claim.invoices }}. Le requérant demande au juge de "
        "l'homologuer afin de lui donner force exécutoire (article 1543 du code de procédure "
        "civile).",
    )
    para(
        doc,
        "{% if lawyers_countersigned %}L'accord ayant été contresigné par l'avocat de chacune "
        "des parties, il peut aussi être revêtu de la formule exécutoire par le greffe de la "
        "juridiction compétente (articles 1546 et suivants du code de procédure civile), "
        "sans homologation.{% endif %}",
    )
    para(doc, "Pièces jointes", bold=True)
    _table(doc, ["N°", "Pièce"], ["{{ p.number }}", "{{ p.label }}"], "for p in pieces")
    para(doc)
    para(
        doc,
        "Modalités de comparution : la demande est formée par requête ; le juge statue sans "
        "débat, sauf s'il estime nécessaire d'entendre les parties.",
    )
    para(doc, "Fait à {{ place }}, le {{ date }}.")
    para(doc, "Signature(s) :")
    return doc


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    PROTOCOL: protocol,
    FAILURE_RECORD: failure_record,
    HOMOLOGATION: homologation_request,
}


def write_templates(directory: Path = TEMPLATES_DIR) -> list[Path]:
    return save_templates(BUILDERS, directory)


if __name__ == "__main__":
    for path in write_templates():
        print(path)
