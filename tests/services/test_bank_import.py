"""Bank statement import: parsing French exports, matching, booking, and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from case_core.cli import cli, payment_commands
from case_core.imports.bank import (
    Booking,
    MatchKind,
    book_lines,
    match_lines,
    parse_bank_statement,
)
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.payments import service as payments
from case_core.plans import service as plans
from tests.factories import NO_INTEREST, make_case

STATEMENT = """Date opération;Date valeur;Libellé;Débit;Crédit
02/03/2026;03/03/2026;VIR SEPA DUPONT JEANNE REF {ref};;150,00
03/03/2026;03/03/2026;PRLV URSSAF;1 234,56;
04/03/2026;04/03/2026;VIR M MARTIN FACTURE F-2025-077;;1 000,00
05/03/2026;05/03/2026;VIR INCONNU;;100,00
06/03/2026;06/03/2026;VIR SANS NOM;;7,77
pas une date;06/03/2026;VIR ?;;1,00
"""


def _statement(ref: str) -> bytes:
    return STATEMENT.format(ref=ref).encode("cp1252")


def test_parse_french_statement_with_debit_and_credit_columns() -> None:
    parsed = parse_bank_statement(_statement("2026-000001"), "releve.csv")
    assert [(ln.booked_on, ln.amount_cents) for ln in parsed.lines] == [
        (date(2026, 3, 2), 15_000),
        (date(2026, 3, 4), 100_000),
        (date(2026, 3, 5), 10_000),
        (date(2026, 3, 6), 777),
    ]
    assert parsed.debits_skipped == 1
    assert [n for n, _ in parsed.unreadable] == [7]
    assert parsed.lines[0].label == "VIR SEPA DUPONT JEANNE REF 2026-000001"


def test_signed_amount_column_and_missing_columns() -> None:
    data = "Date;Libellé;Montant\n2026-03-02;VIR X;+12,50\n2026-03-03;CB;-3,00\n".encode()
    parsed = parse_bank_statement(data, "r.csv")
    assert [ln.amount_cents for ln in parsed.lines] == [1_250]
    assert parsed.debits_skipped == 1
    with pytest.raises(ValidationError, match="libellé"):
        parse_bank_statement(b"Date;Montant\n02/03/2026;12,00\n", "r.csv")


def test_match_by_reference_invoice_then_amount_suggestions(admin: Actor) -> None:
    by_ref = make_case(
        admin, **NO_INTEREST, principal_cents=60_000, debtor="DUPONT Jeanne"
    ).reference
    by_invoice = make_case(
        admin, **NO_INTEREST, principal_cents=200_000, invoice_number="F-2025-077"
    ).reference
    by_amount = make_case(
        admin, **NO_INTEREST, principal_cents=30_000, invoice_number="F-2025-099"
    ).reference
    plan = plans.propose_plan(
        admin, by_amount, plans.Proposal(date(2026, 2, 1), date(2026, 3, 2), count=3)
    )
    plans.accept_plan(
        admin,
        plan.id,
        expected_version=plan.version,
        accepted_on=date(2026, 2, 1),
        accepted_by="M. Martin",
        channel="phone",
    )
    parsed = parse_bank_statement(_statement(by_ref), "releve.csv")
    proposals = match_lines(admin, parsed.lines)
    kinds = [(p.kind, p.proposed_reference, p.sure) for p in proposals]
    assert kinds == [
        (MatchKind.REFERENCE, by_ref, True),
        (MatchKind.INVOICE, by_invoice, True),
        (MatchKind.INSTALMENT, by_amount, False),
        (MatchKind.NONE, None, False),
    ]
    assert proposals[0].candidates[0].debtor_name == "DUPONT Jeanne"


def test_booking_reports_duplicates_instead_of_doubling(admin: Actor) -> None:
    ref = make_case(admin, **NO_INTEREST, principal_cents=60_000).reference
    parsed = parse_bank_statement(_statement(ref), "releve.csv")
    line = parsed.lines[0]
    today = date(2026, 11, 24)
    first = book_lines(admin, [Booking(line, ref)], today=today)
    assert len(first.booked) == 1 and first.refused == []
    again = book_lines(admin, [Booking(line, ref), Booking(line, "2026-999999")], today=today)
    assert again.booked == []
    assert "identique" in again.refused[0][1]
    assert "introuvable" in again.refused[1][1]
    (booked,) = payments.list_payments(admin, ref)
    assert booked.amount_cents == 15_000 and booked.received_on == date(2026, 3, 2)


def test_cli_books_sure_matches_and_reports_the_rest(admin: Actor, tmp_path: Path) -> None:
    by_ref = make_case(admin, **NO_INTEREST, principal_cents=60_000).reference
    by_invoice = make_case(
        admin, **NO_INTEREST, principal_cents=200_000, invoice_number="F-2025-077"
    ).reference
    path = tmp_path / "releve.csv"
    path.write_bytes(_statement(by_ref))
    runner = CliRunner()
    dry = runner.invoke(cli, ["import", "payments", str(path), "--dry-run"])
    assert "Enregistrés : 0" in dry.output and payments.list_payments(admin, by_ref) == []
    result = runner.invoke(cli, ["import", "payments", str(path)])
    assert result.exit_code == 1, result.output  # one unreadable line
    assert "Enregistrés : 2 paiement(s)." in result.output
    assert f"-> dossier {by_invoice}" in result.output
    assert "à confirmer dans l'application : 2" in result.output
    assert "Ligne 7 illisible" in result.output
    assert [p.amount_cents for p in payments.list_payments(admin, by_ref)] == [15_000]
    assert [p.amount_cents for p in payments.list_payments(admin, by_invoice)] == [100_000]
    rerun = runner.invoke(cli, ["import", "payments", str(path)])
    assert "Refusés : 2" in rerun.output
    assert len(payments.list_payments(admin, by_ref)) == 1


@pytest.mark.parametrize("ours_first", [True, False])
def test_import_group_holds_every_import_whatever_the_order(ours_first: bool) -> None:
    from case_core.cli import import_commands

    group = click.Group("casedesk")
    modules = [payment_commands, import_commands]
    for module in modules if ours_first else reversed(modules):
        module.register(group)
    commands = group.commands["import"].commands  # type: ignore[attr-defined]
    assert {"payments", "invoices", "fec"} <= set(commands)
