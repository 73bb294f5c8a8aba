"""The permission matrix: one place decides what each role may do; every service checks it."""

from __future__ import annotations

from enum import StrEnum

from case_core.kernel.actor import Actor
from case_core.kernel.errors import PermissionDenied
from case_core.models import Role


class Perm(StrEnum):
    USERS_MANAGE = "users.manage"
    ACCOUNT_SELF = "account.self"
    CASES_READ = "cases.read"
    CASES_CREATE = "cases.create"
    CASES_EDIT = "cases.edit"
    CASES_ASSIGN = "cases.assign"
    CASES_PHASE = "cases.phase"
    CASES_CLOSE = "cases.close"
    CASES_REFER = "cases.refer"  # send to contentieux: a bailiff or a lawyer takes over
    CASES_IMPORT = "cases.import"
    CASES_EXPORT = "cases.export"
    DOCUMENTS_UPLOAD = "documents.upload"
    CONTACTS_LOG = "contacts.log"
    PAYMENTS_RECORD = "payments.record"
    PAYMENTS_REVERSE = "payments.reverse"
    PLANS_PROPOSE = "plans.propose"
    PLANS_ACCEPT = "plans.accept"
    PLANS_ACCELERATE = "plans.accelerate"
    LETTERS_GENERATE = "letters.generate"
    MEDIATION_RECORD = "mediation.record"
    MEDIATION_CONFIDENTIAL_READ = "mediation.confidential_read"
    DOSSIERS_GENERATE = "dossiers.generate"
    RATES_MANAGE = "rates.manage"
    SETTINGS_MANAGE = "settings.manage"
    REPORTS_READ = "reports.read"
    REPORTS_OWN = "reports.own"  # the dashboard on one's own cases only
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"


_COLLECTOR = {
    Perm.ACCOUNT_SELF,
    Perm.CASES_READ,
    Perm.CASES_CREATE,
    Perm.CASES_EDIT,
    Perm.CASES_PHASE,
    Perm.CASES_IMPORT,
    Perm.CASES_EXPORT,
    Perm.DOCUMENTS_UPLOAD,
    Perm.CONTACTS_LOG,
    Perm.PAYMENTS_RECORD,
    Perm.PLANS_PROPOSE,
    Perm.PLANS_ACCEPT,
    Perm.LETTERS_GENERATE,
    Perm.REPORTS_OWN,
}

_MANAGER = _COLLECTOR | {
    Perm.CASES_ASSIGN,
    Perm.CASES_CLOSE,
    Perm.CASES_REFER,
    Perm.PAYMENTS_REVERSE,
    Perm.PLANS_ACCELERATE,
    Perm.DOSSIERS_GENERATE,
    Perm.REPORTS_READ,
    Perm.AUDIT_READ,
    Perm.SETTINGS_MANAGE,
}

MATRIX: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.MANAGER: frozenset(_MANAGER),
    Role.COLLECTOR: frozenset(_COLLECTOR),
    Role.MEDIATOR: frozenset(
        {
            Perm.ACCOUNT_SELF,
            Perm.CASES_READ,
            Perm.CASES_PHASE,
            Perm.DOCUMENTS_UPLOAD,
            Perm.CONTACTS_LOG,
            Perm.PLANS_PROPOSE,
            Perm.PLANS_ACCEPT,
            Perm.MEDIATION_RECORD,
            Perm.MEDIATION_CONFIDENTIAL_READ,
        }
    ),
    Role.VIEWER: frozenset({Perm.ACCOUNT_SELF, Perm.CASES_READ, Perm.REPORTS_READ}),
}


def can(actor: Actor, perm: Perm) -> bool:
    return perm in MATRIX.get(Role(actor.role), frozenset())


def require(actor: Actor, perm: Perm) -> None:
    """Raise PermissionDenied unless the actor's role grants `perm`."""
    if not can(actor, perm):
        raise PermissionDenied(
            f"Action non autorisée pour le rôle « {Role(actor.role).label} » ({perm.value})."
        )


# Who may be the assignee of a case (pickers, reassignment, Ma journée's team view).
CASE_HOLDER_ROLES: frozenset[Role] = frozenset(
    {Role.COLLECTOR, Role.MANAGER, Role.MEDIATOR, Role.ADMIN}
)
