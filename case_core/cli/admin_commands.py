"""`casedesk db upgrade`, `user add`, `backup`, `audit verify`."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from case_core import migrations
from case_core.accounts import auth
from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.kernel import audit, config
from case_core.kernel.db import read_session
from case_core.models import Role

# PostgreSQL's SQLSTATE for a `lock_timeout` reached.
LOCK_NOT_AVAILABLE = "55P03"


@click.group()
def db() -> None:
    """Base de données."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Crée ou met à jour le schéma de la base (étape à part, avant de lancer l'application)."""
    before = migrations.current_revision()
    timeout = config.migration_lock_timeout()
    try:
        migrations.upgrade(lock_timeout=timeout)
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise click.ClickException(
            f"Mise à jour abandonnée, rien n'a été modifié : une table à modifier est "
            f"occupée par une autre connexion depuis plus de {timeout} "
            "(CASEDESK_MIGRATION_LOCK_TIMEOUT). Relancez `casedesk db upgrade` quand "
            "l'activité est calme, ou après avoir arrêté les réplicas de l'application."
        ) from None
    after = migrations.current_revision()
    if before == after:
        click.echo(f"Base à jour (révision {after}) : rien à faire.")
    else:
        click.echo(f"Base à jour : révision {before or 'vide'} → {after}.")


@click.group()
def user() -> None:
    """Comptes utilisateurs."""


@user.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="Rôle du compte.",
)
@click.option("--name", "full_name", default=None, help="Nom affiché (par défaut : l'e-mail).")
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l'entrée standard.")
@reports_case_errors
def user_add(email: str, role: str, full_name: str | None, password_stdin: bool) -> None:
    """Crée un compte (le premier compte créé ainsi doit être administrateur)."""
    ensure_database()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    name = full_name or email.split("@")[0]
    if not auth.has_admin():
        if role != Role.ADMIN:
            raise click.ClickException("Le premier compte doit être administrateur (--role admin).")
        actor = auth.create_first_admin(email, name, password)
        click.echo(f"Administrateur créé : {actor.email}")
        return
    view = auth.create_user(cli_actor(), email, name, role, password)
    click.echo(f"Compte créé : {view.email} ({view.role.label})")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@reports_case_errors
def backup(path: Path) -> None:
    """Copie cohérente de la base SQLite, même pendant que l'application tourne."""
    url = make_url(config.database_url())
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "La base est PostgreSQL : utilisez pg_dump (par exemple "
            "`pg_dump --format=custom --file=casedesk.dump NOM_DE_LA_BASE`)."
        )
    if path.exists():
        raise click.ClickException(f"{path} existe déjà : choisissez un autre chemin.")
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        # The online backup API copies a consistent snapshot while others keep writing.
        source.backup(target)
    finally:
        target.close()
        source.close()
    click.echo(f"Sauvegarde écrite : {path} ({path.stat().st_size} octets).")


@click.group("audit")
def audit_group() -> None:
    """Journal d'audit."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Vérifie la chaîne de hachage du journal d'audit."""
    with read_session() as session:
        report = audit.verify_chain(session)
    if report.ok:
        click.echo(f"Journal d'audit intègre : {report.checked} événements vérifiés.")
        return
    click.echo(
        f"Journal d'audit ALTÉRÉ : premier maillon rompu à l'événement #{report.broken_at_id} "
        f"({report.reason}) ; {report.checked} événements vérifiés avant lui.",
        err=True,
    )
    sys.exit(1)


def register(cli: click.Group) -> None:
    for command in (db, user, backup, audit_group):
        cli.add_command(command)
