"""Documents of a case, uploaded or generated. The bytes are stored once per sha256
(DocumentBlob) in the database, so every replica of the app serves them."""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from sqlmodel import Session, col, select

from case_core.kernel import config
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import current
from case_core.models import Case, Document, DocumentBlob, DocumentKind

# What a user may upload as a supporting document, recognised by its content (the
# `filetype` library's signatures) AND by its name: MIME type -> (label, accepted extensions).
ACCEPTED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "application/pdf": ("PDF", (".pdf",)),
    "image/png": ("image PNG", (".png",)),
    "image/jpeg": ("image JPEG", (".jpg", ".jpeg")),
}
FILENAME_MAX = 255
# Characters that reverse or hide text when a name is displayed ("facture‮fdp.exe" reads
# as "factureexe.pdf"): a name holding one is refused, not cleaned, since it was made to
# deceive.
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Reserved on Windows, or path separators anywhere.
_RESERVED = re.compile(r'[<>:"/\\|?*]')


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
    """The accepted MIME type the content's signature shows, or None."""
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        return None
    return str(kind.mime)


def clean_filename(filename: str) -> str:
    """A name safe to store, show and offer for download: the last path component (a
    browser may send a full Windows path), Unicode NFC, without control, format or
    bidirectional characters nor characters reserved in file names, no leading dot, at most
    255 characters (the extension kept)."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > FILENAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (
            (stem[: FILENAME_MAX - 1 - len(ext)] + dot + ext)
            if dot and len(ext) < 20
            else name[:FILENAME_MAX]
        )
    return name or "document"


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def check_upload(filename: str, content: bytes, field: str = "file") -> str:
    """The MIME type of an acceptable upload: a PDF, PNG or JPEG by its content, whose name
    ends with that type's extension, within the size limit. French messages otherwise."""
    limit = config.max_upload_bytes()
    raw = PureWindowsPath(PurePosixPath(filename or "").name).name
    shown = clean_filename(filename)
    if any(c in _BIDI_CONTROLS for c in raw):
        raise ValidationError(
            {
                field: f"Le nom du fichier « {shown} » contient des caractères qui inversent "
                "le sens d'écriture (utilisés pour déguiser un fichier) : renommez-le."
            }
        )
    if len(raw.strip()) > FILENAME_MAX:
        raise ValidationError(
            {field: f"Le nom du fichier dépasse {FILENAME_MAX} caractères : raccourcissez-le."}
        )
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
    label, extensions = ACCEPTED_TYPES[mime]
    if _extension(shown) not in extensions:
        raise ValidationError(
            {
                field: f"Le nom du fichier « {shown} » ne correspond pas à son contenu "
                f"({label}) : un fichier {label} doit finir par {' ou '.join(extensions)}."
            }
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
