"""`casedesk export cases PATH [--phase …] [--format csv|xlsx]`."""

from __future__ import annotations

from pathlib import Path

import click

from case_core.cases.export import export_cases
from case_core.cases.portfolio import SORT_LABELS, CaseFilter
from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.kernel.money import parse_amount
from case_core.models import DebtorKind, Phase


@click.group("export")
def export_group() -> None:
    """Exports de données."""


@export_group.command("cases")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--phase",
    "phases",
    multiple=True,
    type=click.Choice([p.value for p in Phase]),
    help="Phase (répétable).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Par défaut : selon l'extension."
)
@click.option("--search", default="", help="Recherche libre (référence, débiteur, SIREN…).")
@click.option("--debtor-kind", type=click.Choice([k.value for k in DebtorKind]))
@click.option("--min-balance", help="Solde minimum en euros (ex. 1 500,00).")
@click.option("--max-balance", help="Solde maximum en euros.")
@click.option("--sort", type=click.Choice(list(SORT_LABELS)), default="reference")
@reports_case_errors
def export_cases_command(
    path: Path,
    phases: tuple[str, ...],
    fmt: str | None,
    search: str,
    debtor_kind: str | None,
    min_balance: str | None,
    max_balance: str | None,
    sort: str,
) -> None:
    """Exporte la liste des dossiers filtrée en CSV (Excel français) ou XLSX."""
    ensure_database()
    if fmt is None:
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    case_filter = CaseFilter(
        phases=tuple(Phase(p) for p in phases),
        search=search,
        debtor_kind=DebtorKind(debtor_kind) if debtor_kind else None,
        min_balance_cents=parse_amount(min_balance, "min_balance") if min_balance else None,
        max_balance_cents=parse_amount(max_balance, "max_balance") if max_balance else None,
        sort=sort,  # type: ignore[arg-type]
    )
    count = export_cases(cli_actor(), case_filter, path, fmt)  # type: ignore[arg-type]
    click.echo(f"{count} dossier(s) exporté(s) dans {path}.")


def register(cli: click.Group) -> None:
    cli.add_command(export_group)
