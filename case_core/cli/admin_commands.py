"""`casedesk db upgrade` / `grant-app`, `user add`, `backup`, `audit verify` / `anchor`."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import click
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from case_core import migrations
from case_core.accounts import auth
from case_core.cli.common import cli_actor, ensure_database, reports_case_errors
from case_core.kernel import audit, config
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.db import get_engine, read_session
from case_core.models import Role
from case_core.privacy.health import ANCHOR_ACTION, BACKUP_ACTION, record_operation

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


@db.command("grant-app")
@click.argument("role")
def db_grant_app(role: str) -> None:
    """Donne au rôle PostgreSQL de l'application juste ses droits (à relancer après chaque
    `casedesk db upgrade`, en tant que rôle propriétaire des tables)."""
    url = make_url(config.database_url())
    if url.get_backend_name() != "postgresql":
        raise click.ClickException("Cette commande ne concerne que PostgreSQL.")
    if not ROLE_NAME.fullmatch(role):
        raise click.ClickException(f"Nom de rôle refusé : « {role} » (minuscules, chiffres, _).")
    with get_engine().begin() as conn:
        for statement in app_role_grants(role):
            conn.execute(text(statement))
    click.echo(
        f"Droits donnés au rôle {role} : lecture et écriture des tables, journal d'audit en "
        "lecture et ajout seulement."
    )


ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def app_role_grants(role: str) -> list[str]:
    """What the app's role may do: everything its pages need, and on the audit journal only
    read and append (and on the values kept beside it no deletion). It owns nothing, so it
    can neither drop nor disable a trigger."""
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role}",
        # Personal values beside the chain: erased (an UPDATE) by an anonymisation, never
        # removed (verify would report the missing value as tampering).
        f"REVOKE DELETE, TRUNCATE ON audit_values FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]


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
    size = path.stat().st_size
    # After the copy: the backup holds the state before its own record, as it should.
    record_operation(cli_actor(), BACKUP_ACTION, {"fichier": path.name, "octets": size})
    click.echo(f"Sauvegarde écrite : {path} ({size} octets).")


@click.group("audit")
def audit_group() -> None:
    """Journal d'audit."""


@audit_group.command("verify")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="NOMBRE:HASH",
    help="Ancre gardée hors de la base (`casedesk audit anchor`) que le journal doit contenir.",
)
@reports_case_errors
def audit_verify(anchors: tuple[str, ...]) -> None:
    """Vérifie la chaîne signée du journal d'audit (et les ancres données)."""
    kept = tuple(audit.Anchor.parse(a) for a in anchors)
    with read_session() as session:
        report = audit.verify_chain(session, anchors=kept)
    if report.ok:
        before_key = (
            f" (dont {report.unkeyed} antérieurs à la signature par clé)" if report.unkeyed else ""
        )
        click.echo(f"Journal d'audit intègre : {report.checked} événements vérifiés{before_key}.")
        if report.values:
            click.echo(
                f"Valeurs personnelles gardées à part : {report.values} conformes à leur "
                f"empreinte ou effacées (dont {report.erased} effacées par anonymisation)."
            )
        for a in kept:
            click.echo(f"Ancre {a} : présente.")
        return
    if report.broken_at_id is not None:
        where = (
            f"premier maillon rompu à l'événement #{report.broken_at_id} ({report.reason}) ; "
            f"{report.checked} événements vérifiés avant lui"
        )
    else:
        where = f"{report.reason} ; ses {report.checked} événements sont bien chaînés"
    click.echo(f"Journal d'audit ALTÉRÉ : {where}.", err=True)
    sys.exit(1)


@audit_group.command("anchor")
@reports_case_errors
def audit_anchor() -> None:
    """Affiche la tête du journal (NOMBRE:HASH), à conserver hors de la base."""
    with read_session() as session:
        head = audit.anchor(session)
    # Recorded after the head was read: the anchor stays a prefix of the chain.
    record_operation(cli_actor(), ANCHOR_ACTION, {"ancre": str(head)})
    click.echo(str(head))
    click.echo(
        f"Ancre du {format_date(today_paris())} : {head.count} événements. Conservez cette "
        "ligne hors de la base, puis vérifiez avec `casedesk audit verify --anchor "
        f"{head}`.",
        err=True,
    )


def register(cli: click.Group) -> None:
    for command in (db, user, backup, audit_group):
        cli.add_command(command)
