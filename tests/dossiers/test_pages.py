"""AppTest: the « Annuaire » page and the case page's « Transmission contentieuse » section."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from case_core.dossiers.context import DossierOptions
from case_core.dossiers.directory import list_recipients
from case_core.dossiers.handover import hand_over, referrals_for_case
from case_core.dossiers.template import TEMPLATE_NAME
from case_core.kernel.actor import Actor
from case_core.models import Phase, Role
from case_core.templates.store import template_versions, upload_template
from pages.components.handover import section_key
from tests.apptest_helpers import errors, signed_in_app, titles
from tests.conftest import actor_with_role, make_admin
from tests.dossiers.dossier_helpers import add_ecb_rate, recipient, with_paragraph
from tests.factories import case_row, make_case
from tests.letter_helpers import set_sender


def _inputs(at: AppTest) -> dict[str, object]:
    return {ti.label: ti for ti in at.text_input}


def test_manager_adds_a_recipient_and_sees_errors_in_french(sqlite_url: str) -> None:
    admin = make_admin()
    manager = actor_with_role(admin, Role.MANAGER)
    at = signed_in_app(manager, "pages/referrals.py")
    assert not at.exception
    assert titles(at) == ["Annuaire"]
    fields = _inputs(at)
    fields["Nom *"].input("Me Claire Petit & Associés")  # type: ignore[attr-defined]
    fields["E-mail"].input("pas-un-email")  # type: ignore[attr-defined]
    fields["Téléphone"].input("04 72 00 00 00")  # type: ignore[attr-defined]
    next(b for b in at.button if b.label == "Ajouter au répertoire").click()
    at.run()
    assert not at.exception
    assert any("Adresse e-mail invalide" in e for e in errors(at))
    assert list_recipients(manager).total == 0
    _inputs(at)["E-mail"].input("etude@petit.fr")  # type: ignore[attr-defined]
    next(b for b in at.button if b.label == "Ajouter au répertoire").click()
    at.run()
    assert not at.exception and not errors(at)
    assert any("ajouté à l'annuaire" in s.value for s in at.success)
    rows = list_recipients(manager).rows
    assert [r.name for r in rows] == ["Me Claire Petit & Associés"]
    assert list(at.dataframe[0].value["Nom"]) == ["Me Claire Petit & Associés"]


def test_collector_has_no_directory(sqlite_url: str) -> None:
    collector = actor_with_role(make_admin(), Role.COLLECTOR)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_in_app(collector, page="pages/referrals.py")


def _case_page(actor: Actor, reference: str) -> AppTest:
    at = signed_in_app(actor)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    assert not at.exception
    return at


def test_manager_prepares_and_hands_over_from_the_case_page(sqlite_url: str) -> None:
    admin = make_admin()
    add_ecb_rate(admin)
    set_sender(admin)
    manager = actor_with_role(admin, Role.MANAGER)
    ref = make_case(admin, phase=Phase.PRE_CONTENTIEUX).reference
    who = recipient(manager)
    at = _case_page(manager, ref)
    assert any(e.label == "Transmission contentieuse" for e in at.expander)
    assert not any(b.label == "Préparer le dossier" for b in at.button)  # closed: not run
    at.session_state[section_key(ref)] = True
    at.run()
    at.selectbox(key=f"dossier_recipient_{ref}").set_value(who.id)
    next(b for b in at.button if b.label == "Préparer le dossier").click()
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Procédure simplifiée de recouvrement des petites créances" in shown
    # Handing over without the confirmation is refused, in French, and changes nothing.
    next(b for b in at.button if b.label == "Transmettre le dossier").click()
    at.run()
    assert any("Confirmez la transmission" in e for e in errors(at))
    assert case_row(ref).phase == Phase.PRE_CONTENTIEUX
    at.checkbox(key=f"handover_confirm_{ref}").check()
    next(b for b in at.button if b.label == "Transmettre le dossier").click()
    at.run()
    assert not at.exception and not errors(at)
    assert case_row(ref).phase == Phase.CONTENTIEUX
    assert any("Dossier transmis à Me Claire Petit" in s.value for s in at.success)
    assert any(
        "Transmis à **Me Claire Petit (commissaire de justice) depuis le" in i.value
        for i in at.info
    )
    assert {m.label: m.value for m in at.metric}["Phase"] == "Contentieux"
    # The manager records the recipient's outcome.
    referral = referrals_for_case(manager, ref)[0]
    at.text_input(key=f"outcome_recovered_{referral.id}").input("250,00")
    next(b for b in at.button if b.label == "Enregistrer l'issue").click()
    at.run()
    assert not at.exception and not errors(at)
    assert referrals_for_case(manager, ref)[0].recovered_cents == 250_00


def test_viewer_sees_who_has_the_case_but_no_form(sqlite_url: str) -> None:
    admin = make_admin()
    add_ecb_rate(admin)
    set_sender(admin)
    ref = make_case(admin).reference
    who = recipient(admin)
    hand_over(
        admin,
        ref,
        DossierOptions(recipient_id=who.id),
        expected_version=case_row(ref).version,
        confirmed=True,
    )
    at = _case_page(actor_with_role(admin, Role.VIEWER), ref)
    assert any("Me Claire Petit" in i.value for i in at.info)
    assert not any(b.label == "Préparer le dossier" for b in at.button)


def test_admin_uploads_a_template_and_restores_the_shipped_one(sqlite_url: str) -> None:
    admin = make_admin()
    at = signed_in_app(admin, "pages/templates.py")
    assert not at.exception
    assert titles(at) == ["Modèles"]
    listed = at.dataframe[0].value
    # The letters are listed with the dossier and the mediation documents, each from its
    # shipped file.
    assert set(listed["Fichier"]) >= {
        "reminder_1.docx",
        "reminder_2.docx",
        "mise_en_demeure.docx",
        "echeancier.docx",
        TEMPLATE_NAME,
        "protocole_mediation.docx",
        "constat_echec_mediation.docx",
        "requete_homologation_mediation.docx",
    }
    assert set(listed["Version en service"]) == {0}
    # AppTest cannot drive a file uploader: the service does the upload, the page shows it.
    upload_template(admin, TEMPLATE_NAME, "maison.docx", with_paragraph("Maison"), "Logo")
    at.run()
    listed = at.dataframe[0].value
    in_use = dict(zip(listed["Fichier"], listed["Version en service"], strict=True))
    assert in_use[TEMPLATE_NAME] == 1 and in_use["mise_en_demeure.docx"] == 0
    at.selectbox(key="template_pick").set_value(TEMPLATE_NAME).run()
    at.selectbox(key="template_version_pick").set_value(0).run()
    at.button(key="template_restore").click().run()
    assert not at.exception and not errors(at)
    assert any("Version 0 remise en service (nouvelle version 2)" in s.value for s in at.success)
    assert [v.version for v in template_versions(admin, TEMPLATE_NAME) if v.current] == [2]


def test_bulk_dossiers_with_progress_and_results_kept(sqlite_url: str) -> None:
    admin = make_admin()
    add_ecb_rate(admin)
    manager = actor_with_role(admin, Role.MANAGER)
    refs = [make_case(admin, debtor=name).reference for name in ("Alpha SARL", "Bravo SAS")]
    at = signed_in_app(manager, "pages/bulk_dossiers.py")
    assert not at.exception
    at.radio(key="bulk_dossier_src").set_value("Références collées").run()
    at.text_area(key="bulk_dossier_refs").input(f"{refs[0]}, {refs[1]}\n2026-999999").run()
    next(b for b in at.button if b.label == "Générer les dossiers").click()
    at.run()
    assert not at.exception
    assert any("2 dossier(s) généré(s)" in s.value for s in at.success)
    assert any("1 dossier(s) en erreur" in e for e in errors(at))
    at.run()  # a rerun keeps the result
    assert any("2 dossier(s) généré(s)" in s.value for s in at.success)
