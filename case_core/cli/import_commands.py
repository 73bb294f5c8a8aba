"""`casedesk import invoices FILE --creditor SIREN [--mapping NAME]` and
`casedesk import fec FILE --creditor SIREN [--term-days 30]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.imports.fec import DEFAULT_TERM_DAYS, analyse_fec, import_fec
from case_core.imports.invoices import (
    get_mapping,
    import_invoices,
    locate_header,
    recognise_headers,
)
from case_core.imports.tabular import check_size, read_table
from case_core.imports.writer import ImportReport, find_creditor_by_siren
from case_core.kernel.db import read_session
from case_core.models import DebtorKind

KINDS = {"professionnel": DebtorKind.PROFESSIONAL, "particulier": DebtorKind.CONSUMER}


def _read(path: Path) -> bytes:
    check_size(path.stat().st_size)  # before reading a huge file into memory
    return path.read_bytes()


def _print_report(report: ImportReport) -> None:
    click.echo(
        f"Créées : {report.created}  Mises à jour : {report.updated}  "
        f"Inchangées : {report.unchanged}  Rejetées : {report.rejected}"
    )
    click.echo(
        f"Dossiers créés : {report.cases_created}  Débiteurs créés : {report.debtors_created}"
    )
    if report.errors:
        click.echo("Lignes rejetées :", err=True)
        for error in report.errors:
            click.echo(
                f"  ligne {error.row}, colonne « {error.column} » : {error.reason}", err=True
            )
        sys.exit(1)


@click.group("import")
def import_group() -> None:
    """Import de factures (CSV/XLSX) ou d'un FEC."""


@import_group.command("invoices")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--creditor", "siren", required=True, help="SIREN du créancier (déjà enregistré).")
@click.option(
    "--mapping", "mapping_name", default=None, help="Correspondance de colonnes enregistrée."
)
@click.option(
    "--debtor-kind",
    type=click.Choice(list(KINDS)),
    default=None,
    help="Type des débiteurs sans colonne « Type de débiteur » (par défaut : selon le SIREN).",
)
@reports_case_errors
def import_invoices_command(
    file: Path, siren: str, mapping_name: str | None, debtor_kind: str | None
) -> None:
    """Importe les factures d'un fichier CSV ou XLSX."""
    ensure_database()
    actor = cli_actor()
    with read_session() as session:
        creditor = find_creditor_by_siren(session, siren)
    table = locate_header(read_table(_read(file), file.name))
    click.echo(f"{file.name} : {table.description} ; créancier {creditor.display_name}.")
    if mapping_name:
        mapping = get_mapping(actor, creditor.id, mapping_name)
    else:
        mapping = recognise_headers(table.headers)
    with click.progressbar(length=max(len(table.rows), 1), label="Import") as bar:
        report = import_invoices(
            actor,
            creditor.id,
            table,
            mapping,
            default_kind=KINDS[debtor_kind] if debtor_kind else None,
            progress=lambda done, total: bar.update(done - bar.pos),
            source=f"import CSV/XLSX {file.name}",
        )
    _print_report(report)


@import_group.command("fec")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--creditor", "siren", required=True, help="SIREN du créancier (déjà enregistré).")
@click.option(
    "--term-days",
    type=click.IntRange(0, 365),
    default=DEFAULT_TERM_DAYS,
    show_default=True,
    help="Délai de paiement ajouté à la date de pièce (un FEC n'a pas d'échéance).",
)
@click.option(
    "--debtor-kind", type=click.Choice(list(KINDS)), default="professionnel", show_default=True
)
@reports_case_errors
def import_fec_command(file: Path, siren: str, term_days: int, debtor_kind: str) -> None:
    """Importe les créances clients ouvertes d'un FEC (comptes 411)."""
    ensure_database()
    actor = cli_actor()
    with read_session() as session:
        creditor = find_creditor_by_siren(session, siren)
    analysis = analyse_fec(_read(file), file.name)
    click.echo(
        f"{file.name} : {analysis.lines_read} écritures, {analysis.receivable_lines} sur "
        f"comptes 411, {len(analysis.items)} pièces ouvertes chez "
        f"{len(analysis.customers)} clients ; créancier {creditor.display_name}."
    )
    click.echo(f"Échéance = date de pièce + {term_days} jours (un FEC ne porte pas d'échéance).")
    with click.progressbar(length=max(len(analysis.items), 1), label="Import") as bar:
        report = import_fec(
            actor,
            creditor.id,
            analysis,
            term_days=term_days,
            debtor_kind=KINDS[debtor_kind],
            progress=lambda done, total: bar.update(done - bar.pos),
        )
    _print_report(report)


def register(cli: click.Group) -> None:
    cli.add_command(import_group)
