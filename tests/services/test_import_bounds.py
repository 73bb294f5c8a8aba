"""Spreadsheet imports bound what they read (rows, columns, cell size, decompressed size)
and report a CSV cut in its last line instead of importing a wrong row."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from case_core.imports import tabular
from case_core.imports.tabular import read_table
from case_core.kernel.errors import ValidationError

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
    "</Relationships>"
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(rows_xml: str) -> bytes:
    """A minimal workbook whose first sheet holds `rows_xml`, written as a hostile tool
    would (no dimension, cells anywhere)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def _header_xml() -> str:
    return f'<row r="1">{_cell("A1", "Facture")}{_cell("B1", "Montant")}</row>'


def test_a_small_xlsx_with_a_value_in_column_xfd_on_every_row_is_refused_fast() -> None:
    rows = "".join(
        f'<row r="{i}">{_cell(f"A{i}", "F")}{_cell(f"XFD{i}", "x")}</row>' for i in range(2, 20002)
    )
    data = xlsx(_header_xml() + rows)
    assert len(data) < 200 * 1024
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        read_table(data, "piège.xlsx")
    assert time.monotonic() - started < 2
    assert "colonne XFD (n° 16384)" in refused.value.message
    assert "au plus 200 colonnes" in refused.value.message


def test_an_empty_formatted_far_right_cell_does_not_count_as_a_column() -> None:
    rows = "".join(
        f'<row r="{i}">{_cell(f"A{i}", f"F-{i}")}{_cell(f"B{i}", "12,50")}'
        f'<c r="XFD{i}" s="0"/></row>'
        for i in range(2, 52)
    )
    table = read_table(xlsx(_header_xml() + rows), "mise-en-forme.xlsx")
    assert table.headers == ["Facture", "Montant"]
    assert len(table.rows) == 50 and table.rows[0].cells[:2] == ["F-2", "12,50"]


def test_an_xlsx_unfolding_beyond_the_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tabular, "MAX_XLSX_UNCOMPRESSED_BYTES", 1024 * 1024)
    rows = "".join(f'<row r="{i}">{_cell(f"A{i}", "x" * 100)}</row>' for i in range(2, 20002))
    data = xlsx(_header_xml() + rows)
    assert len(data) < 1024 * 1024
    with pytest.raises(ValidationError, match=r"se décompresse en .* Mo : la limite est de 1,0 Mo"):
        read_table(data, "bombe.xlsx")


def test_rows_beyond_the_limit_are_refused_in_csv_and_xlsx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 100)
    csv_data = ("Facture;Montant\n" + "".join(f"F-{i};1,00\n" for i in range(101))).encode()
    with pytest.raises(ValidationError, match="plus de 100 lignes de données"):
        read_table(csv_data, "f.csv")
    assert len(read_table(csv_data.rsplit(b"F-100", 1)[0], "f.csv").rows) == 100
    rows = "".join(f'<row r="{i}">{_cell(f"A{i}", "F")}</row>' for i in range(2, 103))
    with pytest.raises(ValidationError, match="plus de 100 lignes de données"):
        read_table(xlsx(_header_xml() + rows), "f.xlsx")


def test_too_many_columns_and_too_long_cells_are_refused_in_french() -> None:
    wide = ";".join(f"C{i}" for i in range(201))
    with pytest.raises(ValidationError, match=r"colonne GS \(n° 201\)"):
        read_table(f"{wide}\n".encode(), "large.csv")
    long_cell = f"Facture;Note\nF-1;{'a' * 10_001}\n".encode()
    with pytest.raises(ValidationError, match="la colonne B dépasse 10\u202f000 caractères"):
        read_table(long_cell, "f.csv")
    # Beyond the csv module's own field limit (an unclosed quote swallowing the file).
    swallowed = f'Facture;Note\nF-1;"{"a" * 140_000}"\n'.encode()
    with pytest.raises(ValidationError, match="dépasse 10\u202f000 caractères"):
        read_table(swallowed, "f.csv")


def test_a_csv_cut_in_its_last_line_is_reported_not_imported() -> None:
    whole = "Facture;Montant\r\nF-1;100,00\r\nF-2;12 345,67\r\n"
    assert [r.cells for r in read_table(whole.encode(), "f.csv").rows] == [
        ["F-1", "100,00"],
        ["F-2", "12 345,67"],
    ]
    cut = whole[: whole.index("345,67")]  # « F-2;12 » would read as 12,00 €
    with pytest.raises(ValidationError) as refused:
        read_table(cut.encode(), "f.csv")
    assert "La dernière ligne (ligne 3) ne se termine pas par un saut de ligne" in (
        refused.value.message
    )
    assert "Rien n'a été importé" in refused.value.message


@pytest.mark.parametrize(
    "tail",
    ["\r\n;;", "\r\n   ", "\n"],
    ids=["blank-record", "spaces", "lf"],
)
def test_a_whole_last_line_followed_by_blanks_is_not_taken_as_cut(tail: str) -> None:
    data = ("Facture;Montant\r\nF-1;100,00" + tail).encode()
    assert [r.cells for r in read_table(data, "f.csv").rows] == [["F-1", "100,00"]]
