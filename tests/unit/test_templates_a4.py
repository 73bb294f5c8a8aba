"""Every Word template users may edit is on A4 paper (python-docx starts from US Letter, on
which a French letter spilled onto a second page)."""

from __future__ import annotations

import pytest
from docx import Document

from tests.paths import TEMPLATES


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_template_is_a4(path: object) -> None:
    for section in Document(str(path)).sections:
        assert section.page_width is not None and section.page_height is not None
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
