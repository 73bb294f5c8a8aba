"""Code civil 2238: mediation suspends the limitation from the agreement to mediate until
it is declared over, and at least six months remain after. Worked examples, exact dates."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from case_core.kernel.db import read_session
from case_core.mediation.service import end_mediation
from case_core.models import (
    Case,
    DebtorKind,
    InterestRegime,
    MediationKind,
    MediationOutcome,
    MediationSide,
    Role,
)
from case_core.statement.account import statement_for_case
from case_core.statement.limitation import SuspensionPeriod, add_months, limitation_date
from tests.conftest import actor_with_role
from tests.factories import raw_case
from tests.mediation.helpers import open_for

PRO = DebtorKind.PROFESSIONAL


def test_time_already_run_is_kept() -> None:
    # Due 30/06/2022, five years: 30/06/2027. Suspended 10/01/2026 -> 10/04/2026:
    # 536 days were left on 10/01/2026, so the claim runs until 10/04/2026 + 536 days.
    suspended = [SuspensionPeriod(date(2026, 1, 10), date(2026, 4, 10))]
    assert limitation_date(date(2022, 6, 30), PRO, suspensions=suspended) == date(2027, 9, 28)


def test_never_less_than_six_months_after_the_end() -> None:
    # Due 15/03/2021: 15/03/2026. Mediation agreed 01/11/2025, over 20/01/2026: 134 days
    # were left (-> 03/06/2026), but six months after the end is 20/07/2026.
    suspended = [SuspensionPeriod(date(2025, 11, 1), date(2026, 1, 20))]
    assert limitation_date(date(2021, 3, 15), PRO, suspensions=suspended) == date(2026, 7, 20)


def test_a_running_mediation_counts_until_today() -> None:
    suspended = [SuspensionPeriod(date(2025, 11, 1), None)]
    got = limitation_date(date(2021, 3, 15), PRO, suspensions=suspended, as_of=date(2026, 5, 2))
    assert got == date(2026, 11, 2)


def test_after_limitation_nothing_suspends() -> None:
    suspended = [SuspensionPeriod(date(2026, 4, 1), date(2026, 5, 1))]
    assert limitation_date(date(2021, 3, 15), PRO, suspensions=suspended) == date(2026, 3, 15)


def test_acknowledgement_during_mediation_restarts_a_suspended_period() -> None:
    # Consumer, two years. Agreement to mediate 01/02/2026, signed agreement (an
    # acknowledgement) 01/03/2026, mediation declared over 15/03/2026: the new two years
    # start on 01/03/2026 but do not run before 15/03/2026.
    got = limitation_date(
        date(2025, 1, 10),
        DebtorKind.CONSUMER,
        [date(2026, 3, 1)],
        suspensions=[SuspensionPeriod(date(2026, 2, 1), date(2026, 3, 15))],
    )
    assert got == date(2028, 3, 15)


def test_add_months_clamps() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 20), 6) == date(2026, 7, 20)


def test_case_and_statement_follow_the_mediation(admin) -> None:
    mediator = actor_with_role(admin, Role.MEDIATOR)
    # Due 31/12/2021, professional: five years -> 31/12/2026 without mediation.
    reference, _ = raw_case(
        claims=[
            {
                "issue_date": date(2021, 12, 1),
                "due_date": date(2021, 12, 31),
                "principal_cents": 50_000,
                "interest_regime": InterestRegime.NONE,
            }
        ]
    )
    assert case_limitation(reference) == date(2026, 12, 31)
    internal = open_for(mediator, reference, MediationKind.INTERNAL, date(2026, 3, 1))
    assert case_limitation(reference) == date(2026, 12, 31)  # no third party
    end_mediation(
        mediator,
        internal,
        ended_on=date(2026, 4, 1),
        ended_by=MediationSide.CREDITOR,
        outcome=MediationOutcome.FAILURE,
    )
    mediation_id = open_for(mediator, reference, agreed_on=date(2026, 6, 1))
    end_mediation(
        mediator,
        mediation_id,
        ended_on=date(2026, 9, 1),
        ended_by=MediationSide.DEBTOR,
        outcome=MediationOutcome.FAILURE,
    )
    # 213 days left on 01/06/2026, resumed 01/09/2026: 02/04/2027 (the 92 days of the
    # mediation added; more than six months after its end).
    assert case_limitation(reference) == date(2027, 4, 2)
    statement = statement_for_case(admin, reference, date(2026, 11, 1))
    assert statement.limitation_date == date(2027, 4, 2)
    # At a date inside the mediation, the statement counts it as running until then:
    # 01/07/2026 + 213 days.
    during = statement_for_case(admin, reference, date(2026, 7, 1))
    assert during.limitation_date == date(2027, 1, 30)


def case_limitation(reference: str) -> date | None:
    with read_session() as session:
        return session.exec(select(Case).where(Case.reference == reference)).one().limitation_date
