"""First start in a real browser: first administrator, a collector, role-based navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveApp
from tests.browser.helpers import click, expect_text, fill, open_app, sign_in, sign_out, wait_idle

pytestmark = pytest.mark.browser


def test_first_admin_then_collector_cannot_reach_admin_pages(
    live_app: LiveApp, browser_page: Page
) -> None:
    page = browser_page
    open_app(page, live_app.url)
    expect_text(page, "Bienvenue dans casedesk")

    fill(page, "Nom complet", "Alice Admin")
    fill(page, "E-mail", "alice@example.fr")
    fill(page, "Mot de passe (10 caractères au moins)", "motdepasse-admin")
    fill(page, "Confirmez le mot de passe", "motdepasse-admin")
    click(page, "Créer l'administrateur")
    # First run: the organisation's identity the letters carry (skippable).
    expect_text(page, "Identité de l'organisation")
    fill(page, "Nom de l'organisation (expéditeur des courriers)", "Recouvrement & Co SAS")
    fill(page, "Adresse postale de l'expéditeur", "3 quai Saint-Antoine\n69002 Lyon")
    fill(page, "Personne responsable du recouvrement (signataire)", "Alice Admin")
    click(page, "Enregistrer")
    expect_text(page, "Alice Admin")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Utilisateurs")).to_be_visible()

    sidebar.get_by_role("link", name="Utilisateurs").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Utilisateurs")).to_be_visible()
    # With only the administrator, the creation form is already open.
    fill(page, "E-mail", "claire@example.fr")
    fill(page, "Nom complet", "Claire Recouvrement")
    fill(page, "Mot de passe initial (10 caractères au moins)", "motdepasse-claire")
    click(page, "Créer le compte")
    expect_text(page, "Compte créé : claire@example.fr")

    sign_out(page)
    sign_in(page, "claire@example.fr", "motdepasse-claire")
    expect_text(page, "Claire Recouvrement")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Utilisateurs")).to_have_count(0)
    sidebar.get_by_role("link", name="Mon compte").or_(
        page.get_by_role("heading", name="Mon compte")
    ).first.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()

    # Typing the admin page's address does not open it for a collector (still signed in:
    # the session cookie); the page says so.
    page.goto(f"{live_app.url}/utilisateurs")
    wait_idle(page)
    expect_text(page, "Votre rôle ne permet pas d'ouvrir la page « Utilisateurs »")
    expect(page.get_by_role("button", name="Créer le compte")).to_have_count(0)
