"""Who may read what was said in a mediation (loi 95-125 art. 21-3, CPC 1528-3).

Everything said, written or done for the mediation — positions, reasons for non-payment,
proposals, notes, next step — is returned only to the mediation's own mediator (or, for an
external mediator, the casedesk user who keeps the record), to managers and to admins.
Everyone else who may read the case sees that a mediation took place, its kind, its dates
and its outcome.
"""

from __future__ import annotations

from case_core.kernel.actor import Actor
from case_core.models import Mediation, Role
from case_core.models.mediation import CONFIDENTIAL_FIELDS, REDACTED

CONFIDENTIAL_SESSION_FIELDS = CONFIDENTIAL_FIELDS["mediation_sessions"]
SUPERVISORS = frozenset({Role.ADMIN, Role.MANAGER})
CONFIDENTIAL_NOTICE = (
    "Contenu confidentiel (art. 21-3 de la loi n° 95-125, art. 1528-3 du code de procédure "
    "civile) : réservé au médiateur, aux responsables et aux administrateurs."
)


def may_read_confidential(actor: Actor, mediation: Mediation) -> bool:
    if Role(actor.role) in SUPERVISORS:
        return True
    if Role(actor.role) != Role.MEDIATOR or actor.id is None:
        return False
    keeper = mediation.mediator_user_id or mediation.created_by_id
    return actor.id == keeper


__all__ = [
    "CONFIDENTIAL_NOTICE",
    "CONFIDENTIAL_SESSION_FIELDS",
    "REDACTED",
    "may_read_confidential",
]
