"""Generating the dossier of a case: the DOCX, its PDF when LibreOffice is there, and the ZIP
with every exhibit. Reading only: handing the case over is `dossiers.handover`."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from case_core.cases.loading import get_case
from case_core.dossiers.context import DossierData, DossierOptions, build_dossier
from case_core.dossiers.exhibits import build_zip, load_files
from case_core.dossiers.template import TEMPLATE_NAME
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, require
from case_core.models import utcnow
from case_core.templates.render import render_docx, to_pdf
from case_core.templates.store import current_template


@dataclass(frozen=True)
class DossierFile:
    reference: str
    name: str  # without extension
    docx: bytes
    pdf: bytes | None
    zip_bytes: bytes
    data: DossierData

    @property
    def zip_name(self) -> str:
        return f"{self.name}.zip"

    @property
    def docx_name(self) -> str:
        return f"{self.name}.docx"


def dossier_name(reference: str, at: date) -> str:
    return f"Dossier contentieux {reference} {at:%Y-%m-%d}"


def generate_dossier(
    actor: Actor,
    reference: str,
    options: DossierOptions | None = None,
    *,
    today: date | None = None,
    with_pdf: bool = True,
) -> DossierFile:
    """The dossier of the case `reference` as it stands; nothing is written."""
    require(actor, Perm.DOSSIERS_GENERATE)
    options = options or DossierOptions()
    day = today or today_paris()
    with read_session() as session:
        case = get_case(session, reference)
        data = build_dossier(session, case, options, day)
        files = load_files(session, data.exhibits)
        template = current_template(session, TEMPLATE_NAME)
    # Rendering and LibreOffice run after the connection went back to the pool.
    docx = render_docx(template, data.context, TEMPLATE_NAME)
    pdf = to_pdf(docx) if with_pdf else None
    name = dossier_name(data.reference, data.at)
    return DossierFile(
        data.reference, name, docx, pdf, build_zip(name, docx, pdf, files, utcnow()), data
    )


@dataclass(frozen=True)
class DossierPreview:
    """What the page shows before the dossier is downloaded or handed over (small values)."""

    reference: str
    at: date
    claimed: str
    route: str
    court: str
    cerfa: str | None
    reasons: list[str]
    check_750_1: str
    check_750_1_ok: bool
    warnings: list[str]
    excluded: list[str]
    time_barred: list[str]
    exhibits: int
    file_name: str


def preview_dossier(
    actor: Actor, reference: str, options: DossierOptions, *, today: date | None = None
) -> DossierPreview:
    require(actor, Perm.DOSSIERS_GENERATE)
    day = today or today_paris()
    with read_session() as session:
        data = build_dossier(session, get_case(session, reference), options, day)
    rec = data.recommendation
    return DossierPreview(
        reference=data.reference,
        at=data.at,
        claimed=format_cents(data.claimed_cents),
        route=rec.route.label,
        court=rec.court_text,
        cerfa=rec.cerfa,
        reasons=rec.reasons,
        check_750_1=rec.check_750_1.text,
        check_750_1_ok=rec.check_750_1.satisfied,
        warnings=rec.warnings,
        excluded=[c.invoice_number for c in data.excluded],
        time_barred=[c.invoice_number for c in data.time_barred],
        exhibits=len(data.exhibits),
        file_name=f"{dossier_name(data.reference, data.at)}.zip",
    )


@dataclass(frozen=True)
class BulkDossiers:
    zip_bytes: bytes
    generated: list[str]
    failures: list[tuple[str, str]]


def generate_dossiers(
    actor: Actor,
    references: Sequence[str],
    options: DossierOptions,
    *,
    with_pdf: bool = False,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> BulkDossiers:
    """One dossier per case, each in a folder named by its reference; a case that fails is
    listed (erreurs.txt) without stopping the others. Nothing is written in the database."""
    require(actor, Perm.DOSSIERS_GENERATE)
    refs = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    generated: list[str] = []
    failures: list[tuple[str, str]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, ref in enumerate(refs, start=1):
            try:
                result = generate_dossier(actor, ref, options, today=today, with_pdf=with_pdf)
            except CaseError as exc:
                failures.append((ref, exc.message))
            else:
                with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as inner:
                    for name in inner.namelist():
                        archive.writestr(f"{result.reference}/{name}", inner.read(name))
                generated.append(result.reference)
            if progress:
                progress(n, len(refs))
        if failures:
            archive.writestr(
                "erreurs.txt", "\n".join(f"{ref} : {message}" for ref, message in failures)
            )
    return BulkDossiers(buffer.getvalue(), generated, failures)
