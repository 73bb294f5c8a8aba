"""`casedesk creditor add SIREN --name … --address … --postcode … --city …`: a creditor
on a fresh database, so that the command-line imports work without the UI."""

from __future__ import annotations

import click

from case_core.cases.parties import PartyInput, add_party
from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.imports.writer import find_creditor_by_siren
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.models import PartyKind


@click.group()
def creditor() -> None:
    """Créanciers."""


@creditor.command("add")
@click.argument("siren")
@click.option("--name", required=True, help="Raison sociale.")
@click.option("--address", required=True, help="Numéro et voie (ex. « 12 rue de la Paix »).")
@click.option("--postcode", required=True, help="Code postal.")
@click.option("--city", required=True, help="Ville.")
@click.option("--email", default=None, help="E-mail de contact.")
@click.option("--iban", default=None, help="IBAN sur lequel le débiteur paie.")
@reports_case_errors
def creditor_add(
    siren: str,
    name: str,
    address: str,
    postcode: str,
    city: str,
    email: str | None,
    iban: str | None,
) -> None:
    """Enregistre un créancier (société) par son SIREN."""
    ensure_database()
    with read_session() as session:
        try:
            existing = find_creditor_by_siren(session, siren)
        except NotFound:
            existing = None
    if existing is not None:
        raise click.ClickException(
            f"Le créancier de SIREN {siren} existe déjà : {existing.display_name}."
        )
    summary = add_party(
        cli_actor(),
        PartyInput(
            kind=PartyKind.COMPANY,
            company_name=name,
            siren=siren,
            address_line1=address,
            postcode=postcode,
            city=city,
            email=email,
            iban=iban,
        ),
    )
    click.echo(f"Créancier enregistré : {summary.display_name} (SIREN {siren}).")


def register(cli: click.Group) -> None:
    cli.add_command(creditor)
