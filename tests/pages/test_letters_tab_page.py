"""The « Courriers » tab says up front what stands in the way of a letter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from streamlit.testing.v1 import AppTest

from case_core.cases.attachments import case_documents
from case_core.journal.contacts import journal
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, paris_day, today_paris
from case_core.letters.service import SENDER_MISSING, LetterKind
from case_core.models import AcceptanceChannel, DebtorKind, Phase, RateKind, Role
from case_core.plans import service as plans
from case_core.statement.rates import add_rate
from tests.conftest import actor_with_role
from tests.factories import case_row, make_case
from tests.letter_helpers import set_sender


def _letters_tab() -> None:
    import streamlit as st

    from pages.components.letters_tab import render_letters_tab

    render_letters_tab(st.session_state["actor"], st.session_state["reference"])


def _run(actor: Actor, reference: str) -> AppTest:
    at = AppTest.from_function(_letters_tab, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["reference"] = reference
    return at.run()


def _collector(admin: Actor) -> Actor:
    add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE")
    return actor_with_role(admin, Role.COLLECTOR)


def test_placeholder_sender_is_shown_before_any_click(admin: Actor) -> None:
    collector = _collector(admin)
    ref = make_case(collector).reference
    at = _run(collector, ref)
    assert not at.exception
    assert [w.value for w in at.warning] == [SENDER_MISSING]
    assert at.button[0].disabled
    set_sender(admin)
    at = _run(collector, ref)
    assert not at.warning and not at.button[0].disabled


def test_time_barred_invoice_needs_the_checkbox(admin: Actor) -> None:
    collector = _collector(admin)
    set_sender(admin)
    # Due 07/04/2024 from a consumer: time-barred since 07/04/2026, before today.
    ref = make_case(collector, kind=DebtorKind.CONSUMER, due_date=date(2024, 4, 7)).reference
    at = _run(collector, ref)
    assert any("prescrite depuis le 07/04/2026" in w.value for w in at.warning)
    at.button[0].click().run()
    assert any("prescrite depuis le 07/04/2026" in e.value for e in at.error)
    assert case_documents(collector, ref) == []
    at.checkbox(key=f"letter_barred_{ref}").check()
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert any("Première relance générée" in s.value for s in at.success)
    assert len(case_documents(collector, ref)) == 1
    # The confirmation was for that letter: the next one asks again.
    assert not at.checkbox(key=f"letter_barred_{ref}").value
    at.selectbox(key=f"letter_kind_{ref}").set_value(LetterKind.FORMAL_NOTICE)
    at.button[0].click().run()
    assert any("prescrite depuis le 07/04/2026" in e.value for e in at.error)
    assert len(case_documents(collector, ref)) == 1


def test_running_plan_needs_the_checkbox_for_a_formal_notice(admin: Actor) -> None:
    collector = _collector(admin)
    set_sender(admin)
    ref = make_case(collector).reference
    today = today_paris()
    proposed = plans.propose_plan(
        admin, ref, plans.Proposal(today, today + timedelta(days=30), count=3)
    )
    plans.accept_plan(
        admin,
        proposed.id,
        expected_version=proposed.version,
        accepted_on=today,
        accepted_by="M. Martin",
        channel=AcceptanceChannel.LETTER,
    )
    at = _run(collector, ref)
    assert any("échéancier accepté" in w.value for w in at.warning)
    at.selectbox(key=f"letter_kind_{ref}").set_value(LetterKind.FORMAL_NOTICE)
    at.button[0].click().run()
    assert any("échéancier accepté" in e.value for e in at.error)
    assert case_row(ref).phase == Phase.AMIABLE
    at.checkbox(key=f"letter_plan_{ref}").check()
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert case_row(ref).phase == Phase.PRE_CONTENTIEUX


def test_a_letter_is_dated_today_unless_recording_one_already_sent(admin: Actor) -> None:
    collector = _collector(admin)
    set_sender(admin)
    ref = make_case(collector, stored={"created_at": datetime(2026, 11, 1, tzinfo=UTC)}).reference
    at = _run(collector, ref)
    # No date to choose: the letter is dated today.
    assert not at.date_input
    assert at.text_input[0].value == format_date(today_paris())
    at.checkbox(key=f"letter_sent_{ref}").check().run()
    assert at.date_input(key=f"letter_date_{ref}").value is None
    at.button[0].click().run()
    assert "Indiquez la date d'envoi du courrier et confirmez-la." in [e.value for e in at.error]
    assert case_documents(collector, ref) == []
    sent_on = date(2026, 11, 20)
    at.date_input(key=f"letter_date_{ref}").set_value(sent_on)
    at.checkbox(key=f"letter_date_ok_{ref}").check()
    at.button[0].click().run()
    assert not at.exception and not at.error
    (doc,) = case_documents(collector, ref)
    assert doc.filename.endswith("_20261120.docx")
    (entry,) = journal(collector, ref)
    assert paris_day(entry.occurred_at) == sent_on
    # The next letter starts again from today's date.
    assert not at.checkbox(key=f"letter_sent_{ref}").value and not at.date_input
