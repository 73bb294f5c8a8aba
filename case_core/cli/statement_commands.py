"""`casedesk statement REF --at YYYY-MM-DD [--json]`: the statement of account of a case."""

from __future__ import annotations

import json
from datetime import date, datetime

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.statement.account import statement_for_case
from case_core.statement.exports import statement_rows, statement_to_json


@click.command("statement")
@click.argument("reference")
@click.option(
    "--at",
    "at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date d'arrêté du décompte (AAAA-MM-JJ ; par défaut : aujourd'hui).",
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (centimes, dates ISO).")
@reports_case_errors
def statement(reference: str, at: datetime | None, as_json: bool) -> None:
    """Décompte d'un dossier : principal, intérêts, indemnités, paiements, solde."""
    ensure_database()
    day: date | None = at.date() if at else None
    result = statement_for_case(cli_actor(), reference, day)
    if as_json:
        click.echo(json.dumps(statement_to_json(result), ensure_ascii=False, indent=2))
        return
    for row in statement_rows(result):
        click.echo("  ".join(cell for cell in row if cell))


def register(cli: click.Group) -> None:
    cli.add_command(statement)
