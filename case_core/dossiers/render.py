"""Rendering the dossier: DOCX from the template (docxtpl, autoescape), PDF through LibreOffice.

Text typed by users goes in exactly: every string of the context is XML-escaped here (and its
underscores written as a character reference, so that docxtpl's own « {_{ » unescaping cannot
touch a user's « {_{ »); characters XML cannot hold are dropped; newlines become line breaks.
A template error raises a French CaseError: no truncated document ever comes out.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from markupsafe import Markup, escape

from case_core.dossiers.template import TEMPLATE_PATH
from case_core.kernel.errors import CaseError

# XML 1.0 forbids these (tab and newline aside); docxtpl reads \a and \f as paragraph breaks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SOFFICE_TIMEOUT_S = 120


class DossierRenderError(CaseError):
    """The template could not be rendered into a complete document."""


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


def render_docx(context: dict[str, Any], template: Path | bytes = TEMPLATE_PATH) -> bytes:
    """The dossier from `template` (a path, or the bytes of the version in use)."""
    name = template.name if isinstance(template, Path) else TEMPLATE_PATH.name
    source = str(template) if isinstance(template, Path) else io.BytesIO(template)
    try:
        doc = DocxTemplate(source)
        doc.render(prepare(context), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
        content = out.getvalue()
        open_docx(io.BytesIO(content))  # a document Word will open, or an error here
    except TemplateError as exc:
        raise DossierRenderError(
            f"Le modèle « {name} » contient une balise invalide : {exc}. "
            "Aucun dossier n'a été produit."
        ) from exc
    except Exception as exc:
        raise DossierRenderError(
            f"Le dossier n'a pas pu être produit à partir du modèle « {name} » "
            f"({type(exc).__name__}). Aucun dossier n'a été produit."
        ) from exc
    return content


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, name: str = "dossier") -> bytes | None:
    """The DOCX converted by LibreOffice (headless), or None when LibreOffice is missing or
    fails: the DOCX alone is then offered."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(docx)
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=SOFFICE_TIMEOUT_S,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        target = Path(tmp) / f"{name}.pdf"
        return target.read_bytes() if target.exists() else None
