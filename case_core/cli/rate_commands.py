"""`casedesk rates fetch-ecb` and `casedesk rates missing`."""

from __future__ import annotations

from pathlib import Path

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.kernel.dates import format_date
from case_core.kernel.money import format_rate_bp
from case_core.statement import rates
from case_core.statement.ecb_csv import ECB_CSV_URL
from case_core.statement.ecb_import import apply_ecb_import, fetch_ecb_csv, plan_ecb_import


@click.group("rates")
def rates_group() -> None:
    """Tables de taux."""


@rates_group.command("fetch-ecb")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Lit un fichier CSV téléchargé depuis le portail de la BCE au lieu d'Internet.",
)
@click.option("--dry-run", is_flag=True, help="Affiche ce qui serait ajouté, sans rien écrire.")
@reports_case_errors
def fetch_ecb(path: Path | None, dry_run: bool) -> None:
    """Ajoute les semestres manquants du taux de refinancement de la BCE (série
    FM.B.U2.EUR.4F.KR.MRR_FR.LEV du portail de données de la BCE)."""
    ensure_database()
    actor = cli_actor()
    if path is None:
        click.echo(f"Lecture de {ECB_CSV_URL}")
        data = fetch_ecb_csv()
    else:
        data = path.read_bytes()
    plan = plan_ecb_import(actor, data)
    click.echo(f"Dernière variation du taux dans la série : {format_date(plan.last_change_on)}")
    for semester, stored_bp in plan.differing:
        click.echo(
            f"Attention : {rates.semester_label(semester.period_start)} enregistré à "
            f"{format_rate_bp(stored_bp)}, la BCE indique {format_rate_bp(semester.rate_bp)} "
            "(non remplacé : vérifiez la source)."
        )
    if not plan.to_add:
        click.echo("Aucun semestre à ajouter : la table BCE est à jour.")
        return
    for semester in plan.to_add:
        click.echo(
            f"{'À ajouter' if dry_run else 'Ajout'} : "
            f"{rates.semester_label(semester.period_start)} — "
            f"{format_rate_bp(semester.rate_bp)} ({semester.source})"
        )
    if dry_run:
        return
    added = apply_ecb_import(actor, plan)
    click.echo(f"{added} semestre(s) ajouté(s).")


@rates_group.command("missing")
def missing() -> None:
    """Liste les semestres jusqu'à aujourd'hui dont un taux manque."""
    ensure_database()
    gaps = rates.missing_rate_semesters()
    if not gaps:
        click.echo("Aucun taux manquant.")
        return
    for gap in gaps:
        click.echo(f"Taux manquant : {gap.label}")


def register(cli: click.Group) -> None:
    cli.add_command(rates_group)
