"""Logs as JSON lines (CASEDESK_LOG_FORMAT=json) with no personal data: a full journey on
the demo data (intake, contact, payment, letter, a refusal) is logged, then the logs are
searched for every debtor's name, e-mail and IBAN."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import col, select

from case_core.demo.builder import generate_demo
from case_core.journal.contacts import ContactInput, log_contact
from case_core.journal.guardrails import OverrideRequired
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.logs import FORMAT_ENV, scrub, setup_logging
from case_core.letters.service import LetterKind, generate_letter
from case_core.models import (
    Case,
    Channel,
    ContactOutcome,
    ObjectionKind,
    ObjectionSource,
    Party,
    PartyKind,
)
from case_core.payments.service import PaymentInput, record_payment
from case_core.privacy.objections import record_objection
from tests.factories import make_case
from tests.letter_helpers import set_sender


@pytest.fixture
def json_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv(FORMAT_ENV, "json")
    stream = io.StringIO()
    setup_logging(stream)
    yield stream
    monkeypatch.delenv(FORMAT_ENV)
    setup_logging()


def test_a_full_journey_logs_json_without_personal_data(
    admin: Actor, json_logs: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    generate_demo(admin, 30, seed=5)
    set_sender(admin)
    with read_session() as session:
        debtor = session.exec(
            select(Party)
            .join(Case, col(Case.debtor_id) == col(Party.id))
            .where(Party.kind == PartyKind.PERSON, col(Party.iban).is_not(None))
            .order_by(col(Party.id))
        ).first()
        assert debtor is not None and debtor.id is not None
        creditor_id = session.exec(
            select(Case.creditor_id).where(Case.debtor_id == debtor.id)
        ).first()
    name = debtor.last_name or ""

    view = make_case(
        admin,
        creditor_id=creditor_id,
        debtor_id=debtor.id,
        invoices=[("F-LOG-1", "01/03/2026", "31/03/2026", "800,00")],
    )
    log_contact(
        admin,
        view.reference,
        ContactInput(
            Channel.EMAIL_OUT,
            ContactOutcome.REACHED,
            note=f"{debtor.display_name} ({debtor.email}) paiera sur {debtor.iban}",
        ),
    )
    record_objection(
        admin, debtor.id, ObjectionKind.NO_CALLS, date(2026, 11, 2), ObjectionSource.LETTER
    )
    with pytest.raises(OverrideRequired):  # a refusal is logged too, without its message
        log_contact(
            admin,
            view.reference,
            ContactInput(Channel.CALL_OUT, ContactOutcome.NO_ANSWER, note=f"Appel {name}"),
        )
    record_payment(
        admin,
        view.reference,
        PaymentInput(received_on=date(2026, 4, 20), amount_cents=200_00, reference=f"VIR {name}"),
        today=date(2026, 5, 1),
    )
    # Dated within the semesters whose rates the test database has.
    generate_letter(admin, view.reference, LetterKind.REMINDER_1, today=date(2026, 5, 1))

    lines = [line for line in json_logs.getvalue().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    actions = {r.get("action") for r in records}
    assert {"demo.generate", "case.create", "contact.log", "payment.record"} <= actions
    assert "letter.generate" in actions and "privacy.objection" in actions
    refused = [r for r in records if r["msg"] == "write refused"]
    assert refused and refused[0]["error"] == "OverrideRequired"
    assert all({"ts", "level", "logger", "msg"} <= r.keys() for r in records)

    logged = json_logs.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    with read_session() as session:
        people = session.exec(select(Party)).all()
    secrets = set()
    for party in people:
        for value in (party.display_name, party.last_name, party.email, party.iban):
            if value and len(value) > 3:
                secrets.add(value)
        if party.iban:
            secrets.add(" ".join(party.iban[i : i + 4] for i in range(0, len(party.iban), 4)))
    assert len(secrets) > 50  # the demo's people, not an empty list
    leaked = sorted(s for s in secrets if s.lower() in logged.lower())
    assert leaked == []


def test_scrub_masks_what_looks_personal() -> None:
    text = (
        "écrit à jeanne.dupont@exemple.fr, IBAN FR76 3000 6000 0112 3456 7890 189, 06 12 34 56 78"
    )
    assert scrub(text) == "écrit à [masqué], IBAN [masqué], [masqué]"
    assert scrub("case.create 2026-000123 en 12.5 ms") == "case.create 2026-000123 en 12.5 ms"
