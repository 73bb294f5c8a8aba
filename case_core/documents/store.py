"""Documents of a case, uploaded or generated. The bytes are stored once per sha256
(DocumentBlob) in the database, so every replica of the app serves them."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath

from sqlmodel import Session, col, select

from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import current
from case_core.models import Case, Document, DocumentBlob, DocumentKind

# What a user may upload as a supporting document: recognised by content, not by name.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    case_id: int
    kind: DocumentKind
    filename: str
    mime_type: str
    size_bytes: int
    sha256: str
    generated: bool
    created_at: datetime


@dataclass(frozen=True)
class DocumentContent:
    filename: str
    mime_type: str
    content: bytes


def info_of(doc: Document) -> DocumentInfo:
    assert doc.id is not None
    return DocumentInfo(
        id=doc.id,
        case_id=doc.case_id,
        kind=DocumentKind(doc.kind),
        filename=doc.filename,
        mime_type=doc.mime_type,
        size_bytes=doc.size_bytes,
        sha256=doc.sha256,
        generated=doc.generated,
        created_at=doc.created_at,
    )


def sniff_upload_type(content: bytes) -> str | None:
    for signature, mime in _SIGNATURES:
        if content.startswith(signature):
            return mime
    return None


def clean_filename(filename: str) -> str:
    """The last path component (a browser may send a full Windows path), at most 255 chars."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 20 else name[:255]
    return name or "document"


def check_upload(filename: str, content: bytes, field: str = "file") -> str:
    """The MIME type of an acceptable upload (PDF, PNG, JPEG within the size limit)."""
    limit = config.max_upload_bytes()
    shown = clean_filename(filename)
    if not content:
        raise ValidationError({field: f"Le fichier « {shown} » est vide."})
    if len(content) > limit:
        raise ValidationError(
            {
                field: f"Le fichier « {shown} » dépasse la taille maximale de "
                f"{limit // (1024 * 1024)} Mo ({len(content) / (1024 * 1024):.1f} Mo)."
            }
        )
    mime = sniff_upload_type(content)
    if mime is None:
        raise ValidationError(
            {field: f"Le fichier « {shown} » n'est ni un PDF ni une image PNG ou JPEG."}
        )
    return mime


def store_document(
    session: Session,
    actor: Actor,
    case: Case,
    filename: str,
    content: bytes,
    kind: DocumentKind = DocumentKind.OTHER,
    generated: bool = False,
) -> Document:
    """Attach `content` to `case` in the caller's change (kernel.unit_of_work).

    Uploads are checked (type sniffed, size limit); generated documents (letters,
    dossiers) take their MIME type from the file name.
    """
    if generated:
        if not content:
            raise ValidationError({"file": "Document généré vide."})
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    else:
        mime = check_upload(filename, content)
    digest = hashlib.sha256(content).hexdigest()
    if session.get(DocumentBlob, digest) is None:
        session.add(DocumentBlob(sha256=digest, content=content))
        session.flush()
    doc = Document(
        case_id=case.id,  # type: ignore[arg-type]
        kind=DocumentKind(kind),
        filename=clean_filename(filename),
        mime_type=mime,
        size_bytes=len(content),
        sha256=digest,
        generated=generated,
        created_by_id=actor.id,
    )
    session.add(doc)
    session.flush()
    current(session).name(doc, "document.add")
    return doc


def list_documents(session: Session, case_id: int) -> list[DocumentInfo]:
    docs = session.exec(
        select(Document).where(Document.case_id == case_id).order_by(col(Document.id))
    ).all()
    return [info_of(d) for d in docs]


def get_document_content(actor: Actor, document_id: int) -> DocumentContent:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFound("Document introuvable.")
        blob = session.get(DocumentBlob, doc.sha256)
        if blob is None:
            raise NotFound("Contenu du document introuvable.")
        return DocumentContent(doc.filename, doc.mime_type, bytes(blob.content))
