"""Nouveau dossier, Dossiers and Dossier pages through the real app.py (AppTest)."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlmodel import select

from case_core.cases import lifecycle as phases
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, Claim, ClosureReason, DebtorKind, Document, Party, Phase, Role
from tests.apptest_helpers import errors, signed_in_app, titles
from tests.conftest import actor_with_role, make_admin
from tests.factories import PDF, company_debtor, make_case


def _ti(at, key):  # type: ignore[no-untyped-def]
    return at.text_input(key=key)


def _fill_new_company_case(at, creditor_name: str = "Fournitures Durand SAS") -> None:  # type: ignore[no-untyped-def]
    at.radio(key="creditor.mode").set_value("Créer une nouvelle partie").run()
    at.radio(key="debtor.mode").set_value("Créer une nouvelle partie").run()
    _ti(at, "creditor.company_name").input(creditor_name)
    _ti(at, "creditor.siren").input("732 829 320")
    _ti(at, "debtor.company_name").input("Bâtiment Martin & Fils")
    _ti(at, "debtor.siren").input("552100554")
    _ti(at, "debtor.postcode").input("75011")
    _ti(at, "debtor.email").input("compta@martin.fr")
    _ti(at, "debtor.phone").input("06 12 34 56 78")
    at.number_input(key="claim_count").set_value(2).run()
    for i, (number, issued, due, amount) in enumerate(
        [
            ("FA-001", date(2026, 1, 5), date(2026, 2, 4), "1 234,56"),
            ("FA-002", date(2026, 2, 10), date(2026, 3, 12), "800.10"),
        ]
    ):
        _ti(at, f"claim.{i}.invoice_number").input(number)
        at.date_input(key=f"claim.{i}.issue_date").set_value(issued)
        at.date_input(key=f"claim.{i}.due_date").set_value(due)
        _ti(at, f"claim.{i}.amount").input(amount)
    at.file_uploader(key="new_case_files").set_value(("facture.pdf", PDF, "application/pdf"))


def test_collector_creates_company_case_with_two_invoices_and_a_pdf(sqlite_url: str) -> None:
    collector = actor_with_role(make_admin(), Role.COLLECTOR)
    at = signed_in_app(collector, "pages/new_case.py")
    assert titles(at) == ["Nouveau dossier"]
    _fill_new_company_case(at)
    at.button(key="create_case").click().run()
    assert not at.exception, at.exception
    assert titles(at) == ["Dossier 2026-000001".replace("2026", str(date.today().year))]
    assert any("créé" in s.value for s in at.success)
    with read_session() as session:
        case = session.exec(select(Case)).one()
        assert case.assignee_id == collector.id and case.balance_cents == 123456 + 80010
        assert len(session.exec(select(Claim)).all()) == 2
        doc = session.exec(select(Document)).one()
        assert doc.sha256 == hashlib.sha256(PDF).hexdigest() and doc.filename == "facture.pdf"
        debtor = session.get(Party, case.debtor_id)
        assert debtor is not None and debtor.company_name == "Bâtiment Martin & Fils"
        assert debtor.phone == "+33612345678"


def test_the_company_representative_is_entered_on_intake(sqlite_url: str) -> None:
    at = signed_in_app(make_admin(), "pages/new_case.py")
    _fill_new_company_case(at)
    # A quality without a name is refused beside the field, and nothing is saved.
    _ti(at, "debtor.representative_role").input("gérante")
    at.button(key="create_case").click().run()
    assert "Indiquez le nom du représentant de cette qualité." in errors(at)
    with read_session() as session:
        assert session.exec(select(Case)).first() is None
    _ti(at, "debtor.representative_name").input("Zoé O'Brien & <Cie>")
    at.button(key="create_case").click().run()
    assert not at.exception, at.exception
    with read_session() as session:
        case = session.exec(select(Case)).one()
        debtor = session.get(Party, case.debtor_id)
        assert debtor is not None
        assert (debtor.representative_name, debtor.representative_role) == (
            "Zoé O'Brien & <Cie>",
            "gérante",
        )


def test_errors_shown_beside_fields_and_nothing_saved(sqlite_url: str) -> None:
    at = signed_in_app(make_admin(), "pages/new_case.py")
    _fill_new_company_case(at)
    _ti(at, "debtor.siren").input("123456789")
    _ti(at, "claim.1.amount").input("12,345")
    at.date_input(key="claim.1.due_date").set_value(date(2026, 1, 1))
    at.button(key="create_case").click().run()
    shown = errors(at)
    assert any("« 123456789 » : la clé de contrôle ne correspond pas" in e for e in shown)
    assert "Deux décimales au plus : « 12,345 »." in shown
    assert "La date d'échéance ne peut pas précéder la date de facture." in shown
    # What was typed is still there.
    assert _ti(at, "debtor.company_name").value == "Bâtiment Martin & Fils"
    with read_session() as session:
        assert session.exec(select(Case)).first() is None
        assert session.exec(select(Party)).first() is None


def test_duplicate_warning_then_create_anyway(sqlite_url: str) -> None:
    admin = make_admin()
    existing = make_case(admin)
    at = signed_in_app(admin, "pages/new_case.py")
    _fill_new_company_case(at, creditor_name="Autre créancier")
    _ti(at, "creditor.siren").input("")
    for i in range(2):
        _ti(at, f"claim.{i}.invoice_number").input(f"NEW-{i}")
    at.button(key="create_case").click().run()
    assert any("ressemble" in w.value for w in at.warning)
    assert at.button(key=f"open_{existing.reference}").label.endswith(existing.reference)
    at.button(key="confirm_duplicate").click().run()
    assert not at.exception
    with read_session() as session:
        assert len(session.exec(select(Case)).all()) == 2


def _book(admin: Actor) -> dict[str, str]:
    refs = {
        "alpha": make_case(
            admin,
            debtor=company_debtor("Alpha SARL", siren=None, email=None, phone=None),
            invoices=[("A-1", "01/01/2026", "31/01/2026", "1000")],
        ).reference
    }
    with read_session() as session:
        creditor_id = session.exec(select(Case.creditor_id)).one()
    refs["bravo"] = make_case(
        admin,
        creditor_id=creditor_id,
        debtor=company_debtor("Bravo SAS", siren=None, email=None, phone=None),
        invoices=[("B-1", "01/01/2026", "31/01/2026", "5000")],
    ).reference
    phases.change_phase(admin, refs["bravo"], Phase.PRE_CONTENTIEUX, 1)
    return refs


def test_portfolio_filters_searches_and_opens_a_case(sqlite_url: str) -> None:
    admin = make_admin()
    refs = _book(admin)
    at = signed_in_app(admin)  # "Dossiers" is the landing page
    assert titles(at) == ["Dossiers"]
    assert list(at.dataframe[0].value["Débiteur"]) == ["Alpha SARL", "Bravo SAS"]
    at.multiselect(key="portfolio_phases").set_value([Phase.PRE_CONTENTIEUX]).run()
    assert list(at.dataframe[0].value["Référence"]) == [refs["bravo"]]
    at.multiselect(key="portfolio_phases").set_value([]).run()
    _ti(at, "portfolio_min_balance").input("2 000").run()
    assert list(at.dataframe[0].value["Débiteur"]) == ["Bravo SAS"]
    _ti(at, "portfolio_min_balance").input("").run()
    at.number_input(key="portfolio_min_days").set_value(30).run()
    _ti(at, "portfolio_search").input("a-1").run()
    assert list(at.dataframe[0].value["Référence"]) == [refs["alpha"]]
    assert any(c.value.startswith("1 dossier(s) — page 1 sur 1") for c in at.caption)
    # Selecting the row opens the case page.
    at.session_state["portfolio_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert titles(at) == [f"Dossier {refs['alpha']}"]
    # Back on the list: the filters are as left, the old selection does not bounce.
    at.switch_page("pages/portfolio.py").run()
    assert titles(at) == ["Dossiers"]
    assert _ti(at, "portfolio_search").value == "a-1"
    assert at.number_input(key="portfolio_min_days").value == 30
    assert at.date_input(key="portfolio_next_action").value is None
    # The only warning allowed is the missing-rate banner every page carries.
    assert not [w for w in at.warning if "Taux manquant" not in w.value] and not at.exception
    assert list(at.dataframe[0].value["Référence"]) == [refs["alpha"]]


def test_case_page_deep_link_renders_the_header(sqlite_url: str) -> None:
    admin = make_admin()
    refs = _book(admin)
    viewer = actor_with_role(admin, Role.VIEWER)
    at = signed_in_app(viewer)
    at.query_params["case"] = refs["bravo"]
    at.switch_page("pages/case.py").run()
    assert not at.exception
    assert titles(at) == [f"Dossier {refs['bravo']}"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Phase"] == "Pré-contentieux"
    assert metrics["Principal facturé"] == "5\u202f000,00\u00a0€"
    assert metrics["Échéance la plus ancienne"] == "31/01/2026"
    assert [t.label for t in at.tabs] == [
        "Créances",
        "Décompte",
        "Documents",
        "Échéancier",
        "Paiements",
        "Journal",
        "Courriers",
        "Médiation",
    ]  # no « Historique »: it shows contact data and IBAN changes, audit readers only
    # A viewer gets no action forms.
    assert not at.get("expander") or all(e.label != "Changer de phase" for e in at.expander)


def test_stale_version_through_the_page_shows_the_message(sqlite_url: str) -> None:
    admin = make_admin()
    refs = _book(admin)
    manager = actor_with_role(admin, Role.MANAGER)
    at = signed_in_app(admin)
    at.query_params["case"] = refs["alpha"]
    at.switch_page("pages/case.py").run()
    assert titles(at) == [f"Dossier {refs['alpha']}"]
    # Someone else changes the case while the page is open.
    phases.set_next_action(manager, refs["alpha"], date(2026, 12, 1), "Relancer", 1)
    at.selectbox(key="phase_target").set_value(Phase.MEDIATION)
    at.button(key="phase_submit").click().run()
    assert any(
        e.startswith("Ce dossier a été modifié par Test Responsable le ")
        and e.endswith("rechargez la page.")
        for e in errors(at)
    )
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == refs["alpha"])).one()
        assert case.phase == Phase.AMIABLE
    # Once the page shows the new version, the same change goes through.
    at.selectbox(key="phase_target").set_value(Phase.MEDIATION)
    at.button(key="phase_submit").click().run()
    assert titles(at) == [f"Dossier {refs['alpha']}"]
    assert any("Médiation" in s.value for s in at.success)


def test_case_page_adds_a_claim_uploads_a_document_and_closes(sqlite_url: str) -> None:
    admin = make_admin()
    refs = _book(admin)
    collector = actor_with_role(admin, Role.COLLECTOR)
    at = signed_in_app(collector)
    at.query_params["case"] = refs["alpha"]
    at.switch_page("pages/case.py").run()
    # A collector may not close or reassign: those forms are not offered.
    assert not [b for b in at.button if b.key in ("close_submit", "reassign_submit")]
    at.text_input(key="claim_number").input("A-2")
    at.date_input(key="claim_issue").set_value(date(2026, 2, 1))
    at.date_input(key="claim_due").set_value(date(2026, 3, 1))
    at.text_input(key="claim_amount").input("99,90")
    at.button(key="claim_submit").click().run()
    assert not at.exception
    assert "Facture A-2 ajoutée." in [s.value for s in at.success]
    assert {m.label: m.value for m in at.metric}["Principal facturé"] == "1\u202f099,90\u00a0€"
    # A file named .pdf whose content is not a PDF is refused: the type is sniffed.
    at.file_uploader(key="doc_file").set_value(("faux.pdf", b"MZ\x90\x00", "application/pdf"))
    at.button(key="doc_submit").click().run()
    assert "Le fichier « faux.pdf » n'est ni un PDF ni une image PNG ou JPEG." in errors(at)
    at.file_uploader(key="doc_file").set_value(("bon.pdf", PDF, "application/pdf"))
    at.button(key="doc_submit").click().run()
    assert any("bon.pdf" in s.value for s in at.success)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == refs["alpha"])).one()
        assert case.balance_cents == 109990 and case.version == 3
        assert [d.filename for d in session.exec(select(Document)).all()] == ["bon.pdf"]
    manager = actor_with_role(admin, Role.MANAGER)
    at = signed_in_app(manager)
    at.query_params["case"] = refs["alpha"]
    at.switch_page("pages/case.py").run()
    at.selectbox(key="close_reason").set_value(ClosureReason.WRITTEN_OFF)
    at.button(key="close_submit").click().run()
    assert {m.label: m.value for m in at.metric}["Phase"] == "Clos — Passé en perte"


def test_portfolio_filters_survive_a_visit_and_never_show_english(sqlite_url: str) -> None:
    admin = make_admin()
    refs = _book(admin)
    at = signed_in_app(admin)
    assert [s.value for s in at.selectbox if s.key == "portfolio_kind"] == ["all"]
    with read_session() as session:
        creditor_id = session.exec(select(Case.creditor_id)).first()
    at.selectbox(key="portfolio_creditor").set_value(creditor_id).run()
    at.selectbox(key="portfolio_kind").set_value(DebtorKind.PROFESSIONAL).run()
    assert any("Cochez la case" in c.value for c in at.caption)
    at.query_params["case"] = refs["alpha"]
    at.switch_page("pages/case.py").run()
    at.switch_page("pages/portfolio.py").run()
    assert at.selectbox(key="portfolio_creditor").value == creditor_id
    assert at.selectbox(key="portfolio_kind").value == DebtorKind.PROFESSIONAL
    assert at.selectbox(key="portfolio_assignee").value == "all"
    _ti(at, "portfolio_search").input("aucun-dossier-de-ce-nom").run()
    assert "Aucun dossier ne correspond à ces critères." in [i.value for i in at.info]
    assert not at.dataframe
