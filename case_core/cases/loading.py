"""Finding a case by its reference, for reads. (Writes lock it through cases.change.)"""

from __future__ import annotations

from sqlmodel import Session, select

from case_core.kernel.errors import NotFound
from case_core.models import Case


def get_case(session: Session, reference: str) -> Case:
    case = session.exec(select(Case).where(Case.reference == (reference or "").strip())).first()
    if case is None:
        raise NotFound(f"Dossier introuvable : « {reference} ».")
    return case
