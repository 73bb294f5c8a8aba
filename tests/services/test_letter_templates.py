"""The letter templates on the « Modèles » page: documented context equal to a real letter's,
every template rendered with a hostile full case and reopened, uploads checked, used, restored;
one renderer whose errors name the template; a letter converted by LibreOffice."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest
from docx import Document

from case_core import templates_catalog
from case_core.cases.intake import CaseInput, ClaimInput, create_case
from case_core.cases.loading import get_case
from case_core.cases.parties import PartyInput
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.settings import set_settings
from case_core.letters.plan_letter import TEMPLATE_NAME as PLAN_TEMPLATE
from case_core.letters.plan_letter import generate_plan_letter, plan_letter_context
from case_core.letters.sample import letter_sample, plan_letter_sample
from case_core.letters.service import (
    PAYMENT_INSTRUCTIONS,
    LetterKind,
    generate_letter,
    letter_context,
)
from case_core.letters.templates import LETTER_TITLES
from case_core.models import DebtorKind, InstalmentPlan, PartyKind
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from case_core.plans.views import view_of
from case_core.statement.account import load_statement
from case_core.templates.render import TemplateRenderError, render_docx, soffice_path, to_pdf
from case_core.templates.store import (
    restore_template,
    shipped_bytes,
    template_versions,
    upload_template,
)
from tests.factories import company_debtor, creditor_input, make_case
from tests.letter_helpers import set_sender
from tests.template_helpers import assert_same_fields, docx_text

AT = date(2026, 6, 30)
# Everything a user may type: markup, template tags, quotes, newlines, emoji, a long text.
HOSTILE = 'Dupont & Fils <SARL> "L\'Atelier" {{ x }} {% if %} 🙂\nseconde ligne'
# The longest payment instructions the setting takes (1 000 characters).
LONG_TEXT = ("Virement : " + "é&<>{{}}{%%}🙂 " * 200)[:1000]
REPRESENTATIVE = "Zoé O'Brien & <Cie>"
ROLE = "gérante {{ qualité }}"
# Typed out of alphabetical order, the first due first: the letter keeps this order.
INVOICES = [
    ("F-010", "01/02/2026", "28/02/2026", "1 000,00", "Zinc & toiture {% raw %}\n2e ligne 🙂"),
    ("F-002", "01/03/2026", "31/03/2026", "234,56", "Abri de jardin {{ taille }}"),
]
LETTER_TEMPLATES = [*(k.template for k in LetterKind), PLAN_TEMPLATE]


def hostile_case(admin: Actor) -> str:
    set_sender(admin)
    set_settings(admin, {PAYMENT_INSTRUCTIONS: LONG_TEXT})
    debtor = PartyInput(
        **{
            **company_debtor(name=HOSTILE).__dict__,
            "representative_name": REPRESENTATIVE,
            "representative_role": ROLE,
        }
    )
    view = create_case(
        admin,
        CaseInput(
            debtor_kind=DebtorKind.PROFESSIONAL,
            claims=[ClaimInput(*invoice) for invoice in INVOICES],
            creditor=creditor_input(),
            debtor=debtor,
            confirm_duplicate=True,
        ),
    )
    return view.reference


def test_the_four_letter_templates_are_listed_with_the_dossier() -> None:
    names = {spec.name for spec in templates_catalog.catalog()}
    assert set(LETTER_TEMPLATES) | {"dossier_contentieux.docx"} <= names
    assert LETTER_TITLES["mise_en_demeure.docx"] == "Courrier : mise en demeure"


def test_documented_fields_are_those_of_a_real_letter(admin: Actor) -> None:
    ref = hostile_case(admin)
    generate_letter(admin, ref, LetterKind.REMINDER_1, today=AT)  # a first letter to recall
    plan = plans.propose_plan(admin, ref, Proposal(AT, date(2026, 7, 31), count=3))
    with read_session() as session:
        case = get_case(session, ref)
        statement = load_statement(session, case, AT)
        real = letter_context(session, case, statement, AT, AT, "1A")
        assert_same_fields(letter_sample(), real)
        row = session.get(InstalmentPlan, plan.id)
        assert row is not None
        view = view_of(session, row, case, AT)
        assert_same_fields(
            plan_letter_sample(), plan_letter_context(session, view, case, statement, AT)
        )


def test_every_letter_template_renders_a_hostile_full_case(admin: Actor) -> None:
    ref = hostile_case(admin)
    texts = {
        kind.template: docx_text(
            generate_letter(
                admin, ref, kind, today=AT, registered_letter_number="1A <&> 42"
            ).content
        )
        for kind in LetterKind
    }
    plan = plans.propose_plan(admin, ref, Proposal(AT, date(2026, 7, 31), count=3))
    texts[PLAN_TEMPLATE] = docx_text(generate_plan_letter(admin, plan.id, at=AT).content)
    for name, text in texts.items():
        # Typed text goes in exactly as typed, newlines and emoji included.
        assert HOSTILE in text, name
        assert f"À l'attention de {REPRESENTATIVE}, {ROLE}" in text, name
        assert LONG_TEXT in text, name
        # The descriptions in the invoices' order, as typed.
        basis = f"({INVOICES[0][4]}, {INVOICES[1][4]})"
        assert basis in text, name
        assert "Paris, le 30 juin 2026" in text, name
        # No tag of the template is left in the document.
        for tag in ("{{ amounts", "{{ letter", "{%p", "{%tr", "{{ collection", "{{ c."):
            assert tag not in text, (name, tag)
    assert "N° de recommandé : 1A <&> 42" in texts["mise_en_demeure.docx"]


def test_an_upload_is_used_by_the_letters_and_can_be_restored(admin: Actor) -> None:
    ref = hostile_case(admin)
    doc = Document(io.BytesIO(shipped_bytes("reminder_1.docx")))
    doc.add_paragraph("Modèle maison {{ letter.reference }} {{ debtor.representative }}")
    out = io.BytesIO()
    doc.save(out)
    assert upload_template(admin, "reminder_1.docx", "maison.docx", out.getvalue(), "Logo") == 1
    text = docx_text(generate_letter(admin, ref, LetterKind.REMINDER_1, today=AT).content)
    assert f"Modèle maison {ref}/1 {REPRESENTATIVE}, {ROLE}" in text
    # The other letters keep their own template.
    notice = generate_letter(admin, ref, LetterKind.FORMAL_NOTICE, today=AT).content
    assert "Modèle maison" not in docx_text(notice)
    assert restore_template(admin, "reminder_1.docx", 0) == 2
    text = docx_text(generate_letter(admin, ref, LetterKind.REMINDER_1, today=AT).content)
    assert "Modèle maison" not in text
    assert [v.version for v in template_versions(admin, "reminder_1.docx")] == [2, 1, 0]


@pytest.mark.parametrize("name", LETTER_TEMPLATES)
def test_an_unknown_field_is_refused_naming_the_template(admin: Actor, name: str) -> None:
    doc = Document(io.BytesIO(shipped_bytes(name)))
    doc.add_paragraph("{{ debtor.solde_secret }} {{ montant }}")
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(ValidationError) as caught:
        upload_template(admin, name, "casse.docx", out.getvalue())
    message = caught.value.errors["file"]
    assert message.startswith("Modèle « Courrier : ")
    assert "« {{ montant }} »" in message
    assert [v.version for v in template_versions(admin, name)] == [0]


def test_a_broken_template_gives_no_document_and_names_itself() -> None:
    doc = Document(io.BytesIO(shipped_bytes("mise_en_demeure.docx")))
    doc.add_paragraph("{% if amounts.total %}sans fin")
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(out.getvalue(), letter_sample(), "mise_en_demeure.docx")
    assert "« Courrier : mise en demeure » (mise_en_demeure.docx)" in caught.value.message
    assert "Aucun document n'a été produit" in caught.value.message


def test_a_letter_opens_in_libreoffice(admin: Actor) -> None:
    if soffice_path() is None:
        if os.environ.get("CASEDESK_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required (CASEDESK_REQUIRE_SOFFICE=1)")
        pytest.skip("LibreOffice (soffice) absent")
    ref = hostile_case(admin)
    letter = generate_letter(admin, ref, LetterKind.FORMAL_NOTICE, today=AT)
    pdf = to_pdf(letter.content, "mise_en_demeure")
    assert pdf is not None and pdf.startswith(b"%PDF")


def test_person_parties_have_no_representative_line(admin: Actor) -> None:
    set_sender(admin)
    view = make_case(admin, debtor=PartyInput(kind=PartyKind.PERSON, last_name="Roy"))
    text = docx_text(
        generate_letter(admin, view.reference, LetterKind.REMINDER_1, today=AT).content
    )
    assert "À l'attention de" not in text and "ROY" in text
