"""What text may hold, and text written where a spreadsheet will read it.

Forbidden in anything stored: the C0 control characters other than tab, line feed and
carriage return (NUL makes PostgreSQL refuse the statement; a vertical tab, which Word's
Shift+Enter pastes, cannot be written to an XLSX file nor to a Word document), lone
surrogates (not encodable in UTF-8: the driver fails) and U+FFFE/U+FFFF (not XML). Everything
else (accents, emoji, right-to-left text, `{{ }}`, `& < >`) is stored as typed: letters and
exports escape it where they write it.
"""

from __future__ import annotations

import re
import unicodedata

FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_NAMES = {
    "\x00": "caractère nul",
    "\x0b": "tabulation verticale, qu'un copier-coller depuis Word peut apporter",
    "\x0c": "saut de page",
    "\x1b": "échappement",
}

# A cell starting with one of these runs as a formula in Excel or LibreOffice
# (=HYPERLINK(…) leaks data, =cmd|… runs a program): CSV injection.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A figure (« -12,50 », « -1 234,56 € ») is data a spreadsheet reads as a number, not a formula.
_FIGURE = re.compile(r"^-?[\d \u00a0\u202f]+(,\d+)?([ \u00a0\u202f]?[€%])?$")


def forbidden_char(value: str) -> str | None:
    """A French description of the first forbidden character of `value` and where it is,
    or None when the text may be stored."""
    match = FORBIDDEN_CHARS.search(value)
    if match is None:
        return None
    char = match.group()
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char) or unicodedata.name(char, "caractère de contrôle").lower()
    if "\ud800" <= char <= "\udfff":
        name = "caractère Unicode incomplet"
    return f"caractère interdit en position {match.start() + 1} ({code}, {name})"


def without_forbidden(value: str) -> str:
    """`value` with its forbidden characters removed: for what is only read (a search), never
    for what is stored."""
    return FORBIDDEN_CHARS.sub("", value)


def safe_cell(value: str | None) -> str:
    """Text written to a CSV or XLSX cell a spreadsheet will open: a formula is neutralised
    by a leading apostrophe and characters an XLSX cannot hold are dropped (rows stored
    before they were refused at input must still export)."""
    text = without_forbidden(value or "")
    if text.startswith(_FORMULA_PREFIXES) and not _FIGURE.match(text):
        return "'" + text
    return text
