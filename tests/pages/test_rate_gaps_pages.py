"""The rate banner on every page, the provisional Décompte, the ECB CSV upload on the
Taux page and a page the role cannot open (AppTest, real app.py)."""

from __future__ import annotations

from streamlit.util import calc_hash

from case_core.kernel.navigation import PAGES, pages_for
from case_core.models import RateKind, Role
from case_core.statement import rates
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role, make_admin
from tests.factories import make_case
from tests.paths import DATA

SAMPLE = DATA / "ecb_mrr_fr.csv"
# These tests run on the machine's date: today is past the shipped tables (1st semester
# 2026), so the 2nd semester 2026 is missing for every kind.


def test_admin_sees_each_missing_semester_with_a_link_to_taux(sqlite_url: str) -> None:
    if not rates.missing_rate_semesters():
        return  # a table that covers today has nothing to announce
    at = signed_in_app(make_admin())
    assert not at.exception
    banner = " ".join(w.value for w in at.warning)
    for gap in rates.missing_rate_semesters():
        assert gap.label in banner
    links = [link for link in at.get("page_link")]
    assert any("Taux" in link.proto.label for link in links)


def test_a_collector_is_told_an_administrator_must_add_it(sqlite_url: str) -> None:
    if not rates.missing_rate_semesters():
        return
    collector = actor_with_role(make_admin(), Role.COLLECTOR)
    at = signed_in_app(collector)
    notice = " ".join(i.value for i in at.info)
    assert "Un administrateur doit l'ajouter" in notice
    assert "2nd semestre 2026" in notice
    assert not at.get("page_link")


def test_decompte_tab_shows_a_provisional_estimate_without_download(sqlite_url: str) -> None:
    admin = make_admin()
    ref = make_case(admin).reference
    at = signed_in_app(admin)
    at.query_params["case"] = ref
    at.switch_page("pages/case.py").run()
    at.session_state["case_tab"] = "Décompte"
    at.run()
    assert not at.exception, at.exception
    if not rates.missing_rate_semesters():
        return
    (tab,) = [t for t in at.tabs if t.label == "Décompte"]
    estimate = " ".join(w.value for w in tab.warning)
    # A warning with the estimate, not an error box (letters, in their tab, still refuse).
    assert "Taux manquant" in estimate and not tab.error
    assert "Estimation provisoire" in estimate
    assert "supposé égal à celui du 1er semestre 2026" in estimate
    assert any("(provisoire)" in m.label for m in tab.metric)
    assert not tab.get("download_button")


def test_taux_page_imports_the_portal_csv(sqlite_url: str) -> None:
    admin = make_admin()
    at = signed_in_app(admin, "pages/rates.py")
    at.file_uploader(key="ecb_csv").set_value(
        ("FM.B.U2.EUR.4F.KR.MRR_FR.LEV.csv", SAMPLE.read_bytes(), "text/csv")
    )
    at.run()
    assert not at.exception, at.exception
    buttons = [b for b in at.button if b.label.startswith("Ajouter") and "semestre" in b.label]
    assert buttons, [b.label for b in at.button]
    buttons[0].click().run()
    assert any("Taux BCE : 1 semestre(s) ajouté(s)." in s.value for s in at.success)
    newest = rates.list_rates(admin, RateKind.ECB_REFI)[0]
    assert newest.rate_bp == 215 and "MRR_FR" in newest.source


def test_a_wrong_file_on_taux_is_refused_in_french(sqlite_url: str) -> None:
    at = signed_in_app(make_admin(), "pages/rates.py")
    at.file_uploader(key="ecb_csv").set_value(("autre.csv", b"a,b\n1,2\n", "text/csv"))
    at.run()
    assert any("n'est pas un export CSV" in e.value for e in at.error)


def test_a_page_the_role_cannot_open_says_so(sqlite_url: str) -> None:
    viewer = actor_with_role(make_admin(), Role.VIEWER)
    allowed = {p.path for p in pages_for(viewer)}
    closed = next(p for p in PAGES if p.path not in allowed)
    at = signed_in_app(viewer)
    # As typing /<url_path> does: st.Page hashes its url_path (AppTest has no public
    # way to open a callable page).
    at._page_hash = calc_hash(closed.url_path)
    at.run()
    assert not at.exception, at.exception
    assert any(
        f"Votre rôle ne permet pas d'ouvrir la page « {closed.title} »" in w.value
        for w in at.warning
    )
