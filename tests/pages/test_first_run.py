"""First run: after the first administrator, the organisation's identity for letters
(skippable); a collector blocked by a missing setting is told which one and who sets it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from case_core.accounts import auth
from case_core.kernel.settings import get_setting, set_settings
from case_core.letters.service import SENDER_ADDRESS, SENDER_NAME, SIGNATORY, sender_missing
from tests.apptest_helpers import new_app, titles
from tests.conftest import make_admin


def _create_first_admin() -> AppTest:
    at = new_app().run()
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["Nom complet"].input("Alice Admin")
    inputs["E-mail"].input("alice@example.fr")
    for ti in [ti for ti in at.text_input if "asse" in ti.label]:
        ti.input("motdepasse-admin")
    at.button[0].click()
    return at.run()


def test_first_run_asks_for_the_identity_letters_carry(sqlite_url: str) -> None:
    at = _create_first_admin()
    assert not at.exception
    assert titles(at) == ["Identité de l'organisation"]
    fields = {w.label: w for w in [*at.text_input, *at.text_area]}
    fields["Nom de l'organisation (expéditeur des courriers)"].input("Fournitures Dupont SAS")
    fields["Adresse postale de l'expéditeur"].input("8 rue Mercière\n69002 Lyon")
    fields["Ville indiquée avant la date (« Paris, le … »)"].input("Lyon")
    fields["Personne responsable du recouvrement (signataire)"].input("Claire Dupont")
    next(b for b in at.button if b.label == "Enregistrer").click()
    at.run()
    assert not at.exception
    assert titles(at) == ["Dossiers"]
    assert get_setting(SENDER_NAME) == "Fournitures Dupont SAS"
    assert get_setting(SENDER_ADDRESS) == "8 rue Mercière\n69002 Lyon"
    assert get_setting(SIGNATORY) == "Claire Dupont"
    assert sender_missing() is None


def test_first_run_identity_can_be_skipped(sqlite_url: str) -> None:
    at = _create_first_admin()
    next(b for b in at.button if b.label == "Plus tard").click()
    at.run()
    assert titles(at) == ["Dossiers"] and not at.exception
    assert auth.has_admin()
    assert "« Courriers : personne chargée du recouvrement »" in (sender_missing() or "")


def test_missing_sender_names_the_setting_and_who_sets_it(sqlite_url: str) -> None:
    admin = make_admin()
    both = sender_missing() or ""
    assert "Un administrateur les renseigne dans Paramètres → Courriers" in both
    set_settings(admin, {SENDER_NAME: "Fournitures Dupont SAS"})
    one = sender_missing() or ""
    assert "le paramètre « Courriers : adresse de l'expéditeur » n'est pas renseigné" in one
    assert "personne chargée" not in one
    assert "Un administrateur le renseigne" in one
