"""Bulk invoice import (service): 10 000 rows with 37 bad ones, idempotence, updates, grouping."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from case_core.imports import writer as import_writer
from case_core.imports.invoices import (
    get_mapping,
    import_invoices,
    list_mappings,
    recognise_headers,
    rejected_rows_csv,
    save_mapping,
)
from case_core.imports.tabular import read_table
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, PermissionDenied, ValidationError
from case_core.models import AuditEvent, Case, Claim, DebtorKind, Party, PartyKind, Role
from tests.conftest import actor_with_role
from tests.import_helpers import HEADERS, good_row, invoice_rows, make_creditor

ROWS, DEBTORS = 1_000, 200  # bench/import_bench.py imports 10 000 rows of 2 000 debtors


@pytest.fixture(scope="module")
def big_file() -> tuple[bytes, dict[int, tuple[str, str]]]:
    text, expected = invoice_rows(ROWS, 37, DEBTORS)
    return text.encode("utf-8"), expected


def _csv(rows: list[list[str]], headers: list[str] = HEADERS, sep: str = ";") -> bytes:
    return ("\n".join(sep.join(r) for r in [headers, *rows]) + "\n").encode("utf-8")


def test_headers_are_recognised_without_mapping() -> None:
    mapping = recognise_headers([*HEADERS, "Description", "Prénom", "SIRET", "Adresse", "Ville"])
    assert mapping["invoice_number"] == "N° facture"
    assert mapping["due_date"] == "Date d'échéance"
    assert mapping["amount"] == "Montant TTC"
    assert mapping["debtor_name"] == "Raison sociale"
    assert mapping["debtor_kind"] == "Type de débiteur"
    assert mapping["email"] == "E-mail"
    assert mapping["phone"] == "Téléphone"
    english = recognise_headers(["Invoice Number", "DUE DATE", "amount", "Company", "E-MAIL"])
    assert english == {
        "invoice_number": "Invoice Number",
        "due_date": "DUE DATE",
        "amount": "amount",
        "debtor_name": "Company",
        "email": "E-MAIL",
    }
    # Accents, case and spacing do not matter.
    assert recognise_headers(["numero  de FACTURE", "date d’echeance"]) == {
        "invoice_number": "numero  de FACTURE",
        "due_date": "date d’echeance",
    }


def test_a_thousand_rows_with_37_bad_ones_then_again(
    admin: Actor, big_file: tuple[bytes, dict[int, tuple[str, str]]]
) -> None:
    data, expected = big_file
    creditor_id = make_creditor(admin)
    table = read_table(data, "factures.csv")
    mapping = recognise_headers(table.headers)
    seen: list[tuple[int, int]] = []
    report = import_invoices(
        admin, creditor_id, table, mapping, progress=lambda d, t: seen.append((d, t))
    )

    assert report.rejected == 37
    assert {e.row: e.column for e in report.errors} == {
        row: column for row, (column, _w) in expected.items()
    }
    assert len(report.errors) == 37
    for error in report.errors:
        assert expected[error.row][1].lower() in error.reason.lower(), error
    good = ROWS - 37
    # Debtors left with at least one valid invoice: one case each.
    kept = Counter(i % DEBTORS for i in range(ROWS) if i + 2 not in expected)
    assert report.created == good
    assert (report.updated, report.unchanged) == (0, 0)
    assert report.cases_created == len(kept) and report.debtors_created == len(kept)
    assert seen[-1] == (good, good)
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Claim)).one() == good
        assert session.exec(select(func.count()).select_from(Case)).one() == len(kept)
        total = session.exec(select(func.sum(Case.balance_cents))).one()
        claims_total = session.exec(select(func.sum(Claim.principal_cents))).one()
        assert total == claims_total
        # Invoices of one debtor (same SIREN) are in one case.
        per_case = session.exec(select(Claim.case_id, func.count()).group_by(Claim.case_id)).all()
        assert sorted(n for _c, n in per_case) == sorted(kept.values())
        one = session.exec(select(Claim).where(Claim.invoice_number == "F-00001")).one()
        assert one.principal_cents == 137_01

    again = import_invoices(admin, creditor_id, read_table(data, "factures.csv"), mapping)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, good, 37)
    assert again.cases_created == 0 and again.debtors_created == 0
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Claim)).one() == good
        assert session.exec(select(func.count()).select_from(Party)).one() == len(kept) + 1

    rejected = rejected_rows_csv(table, again.errors).decode("utf-8-sig").splitlines()
    assert rejected[0].startswith("Ligne;Colonne;Motif;N° facture")
    assert len(rejected) == 38


def test_changed_amount_is_updated_and_audited(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    rows = [good_row(i, debtors=2) for i in range(4)]
    first = import_invoices(admin, creditor_id, read_table(_csv(rows)), recognise_headers(HEADERS))
    assert (first.created, first.cases_created) == (4, 2)
    rows[2][HEADERS.index("Montant TTC")] = "999,99"
    rows[3][HEADERS.index("Date d'échéance")] = "28/12/2026"
    second = import_invoices(admin, creditor_id, read_table(_csv(rows)), recognise_headers(HEADERS))
    assert (second.created, second.updated, second.unchanged) == (0, 2, 2)
    with read_session() as session:
        claim = session.exec(select(Claim).where(Claim.invoice_number == "F-00002")).one()
        assert claim.principal_cents == 999_99
        case = session.get(Case, claim.case_id)
        assert case is not None and case.version == 2
        siblings = session.exec(select(Claim).where(Claim.case_id == case.id)).all()
        assert case.balance_cents == sum(c.principal_cents for c in siblings)
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.case_id == case.id, AuditEvent.action == "case.import")
            .order_by(AuditEvent.id)  # type: ignore[arg-type]
        ).all()
        changes = json.loads(events[-1].changes)["claims_updated"]["after"]
        assert changes["F-00002"]["principal_cents"]["after"] == 999_99


def test_same_debtor_grouped_by_email_then_name_and_postcode(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    headers = ["Invoice number", "Due date", "Amount", "Customer", "Email", "Zip", "Prénom"]
    rows = [
        ["A1", "2026-01-10", "100.00", "Martin", "paul.martin@example.fr", "69001", "Paul"],
        ["A2", "2026-02-10", "50.00", "MARTIN", "Paul.Martin@Example.fr", "69001", "Paul"],
        ["B1", "2026-01-10", "10.00", "Épicerie Zoé", "", "13001", ""],
        ["B2", "2026-03-10", "20.00", "épicerie zoé", "", "13001", ""],
        ["B3", "2026-03-10", "30.00", "Épicerie Zoé", "", "13002", ""],
    ]
    table = read_table(_csv(rows, headers, ","), "f.csv")
    report = import_invoices(
        admin, creditor_id, table, recognise_headers(headers), default_kind=DebtorKind.CONSUMER
    )
    assert report.rejected == 0, report.errors
    assert (report.created, report.debtors_created, report.cases_created) == (5, 3, 3)
    with read_session() as session:
        cases = {c.invoice_number: c.case_id for c in session.exec(select(Claim)).all()}
        paul = session.exec(select(Party).where(Party.email == "paul.martin@example.fr")).one()
        assert paul.kind == PartyKind.PERSON and paul.display_name == "MARTIN Paul"
        case = session.get(Case, cases["A1"])
        assert case is not None and case.debtor_kind == DebtorKind.CONSUMER
        assert case.balance_cents == 150_00
    assert cases["A1"] == cases["A2"]
    assert cases["B1"] == cases["B2"] != cases["B3"]


def test_saved_mapping_per_creditor(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    other_id = make_creditor(admin, siren="552100554", name="Autre SA")
    headers = ["Ref", "Echu le", "Somme", "Qui"]
    mapping = {
        "invoice_number": "Ref",
        "due_date": "Echu le",
        "amount": "Somme",
        "debtor_name": "Qui",
    }
    save_mapping(admin, creditor_id, "Export ERP", mapping)
    assert get_mapping(admin, creditor_id, "Export ERP") == mapping
    assert list_mappings(admin, other_id) == []
    save_mapping(admin, creditor_id, "Export ERP", {**mapping, "description": "Qui"})
    assert [m.name for m in list_mappings(admin, creditor_id)] == ["Export ERP"]
    with pytest.raises(ValidationError):
        save_mapping(admin, creditor_id, "  ", mapping)
    table = read_table(_csv([["Z9", "01/02/2026", "12", "SARL Zed"]], headers), "f.csv")
    with pytest.raises(ValidationError) as caught:
        import_invoices(admin, creditor_id, table, recognise_headers(headers))
    assert "N° de facture" in caught.value.message
    report = import_invoices(admin, creditor_id, table, mapping)
    assert report.created == 1
    with read_session() as session:
        assert (
            session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "import_mapping.save")
            ).one()
            == 2
        )


def test_viewer_may_not_import(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    viewer = actor_with_role(admin, Role.VIEWER)
    table = read_table(_csv([good_row(1)]))
    with pytest.raises(PermissionDenied):
        import_invoices(viewer, creditor_id, table, recognise_headers(HEADERS))
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Claim)).one() == 0


def test_a_crash_mid_import_leaves_no_half_written_row(
    admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    creditor_id = make_creditor(admin)
    rows = [good_row(i, debtors=12) for i in range(24)]
    table = read_table(_csv(rows))
    monkeypatch.setattr(import_writer, "BATCH_SIZE", 4)
    real_finish = import_writer._finish_cases
    calls = {"n": 0}

    def failing_finish(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 4:  # the fourth batch, after its debtors, cases and claims were added
            raise RuntimeError("panne simulée")
        return real_finish(*args, **kwargs)

    monkeypatch.setattr(import_writer, "_finish_cases", failing_finish)
    with pytest.raises(RuntimeError):
        import_invoices(admin, creditor_id, table, recognise_headers(HEADERS))
    with read_session() as session:
        claims = session.exec(select(Claim)).all()
        cases = session.exec(select(Case)).all()
        debtors = session.exec(select(Party).where(Party.id != creditor_id)).all()
        # Three whole batches (2 debtors, 2 cases, 4 claims each): nothing of the fourth.
        assert (len(claims), len(cases), len(debtors)) == (12, 6, 6)
        for case in cases:
            mine = [c for c in claims if c.case_id == case.id]
            assert case.balance_cents == sum(c.principal_cents for c in mine) > 0
    monkeypatch.setattr(import_writer, "_finish_cases", real_finish)
    report = import_invoices(admin, creditor_id, table, recognise_headers(HEADERS))
    assert (report.created, report.unchanged, report.cases_created) == (12, 12, 6)
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Case)).one() == 12


def test_a_concurrent_import_conflict_is_reported_clearly(
    admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    creditor_id = make_creditor(admin)
    table = read_table(_csv([good_row(i, debtors=8) for i in range(8)]))
    monkeypatch.setattr(import_writer, "BATCH_SIZE", 4)
    real = import_writer._write_batch
    calls = {"n": 0}

    def conflicting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(*args, **kwargs)
        if calls["n"] == 2:  # as the database refuses a duplicate (creditor, invoice number)
            raise IntegrityError("INSERT INTO claims", {}, Exception("unique"))

    monkeypatch.setattr(import_writer, "_write_batch", conflicting)
    with pytest.raises(CaseError) as caught:
        import_invoices(admin, creditor_id, table, recognise_headers(HEADERS))
    assert "4 lignes sur 8 sont importées" in caught.value.message
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Claim)).one() == 4


def test_debtor_named_with_accented_capitals_is_found_again_next_import(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    headers = ["N° facture", "Échéance", "Montant", "Nom", "Code postal"]
    first = read_table(_csv([["E1", "10/01/2026", "10", "Épicerie Zoé", "13001"]], headers))
    import_invoices(admin, creditor_id, first, recognise_headers(headers))
    second = read_table(_csv([["E2", "10/02/2026", "20", "ÉPICERIE ZOÉ", "13001"]], headers))
    report = import_invoices(admin, creditor_id, second, recognise_headers(headers))
    assert (report.created, report.debtors_created, report.cases_created) == (1, 0, 0)
    with read_session() as session:
        (case,) = session.exec(select(Case)).all()
        assert case.balance_cents == 30_00


def test_bulk_written_debtors_and_cases_each_have_their_creation_in_the_audit(
    admin: Actor,
) -> None:
    creditor_id = make_creditor(admin)
    table = read_table(_csv([good_row(i, debtors=3) for i in range(6)]))
    report = import_invoices(admin, creditor_id, table, recognise_headers(HEADERS))
    assert (report.created, report.cases_created, report.debtors_created) == (6, 3, 3)
    with read_session() as session:
        debtors = session.exec(select(Party).where(Party.id != creditor_id)).all()
        cases = session.exec(select(Case)).all()
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        # Personal values are kept beside the chain: read back as the History shows them.
        readable = audit.readable_changes(session, events)
        # Each debtor's event tells the columns it was created with, as a typed-in one's.
        told = {e.entity_id: readable[e.id or 0] for e in events if e.action == "party.create"}
        assert set(told) >= {str(d.id) for d in debtors}
        for debtor in debtors:
            assert told[str(debtor.id)]["display_name"]["after"] == debtor.display_name
            assert told[str(debtor.id)]["siren"]["after"] == debtor.siren
        created = {e.case_id: json.loads(e.changes) for e in events if e.action == "case.create"}
        imported = {e.case_id for e in events if e.action == "case.import"}
        for case in cases:
            assert created[case.id]["reference"]["after"] == case.reference
            assert case.id in imported
            # The stored figures of a case written in bulk are those of its invoices.
            mine = session.exec(select(Claim).where(Claim.case_id == case.id)).all()
            assert case.balance_cents == sum(c.principal_cents for c in mine)
            assert case.oldest_due_date == min(c.due_date for c in mine)
            assert all(c.invoice_number.lower() in case.search_text for c in mine)
        assert audit.verify_chain(session).ok
