"""Correct on an open case whether its creditor acts for professional needs (a row migrated
from the old « personne physique » flag, an intake answered wrongly)."""

from __future__ import annotations

from case_core.cases.change import change_case
from case_core.kernel.actor import Actor
from case_core.kernel.permissions import Perm


def set_creditor_professional(
    actor: Actor, reference: str, professional: bool, *, expected_version: int | None = None
) -> bool:
    """Record the answer; the legal rate and the limitation follow from the next statement
    (and the case's stored limitation date at once)."""
    with change_case(
        actor,
        Perm.CASES_EDIT,
        reference,
        "case.creditor_professional",
        expected_version=expected_version,
    ) as work:
        work.case.creditor_professional = professional
        work.add(work.case)
    return professional
