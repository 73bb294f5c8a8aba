"""The Import page through the real app.py (AppTest): upload, mapping, preview, import."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from case_core.imports.invoices import list_mappings
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.navigation import pages_for
from case_core.models import Case, Claim, Role
from tests.apptest_helpers import signed_in_app, titles
from tests.conftest import actor_with_role, make_admin
from tests.factories import make_case
from tests.import_helpers import HEADERS, good_row, make_creditor
from tests.paths import DATA

FEC = DATA / "fec_sample.txt"


def _count(model: type) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _manager(sqlite_url: str) -> tuple[Actor, int]:
    admin = make_admin()
    creditor_id = make_creditor(admin)
    return actor_with_role(admin, Role.MANAGER), creditor_id


def test_manager_previews_and_imports_a_csv(sqlite_url: str) -> None:
    manager, _creditor_id = _manager(sqlite_url)
    rows = [good_row(i, debtors=2) for i in range(5)]
    rows[3][HEADERS.index("Montant TTC")] = "douze euros"
    data = ("\n".join(";".join(r) for r in [HEADERS, *rows]) + "\n").encode("cp1252")
    at = signed_in_app(manager, "pages/imports.py")
    assert titles(at) == ["Import"]
    at.text_input(key="creditor_search").input("Dupont").run()
    _pick_creditor(at)
    at.file_uploader(key="invoice_upload").set_value(("factures.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert "Windows-1252" in at.caption[0].value
    # Recognised headers prefill the mapping.
    assert (
        at.selectbox(key=next(k for k in _keys(at) if k.endswith("_amount"))).value == "Montant TTC"
    )
    preview = at.dataframe[0].value
    assert len(preview) == 5
    assert "illisible" in preview["Erreurs"].iloc[3]
    at.button(key="run_import").click().run()
    assert not at.exception, at.exception
    assert any("4 factures créées" in s.value for s in at.success)
    assert [m.value for m in at.metric] == ["4", "0", "0", "1"]
    assert at.get("download_button")
    assert _count(Claim) == 4 and _count(Case) == 2
    # The report stays on screen on the next rerun (e.g. after the download click).
    at.run()
    assert any("4 factures créées" in s.value for s in at.success)


def _pick_creditor(at) -> None:  # type: ignore[no-untyped-def]
    at.selectbox(key="creditor_pick").select_index(0).run()


def test_creditor_is_chosen_among_creditors_never_preselected(sqlite_url: str) -> None:
    admin = make_admin()
    make_case(admin)  # creditor « Fournitures Durand SAS », debtor « Bâtiment Martin SARL »
    at = signed_in_app(actor_with_role(admin, Role.MANAGER), "pages/imports.py")
    assert not at.exception, at.exception
    picker = at.selectbox(key="creditor_pick")
    assert picker.value is None and picker.placeholder == "Choisissez le créancier…"
    assert [o.split(" — ")[0] for o in picker.options] == ["Fournitures Durand SAS"]
    assert not at.get("file_uploader")
    _pick_creditor(at)
    assert at.file_uploader(key="invoice_upload")


def _keys(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.key for s in at.selectbox if s.key]


def test_mapping_is_saved_for_the_creditor(sqlite_url: str) -> None:
    manager, creditor_id = _manager(sqlite_url)
    data = b"Ref;Echu;Somme;Qui\nZ1;01/03/2026;12,50;SARL Zed\n"
    at = signed_in_app(manager, "pages/imports.py")
    _pick_creditor(at)
    at.file_uploader(key="invoice_upload").set_value(("erp.csv", data, "text/csv")).run()
    assert any("Colonnes à indiquer" in e.value for e in at.error)
    for suffix, header in [
        ("invoice_number", "Ref"),
        ("due_date", "Echu"),
        ("amount", "Somme"),
        ("debtor_name", "Qui"),
    ]:
        key = next(k for k in _keys(at) if k.endswith("_" + suffix))
        at.selectbox(key=key).set_value(header)
    at.run()
    assert not at.error
    at.text_input(key="mapping_name").input("Export ERP")
    at.button(key="save_mapping_button").click().run()
    assert not at.exception, at.exception
    assert any("Export ERP" in s.value for s in at.success)
    (saved,) = list_mappings(manager, creditor_id)
    assert saved.name == "Export ERP" and saved.mapping["amount"] == "Somme"
    at.button(key="run_import").click().run()
    assert _count(Claim) == 1


def test_fec_import_from_the_page(sqlite_url: str) -> None:
    manager, _creditor_id = _manager(sqlite_url)
    at = signed_in_app(manager, "pages/imports.py")
    _pick_creditor(at)
    at.radio(key="import_kind").set_value("FEC (fichier des écritures comptables)").run()
    at.file_uploader(key="fec_upload").set_value(("FEC.txt", FEC.read_bytes(), "text/plain")).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["Montant ouvert"]) == ["1\u202f900,00\u00a0€", "400,00\u00a0€"]
    assert any("pas de date d'échéance" in c.value for c in at.caption)
    at.button(key="run_fec_import").click().run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["4", "0", "0", "0"]
    assert _count(Case) == 2


def test_import_page_is_offered_to_collectors_not_viewers(sqlite_url: str) -> None:
    admin = make_admin()
    collector = actor_with_role(admin, Role.COLLECTOR)
    viewer = actor_with_role(admin, Role.VIEWER)
    assert "pages/imports.py" in [p.path for p in pages_for(collector)]
    assert "pages/imports.py" not in [p.path for p in pages_for(viewer)]


def test_bad_file_shows_a_clear_message(sqlite_url: str) -> None:
    manager, _creditor_id = _manager(sqlite_url)
    at = signed_in_app(manager, "pages/imports.py")
    _pick_creditor(at)
    at.file_uploader(key="invoice_upload").set_value(
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/csv")
    ).run()
    assert not at.exception, at.exception
    assert any("binaire" in e.value for e in at.error)
    assert "run_import" not in _button_keys(at)
    assert _count(Claim) == 0


def _button_keys(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.key for b in at.button if b.key]
