"""Driving the real app.py with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from case_core.accounts import auth
from case_core.kernel.actor import Actor
from case_core.models import utcnow

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def signed_in_app(actor: Actor, page: str | None = None) -> AppTest:
    """The app with `actor` signed in (as the sign-in form leaves the session)."""
    at = new_app()
    at.session_state["actor"] = actor
    at.session_state["last_activity"] = utcnow()
    at.run()
    if page:
        # After a first run, so that the page resolves through st.navigation's list.
        at.switch_page(page)
        at.run()
    return at


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["E-mail"].input(email)
    inputs["Mot de passe"].input(password)
    at.button[0].click()
    return at.run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def make_user(admin: Actor, email: str, role: str, password: str = "motdepasse-test") -> Actor:
    view = auth.create_user(admin, email, email.split("@")[0], role, password)
    return Actor(id=view.id, email=view.email, full_name=view.full_name, role=view.role)


CASE_TAB_KEY = "case_tab"


def open_case_tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of the case page as a click does (only the open tab is rendered)."""
    at.session_state[CASE_TAB_KEY] = label
    return at.run()
