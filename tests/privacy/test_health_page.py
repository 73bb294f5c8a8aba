"""The « Santé » page (administrators), through the real app with AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from case_core.cli import cli
from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.models import Role
from case_core.statement.rates import missing_rate_semesters
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role
from tests.privacy.helpers import debtor_with_file

PAGE = "pages/health.py"


def _page_text(admin: Actor) -> str:
    at = signed_in_app(admin, page=PAGE)
    assert not at.exception
    assert [t.value for t in at.title] == ["Santé"]
    return "\n".join(
        [m.value for m in at.markdown]
        + [e.value for e in at.error]
        + [s.value for s in at.success]
        + [w.value for w in at.warning]
        + [str(d.value) for d in at.dataframe]
    )


def test_health_shows_every_item(admin: Actor) -> None:
    debtor_with_file(admin, "Dupont")
    text = _page_text(admin)
    assert "**Base de données** : joignable" in text
    assert "**Migrations** : à jour (révision" in text
    assert "**Journal d'audit** : intègre (" in text
    missing = missing_rate_semesters()
    if missing:
        assert f"**Taux publiés** : {len(missing)} manquant(s)" in text
        assert missing[0].label in text
    else:
        assert "**Taux publiés** : tous saisis" in text
    assert "Dernière sauvegarde : aucune enregistrée" in text
    assert "Dernière ancre du journal d'audit : aucune" in text
    assert "Dossiers" in text and "Paiements" in text  # the counts table


def test_backup_and_anchor_are_shown_once_made(admin: Actor, tmp_path: Path, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("casedesk backup copies a SQLite base (pg_dump for PostgreSQL)")
    assert config.database_url() == db_url
    runner = CliRunner()
    backup = runner.invoke(cli, ["backup", str(tmp_path / "copie.db")])
    assert backup.exit_code == 0, backup.output
    anchor = runner.invoke(cli, ["audit", "anchor"])
    assert anchor.exit_code == 0, anchor.output
    head = anchor.stdout.splitlines()[0]
    text = _page_text(admin)
    assert "Dernière sauvegarde : " in text and "copie.db" in text and "aucune" not in text
    assert f"`{head}`" in text
    assert "✅ **Sauvegarde** : faite" in text
    verify = runner.invoke(cli, ["audit", "verify", "--anchor", head])
    assert verify.exit_code == 0, verify.output


def test_health_is_for_administrators_only(admin: Actor) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_in_app(manager, page=PAGE)
