"""Pure rules of a mediation: which processes count as a third party's, what ends one,
when the limitation is suspended (Code civil 2238)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from case_core.models.mediation import MediationKind, MediationOutcome

# A process run by a third party (CPC 1530 s.): the prior amicable attempt of CPC 750-1.
THIRD_PARTY_KINDS = frozenset(
    {MediationKind.CONVENTIONAL, MediationKind.JUDICIAL, MediationKind.CONCILIATION}
)
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


@dataclass(frozen=True)
class Suspension:
    """The limitation stands still from `start` through `end` (None: still running), and
    at least six months remain after `end` (C. civ. 2238 al. 1 and 2230)."""

    start: date
    end: date | None


def suspension_of(
    agreed_on: date | None, first_session_on: date | None, ended_on: date | None
) -> Suspension | None:
    """From the written agreement to mediate or, failing it, the first session, until a
    party or the mediator declares the mediation over. An internal meeting is no mediation
    and suspends nothing: callers only pass third-party processes."""
    start = agreed_on or first_session_on
    if start is None:
        return None
    return Suspension(start, ended_on)


def suspensions_for(
    rows: Iterable[tuple[MediationKind | str, date | None, date | None, date | None]],
) -> list[Suspension]:
    """rows: (kind, agreed_on, first session date, ended_on) of a case's mediations."""
    out: list[Suspension] = []
    for kind, agreed_on, first_session_on, ended_on in rows:
        if not counts_as_prior_attempt(kind):
            continue
        suspension = suspension_of(agreed_on, first_session_on, ended_on)
        if suspension is not None:
            out.append(suspension)
    return out
