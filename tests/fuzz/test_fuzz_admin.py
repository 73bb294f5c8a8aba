"""Fuzz: settings and the letters they fill, users, attachments, spreadsheet imports and
mediation write-ups. Same rule as test_fuzz_cases: stored and read back exactly, or refused
with a CaseError and nothing changed. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from contextlib import suppress
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from case_core.accounts import auth
from case_core.cases.attachments import case_documents, upload_document
from case_core.documents.store import get_document_content
from case_core.imports.invoices import import_invoices, recognise_headers
from case_core.imports.tabular import read_table
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError
from case_core.kernel.settings import get_setting, set_settings
from case_core.letters.service import SENDER_ADDRESS, SENDER_NAME, LetterKind, generate_letter
from case_core.mediation.service import SessionReport, write_up_session
from case_core.models import MediationOutcome, MediationSession, Party, Role, User
from case_core.plans.settings import GRACE_DAYS_KEY
from tests.conftest import actor_with_role
from tests.factories import make_case
from tests.fuzz.strategies import field_text, files, fuzz, kept, stored_or_refused, user_text
from tests.import_helpers import HEADERS, good_row, make_creditor
from tests.mediation.helpers import held_session, open_for
from tests.snapshot_helpers import changed_tables, snapshot


def test_fuzz_settings_and_letters(admin: Actor) -> None:
    reference = make_case(admin).reference

    @fuzz
    @given(
        name=field_text,
        address=field_text,
        grace=st.one_of(st.integers(-5, 60), st.sampled_from([1_000_000, 2**63, 12.5, True])),
    )
    def run(name: str, address: str, grace: Any) -> None:
        values = {SENDER_NAME: name, SENDER_ADDRESS: address, GRACE_DAYS_KEY: grace}
        accepted = stored_or_refused(
            lambda: set_settings(admin, values),
            lambda _none: [get_setting(k) for k in values],
            [name, address, grace],
            {"app_settings"},
        )
        if not accepted:
            return
        # What the settings accept, a letter prints (or refuses in French).
        before = snapshot()
        try:
            letter = generate_letter(admin, reference, LetterKind.REMINDER_1)
        except CaseError:
            assert changed_tables(before, snapshot()) == set()
            return
        assert letter.content.startswith(b"PK")

    run()


def test_fuzz_users(admin: Actor) -> None:
    @fuzz
    @given(
        local=st.one_of(st.just("agent"), user_text),
        name=field_text,
        password=st.one_of(st.just("un-mot-de-passe-solide-42"), user_text),
    )
    def run(local: str, name: str, password: str) -> None:
        email = f"{local}@example.fr"

        def read(view: Any) -> tuple[Any, ...]:
            with read_session() as session:
                user = session.get(User, view.id)
            assert user is not None
            # Whoever can be created can sign in.
            assert auth.authenticate(user.email, password).id == view.id
            return user.full_name, user.role

        stored_or_refused(
            lambda: auth.create_user(admin, email, name, Role.COLLECTOR, password),
            read,
            (kept(name), Role.COLLECTOR),
            {"users"},
        )

    run()


def test_fuzz_attachments(admin: Actor) -> None:
    reference = make_case(admin).reference

    @fuzz
    @given(upload=files)
    def run(upload: tuple[str, bytes]) -> None:
        name, content = upload

        def read(info: Any) -> tuple[Any, ...]:
            stored = get_document_content(admin, info.id)
            assert info.id in [d.id for d in case_documents(admin, reference)]
            return stored.content, "\u202e" in info.filename

        stored_or_refused(
            lambda: upload_document(admin, reference, name, content),
            read,
            (content, False),
            {"documents", "document_blobs", "cases"},
        )

    run()


def test_fuzz_spreadsheet_imports(admin: Actor) -> None:
    creditor = make_creditor(admin)
    rows = iter(range(100, 10_000))  # each example its own debtor and invoice

    @fuzz
    @given(company=field_text, city=field_text, raw=files)
    def run(company: str, city: str, raw: tuple[str, bytes]) -> None:
        # Random bytes under any name: read as a table or refused in French.
        with suppress(CaseError):
            read_table(raw[1], raw[0])
        row = good_row(next(rows))
        row[HEADERS.index("Raison sociale")] = company
        row[HEADERS.index("Ville")] = city
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows([HEADERS, row])
        data = out.getvalue().encode("utf-8", "surrogatepass")
        before = snapshot()
        try:
            table = read_table(data, "factures.csv")
            report = import_invoices(admin, creditor, table, recognise_headers(table.headers))
        except CaseError:
            assert changed_tables(before, snapshot()) == set()
            return
        if report.rejected:
            assert changed_tables(before, snapshot()) == set()
            assert all(e.reason for e in report.errors)
            return
        with read_session() as session:
            party = session.exec(
                select(Party).where(Party.siren == row[HEADERS.index("SIREN")])
            ).one()
        assert (party.company_name, party.city) == (kept(company), kept(city))

    run()


def test_fuzz_mediation_write_up(admin: Actor) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin).reference
    session_id = held_session(mediator, open_for(mediator, reference))

    @fuzz
    @given(notes=field_text, position=field_text, next_step=field_text)
    def run(notes: str, position: str, next_step: str) -> None:
        report = SessionReport(
            MediationOutcome.ADJOURNED,
            creditor_position=position,
            notes=notes,
            next_step=next_step,
        )

        def read(_saved: Any) -> tuple[Any, ...]:
            with read_session() as session:
                row = session.get(MediationSession, session_id)
            assert row is not None
            return row.confidential_notes, row.creditor_position, row.next_step

        stored_or_refused(
            lambda: write_up_session(mediator, session_id, report),
            read,
            (kept(notes), kept(position), kept(next_step)),
            {
                "mediations",
                "mediation_sessions",
                "mediation_participants",
                "mediation_proposals",
                "cases",
            },
        )

    run()
