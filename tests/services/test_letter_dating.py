"""A letter is dated the day it is made, spelled out with the organisation's city; an earlier
date only records a letter already sent, confirmed, never before the case existed; never a
date in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from case_core.cases.attachments import case_documents
from case_core.journal.contacts import journal
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date_long, paris_day, today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.settings import set_settings
from case_core.letters.dating import check_letter_date
from case_core.letters.service import SENDER_CITY, LetterKind, generate_letter
from case_core.models import RateKind
from case_core.statement.rates import add_rate
from tests.factories import case_row, make_case
from tests.letter_helpers import set_sender
from tests.template_helpers import docx_text

TODAY = date(2026, 6, 30)
OPENED = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


def test_dates_spelled_out_the_french_way() -> None:
    assert format_date_long(date(2026, 12, 2)) == "2 décembre 2026"
    assert format_date_long(date(2026, 3, 1)) == "1er mars 2026"
    assert format_date_long(date(2027, 8, 15)) == "15 août 2027"
    assert format_date_long(None) == ""


def test_the_date_rule() -> None:
    opened = date(2026, 5, 1)
    check_letter_date(TODAY, TODAY, False, "R", opened)
    check_letter_date(date(2026, 6, 1), TODAY, True, "R", opened)
    check_letter_date(opened, TODAY, True, "R", opened)
    with pytest.raises(ValidationError, match="dans le futur"):
        check_letter_date(date(2026, 7, 1), TODAY, True, "R", opened)
    with pytest.raises(ValidationError, match="Enregistrer un courrier déjà envoyé"):
        check_letter_date(date(2026, 6, 1), TODAY, False, "R", opened)
    with pytest.raises(ValidationError, match="ouvert le 01/05/2026"):
        check_letter_date(date(2026, 4, 30), TODAY, True, "R", opened)


def test_a_letter_is_dated_today_with_the_city_spelled_out(admin: Actor) -> None:
    add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE")
    set_sender(admin)
    set_settings(admin, {SENDER_CITY: "Lyon"})
    ref = make_case(admin).reference
    today = today_paris()
    letter = generate_letter(admin, ref, LetterKind.REMINDER_1)
    assert f"Lyon, le {format_date_long(today)}" in docx_text(letter.content)
    assert letter.filename.endswith(f"_{today:%Y%m%d}.docx")


def test_past_and_future_dates_are_refused_unless_recording_a_letter_sent(admin: Actor) -> None:
    set_sender(admin)
    ref = make_case(admin, stored={"created_at": OPENED}).reference
    for at, sent, message in [
        (date(2026, 7, 1), True, "dans le futur"),
        (date(2026, 6, 1), False, "déjà envoyé"),
        (date(2026, 4, 30), True, "ouvert le 01/05/2026"),
    ]:
        with pytest.raises(ValidationError, match=message):
            generate_letter(
                admin, ref, LetterKind.FORMAL_NOTICE, at=at, already_sent=sent, today=TODAY
            )
    # Nothing was written by a refused letter.
    assert case_documents(admin, ref) == [] and journal(admin, ref) == []
    assert case_row(ref).formal_notice_date is None


def test_a_letter_already_sent_is_recorded_at_its_date(admin: Actor) -> None:
    set_sender(admin)
    ref = make_case(admin, stored={"created_at": OPENED}).reference
    sent_on = date(2026, 6, 1)
    letter = generate_letter(
        admin, ref, LetterKind.FORMAL_NOTICE, at=sent_on, already_sent=True, today=TODAY
    )
    text = docx_text(letter.content)
    assert "Paris, le 1er juin 2026" in text
    assert letter.deadline == date(2026, 6, 9)
    (entry,) = journal(admin, ref)
    # The journal shows it on the day it went out, and says it was recorded later.
    assert paris_day(entry.occurred_at) == sent_on
    assert "déjà envoyé le 01/06/2026, enregistré le 30/06/2026" in (entry.note or "")
    assert case_row(ref).formal_notice_date == sent_on
