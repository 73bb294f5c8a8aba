"""The three mediation templates are on « Modèles »: their documented context is the one a
real mediation renders, an upload is what the next document uses (and can be restored), and
an upload reaching for what was said in a mediation is refused."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from sqlmodel import select

from case_core import templates_catalog
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.mediation.agreements import record_agreement
from case_core.mediation.disclosure import disclosures_for_case
from case_core.mediation.documents import (
    failure_context,
    generate_failure_record,
    generate_protocol,
    homologation_context,
    protocol_context,
)
from case_core.mediation.service import end_mediation
from case_core.mediation.templates import FAILURE_RECORD, HOMOLOGATION, PROTOCOL
from case_core.models import (
    Case,
    Mediation,
    MediationAgreement,
    MediationKind,
    MediationOutcome,
    MediationSide,
    Role,
)
from case_core.templates.registry import TEMPLATES
from case_core.templates.store import (
    restore_template,
    shipped_bytes,
    template_versions,
    upload_template,
)
from tests.conftest import actor_with_role
from tests.factories import NO_INTEREST, make_case
from tests.mediation.helpers import SECRET, held_session, open_for, sign
from tests.mediation.test_agreement_documents import BASIS, agreed_case
from tests.template_helpers import assert_same_fields, docx_text


def with_paragraph(name: str, text: str) -> bytes:
    doc = Document(io.BytesIO(shipped_bytes(name)))
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def failed_mediation(admin: Actor, mediator: Actor | None = None) -> tuple[Actor, str, int]:
    mediator = mediator or actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference)
    held_session(mediator, mediation_id)
    end_mediation(
        mediator,
        mediation_id,
        ended_on=date(2026, 1, 21),
        ended_by=MediationSide.MEDIATOR,
        outcome=MediationOutcome.FAILURE,
    )
    return mediator, reference, mediation_id


def test_the_three_are_listed_on_the_templates_page() -> None:
    titles = {spec.name: spec.title for spec in templates_catalog.catalog()}
    assert titles[PROTOCOL] == "Médiation : protocole d'accord"
    assert titles[FAILURE_RECORD] == "Médiation : constat d'échec"
    assert titles[HOMOLOGATION] == "Médiation : requête en homologation"


def test_documented_samples_have_exactly_the_fields_of_real_documents(admin: Actor) -> None:
    mediator, reference, mediation_id = agreed_case(admin, MediationKind.JUDICIAL)
    saved = record_agreement(mediator, mediation_id, basis_date=BASIS, terms="Virement")
    sign(mediator, saved.id)
    _, failed_reference, failed_id = failed_mediation(admin, mediator)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        mediation = session.get(Mediation, mediation_id)
        agreement = session.exec(
            select(MediationAgreement).where(MediationAgreement.mediation_id == mediation_id)
        ).one()
        assert mediation is not None
        assert_same_fields(
            TEMPLATES[PROTOCOL].sample(),
            protocol_context(session, case, mediation, agreement, BASIS),
        )
        assert_same_fields(
            TEMPLATES[HOMOLOGATION].sample(),
            homologation_context(session, case, mediation, agreement, BASIS, True),
        )
        failed = session.exec(select(Case).where(Case.reference == failed_reference)).one()
        disclosure = next(
            d for d in disclosures_for_case(session, failed.id or 0) if d.mediation_id == failed_id
        )
        assert_same_fields(
            TEMPLATES[FAILURE_RECORD].sample(), failure_context(session, failed, disclosure, BASIS)
        )


def test_an_uploaded_protocol_is_used_then_restored(admin: Actor) -> None:
    mediator, reference, mediation_id = agreed_case(admin)
    record_agreement(mediator, mediation_id, basis_date=BASIS)
    upload = with_paragraph(PROTOCOL, "Clause maison {{ reference }} {{ mediation.third_party }}")
    assert upload_template(admin, PROTOCOL, "protocole maison.docx", upload, "Clause") == 1
    text = docx_text(generate_protocol(mediator, mediation_id, at=BASIS).content)
    assert f"Clause maison {reference} {mediator.full_name}" in text
    assert restore_template(admin, PROTOCOL, 0) == 2
    text = docx_text(generate_protocol(mediator, mediation_id, at=BASIS).content)
    assert "Clause maison" not in text and "Protocole d'accord de médiation" in text
    assert [v.version for v in template_versions(admin, PROTOCOL)] == [2, 1, 0]


@pytest.mark.parametrize("tag", ["notes", "session.notes", "proposals", "mediation.subject"])
def test_a_failure_record_cannot_be_made_to_say_what_was_said(admin: Actor, tag: str) -> None:
    upload = with_paragraph(FAILURE_RECORD, "Ce qui s'est dit : {{ " + tag + " }}")
    with pytest.raises(ValidationError) as caught:
        upload_template(admin, FAILURE_RECORD, "constat.docx", upload)
    message = caught.value.errors["file"]
    assert message.startswith("Modèle « Médiation : constat d'échec »")
    assert tag.split(".")[0] in message
    assert [v.version for v in template_versions(admin, FAILURE_RECORD)] == [0]
    # The record in use is still the shipped one, and still says nothing of the sessions.
    mediator, _reference, mediation_id = failed_mediation(admin)
    text = docx_text(generate_failure_record(mediator, mediation_id, at=BASIS).content)
    assert "Constat d'échec de médiation" in text and SECRET not in text
