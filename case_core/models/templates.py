"""Versions of the Word templates uploaded by users; the bytes live in document_blobs.

The shipped file in templates_docx/ is version 0; each upload or restore is a new row, the
highest version being the one in use, so that no version is ever lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from case_core.models.base import instant_field


class TemplateVersion(SQLModel, table=True):
    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, index=True)  # the template's file name
    version: int
    sha256: str = Field(foreign_key="document_blobs.sha256", max_length=64)
    size_bytes: int
    filename: str = Field(max_length=255)  # as uploaded
    note: str | None = Field(default=None, max_length=500)
    restored_from_version: int | None = Field(default=None)
    created_at: datetime = instant_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
