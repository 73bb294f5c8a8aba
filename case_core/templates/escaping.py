"""User text made safe for a Word template's XML, exactly as typed.

Every string of a context is XML-escaped (and its underscores written as a character reference,
so that docxtpl's own « {_{ » unescaping cannot touch a user's « {_{ »); characters XML cannot
hold are dropped; newlines become line breaks (docxtpl's listing pass).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

# XML 1.0 forbids these (tab and newline aside); docxtpl reads \a and \f as paragraph breaks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> Markup:
    clean = _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return Markup(str(escape(clean)).replace("_", "&#95;"))


def prepare(value: Any) -> Any:
    """The context with every string made safe for the document XML, exactly as typed."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {k: prepare(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [prepare(v) for v in value]
    return value
