"""The mediation disclosure stand-in: only the facts that may leave a mediation."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, session_scope
from case_core.mediation.disclosure import disclosures_for_case
from case_core.models import MediationAgreement, MediationOutcome, MediationSession
from tests.journal_helpers import case_row, make_case


def test_sessions_give_one_disclosure_without_what_was_said(admin: Actor) -> None:
    ref = make_case(admin)
    case_id = case_row(ref).id or 0
    with read_session() as session:
        assert disclosures_for_case(session, case_id) == []
    with session_scope() as session:
        for day, outcome in [(2, None), (9, MediationOutcome.FAILURE)]:
            session.add(
                MediationSession(
                    case_id=case_id,
                    mediator_id=admin.id or 0,
                    held_at=datetime(2026, 3, day, 8, 0, tzinfo=UTC),
                    participants="Secret participant",
                    confidential_notes="Secret note",
                    outcome=outcome,
                )
            )
    with read_session() as session:
        (m,) = disclosures_for_case(session, case_id)
    assert (m.first_session_on, m.last_session_on, m.ended_on) == (
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 9),
    )
    assert m.failed and m.outcome_label == "Échec"
    assert m.third_party == admin.full_name
    assert not m.counts_as_prior_attempt  # the team's own mediator is not a third party
    assert "Secret" not in repr(dataclasses.asdict(m))


def test_signed_agreement_is_disclosed_by_its_date(admin: Actor) -> None:
    ref = make_case(admin)
    case_id = case_row(ref).id or 0
    with session_scope() as session:
        held = MediationSession(
            case_id=case_id,
            mediator_id=admin.id or 0,
            held_at=datetime(2026, 4, 1, 8, 0, tzinfo=UTC),
            outcome=MediationOutcome.AGREEMENT,
        )
        session.add(held)
        session.flush()
        session.add(
            MediationAgreement(
                case_id=case_id,
                session_id=held.id,
                signed_on=date(2026, 4, 1),
                amount_cents=1_000_00,
                terms="Termes confidentiels",
                created_by_id=admin.id or 0,
            )
        )
    with read_session() as session:
        (m,) = disclosures_for_case(session, case_id)
    assert m.agreed_on == date(2026, 4, 1) and not m.failed
