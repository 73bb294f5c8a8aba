"""`casedesk privacy export`, `privacy purge`: the rights of the people in the files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.settings import get_setting
from case_core.privacy.export import export_party
from case_core.privacy.retention import (
    RETENTION_KEY,
    count_candidates,
    purge_batch,
    purge_candidates,
)


@click.group("privacy")
def privacy_group() -> None:
    """Données personnelles (RGPD) : export d'accès, purge des dossiers clos."""


@privacy_group.command("export")
@click.argument("party_id", type=int)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Fichier ZIP à écrire.",
)
@reports_case_errors
def privacy_export(party_id: int, output: Path) -> None:
    """Exporte tout ce qui est détenu sur une personne (ZIP : JSON + synthèse DOCX)."""
    ensure_database()
    export = export_party(cli_actor(), party_id)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(export.content)
    total = sum(export.counts.values())
    click.echo(f"Export écrit : {output} ({total} éléments, {len(export.content)} octets).")


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Liste les dossiers concernés sans rien modifier.")
@click.option("--batch-size", default=200, show_default=True, help="Dossiers par transaction.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).",
)
@reports_case_errors
def privacy_purge(dry_run: bool, batch_size: int, as_of: datetime | None) -> None:
    """Anonymise les dossiers clos au-delà de la durée de conservation."""
    ensure_database()
    actor = cli_actor()
    day: date = as_of.date() if as_of else today_paris()
    years = get_setting(RETENTION_KEY)
    total = count_candidates(actor, day)
    click.echo(
        f"Conservation des dossiers clos : {years} an(s) ; {total} dossier(s) à anonymiser "
        f"au {format_date(day)}."
    )
    if total == 0:
        return
    if dry_run:
        for batch in purge_candidates(actor, day, batch_size):
            for line in batch:
                click.echo(f"  {line.reference}  clos le {format_date(line.closed_at.date())}")
        click.echo("Simulation : rien n'a été modifié.")
        return
    done = 0
    with click.progressbar(length=total, label="Anonymisation") as bar:
        # Ids are read first, then each batch is its own write: a long purge does not hold
        # the database for its whole length.
        batches = [[line.case_id for line in b] for b in purge_candidates(actor, day, batch_size)]
        for ids in batches:
            done += purge_batch(actor, ids, day)
            bar.update(len(ids))
    click.echo(f"{done} dossier(s) anonymisé(s).")


def register(cli: click.Group) -> None:
    cli.add_command(privacy_group)
