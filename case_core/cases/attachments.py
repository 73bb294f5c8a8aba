"""Supporting documents of a case: a user attaches one, anyone who reads the case lists them.
(The storage itself, by sha256, is documents.store.)"""

from __future__ import annotations

from case_core.cases.change import change_case
from case_core.cases.loading import get_case
from case_core.documents.store import (
    DocumentInfo,
    check_upload,
    info_of,
    list_documents,
    store_document,
)
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.permissions import Perm, require
from case_core.models import DocumentKind


def upload_document(
    actor: Actor,
    reference: str,
    filename: str,
    content: bytes,
    kind: DocumentKind = DocumentKind.OTHER,
    expected_version: int | None = None,
) -> DocumentInfo:
    """A user adds a supporting document to a case (one transaction)."""
    require(actor, Perm.DOCUMENTS_UPLOAD)
    check_upload(filename, content)
    with change_case(
        actor, Perm.DOCUMENTS_UPLOAD, reference, "document.add", expected_version=expected_version
    ) as work:
        doc = store_document(work.session, actor, work.case, filename, content, kind)
    return info_of(doc)


def case_documents(actor: Actor, reference: str) -> list[DocumentInfo]:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        case = get_case(session, reference)
        assert case.id is not None
        return list_documents(session, case.id)
