"""Intake by form: validation, duplicates, case creation with claims and documents."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import func, select

from case_core.cases import attachments, intake, parties
from case_core.cases.intake import CaseInput, ClaimInput, FileInput
from case_core.cases.parties import DuplicateDebtor, PartyInput
from case_core.documents import store as documents
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import PermissionDenied, StaleVersion, ValidationError
from case_core.kernel.validation import (
    normalize_iban,
    normalize_postcode,
    normalize_siren,
    normalize_siret,
    normalize_vat,
)
from case_core.models import (
    AuditEvent,
    Case,
    Claim,
    DebtorKind,
    Document,
    DocumentBlob,
    InterestRegime,
    Party,
    PartyKind,
    Role,
)
from tests.conftest import actor_with_role
from tests.factories import (
    PDF,
    PNG,
    company_debtor,
    creditor_input,
    make_case,
    pdf_file,
    person_debtor,
)


def _count(model: type) -> int:
    with read_session() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


# --- validation (pure) ---------------------------------------------------------------


def test_identifiers_are_checked_by_python_stdnum() -> None:
    assert normalize_siren("732 829 320") == "732829320"
    assert normalize_siret("732 829 320 00074") == "73282932000074"
    assert normalize_vat("fr 40 303 265 045") == "FR40303265045"
    assert normalize_iban("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert normalize_postcode("2A004".replace("2A", "20")) == "20004"
    for func_, bad, field in [
        (normalize_siren, "732829321", "siren"),
        (normalize_siret, "73282932000075", "siret"),
        (normalize_vat, "FR41303265045", "vat_number"),
        (normalize_iban, "FR7630006000011234567890188", "iban"),
        (normalize_postcode, "7500", "postcode"),
        (normalize_postcode, "00100", "postcode"),
    ]:
        with pytest.raises(ValidationError) as exc:
            func_(bad)
        assert field in exc.value.errors and bad in exc.value.errors[field]


def test_party_validation_normalises_and_reports_every_field_at_once() -> None:
    valid = parties.validate_party(
        PartyInput(
            kind=PartyKind.COMPANY,
            company_name="  Durand & Fils  ",
            siret="552 100 554 00047",
            email="Compta@Durand.FR",
            phone="06 12 34 56 78",
            postcode="69002",
        )
    )
    assert valid.company_name == "Durand & Fils"
    assert valid.email == "compta@durand.fr"
    assert valid.phone == "+33612345678"
    assert valid.siren == "552100554"  # taken from the SIRET
    intl = parties.validate_party(person_debtor(phone="+44 20 7946 0958"))
    assert intl.phone == "+442079460958"
    with pytest.raises(ValidationError) as exc:
        parties.validate_party(
            PartyInput(
                kind=PartyKind.COMPANY,
                company_name="",
                siren="123",
                email="pas-une-adresse",
                phone="12",
                postcode="ABCDE",
                iban="FR00",
            ),
            prefix="debtor.",
        )
    assert set(exc.value.errors) == {
        "debtor.company_name",
        "debtor.siren",
        "debtor.email",
        "debtor.phone",
        "debtor.postcode",
        "debtor.iban",
    }


@pytest.mark.parametrize("typed", ["1 234,56", "1234,56", "1234.56", "1\u202f234,56 €"])
def test_amounts_typed_the_french_or_english_way(typed: str) -> None:
    claim = intake.validate_claim(ClaimInput("F1", "01/02/2026", "01/03/2026", typed))
    assert claim.principal_cents == 123456


def test_claim_errors_all_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        intake.validate_claim(ClaimInput("", "10/03/2026", "01/03/2026", "12,345"), "claims[0].")
    assert exc.value.errors == {
        "claims[0].invoice_number": "Le numéro de facture est obligatoire.",
        "claims[0].due_date": "La date d'échéance ne peut pas précéder la date de facture.",
        "claims[0].amount": "Deux décimales au plus : « 12,345 ».",
    }
    with pytest.raises(ValidationError) as exc:
        intake.validate_claim(ClaimInput("F1", "01/03/2026", "01/04/2026", "0"))
    assert exc.value.errors["amount"] == "Le montant doit être supérieur à zéro."


# --- create_case ---------------------------------------------------------------------


def test_company_case_with_two_invoices_and_a_pdf(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    view = make_case(
        collector,
        invoices=[
            ("FA-2026-001", "05/01/2026", "04/02/2026", "1 234,56"),
            ("FA-2026-002", "2026-02-10", "2026-03-12", "800"),
        ],
        files=[pdf_file()],
        assignee_id=collector.id,
    )
    assert view.reference.endswith("-000001")
    assert view.principal_cents == 123456 + 80000 == view.balance_cents
    assert len(view.claim_ids) == 2 and len(view.document_ids) == 1
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == view.reference)).one()
        assert case.assignee_id == collector.id
        assert str(case.oldest_due_date) == "2026-02-04"
        assert "fa-2026-002" in case.search_text and "bâtiment martin sarl" in case.search_text
        claims = session.exec(select(Claim).where(Claim.case_id == case.id)).all()
        assert {c.interest_regime for c in claims} == {InterestRegime.L441_10}
        doc = session.exec(select(Document).where(Document.case_id == case.id)).one()
        assert doc.sha256 == hashlib.sha256(PDF).hexdigest()
        assert doc.size_bytes == len(PDF) and doc.mime_type == "application/pdf"
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert sorted(actions) == ["case.create", "claim.create", "claim.create", "document.add"]
    content = documents.get_document_content(collector, view.document_ids[0])
    assert content.content == PDF and content.filename == "facture.pdf"


def test_consumer_claims_default_to_the_legal_rate(admin: Actor) -> None:
    view = make_case(admin, debtor=person_debtor(), kind=DebtorKind.CONSUMER)
    with read_session() as session:
        claim = session.get(Claim, view.claim_ids[0])
        assert claim is not None and claim.interest_regime == InterestRegime.LEGAL


def test_bad_input_saves_nothing_and_reports_every_field(admin: Actor) -> None:
    before = (_count(Party), _count(Case), _count(Claim), _count(AuditEvent))
    with pytest.raises(ValidationError) as exc:
        intake.create_case(
            admin,
            CaseInput(
                debtor_kind=DebtorKind.PROFESSIONAL,
                creditor=creditor_input(siren="732829321"),
                debtor=company_debtor(email="x@", phone="99"),
                claims=[
                    ClaimInput("F1", "01/03/2026", "01/04/2026", "100"),
                    ClaimInput("F1", "01/03/2026", "01/02/2026", "12,345"),
                ],
                files=[FileInput("virus.exe", b"MZ\x90\x00")],
            ),
        )
    assert set(exc.value.errors) == {
        "creditor.siren",
        "debtor.email",
        "debtor.phone",
        "claims[1].due_date",
        "claims[1].amount",
        "files[0]",
    }
    assert (_count(Party), _count(Case), _count(Claim), _count(AuditEvent)) == before


def test_invoice_number_unique_per_creditor_and_nothing_half_written(admin: Actor) -> None:
    first = make_case(admin)
    with read_session() as session:
        creditor_id = session.exec(select(Case.creditor_id)).one()
    parties_before, cases_before = _count(Party), _count(Case)
    with pytest.raises(ValidationError) as exc:
        make_case(
            admin,
            creditor_id=creditor_id,
            debtor=company_debtor("Autre SARL", siren=None, email=None, phone=None),
            invoices=[
                ("F-NEW", "01/03/2026", "31/03/2026", "10"),
                ("F-001", "01/03/2026", "31/03/2026", "10"),
            ],
        )
    assert exc.value.errors == {
        "claims[1].invoice_number": "La facture n° F-001 de ce créancier est déjà dans le "
        f"dossier {first.reference}."
    }
    # The new debtor created before the check was rolled back with everything else.
    assert (_count(Party), _count(Case)) == (parties_before, cases_before)


def test_upload_too_large_is_refused_with_its_size(
    admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEDESK_MAX_UPLOAD_MB", "1")
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        make_case(admin, files=[FileInput("gros.pdf", big)])
    assert exc.value.errors["files[0]"].startswith(
        "Le fichier « gros.pdf » dépasse la taille maximale de 1 Mo"
    )
    assert _count(Case) == 0
    view = make_case(admin)
    with pytest.raises(ValidationError):
        attachments.upload_document(admin, view.reference, "gros.pdf", big)
    png = attachments.upload_document(admin, view.reference, "C:\\scan\\photo.png", PNG)
    assert png.filename == "photo.png" and png.mime_type == "image/png"


def test_duplicate_debtor_warning_then_confirmation(admin: Actor) -> None:
    first = make_case(admin)
    with read_session() as session:
        creditor_id = session.exec(select(Case.creditor_id)).one()
    cases = [
        company_debtor("Autre nom", siren="552100554", email=None, phone=None),
        company_debtor("Autre nom", siren=None, email="COMPTA@martin.fr", phone=None),
        company_debtor("Autre nom", siren=None, email=None, phone="+33612345678"),
        company_debtor("bâtiment martin sarl", siren=None, email=None, phone=None),
    ]
    expected = ["même SIREN", "même e-mail", "même téléphone", "même nom et code postal"]
    for debtor, reason in zip(cases, expected, strict=True):
        with pytest.raises(DuplicateDebtor) as exc:
            make_case(
                admin,
                creditor_id=creditor_id,
                debtor=debtor,
                invoices=[("F-X", "01/03/2026", "31/03/2026", "10")],
                confirm_duplicate=False,
            )
        [match] = exc.value.matches
        assert match.reasons == (reason,)
        assert match.open_case_references == (first.reference,)
    # Same name elsewhere in France is not a duplicate.
    other_town = company_debtor(
        "Bâtiment Martin SARL", siren=None, email=None, phone=None, postcode="13001"
    )
    assert parties.find_duplicates(None, parties.validate_party(other_town)) == []
    confirmed = make_case(
        admin,
        creditor_id=creditor_id,
        debtor=cases[0],
        invoices=[("F-X", "01/03/2026", "31/03/2026", "10")],
        confirm_duplicate=True,
    )
    assert confirmed.debtor_id != first.debtor_id


def test_text_is_kept_exactly_as_typed(admin: Actor) -> None:
    name = 'Ça & Cie <b>"Dupont"</b> l\'atelier 🚀 شركة النور'
    view = make_case(
        admin,
        debtor=company_debtor(name, siren=None, email=None, phone=None),
        invoices=[("F<1>&'\"", "01/03/2026", "31/03/2026", "10")],
    )
    with read_session() as session:
        debtor = session.get(Party, view.debtor_id)
        assert debtor is not None and debtor.company_name == name == debtor.display_name
        claim = session.get(Claim, view.claim_ids[0])
        assert claim is not None and claim.invoice_number == "F<1>&'\""
    found = parties.search_parties(admin, "النور")
    assert [p.display_name for p in found] == [name]


def test_viewer_cannot_create_and_blob_is_shared(admin: Actor) -> None:
    viewer = actor_with_role(admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        make_case(viewer)
    make_case(admin, files=[pdf_file()])
    make_case(
        admin,
        debtor=person_debtor(),
        kind=DebtorKind.CONSUMER,
        invoices=[("F-2", "01/03/2026", "31/03/2026", "10")],
        files=[pdf_file("copie.pdf")],
    )
    assert _count(Document) == 2 and _count(DocumentBlob) == 1


def test_add_claim_with_optimistic_locking(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    view = make_case(admin)
    added = intake.add_claim(
        collector,
        view.reference,
        ClaimInput("F-002", "01/04/2026", "30/04/2026", "100,44"),
        view.version,
    )
    assert added.version == view.version + 1
    assert added.balance_cents == 123456 + 10044 and len(added.claim_ids) == 2
    with pytest.raises(StaleVersion) as exc:
        intake.add_claim(
            admin,
            view.reference,
            ClaimInput("F-003", "01/04/2026", "30/04/2026", "1"),
            view.version,
        )
    assert "modifié par Test Chargé de recouvrement le " in exc.value.message
    assert exc.value.message.endswith(": rechargez la page.")
    assert _count(Claim) == 2


def test_add_party_and_search_by_siren_email_phone(admin: Actor) -> None:
    creditor = parties.add_party(admin, creditor_input())
    assert creditor.display_name == "Fournitures Durand SAS" and creditor.siren == "732829320"
    make_case(admin, creditor_id=creditor.id)
    for text in ("732 829", "compta@martin", "06 12 34", "martin"):
        found = parties.search_parties(admin, text)
        assert found, text
    assert [p.display_name for p in parties.search_parties(admin, "732829")] == [
        "Fournitures Durand SAS"
    ]
    assert [p.display_name for p in parties.search_parties(admin, "0612")] == [
        "Bâtiment Martin SARL"
    ]
    assert [p.id for p in parties.search_parties(admin, "", kind=PartyKind.PERSON)] == []
    with read_session() as session:
        actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("party.create") == 2
    with pytest.raises(PermissionDenied):
        parties.add_party(actor_with_role(admin, Role.VIEWER), creditor_input("Autre"))


def test_party_search_takes_percent_and_underscore_as_characters(admin: Actor) -> None:
    make_case(admin, debtor=company_debtor("Remise 50% SARL", siren=None, email=None, phone=None))
    make_case(
        admin,
        debtor=company_debtor("Atelier_Bois", siren=None, email="a_b@bois.fr", phone=None),
        confirm_duplicate=True,
    )
    assert [p.display_name for p in parties.search_parties(admin, "%")] == ["Remise 50% SARL"]
    assert [p.display_name for p in parties.search_parties(admin, "_")] == ["Atelier_Bois"]
    assert parties.search_parties(admin, "e%s") == []


def test_accented_capitals_match_on_both_databases(admin: Actor) -> None:
    first = make_case(
        admin, debtor=company_debtor("ÉLECTRICITÉ GÉNÉRALE", siren=None, email=None, phone=None)
    )
    typed = parties.validate_party(
        company_debtor("électricité générale", siren=None, email=None, phone=None)
    )
    [match] = parties.find_duplicates(None, typed)
    assert match.party.id == first.debtor_id and match.reasons == ("même nom et code postal",)
    assert [p.id for p in parties.search_parties(admin, "électricité")] == [first.debtor_id]
