"""The one renderer of the Word templates: DOCX from a template (docxtpl, autoescape), and PDF
through LibreOffice.

Text typed by users goes in exactly (escaping.prepare makes every string of the context safe for
the document XML). The result is reopened before it is returned: a template error raises a
French CaseError naming the template, and no truncated document ever comes out.
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
from jinja2 import Environment, StrictUndefined, TemplateError

from case_core.kernel.errors import CaseError
from case_core.templates.escaping import prepare
from case_core.templates.registry import TEMPLATES

SOFFICE_TIMEOUT_S = 120


class TemplateRenderError(CaseError):
    """The template could not be rendered into a complete document."""

    def __init__(self, message: str, detail: str, *, in_tag: bool = False) -> None:
        super().__init__(message)
        # What went wrong, without the template's name (the upload check words it its way).
        self.detail = detail
        self.in_tag = in_tag


def template_label(name: str) -> str:
    """« Mise en demeure » (mise_en_demeure.docx) for a registered template, else its file."""
    spec = TEMPLATES.get(name)
    return f"« {spec.title} » ({name})" if spec else f"« {name} »"


def render_docx(
    template: Path | bytes,
    context: dict[str, Any],
    name: str | None = None,
    *,
    strict: bool = False,
) -> bytes:
    """The document from `template` (a path, or the bytes of the version in use) and `context`.

    `name` is the template's file name (a path names itself); `strict` refuses any variable the
    context lacks (the check of an upload) instead of printing it empty."""
    name = name or (template.name if isinstance(template, Path) else "modèle")
    source = str(template) if isinstance(template, Path) else io.BytesIO(template)
    env = Environment(autoescape=True, undefined=StrictUndefined) if strict else None
    try:
        doc = DocxTemplate(source)
        doc.render(prepare(context), jinja_env=env, autoescape=True)
        out = io.BytesIO()
        doc.save(out)
        content = out.getvalue()
        open_docx(io.BytesIO(content))  # a document Word will open, or an error here
    except TemplateError as exc:
        detail = str(exc.message or exc)
        raise TemplateRenderError(
            f"Le modèle {template_label(name)} contient une balise invalide : {detail}. "
            "Aucun document n'a été produit.",
            detail,
            in_tag=True,
        ) from exc
    except Exception as exc:
        raise TemplateRenderError(
            f"Le document n'a pas pu être produit à partir du modèle {template_label(name)} "
            f"({type(exc).__name__}). Aucun document n'a été produit.",
            type(exc).__name__,
        ) from exc
    return content


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, name: str = "document") -> bytes | None:
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
