"""Generating the dossier of a case: the DOCX, its PDF when LibreOffice is there, and the ZIP
with every exhibit. Reading only: handing the case over is `dossiers.handover`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_core.cases.loading import get_case
from case_core.dossiers.context import DossierData, DossierOptions, build_dossier
from case_core.dossiers.exhibits import build_zip, load_files
from case_core.dossiers.render import render_docx, to_pdf
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.permissions import Perm, require
from case_core.models import utcnow


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
    # Rendering and LibreOffice run after the connection went back to the pool.
    docx = render_docx(data.context)
    pdf = to_pdf(docx) if with_pdf else None
    name = dossier_name(data.reference, data.at)
    return DossierFile(
        data.reference, name, docx, pdf, build_zip(name, docx, pdf, files, utcnow()), data
    )
