"""`casedesk demo --cases N [--seed S]`."""

from __future__ import annotations

import click

from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.demo.builder import DEMO_PASSWORD, DEMO_USERS, generate_demo


@click.command()
@click.option("--cases", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True, help="Graine (reproductible).")
@reports_case_errors
def demo(cases: int, seed: int) -> None:
    """Remplit la base avec des données de démonstration réalistes."""
    ensure_database()
    with click.progressbar(length=cases, label="Dossiers de démonstration") as bar:
        last = [0]

        def progress(done: int, total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        summary = generate_demo(cli_actor(), cases, seed=seed, progress=progress)
    click.echo(
        f"{summary.cases} dossiers, {summary.debtors} débiteurs, {summary.creditors} créanciers, "
        f"{summary.claims} factures, {summary.payments} paiements."
    )
    h = summary.history
    click.echo(
        f"Historique : {h.contacts} contacts, {h.promises} promesses, {h.disputes} "
        f"contestations, {h.documents} courriers, {h.plans} échéanciers, {h.payments} "
        "paiements et annulations."
    )
    click.echo(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») :")
    for email, name, role in DEMO_USERS:
        click.echo(f"  {email}  {name}  ({role.label})")


def register(cli: click.Group) -> None:
    cli.add_command(demo)
