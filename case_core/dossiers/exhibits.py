"""The exhibits (pièces) joined to the dossier, numbered as in its bordereau, and the ZIP.

Which documents: the case's invoices, contracts, orders, letters and other supporting files,
then each mediation's failure record. Never a previous dossier, never a mediation agreement
(drafted for the mediation: confidential unless it is to be enforced).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from sqlmodel import Session, col, select

from case_core.kernel.errors import NotFound
from case_core.models import Document, DocumentBlob, DocumentKind

ORDER = (
    DocumentKind.INVOICE,
    DocumentKind.CONTRACT,
    DocumentKind.ORDER,
    DocumentKind.LETTER,
    DocumentKind.OTHER,
)
_LETTER_STEMS = {
    "relance_1": "Première relance",
    "relance_2": "Seconde relance",
    "mise_en_demeure": "Mise en demeure",
    "echeancier": "Échéancier",
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Exhibit:
    number: int
    title: str
    document_id: int
    filename: str  # the stored file's name

    @property
    def extension(self) -> str:
        return PurePosixPath(self.filename).suffix.lower()

    @property
    def zip_name(self) -> str:
        """« Pièce 03 - Facture F2025-118.pdf »."""
        title = _UNSAFE.sub("-", self.title).strip(" .-") or "Document"
        return f"Pièce {self.number:02d} - {title[:150]}{self.extension}"


def _stem(filename: str) -> str:
    return PurePosixPath(filename).stem


def _letter_title(filename: str) -> str:
    stem = _stem(filename)
    for prefix, label in _LETTER_STEMS.items():
        if stem.startswith(prefix):
            match = re.search(r"_(\d{4})(\d{2})(\d{2})$", stem)
            return f"{label} du {match[3]}/{match[2]}/{match[1]}" if match else label
    return f"Courrier — {stem}"


def title_of(doc: Document, invoice_numbers: Sequence[str], failure_records: set[int]) -> str:
    kind = DocumentKind(doc.kind)
    if doc.id in failure_records:
        return "Constat de fin de médiation"
    if kind == DocumentKind.INVOICE:
        lowered = doc.filename.lower()
        # The longest number first: « F-12 » must not claim the file of « F-123 ».
        for number in sorted(invoice_numbers, key=len, reverse=True):
            if number.lower() in lowered:
                return f"Facture {number}"
        return f"Facture — {_stem(doc.filename)}"
    if kind == DocumentKind.LETTER:
        return _letter_title(doc.filename)
    if kind == DocumentKind.OTHER:
        return _stem(doc.filename)
    return f"{kind.label} — {_stem(doc.filename)}"


def select_exhibits(
    session: Session,
    case_id: int,
    invoice_numbers: Sequence[str],
    failure_record_ids: Iterable[int | None] = (),
) -> list[Exhibit]:
    records = {i for i in failure_record_ids if i is not None}
    docs = session.exec(
        select(Document).where(Document.case_id == case_id).order_by(col(Document.id))
    ).all()
    chosen = [d for d in docs if DocumentKind(d.kind) in ORDER and d.id not in records]
    chosen.sort(key=lambda d: (ORDER.index(DocumentKind(d.kind)), d.id or 0))
    chosen += [d for d in docs if d.id in records]
    return [
        Exhibit(n, title_of(d, invoice_numbers, records), d.id or 0, d.filename)
        for n, d in enumerate(chosen, start=1)
    ]


def exhibit_content(session: Session, exhibit: Exhibit) -> bytes:
    doc = session.get(Document, exhibit.document_id)
    blob = session.get(DocumentBlob, doc.sha256) if doc else None
    if blob is None:
        raise NotFound(f"Contenu de la pièce n° {exhibit.number} introuvable.")
    return bytes(blob.content)


def load_files(session: Session, exhibits: Sequence[Exhibit]) -> list[tuple[str, bytes]]:
    """(name in the ZIP, bytes) of every exhibit, read while the session is open."""
    return [(x.zip_name, exhibit_content(session, x)) for x in exhibits]


def build_zip(
    dossier_name: str,
    docx: bytes,
    pdf: bytes | None,
    files: Sequence[tuple[str, bytes]],
    when: datetime | None = None,
) -> bytes:
    """The dossier (DOCX, and PDF when LibreOffice made one) and every exhibit by its number."""
    buffer = io.BytesIO()
    stamp = when.timetuple()[:6] if when else (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = [(f"{dossier_name}.docx", docx)]
        if pdf is not None:
            entries.append((f"{dossier_name}.pdf", pdf))
        for name, content in [*entries, *files]:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
