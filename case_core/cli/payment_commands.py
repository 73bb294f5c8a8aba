"""`casedesk import payments FILE`: book the bank statement lines that name a case reference
or an invoice number; list the others for the user to book from the app."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.imports.bank import Booking, book_lines, match_lines, parse_bank_statement
from case_core.imports.tabular import check_size
from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents


@click.command("payments")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Affiche les correspondances sans rien enregistrer.")
@reports_case_errors
def import_payments_command(file: Path, dry_run: bool) -> None:
    """Importe un relevé bancaire (CSV : date, montant, libellé)."""
    ensure_database()
    actor = cli_actor()
    check_size(file.stat().st_size)
    statement = parse_bank_statement(file.read_bytes(), file.name)
    click.echo(
        f"{file.name} : {statement.description} ; {len(statement.lines)} crédits, "
        f"{statement.debits_skipped} débits ignorés."
    )
    proposals = match_lines(actor, statement.lines)
    sure = [p for p in proposals if p.sure]
    others = [p for p in proposals if not p.sure]
    bookings = [Booking(p.line, p.proposed_reference or "") for p in sure]
    if dry_run:
        for b in bookings:
            click.echo(f"  à enregistrer : ligne {b.line.line} -> {b.reference}")
        booked, refused = [], []
    else:
        report = book_lines(actor, bookings)
        booked, refused = report.booked, report.refused
    click.echo(f"Enregistrés : {len(booked)} paiement(s).")
    for booking, payment_id in booked:
        line = booking.line
        click.echo(
            f"  ligne {line.line} : {format_date(line.booked_on)} "
            f"{format_cents(line.amount_cents)} -> dossier {booking.reference} "
            f"(paiement n° {payment_id})"
        )
    if refused:
        click.echo(f"Refusés : {len(refused)} (à vérifier dans l'application).")
        for booking, reason in refused:
            click.echo(f"  ligne {booking.line.line} ({booking.reference}) : {reason}")
    if others:
        click.echo(f"Non enregistrés, à confirmer dans l'application : {len(others)}.")
        for p in others:
            hint = ", ".join(c.reference for c in p.candidates) or "aucun dossier"
            click.echo(
                f"  ligne {p.line.line} : {format_date(p.line.booked_on)} "
                f"{format_cents(p.line.amount_cents)} « {p.line.label} » — {p.kind} : {hint}"
            )
    for number, reason in statement.unreadable:
        click.echo(f"Ligne {number} illisible : {reason}", err=True)
    if refused or statement.unreadable:
        sys.exit(1)


def register(cli: click.Group) -> None:
    """Attach `payments` to the « import » group, whichever module registers first: the
    group is shared with case_core.cli.import_commands (invoices, FEC)."""
    group = cli.commands.get("import")
    if not isinstance(group, click.Group):
        try:
            from case_core.cli.import_commands import import_group
        except ImportError:  # no invoice import: the group is ours alone
            import_group = click.Group("import", help="Imports de fichiers.")
        group = import_group
        cli.add_command(group)
    group.add_command(import_payments_command)
