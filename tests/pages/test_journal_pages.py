"""AppTest through the real app.py: Ma journée, the Journal and Courriers tabs, settings."""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from case_core.cases.attachments import case_documents
from case_core.journal.contacts import journal
from case_core.journal.guardrails import MAX_CALL_ATTEMPTS
from case_core.journal.promises import promises_for_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.navigation import pages_for
from case_core.kernel.settings import get_setting
from case_core.letters.service import LetterKind
from case_core.models import Channel, ContactOutcome, RateKind, Role
from case_core.statement.rates import add_rate
from tests.apptest_helpers import errors, open_case_tab, signed_in_app, titles
from tests.conftest import actor_with_role, make_admin
from tests.factories import make_case
from tests.letter_helpers import set_sender


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def _admin_with_rates() -> Actor:
    """The statement (other tabs) needs the second-half 2026 ECB rate, entered by hand."""
    admin = make_admin()
    add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE")
    return admin


def _case_page(actor: Actor, reference: str, tab: str = "Journal") -> AppTest:
    at = signed_in_app(actor)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    open_case_tab(at, tab)
    assert not at.exception, at.exception
    return at


def test_ma_journee_lists_the_collectors_cases_and_a_manager_picks_a_collector(
    sqlite_url: str,
) -> None:
    admin = make_admin()
    collector = actor_with_role(admin, Role.COLLECTOR)
    manager = actor_with_role(admin, Role.MANAGER)
    due = make_case(
        admin,
        debtor="Action Due SARL",
        assignee_id=collector.id,
        next_action_date=today_paris() - timedelta(days=1),
    ).reference
    fresh = make_case(admin, debtor="Nouveau Client SAS", assignee_id=collector.id).reference
    at = signed_in_app(collector, "pages/my_day.py")
    assert not at.exception
    assert titles(at) == ["Ma journée"]
    table = at.dataframe[0].value
    assert list(table["Dossier"]) == [due, fresh]
    assert list(table["Motifs"]) == ["Action prévue, Jamais contacté", "Jamais contacté"]
    # No link that would open a new tab (a new session, signed out): the row's box opens it.
    assert "Ouvrir" not in table.columns
    at.session_state["my_day_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert titles(at) == [f"Dossier {due}"]

    at = signed_in_app(manager, "pages/my_day.py")
    assert any("Rien à traiter" in s.value for s in at.success)
    at.selectbox(key="my_day_collector").set_value(collector.id).run()
    assert list(at.dataframe[0].value["Dossier"]) == [due, fresh]


def test_journal_tab_logs_a_promise_in_a_few_fields(sqlite_url: str) -> None:
    admin = _admin_with_rates()
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin, assignee_id=collector.id).reference
    at = _case_page(collector, ref)
    assert "Journal" in [t.label for t in at.tabs]
    key = f"log_{ref}"
    when = today_paris() + timedelta(days=10)
    at.selectbox(key=f"{key}_channel").set_value(Channel.CALL_IN)
    at.selectbox(key=f"{key}_outcome").set_value(ContactOutcome.PROMISE)
    at.text_area(key=f"{key}_note").input("Paiera en deux fois")
    # The promised payments: a small table, amounts typed the French way (as a click in
    # the table leaves the editor's state).
    at.session_state[f"{key}_promise"] = {
        "edited_rows": {0: {"Montant (€)": "100,00", "Date promise": when.isoformat()}},
        "added_rows": [{"Montant (€)": "50", "Date promise": when.isoformat()}],
        "deleted_rows": [],
    }
    _button(at, "Enregistrer le contact").click().run()
    assert not at.exception and not errors(at)
    assert any(s.value == "Contact enregistré." for s in at.success)
    (entry,) = journal(collector, ref)
    assert entry.outcome == ContactOutcome.PROMISE and entry.note == "Paiera en deux fois"
    (promise,) = promises_for_case(collector, ref)
    assert promise.total_cents == 150_00
    assert any("Paiera en deux fois" in t.value for t in at.text)


def test_journal_tab_guardrail_asks_for_a_reason_then_logs(sqlite_url: str) -> None:
    admin = _admin_with_rates()
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin, assignee_id=collector.id, written_only=True).reference
    at = _case_page(collector, ref)
    assert any("par écrit" in w.value for w in at.warning)
    at.selectbox(key=f"log_{ref}_channel").set_value(Channel.CALL_OUT)
    _button(at, "Enregistrer le contact").click().run()
    assert any("contacté que par écrit" in w.value for w in at.warning)
    assert journal(collector, ref) == []
    # No reason: still refused.
    _button(at, "Enregistrer quand même").click().run()
    assert any("Indiquez un motif" in e for e in errors(at))
    assert journal(collector, ref) == []
    at.text_input(key=f"override_reason_{ref}").input("Le débiteur a rappelé et demandé un appel")
    _button(at, "Enregistrer quand même").click().run()
    (entry,) = journal(collector, ref)
    assert entry.guardrail_override_reason == "Le débiteur a rappelé et demandé un appel"
    assert int(get_setting(MAX_CALL_ATTEMPTS)) == 4


def test_letters_tab_generates_a_formal_notice(sqlite_url: str) -> None:
    admin = _admin_with_rates()
    set_sender(admin)
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin, debtor="Dupont & Fils <SARL>", assignee_id=collector.id).reference
    at = _case_page(collector, ref, "Courriers")
    at.selectbox(key=f"letter_kind_{ref}").set_value(LetterKind.FORMAL_NOTICE)
    _button(at, "Générer le courrier").click().run()
    assert not at.exception and not errors(at)
    assert any("Mise en demeure générée" in s.value for s in at.success)
    (doc,) = case_documents(collector, ref)
    assert doc.filename.startswith(f"mise_en_demeure_{ref}_")
    assert journal(collector, ref)[0].document_id == doc.id


def test_settings_page_changes_the_grace_days(sqlite_url: str) -> None:
    admin = make_admin()
    at = signed_in_app(admin, "pages/settings.py")
    assert titles(at) == ["Paramètres"]
    at.number_input(key="set_promises.grace_days").set_value(5)
    next(b for b in at.button if b.form_id == "settings_promises").click().run()
    assert not at.exception
    assert get_setting("promises.grace_days") == 5
    collector = actor_with_role(admin, Role.COLLECTOR)
    assert "pages/settings.py" not in [p.path for p in pages_for(collector)]


def test_bulk_letters_page_generates_a_zip_and_lists_failures(sqlite_url: str) -> None:
    admin = _admin_with_rates()
    set_sender(admin)
    collector = actor_with_role(admin, Role.COLLECTOR)
    refs = [make_case(admin, assignee_id=collector.id).reference for _ in range(2)]
    make_case(admin, assignee_id=admin.id)  # someone else's
    at = signed_in_app(collector, "pages/bulk_letters.py")
    assert titles(at) == ["Courriers en masse"]
    # By default: the collector's own amicable cases overdue by 30 days or more, listed.
    assert any("2 dossier(s)" in m.value for m in at.markdown)
    assert sorted(at.dataframe[0].value["Référence"]) == sorted(refs)
    # A manager's « Toute l'équipe » takes everyone's cases.
    at.selectbox(key="bulk_scope").set_value("all").run()
    assert any("3 dossier(s)" in m.value for m in at.markdown)
    at.radio(key="bulk_src").set_value("Références collées").run()
    at.text_area(key="bulk_refs").input(f"{refs[0]}, {refs[1]}\n2026-999999").run()
    assert any("2026-999999" in w.value for w in at.warning)  # unknown, said before sending
    generate = next(b for b in at.button if b.label == "Générer 2 courrier(s)")
    assert generate.disabled  # nothing goes out before the confirmation
    confirm = next(c for c in at.checkbox if c.label.startswith("Je confirme"))
    confirm.check().run()
    # Another letter kind: the confirmation given for the first one does not carry over.
    at.selectbox(key="bulk_kind").set_value(LetterKind.FORMAL_NOTICE).run()
    assert not next(c for c in at.checkbox if c.label.startswith("Je confirme")).value
    at.selectbox(key="bulk_kind").set_value(LetterKind.REMINDER_1).run()
    next(c for c in at.checkbox if c.label.startswith("Je confirme")).check().run()
    next(b for b in at.button if b.label == "Générer 2 courrier(s)").click().run()
    assert not at.exception
    assert any("2 courrier(s) généré(s)" in s.value for s in at.success)
    for ref in refs:
        assert journal(collector, ref)[0].channel == Channel.LETTER


def test_journal_tab_corrects_an_entry_and_resolves_a_dispute(sqlite_url: str) -> None:
    from case_core.journal.contacts import ContactInput, contact_state, log_contact
    from case_core.models import DisputeCategory

    admin = _admin_with_rates()
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(admin, assignee_id=collector.id).reference
    first = log_contact(
        collector,
        ref,
        ContactInput(
            Channel.EMAIL_IN,
            ContactOutcome.DISPUTE,
            dispute_category=DisputeCategory.NOT_RECEIVED,
            note="Marchandise non reçue",
        ),
    )
    at = _case_page(collector, ref)
    assert any("Contestation en cours (Non reçu)" in e for e in errors(at))
    key = f"correct_{ref}"
    at.selectbox(key=f"{key}_channel").set_value(Channel.EMAIL_IN)
    at.selectbox(key=f"{key}_outcome").set_value(ContactOutcome.REFUSED)
    at.text_area(key=f"{key}_note").input("Refus de payer, pas de contestation")
    _button(at, "Enregistrer la correction").click().run()
    assert not at.exception
    fixed, original = journal(collector, ref)
    assert fixed.corrects_event_id == first.id and original.corrected
    assert any(f"Corrigée par l'entrée n° {fixed.id}" in c.value for c in at.caption)

    # Correcting the dispute entry withdrew its dispute.
    assert not contact_state(collector, ref).reminders_paused
    assert not any("Contestation en cours" in e for e in errors(at))

    log_contact(
        collector,
        ref,
        ContactInput(
            Channel.CALL_IN, ContactOutcome.DISPUTE, dispute_category=DisputeCategory.AMOUNT
        ),
    )
    at.run()
    dispute_id = next(d.id for d in contact_state(collector, ref).disputes if d.resolved_at is None)
    at.text_input(key=f"resolve_note_{dispute_id}").input("Bon de livraison signé fourni")
    _button(at, "Clore la contestation").click().run()
    assert not contact_state(collector, ref).reminders_paused
    assert not any("Contestation en cours" in e for e in errors(at))


def test_journal_tab_stamps_a_contact_at_the_typed_time_and_clears_after_saving(
    sqlite_url: str,
) -> None:
    from datetime import datetime

    from case_core.kernel.dates import PARIS
    from case_core.models import PersonReached, utcnow

    admin = _admin_with_rates()
    collector = actor_with_role(admin, Role.COLLECTOR)
    ref = make_case(
        admin, assignee_id=collector.id, stored={"created_at": utcnow() - timedelta(days=2)}
    ).reference
    at = _case_page(collector, ref)
    key = f"log_{ref}"
    # The fields show now; the interlocutor's « nobody » says what it means.
    assert at.date_input(key=f"{key}_day").value == today_paris()
    person = at.selectbox(key=f"{key}_person")
    assert person.label == "Personne jointe"
    assert "Aucun interlocuteur (personne n'a été jointe)" in person.options
    # A call that took place an hour and a half ago, logged now.
    earlier = (datetime.now(PARIS) - timedelta(minutes=90)).replace(second=0, microsecond=0)
    at.date_input(key=f"{key}_day").set_value(earlier.date())
    at.time_input(key=f"{key}_time").set_value(earlier.time())
    at.selectbox(key=f"{key}_channel").set_value(Channel.CALL_IN)
    at.text_area(key=f"{key}_note").input("A rappelé pendant la réunion")
    _button(at, "Enregistrer le contact").click().run()
    assert not at.exception and not errors(at)
    (entry,) = journal(collector, ref)
    assert entry.occurred_at.astimezone(PARIS) == earlier
    # The form starts again empty, at the current time.
    assert at.text_area(key=f"{key}_note").value == ""
    assert at.date_input(key=f"{key}_day").value == today_paris()
    # A time in the future is refused in French and nothing is logged.
    later = datetime.now(PARIS) + timedelta(hours=3)
    at.date_input(key=f"{key}_day").set_value(later.date())
    at.time_input(key=f"{key}_time").set_value(later.time().replace(second=0, microsecond=0))
    _button(at, "Enregistrer le contact").click().run()
    if later.date() == today_paris():  # the date field stops at today
        assert "La date et l'heure du contact ne peuvent pas être dans le futur." in errors(at)
    assert len(journal(collector, ref)) == 1
    assert PersonReached.NOBODY.label.startswith("Aucun interlocuteur")
