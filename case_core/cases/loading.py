"""Finding a case by its reference, for reads. (Writes lock it through cases.change.)"""

from __future__ import annotations

from sqlmodel import Session, select

from case_core.kernel.db import per_run
from case_core.kernel.errors import NotFound
from case_core.models import Case


def get_case(session: Session, reference: str) -> Case:
    """The case of `reference` (loaded once per page run: the header and each tab read it
    by its reference)."""
    wanted = (reference or "").strip()

    def load() -> Case:
        case = session.exec(select(Case).where(Case.reference == wanted)).first()
        if case is None:
            raise NotFound(f"Dossier introuvable : « {reference} ».")
        return case

    return per_run(session, ("case", wanted), load)
