"""Attachments: the type is checked on the content AND the name; the stored name is safe;
a refusal is a French message and nothing changes."""

from __future__ import annotations

import pytest

from case_core.cases import attachments
from case_core.documents import store as documents
from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from tests.factories import PDF, PNG, make_case

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("facture.html", PDF, "ne correspond pas à son contenu (PDF)"),
        ("facture.pdf.exe", PDF, "ne correspond pas à son contenu (PDF)"),
        ("facture.pdf", PNG, "ne correspond pas à son contenu (image PNG)"),
        ("photo.png", JPEG, "doit finir par .jpg ou .jpeg"),
        # Displayed as « facturexe.pdf »: a right-to-left override hides the real .exe.
        ("factur\u202efdp.exe", PDF, "inversent le sens d'écriture"),
        ("factur\u202efdp.exe", EXE, "inversent le sens d'écriture"),
        ("facture.pdf", EXE, "n'est ni un PDF ni une image PNG ou JPEG"),
        ("page.html", b"<html><script>alert(1)</script></html>", "n'est ni un PDF"),
        ("f" * 300 + ".pdf", PDF, "dépasse 255 caractères"),
    ],
)
def test_a_disguised_or_mismatched_file_is_refused_and_nothing_changes(
    admin: Actor, name: str, content: bytes, message: str
) -> None:
    view = make_case(admin)
    before = attachments.case_documents(admin, view.reference)
    with pytest.raises(ValidationError) as refused:
        attachments.upload_document(admin, view.reference, name, content)
    assert message in refused.value.errors["file"]
    assert attachments.case_documents(admin, view.reference) == before


@pytest.mark.parametrize(
    ("name", "content", "stored", "mime"),
    [
        ("Facture.PDF", PDF, "Facture.PDF", "application/pdf"),
        ("scan.jpeg", JPEG, "scan.jpeg", "image/jpeg"),
        ("C:\\Users\\claire\\Bureau\\relance.pdf", PDF, "relance.pdf", "application/pdf"),
        ("../../etc/passwd.pdf", PDF, "passwd.pdf", "application/pdf"),
        ("a\x00b\u200b<c>:d.png", PNG, "ab_c__d.png", "image/png"),
        ("  .facture   mars.pdf ", PDF, "facture mars.pdf", "application/pdf"),
    ],
)
def test_an_accepted_file_is_stored_under_a_safe_name(
    admin: Actor, name: str, content: bytes, stored: str, mime: str
) -> None:
    view = make_case(admin)
    info = attachments.upload_document(admin, view.reference, name, content)
    assert (info.filename, info.mime_type) == (stored, mime)
    back = documents.get_document_content(admin, info.id)
    assert back.content == content and back.filename == stored
