"""The app shell with AppTest: first administrator, sign-in, lockout, expiry, navigation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from case_core.accounts import auth
from case_core.kernel.actor import Actor
from case_core.kernel.navigation import pages_for
from case_core.models import Role, utcnow
from tests.apptest_helpers import errors, make_user, new_app, sign_in, signed_in_app, titles
from tests.conftest import make_admin


def test_first_start_creates_the_first_administrator(sqlite_url: str) -> None:
    at = new_app().run()
    assert titles(at) == ["Bienvenue dans casedesk"]
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["Nom complet"].input("Alice Admin")
    inputs["E-mail"].input("alice@example.fr")
    pw = [ti for ti in at.text_input if "asse" in ti.label]
    for ti in pw:
        ti.input("motdepasse-admin")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.session_state["actor"].email == "alice@example.fr"
    assert auth.has_admin()
    # A second visitor gets the sign-in form, not the creation form.
    assert titles(new_app().run()) == ["casedesk"]


def test_first_admin_form_reports_bad_input_and_saves_nothing(sqlite_url: str) -> None:
    at = new_app().run()
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["Nom complet"].input("Alice")
    inputs["E-mail"].input("pas-une-adresse")
    for ti in [ti for ti in at.text_input if "asse" in ti.label]:
        ti.input("court")
    at.button[0].click()
    at.run()
    assert any("e-mail invalide" in e.lower() for e in errors(at))
    assert any("au moins" in e for e in errors(at))
    assert not auth.has_admin()


def test_sign_in_and_wrong_password(sqlite_url: str) -> None:
    make_admin()
    at = sign_in(new_app().run(), "admin@example.fr", "mauvais-mot-de-passe")
    assert errors(at) == [auth.SIGN_IN_REFUSED]
    assert "actor" not in at.session_state
    at = sign_in(new_app().run(), "admin@example.fr", "motdepasse-admin")
    assert not at.exception and not errors(at)
    assert at.session_state["actor"].role == Role.ADMIN
    assert at.sidebar.button[0].label == "Se déconnecter"


def test_lockout_after_five_failures_through_the_form(sqlite_url: str) -> None:
    make_admin()
    for _ in range(5):
        sign_in(new_app().run(), "admin@example.fr", "mauvais-mot-de-passe")
    at = sign_in(new_app().run(), "admin@example.fr", "motdepasse-admin")
    assert errors(at) == [auth.SIGN_IN_REFUSED]
    assert "actor" not in at.session_state


def test_idle_session_expires(sqlite_url: str) -> None:
    admin = make_admin()
    at = new_app()
    at.session_state["actor"] = admin
    at.session_state["last_activity"] = utcnow() - timedelta(hours=8, minutes=1)
    at.run()
    assert "actor" not in at.session_state
    assert titles(at) == ["casedesk"]
    assert any("expiré" in w.value for w in at.warning)


def test_deactivated_account_is_signed_out_at_once(sqlite_url: str) -> None:
    admin = make_admin()
    collector = make_user(admin, "c@example.fr", Role.COLLECTOR)
    at = signed_in_app(collector)
    assert "actor" in at.session_state
    auth.update_user(admin, collector.id or 0, is_active=False)
    at.run()
    assert "actor" not in at.session_state


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_pages(sqlite_url: str, role: Role) -> None:
    admin = make_admin()
    actor: Actor = admin if role == Role.ADMIN else make_user(admin, f"{role}@example.fr", role)
    titles_of_role = {p.title for p in pages_for(actor)}
    assert "Mon compte" in titles_of_role
    assert ("Utilisateurs" in titles_of_role) == (role == Role.ADMIN)


def test_collector_cannot_open_users_page(sqlite_url: str) -> None:
    admin = make_admin()
    collector = make_user(admin, "c@example.fr", Role.COLLECTOR)
    # The collector's navigation does not register the page at all: nothing to switch to.
    with pytest.raises(ValueError, match="Could not find a navigation page") as exc:
        signed_in_app(collector, page="pages/users.py")
    assert "account.py" in str(exc.value) and "users.py" not in str(exc.value).split("Known")[1]
    at = signed_in_app(admin, page="pages/users.py")
    assert titles(at) == ["Utilisateurs"]


def test_admin_creates_a_collector_from_the_users_page(sqlite_url: str) -> None:
    admin = make_admin()
    at = signed_in_app(admin, page="pages/users.py")
    form_inputs = {ti.label: ti for ti in at.text_input}
    form_inputs["E-mail"].input("claire@example.fr")
    form_inputs["Nom complet"].input("Claire Recouvrement")
    next(ti for ti in at.text_input if ti.label.startswith("Mot de passe initial")).input(
        "motdepasse-claire"
    )
    next(b for b in at.button if b.label == "Créer le compte").click()
    at.run()
    assert not at.exception
    assert any("claire@example.fr" in s.value for s in at.success)
    assert auth.authenticate("claire@example.fr", "motdepasse-claire").role == Role.COLLECTOR


def test_users_form_keeps_what_was_typed_on_error(sqlite_url: str) -> None:
    admin = make_admin()
    at = signed_in_app(admin, page="pages/users.py")
    form_inputs = {ti.label: ti for ti in at.text_input}
    form_inputs["E-mail"].input("claire@example.fr")
    form_inputs["Nom complet"].input("Claire Recouvrement")
    next(ti for ti in at.text_input if ti.label.startswith("Mot de passe initial")).input("court")
    next(b for b in at.button if b.label == "Créer le compte").click()
    at.run()
    assert any("au moins" in e for e in errors(at))
    assert {ti.label: ti.value for ti in at.text_input}["E-mail"] == "claire@example.fr"
    assert len(auth.list_users(admin)) == 1


def test_change_own_password_page(sqlite_url: str) -> None:
    admin = make_admin()
    at = signed_in_app(admin, page="pages/account.py")
    assert titles(at) == ["Mon compte"]
    inputs = {ti.label.split(" (")[0]: ti for ti in at.text_input}
    inputs["Mot de passe actuel"].input("motdepasse-admin")
    inputs["Nouveau mot de passe"].input("un-nouveau-secret")
    inputs["Confirmez le nouveau mot de passe"].input("un-nouveau-secret")
    next(b for b in at.button if b.label == "Changer le mot de passe").click()
    at.run()
    assert [s.value for s in at.success] == ["Mot de passe changé."]
    assert auth.authenticate("admin@example.fr", "un-nouveau-secret").id == admin.id
