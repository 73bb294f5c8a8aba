"""Pure rules of a mediation: which processes count as a third party's, what ends one.
(When the limitation is suspended: statement.limitation and statement.suspensions.)"""

from __future__ import annotations

from case_core.models import MediationKind, MediationOutcome
from case_core.models.mediation import THIRD_PARTY_KINDS

# What a mediation may end with; « Reportée » only describes a session.
FINAL_OUTCOMES = (
    MediationOutcome.AGREEMENT,
    MediationOutcome.PARTIAL,
    MediationOutcome.FAILURE,
    MediationOutcome.PARTY_ABSENT,
)
FAILED_OUTCOMES = frozenset({MediationOutcome.FAILURE, MediationOutcome.PARTY_ABSENT})
AGREED_OUTCOMES = frozenset({MediationOutcome.AGREEMENT, MediationOutcome.PARTIAL})


def counts_as_prior_attempt(kind: MediationKind | str) -> bool:
    return MediationKind(kind) in THIRD_PARTY_KINDS


def is_failure(outcome: MediationOutcome | str | None) -> bool:
    return outcome is not None and MediationOutcome(outcome) in FAILED_OUTCOMES
