"""Reading uploaded spreadsheets (CSV in any common dialect, XLSX) into rows of text.

Every cell comes back as the text the user typed: formulas such as `=HYPERLINK(…)`
stay text (they are never evaluated), emoji and right-to-left scripts are untouched.
Whatever is written back out (rejected rows, exports) goes through `safe_cell`, which
neutralises formulas so that a spreadsheet opening the file does not run them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from case_core.kernel import config
from case_core.kernel.errors import ValidationError
from case_core.kernel.text import safe_cell

DELIMITERS = ";,\t|"
# What an import reads at most, whatever the file claims: a small XLSX can unfold into
# millions of cells, and a CSV line into one huge cell.
MAX_ROWS = 500_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls and other OLE files
_DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre"}


@dataclass(frozen=True)
class TableRow:
    number: int  # line of the file (CSV) or sheet row (XLSX) where the row starts
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[TableRow]
    header_row: int
    file_format: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def description(self) -> str:
        """How the file was read, for the user to check (« CSV, UTF-8, séparateur … »)."""
        if self.file_format == "xlsx":
            return f"Classeur XLSX, {len(self.rows)} lignes de données"
        sep = _DELIMITER_NAMES.get(self.delimiter or "", repr(self.delimiter))
        return f"CSV {self.encoding}, séparateur {sep}, {len(self.rows)} lignes de données"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_size(size: int, max_bytes: int | None = None) -> None:
    """Refuse a file of `size` bytes above the import limit (before reading it)."""
    limit = max_bytes if max_bytes is not None else config.max_import_bytes()
    if size > limit:
        raise _refuse(
            f"Le fichier fait {_mb(size)} Mo : la limite est de {_mb(limit)} Mo. "
            "Découpez-le en plusieurs fichiers."
        )


def read_table(data: bytes, filename: str = "", max_bytes: int | None = None) -> Table:
    """The header and data rows of a CSV or XLSX file; a clear French error otherwise."""
    check_size(len(data), max_bytes)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _refuse("Le fichier est vide.")
    if data.startswith(_XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if data.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise _refuse(
            "Format Excel 97-2003 (.xls) non pris en charge : enregistrez le fichier en "
            "XLSX ou en CSV."
        )
    text, encoding = decode_text(data)
    return read_csv_text(text, DELIMITERS, encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252; binary refused.
    Returns the text and the name of the encoding used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _reject_control_chars(data.decode("utf-16")), "UTF-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise _binary()
    try:
        return _reject_control_chars(data.decode("utf-8-sig")), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return _reject_control_chars(data.decode("cp1252")), "Windows-1252"
    except UnicodeDecodeError:
        raise _refuse(
            "Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8 (ou Windows-1252)."
        ) from None


def _binary() -> ValidationError:
    return _refuse(
        "Le fichier ne ressemble pas à un tableau (contenu binaire) : déposez un CSV ou un XLSX."
    )


def _reject_control_chars(text: str) -> str:
    # Text files hold tabs and line breaks, hardly any other control character;
    # many of them mean an image, an archive or a PDF renamed to .csv.
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > 5:
        raise _binary()
    return text


def sniff_delimiter(sample: str, allowed: str = DELIMITERS) -> str:
    """csv.Sniffer first; when it hesitates, the candidate most frequent on the first line."""
    try:
        found = csv.Sniffer().sniff(sample, delimiters=allowed).delimiter
        if found in allowed:
            return found
    except csv.Error:
        pass
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in allowed}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else allowed[0]


def read_csv_text(
    text: str, allowed_delimiters: str = DELIMITERS, encoding: str | None = None
) -> Table:
    delimiter = sniff_delimiter(text[: 64 * 1024], allowed_delimiters)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    headers: list[str] | None = None
    header_row = 0
    rows: list[TableRow] = []
    line = data_end = 0
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            _check_bounds(record, start, len(rows))
            if headers is None:
                headers, header_row = unique_headers(record), start
            else:
                rows.append(TableRow(start, record))
                data_end = line
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _cell_too_long(reader.line_num, None) from None
        raise _refuse(
            f"CSV mal formé à la ligne {reader.line_num} ({_csv_reason(exc)}) : vérifiez les "
            "guillemets de cette ligne."
        ) from None
    if headers is None:
        raise _refuse("Le fichier est vide.")
    if rows and _last_line_cut(text, data_end, line):
        raise _refuse(
            f"La dernière ligne (ligne {rows[-1].number}) ne se termine pas par un saut de "
            "ligne : le fichier semble coupé (téléchargement ou copie interrompus), et "
            "cette ligne pourrait être incomplète (un montant tronqué…). Rien n'a été "
            "importé. Vérifiez que le fichier est complet ; si cette ligne l'est, ajoutez un "
            "saut de ligne à la fin du fichier et déposez-le à nouveau."
        )
    return Table(headers, rows, header_row, "csv", encoding, delimiter)


def _last_line_cut(text: str, data_end: int, last_line: int) -> bool:
    """Whether the file stops inside its last data row: every program that writes CSV ends
    each line, the last one included, with a line break; a cut download does not."""
    if text.rstrip(" \t").endswith(("\n", "\r")):
        return False
    # Blank records after the last data row (« ;; ») leave that row whole.
    return data_end == last_line


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _check_bounds(cells: list[str] | tuple[str, ...], row: int, data_rows: int) -> None:
    if data_rows >= MAX_ROWS:
        raise _refuse(
            f"Le fichier compte plus de {_grouped(MAX_ROWS)} lignes de données : découpez-le "
            "en plusieurs fichiers."
        )
    if len(cells) > MAX_COLUMNS:
        raise _too_many_columns(row, len(cells))
    for index, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL_CHARS:
            raise _cell_too_long(row, index)


def _too_many_columns(row: int, width: int) -> ValidationError:
    return _refuse(
        f"La ligne {row} a une valeur en colonne {column_letter(width)} (n° {width}) : un "
        f"import lit au plus {MAX_COLUMNS} colonnes. Supprimez les colonnes inutiles."
    )


def _cell_too_long(row: int, column: int | None) -> ValidationError:
    where = f"la colonne {column_letter(column)}" if column else "une cellule"
    return _refuse(
        f"À la ligne {row}, {where} dépasse {_grouped(MAX_CELL_CHARS)} caractères : "
        "vérifiez les guillemets de cette ligne ou raccourcissez le texte."
    )


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "unexpected end of data" in message or "EOF" in message:
        return "guillemet ouvert jamais refermé"
    if "expected" in message and "after" in message:
        return "caractère inattendu après un guillemet fermant"
    return message


def unique_headers(record: list[str]) -> list[str]:
    """Header names stripped, blanks named « Colonne N », duplicates numbered."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(record, start=1):
        name = raw.strip().lstrip("\ufeff") or f"Colonne {index}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse a workbook whose parts unfold beyond the limit, before parsing any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unfolded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # load_workbook gives its own message
    if unfolded > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise _refuse(
            f"Le classeur XLSX se décompresse en {_mb(unfolded)} Mo : la limite est de "
            f"{_mb(MAX_XLSX_UNCOMPRESSED_BYTES)} Mo. Enregistrez-le en CSV ou découpez-le."
        )


def _xlsx_cells(values: tuple[object, ...], number: int) -> list[str]:
    """The row's cells up to its last value; a value beyond MAX_COLUMNS is refused (an
    empty but formatted far-right cell is not)."""
    if len(values) > MAX_COLUMNS:
        last = max((i for i, v in enumerate(values) if v not in (None, "")), default=-1)
        if last >= MAX_COLUMNS:
            raise _too_many_columns(number, last + 1)
        values = values[:MAX_COLUMNS]
    return [cell_text(v) for v in values]


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    _check_xlsx_archive(data)
    try:
        # data_only=False: a formula cell reads as its text (« =HYPERLINK(…) »), never run.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _refuse(
            "Classeur XLSX illisible ou endommagé : ouvrez-le et enregistrez-le à nouveau."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong <dimension>; read-only mode would trust it and stop early.
        sheet.reset_dimensions()
        headers: list[str] | None = None
        header_row = 0
        rows: list[TableRow] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _xlsx_cells(values, number)
            if not any(c.strip() for c in cells):
                continue
            _check_bounds(cells, number, len(rows))
            if headers is None:
                headers, header_row = unique_headers(cells), number
            else:
                rows.append(TableRow(number, cells))
    finally:
        workbook.close()
    if headers is None:
        raise _refuse("Le classeur est vide.")
    while headers and headers[-1].startswith("Colonne "):
        # Formatted but empty trailing columns come back as None headers.
        if any(len(r.cells) >= len(headers) and r.cells[len(headers) - 1].strip() for r in rows):
            break
        headers.pop()
    return Table(headers, rows, header_row, "xlsx")


def cell_text(value: object) -> str:
    """An XLSX cell as the text a user reads in it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    return str(value)


def write_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    """A CSV French Excel opens as is: UTF-8 with BOM, `;` separated, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
