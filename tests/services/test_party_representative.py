"""The representative of a company (name and quality) is kept on the party, checked, and
printed in the dossier's parties section and in the letters (« À l'attention de … »,
« représenté par … »)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from case_core.cases.parties import PartyInput, validate_party
from case_core.dossiers.service import generate_dossier
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.letters.service import LetterKind, generate_letter
from case_core.models import PartyKind
from tests.dossiers.dossier_helpers import add_ecb_rate
from tests.factories import company_debtor, creditor_input, make_case
from tests.letter_helpers import set_sender
from tests.template_helpers import docx_text

AT = date(2026, 6, 30)


def test_the_representative_is_checked() -> None:
    base = PartyInput(kind=PartyKind.COMPANY, company_name="Martin SARL")
    valid = validate_party(
        replace(base, representative_name="  Claire Martin ", representative_role=" gérante ")
    )
    assert (valid.representative_name, valid.representative_role) == ("Claire Martin", "gérante")
    with pytest.raises(ValidationError) as caught:
        validate_party(replace(base, representative_role="gérante"), "debtor.")
    assert caught.value.errors == {
        "debtor.representative_name": "Indiquez le nom du représentant de cette qualité."
    }
    with pytest.raises(ValidationError) as caught:
        validate_party(replace(base, representative_name="x" * 201))
    assert caught.value.errors == {"representative_name": "Trop long (200 caractères au plus)."}


def test_dossier_and_letters_name_the_representatives(admin: Actor) -> None:
    add_ecb_rate(admin)
    set_sender(admin)
    view = make_case(
        admin,
        debtor=replace(
            company_debtor(), representative_name="Claire Martin", representative_role="gérante"
        ),
    )
    # The creditor came from creditor_input() (no representative): the dossier says the usual.
    dossier = docx_text(generate_dossier(admin, view.reference, with_pdf=False).docx)
    assert "Représentant | Claire Martin, gérante" in dossier
    assert "Représentant | représentant légal en exercice" in dossier
    notice = docx_text(
        generate_letter(admin, view.reference, LetterKind.FORMAL_NOTICE, today=AT).content
    )
    assert "À l'attention de Claire Martin, gérante" in notice
    assert "représenté par" not in notice
    creditor = replace(creditor_input(), representative_name="Paul Durand")
    other = make_case(admin, debtor=company_debtor("Autre SARL", siren=None), creditor=creditor)
    letter = generate_letter(admin, other.reference, LetterKind.REMINDER_1, today=AT)
    assert (
        "agit pour le compte du créancier : Fournitures Durand SAS, 3 quai Saint-Antoine, "
        "69002 Lyon, représenté par Paul Durand." in docx_text(letter.content)
    )
