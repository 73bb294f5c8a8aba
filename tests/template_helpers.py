"""Checking a Word template's documented context against a real one, and reading a document."""

from __future__ import annotations

import io
from typing import Any

from docx import Document


def assert_same_fields(sample: Any, real: Any, path: str = "") -> None:
    """Same keys at every level; a list is compared by its first item (when the real one
    has items); a field the real context leaves empty ("") may be a dict in the sample."""
    if isinstance(real, dict):
        assert isinstance(sample, dict) and set(sample) == set(real), path
        for key in real:
            assert_same_fields(sample[key], real[key], f"{path}.{key}")
    elif isinstance(real, list):
        assert isinstance(sample, list) and sample, path
        if real:
            assert_same_fields(sample[0], real[0], f"{path}[]")
    elif real == "" and isinstance(sample, dict):
        return
    else:
        assert type(sample) is type(real), path


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a DOCX, reopened with python-docx."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)
