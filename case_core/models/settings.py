"""Settings users can change, and saved import mappings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from case_core.models.base import instant_field


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_settings"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(sa_type=Text)  # JSON
    updated_at: datetime = instant_field(default_now=True)


class ImportMapping(SQLModel, table=True):
    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("creditor_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="parties.id", index=True)
    name: str = Field(max_length=100)
    mapping: str = Field(sa_type=Text)  # JSON: {field: column header}
    updated_at: datetime = instant_field(default_now=True)
