"""Users replace the dossier template: uploads checked against the documented context,
versions kept, one restored; the dossier uses the version in use."""

from __future__ import annotations

import pytest

from case_core.dossiers.service import generate_dossier
from case_core.dossiers.template import TEMPLATE_NAME
from case_core.kernel.actor import Actor
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.models import Role
from case_core.templates.registry import TEMPLATES
from case_core.templates.store import (
    restore_template,
    shipped_bytes,
    template_content,
    template_versions,
    upload_template,
)
from tests.conftest import actor_with_role
from tests.dossiers.dossier_helpers import full_case, with_paragraph
from tests.template_helpers import assert_same_fields, docx_text


def test_documented_sample_has_exactly_the_fields_of_a_real_dossier(admin: Actor) -> None:
    case = full_case(admin)
    real = generate_dossier(admin, case.reference, with_pdf=False).data.context
    sample = TEMPLATES[TEMPLATE_NAME].sample()
    assert_same_fields(sample, real)


def test_upload_restore_and_use(admin: Actor) -> None:
    case = full_case(admin)
    assert (
        upload_template(
            admin,
            TEMPLATE_NAME,
            "maison.docx",
            with_paragraph("Modèle maison {{ case.reference }}"),
            "Logo",
        )
        == 1
    )
    text = docx_text(generate_dossier(admin, case.reference, with_pdf=False).docx)
    assert f"Modèle maison {case.reference}" in text
    assert restore_template(admin, TEMPLATE_NAME, 0) == 2
    assert "Modèle maison" not in docx_text(
        generate_dossier(admin, case.reference, with_pdf=False).docx
    )
    versions = template_versions(admin, TEMPLATE_NAME)
    assert [(v.version, v.current) for v in versions] == [(2, True), (1, False), (0, False)]
    assert versions[0].note == "Restauration de la version 0"
    assert versions[1].filename == "maison.docx" and versions[1].created_by == admin.full_name
    assert template_content(admin, TEMPLATE_NAME) == shipped_bytes(TEMPLATE_NAME)
    assert b"word/document.xml" in template_content(admin, TEMPLATE_NAME, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{{ montant_secret }}",
            "variable(s) absente(s) du contexte documenté : « {{ montant_secret }} »",
        ),
        ("{{ case.inconnu }}", "le rendu d'essai échoue sur une balise"),
        ("{% if case.reference %}sans fin", "balise invalide"),
    ],
)
def test_bad_upload_names_the_template_and_the_tag(admin: Actor, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        upload_template(admin, TEMPLATE_NAME, "casse.docx", with_paragraph(text))
    assert caught.value.errors["file"].startswith(
        "Modèle « Dossier de transmission contentieuse » : "
    )
    assert message in caught.value.errors["file"]
    assert [v.version for v in template_versions(admin, TEMPLATE_NAME)] == [0]


def test_not_a_docx_and_permissions(admin: Actor) -> None:
    with pytest.raises(ValidationError, match="pas un document Word"):
        upload_template(admin, TEMPLATE_NAME, "x.docx", b"%PDF-1.4")
    collector = actor_with_role(admin, Role.COLLECTOR)
    with pytest.raises(PermissionDenied):
        upload_template(collector, TEMPLATE_NAME, "m.docx", with_paragraph("x"))
    with pytest.raises(PermissionDenied):
        restore_template(collector, TEMPLATE_NAME, 0)
