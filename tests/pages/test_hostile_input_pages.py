"""As a user: text pasted from Word (a vertical tab) and a NUL typed in the portfolio search
give a French message, never a traceback, and nothing is written."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from case_core.journal.contacts import journal
from case_core.models import Channel, ContactOutcome, Role
from tests.apptest_helpers import errors, open_case_tab, signed_in_app
from tests.conftest import actor_with_role, make_admin
from tests.factories import make_case


def test_a_note_pasted_from_word_is_refused_in_french(sqlite_url: str) -> None:
    admin = make_admin()
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin, assignee_id=collector.id).reference
    at = signed_in_app(collector)
    at.query_params["case"] = ref
    at.switch_page("pages/case.py").run()
    open_case_tab(at, "Journal")
    key = f"log_{ref}"
    at.selectbox(key=f"{key}_channel").set_value(Channel.EMAIL_OUT)
    at.selectbox(key=f"{key}_outcome").set_value(ContactOutcome.NO_ANSWER)
    at.text_area(key=f"{key}_note").input("Relancé par mail\x0bsans réponse")
    next(b for b in at.button if b.label == "Enregistrer le contact").click().run()
    assert not at.exception
    assert any("Note : caractère interdit en position 17" in e for e in errors(at)), errors(at)
    assert journal(collector, ref) == []


def test_a_nul_in_the_portfolio_search_is_no_traceback(sqlite_url: str) -> None:
    admin = make_admin()
    make_case(admin)
    at: AppTest = signed_in_app(admin, "pages/portfolio.py")
    search = next(t for t in at.text_input if "echerch" in (t.label or ""))
    search.input("DUP\x00ONT").run()
    assert not at.exception
    assert not errors(at)
