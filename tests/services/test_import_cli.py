"""`casedesk import invoices|fec` through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func
from sqlmodel import select

from case_core.cli import cli
from case_core.imports.invoices import save_mapping
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Claim
from tests.import_helpers import CREDITOR_SIREN, HEADERS, good_row, make_creditor
from tests.paths import DATA

FEC = DATA / "fec_sample.txt"


def _claims() -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(Claim)).one()


def test_import_invoices_summary_and_exit_codes(admin: Actor, tmp_path: Path) -> None:
    make_creditor(admin)
    rows = [good_row(i, debtors=3) for i in range(6)]
    rows[4][HEADERS.index("E-mail")] = "pas-un-mail"
    path = tmp_path / "factures.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADERS, *rows]) + "\n", encoding="cp1252")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "invoices", str(path), "--creditor", CREDITOR_SIREN])
    assert result.exit_code == 1, result.output
    assert "Créées : 5  Mises à jour : 0  Inchangées : 0  Rejetées : 1" in result.output
    assert "ligne 6, colonne « E-mail » : Adresse e-mail invalide" in result.output
    del rows[4]
    path.write_text("\n".join(";".join(r) for r in [HEADERS, *rows]) + "\n", encoding="utf-8")
    again = runner.invoke(cli, ["import", "invoices", str(path), "--creditor", CREDITOR_SIREN])
    assert again.exit_code == 0, again.output
    assert "Créées : 0  Mises à jour : 0  Inchangées : 5  Rejetées : 0" in again.output
    assert _claims() == 5


def test_import_invoices_with_a_saved_mapping(admin: Actor, tmp_path: Path) -> None:
    creditor_id = make_creditor(admin)
    save_mapping(
        admin,
        creditor_id,
        "ERP",
        {"invoice_number": "Ref", "due_date": "Echu", "amount": "Somme", "debtor_name": "Qui"},
    )
    path = tmp_path / "erp.csv"
    path.write_text("Ref,Echu,Somme,Qui\nZ1,01/03/2026,12.50,SARL Zed\n", encoding="utf-8")
    runner = CliRunner()
    args = ["import", "invoices", str(path), "--creditor", CREDITOR_SIREN]
    result = runner.invoke(cli, [*args, "--mapping", "ERP"])
    assert result.exit_code == 0, result.output
    assert "Créées : 1" in result.output
    unknown = runner.invoke(cli, [*args, "--mapping", "Autre"])
    assert unknown.exit_code == 1 and "Aucune correspondance" in unknown.output


def test_unknown_creditor_and_bad_file(admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "vide.csv"
    path.write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "invoices", str(path), "--creditor", "552100554"])
    assert result.exit_code == 1 and "Aucun créancier de SIREN 552100554" in result.output
    make_creditor(admin)
    empty = runner.invoke(cli, ["import", "invoices", str(path), "--creditor", CREDITOR_SIREN])
    assert empty.exit_code == 1 and "Le fichier est vide." in empty.output
    assert _claims() == 0


def test_import_fec(admin: Actor) -> None:
    make_creditor(admin)
    runner = CliRunner()
    args = ["import", "fec", str(FEC), "--creditor", CREDITOR_SIREN, "--term-days", "30"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "4 pièces ouvertes chez 2 clients" in result.output
    assert "Créées : 4  Mises à jour : 0  Inchangées : 0  Rejetées : 0" in result.output
    again = runner.invoke(cli, args)
    assert "Créées : 0  Mises à jour : 0  Inchangées : 4" in again.output


def test_creditor_add_then_import_on_a_fresh_database(admin: Actor, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["creditor", "add", CREDITOR_SIREN, "--name", "Fournitures Dupont SAS"]
    args += ["--address", "12 rue de la Paix", "--postcode", "75002", "--city", "Paris"]
    added = runner.invoke(cli, args)
    assert added.exit_code == 0, added.output
    assert "Créancier enregistré : Fournitures Dupont SAS" in added.output
    again = runner.invoke(cli, args)
    assert again.exit_code == 1 and "existe déjà" in again.output
    bad = runner.invoke(cli, ["creditor", "add", "123456789", *args[3:]])
    assert bad.exit_code == 1 and "SIREN" in bad.output and "Traceback" not in bad.output
    rows = [good_row(i, debtors=2) for i in range(2)]
    path = tmp_path / "factures.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADERS, *rows]) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "invoices", str(path), "--creditor", CREDITOR_SIREN])
    assert result.exit_code == 0, result.output
    assert _claims() == 2
