"""`casedesk dossier REF --for commissaire|avocat [--recipient ID] -o PATH`: the ZIP of the
judicial-referral dossier (DOCX, PDF when LibreOffice is there, every exhibit). Nothing is
written in the database: handing the case over is done in the app, by a manager."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.dossiers.context import DossierOptions
from case_core.dossiers.directory import get_recipient
from case_core.dossiers.service import generate_dossier
from case_core.kernel.money import format_cents
from case_core.models import RecipientKind

KINDS = {"commissaire": RecipientKind.COMMISSAIRE, "avocat": RecipientKind.AVOCAT}


@click.command("dossier")
@click.argument("reference")
@click.option(
    "--for",
    "for_kind",
    type=click.Choice(sorted(KINDS)),
    required=True,
    help="Destinataire : commissaire de justice ou avocat.",
)
@click.option("--recipient", "recipient_id", type=int, default=None, help="N° dans l'annuaire.")
@click.option(
    "--at",
    "at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date d'arrêté du décompte (AAAA-MM-JJ ; par défaut : aujourd'hui).",
)
@click.option(
    "--include-prescrites",
    "include_time_barred",
    is_flag=True,
    help="Réclamer aussi les factures prescrites (en connaissance de cause).",
)
@click.option("--no-pdf", is_flag=True, help="Ne pas produire le PDF (LibreOffice).")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Fichier ZIP à écrire.",
)
@reports_case_errors
def dossier(
    reference: str,
    for_kind: str,
    recipient_id: int | None,
    at: datetime | None,
    include_time_barred: bool,
    no_pdf: bool,
    output: Path,
) -> None:
    """Dossier de transmission contentieuse d'un dossier (ZIP : dossier et pièces)."""
    ensure_database()
    actor = cli_actor()
    kind = KINDS[for_kind]
    if recipient_id is not None:
        recipient = get_recipient(actor, recipient_id)
        if recipient.kind != kind:
            raise click.ClickException(
                f"Le destinataire n° {recipient_id} ({recipient.name}) est "
                f"« {recipient.kind.label} », pas « {kind.label} »."
            )
    options = DossierOptions(
        recipient_kind=kind,
        recipient_id=recipient_id,
        at=at.date() if at else None,
        include_time_barred=include_time_barred,
    )
    result = generate_dossier(actor, reference, options, with_pdf=not no_pdf)
    output.write_bytes(result.zip_bytes)
    data = result.data
    click.echo(f"{output} : {result.name}")
    click.echo(f"Montant réclamé : {format_cents(data.claimed_cents)}")
    click.echo(
        f"Voie recommandée : {data.recommendation.route.label} — {data.recommendation.court_text}"
    )
    click.echo(f"Pièces : {len(data.exhibits)}" + ("" if result.pdf else " (PDF non produit)"))
    for excluded in data.excluded:
        click.echo(f"Facture prescrite écartée : {excluded.invoice_number}")


def register(cli: click.Group) -> None:
    cli.add_command(dossier)
