"""`casedesk privacy export`, `privacy purge`: the rights of the people in the files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from cryptography.fernet import Fernet

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.settings import get_setting
from case_core.privacy.export import export_party
from case_core.privacy.retention import (
    KEYS,
    DataClass,
    count_candidates,
    purge_batch,
    purge_candidates,
)
from case_core.privacy.sealing import encrypt_bank_details, plain_bank_details


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
@click.option("--dry-run", is_flag=True, help="Liste ce qui serait anonymisé sans rien modifier.")
@click.option("--batch-size", default=200, show_default=True, help="Éléments par transaction.")
@click.option(
    "--class",
    "classes",
    type=click.Choice([c.value for c in DataClass]),
    multiple=True,
    help="Classe de données à traiter (par défaut : toutes).",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).",
)
@reports_case_errors
def privacy_purge(
    dry_run: bool, batch_size: int, classes: tuple[str, ...], as_of: datetime | None
) -> None:
    """Anonymise, classe par classe, ce qui a dépassé sa durée de conservation."""
    ensure_database()
    actor = cli_actor()
    day: date = as_of.date() if as_of else today_paris()
    chosen = [DataClass(c) for c in classes] or list(DataClass)
    # The closed-cases class first: what it anonymises leaves nothing to the others.
    for data_class in chosen:
        years = get_setting(KEYS[data_class])
        total = count_candidates(actor, day, data_class)
        unit = "compte(s)" if data_class == DataClass.ACCOUNTS else "dossier(s)"
        click.echo(
            f"{data_class.label} (conservation {years} an(s)) : {total} {unit} à anonymiser "
            f"au {format_date(day)}."
        )
        if total == 0:
            continue
        if dry_run:
            for batch in purge_candidates(actor, day, batch_size, data_class):
                for line in batch:
                    click.echo(f"  {line.label}  depuis le {format_date(line.since.date())}")
            continue
        done = 0
        with click.progressbar(length=total, label=data_class.label) as bar:
            # Ids are read first, then each batch is its own write: a long purge does not
            # hold the database for its whole length.
            batches = [
                [line.id for line in b]
                for b in purge_candidates(actor, day, batch_size, data_class)
            ]
            for ids in batches:
                done += purge_batch(actor, ids, day, data_class)
                bar.update(len(ids))
        click.echo(f"{data_class.label} : {done} {unit} anonymisé(s).")
    if dry_run:
        click.echo("Simulation : rien n'a été modifié.")


@privacy_group.command("new-data-key")
def privacy_new_data_key() -> None:
    """Affiche une nouvelle clé de chiffrement des coordonnées bancaires (CASEDESK_DATA_KEY)."""
    click.echo(Fernet.generate_key().decode())
    click.echo(
        "Conservez-la hors de la base (coffre, variable d'environnement de chaque instance) : "
        "sans elle, les coordonnées chiffrées sont illisibles.",
        err=True,
    )


@privacy_group.command("encrypt-bank-details")
@click.option("--batch-size", default=200, show_default=True, help="Personnes par transaction.")
@reports_case_errors
def privacy_encrypt_bank_details(batch_size: int) -> None:
    """Chiffre les IBAN et BIC enregistrés en clair avec la clé CASEDESK_DATA_KEY."""
    ensure_database()
    actor = cli_actor()
    total = plain_bank_details(actor)
    click.echo(f"{total} personne(s) avec des coordonnées bancaires en clair.")
    if total == 0:
        return
    with click.progressbar(length=total, label="Chiffrement") as bar:
        done = encrypt_bank_details(actor, batch_size, bar.update)
    click.echo(f"{done} personne(s) chiffrée(s).")


def register(cli: click.Group) -> None:
    cli.add_command(privacy_group)
