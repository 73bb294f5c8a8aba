"""Documents of a case, generated or uploaded; the bytes live in the database so that
every replica of the app sees them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from case_core.models.base import LabelledEnum, add_stored_labels, enum_field, instant_field


class DocumentKind(LabelledEnum):
    INVOICE = "invoice"
    CONTRACT = "contract"
    ORDER = "order"
    LETTER = "letter"
    DOSSIER = "dossier"
    AGREEMENT = "agreement"
    OTHER = "other"


add_stored_labels(
    [
        (DocumentKind.INVOICE, "Facture"),
        (DocumentKind.CONTRACT, "Contrat"),
        (DocumentKind.ORDER, "Bon de commande"),
        (DocumentKind.LETTER, "Courrier"),
        (DocumentKind.DOSSIER, "Dossier de transmission"),
        (DocumentKind.AGREEMENT, "Accord"),
        (DocumentKind.OTHER, "Autre"),
    ]
)


class DocumentBlob(SQLModel, table=True):
    __tablename__ = "document_blobs"

    sha256: str = Field(primary_key=True, max_length=64)
    content: bytes = Field(sa_type=LargeBinary)


class Document(SQLModel, table=True):
    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: DocumentKind = enum_field(default=DocumentKind.OTHER)
    filename: str = Field(max_length=255)
    mime_type: str = Field(max_length=120)
    size_bytes: int
    sha256: str = Field(foreign_key="document_blobs.sha256", max_length=64)
    generated: bool = Field(default=False)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
