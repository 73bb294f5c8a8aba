"""Every stored text column has a French name, so that a refusal names it in French."""

from __future__ import annotations

from sqlalchemy import JSON, String, TypeDecorator
from sqlmodel import SQLModel

import case_core.models  # noqa: F401  (registers every table)
from case_core.models.labels import FIELD_LABELS, TABLE_FIELD_LABELS


def test_every_text_column_has_a_french_label() -> None:
    missing = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            base = kind.impl if isinstance(kind, TypeDecorator) else kind
            if not isinstance(base, String | JSON):
                continue
            if (
                column.name not in FIELD_LABELS
                and (table.name, column.name) not in TABLE_FIELD_LABELS
            ):
                missing.append(f"{table.name}.{column.name}")
    assert missing == []
