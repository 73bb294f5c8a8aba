"""`casedesk privacy export`, `privacy purge`: the rights of the people in the files."""

from __future__ import annotations

from pathlib import Path

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.privacy.export import export_party


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


def register(cli: click.Group) -> None:
    cli.add_command(privacy_group)
