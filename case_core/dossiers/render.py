"""Rendering the dossier: DOCX from the template (docxtpl, autoescape), PDF through LibreOffice.

Text typed by users goes in exactly (templates.escaping prepares every string of the context).
A template error raises a French CaseError: no truncated document ever comes out.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from case_core.dossiers.template import TEMPLATE_PATH
from case_core.kernel.errors import CaseError
from case_core.templates.escaping import prepare

SOFFICE_TIMEOUT_S = 120


class DossierRenderError(CaseError):
    """The template could not be rendered into a complete document."""


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
