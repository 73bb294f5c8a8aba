"""`casedesk restore`: put back a SQLite backup made by `casedesk backup`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from case_core import migrations
from case_core.cli.common import reports_case_errors
from case_core.kernel import config
from case_core.kernel.db import dispose_engines


def _check_backup(path: Path) -> None:
    """Refuse a file that is not a casedesk SQLite database, before anything is replaced."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise click.ClickException(f"{path} est endommagé (contrôle d'intégrité en échec).")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise click.ClickException(f"{path} n'est pas une base SQLite.") from None
    if not {"alembic_version", "cases", "audit_events"} <= tables:
        raise click.ClickException(f"{path} n'est pas une sauvegarde casedesk.")


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@reports_case_errors
def restore(path: Path, yes: bool) -> None:
    """Remplace la base SQLite par la sauvegarde PATH (documents compris), puis la migre."""
    url = make_url(config.database_url())
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "La base est PostgreSQL : utilisez pg_restore (par exemple "
            "`pg_restore --clean --dbname=NOM_DE_LA_BASE casedesk.dump`)."
        )
    _check_backup(path)
    if not yes:
        click.confirm(
            f"Remplacer toute la base {url.database} par {path} ? Les saisies faites depuis "
            "la sauvegarde seront perdues.",
            abort=True,
        )
    dispose_engines()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(str(url.database))
    try:
        # The backup API replaces the pages of the live file under its write lock: readers
        # see the old base or the new one, never a mix.
        source.backup(target)
    finally:
        target.close()
        source.close()
    migrations.upgrade()
    click.echo(f"Base restaurée depuis {path} (révision {migrations.current_revision()}).")


def register(cli: click.Group) -> None:
    cli.add_command(restore)
