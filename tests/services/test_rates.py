"""Rate tables: shipped values, the administrator's additions, gaps refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine, read_session
from case_core.kernel.errors import PermissionDenied, ValidationError
from case_core.kernel.seeding import seed_reference_data, shipped_rates
from case_core.models import AuditEvent, Rate, RateKind, Role
from case_core.statement import rates
from case_core.statement.rates import MissingRate, load_rate_table, parse_rate
from tests.conftest import actor_with_role

ISSUE_VALUES = {  # 1st/2nd half: natural person / other cases, from the issue
    date(2024, 1, 1): (801, 507),
    date(2024, 7, 1): (816, 492),
    date(2025, 1, 1): (721, 371),
    date(2025, 7, 1): (665, 276),
    date(2026, 1, 1): (667, 262),
}
ECB = {date(2024, 1, 1): 450, date(2024, 7, 1): 425, date(2025, 1, 1): 315, date(2025, 7, 1): 215}


def test_shipped_values_match_the_published_ones(db_url: str) -> None:
    with read_session() as session:
        table = load_rate_table(session)
    for start, (natural, other) in ISSUE_VALUES.items():
        assert table.rate_bp(RateKind.LEGAL_NATURAL_PERSON, start) == natural
        assert table.rate_bp(RateKind.LEGAL_OTHER, start) == other
    for start, bp in ECB.items():
        assert table.rate_bp(RateKind.ECB_REFI, start) == bp
    assert table.rate_bp(RateKind.LEGAL_NATURAL_PERSON, date(2015, 3, 1)) == 406
    assert table.rate_bp(RateKind.LEGAL_OTHER, date(2015, 3, 1)) == 93


def test_every_semester_since_2015_in_every_kind_with_a_source() -> None:
    rows = shipped_rates()
    for kind in RateKind:
        starts = sorted(r.period_start for r in rows if r.kind == kind)
        expected = [date(y, m, 1) for y in range(2015, 2026) for m in (1, 7)] + [date(2026, 1, 1)]
        assert starts == expected, kind
    assert all(r.source.strip() for r in rows)
    legal_sources = [r.source for r in rows if r.kind != RateKind.ECB_REFI]
    assert all(s.startswith("Arrêté") for s in legal_sources)


def test_seeding_is_idempotent(db_url: str) -> None:
    with get_engine().begin() as conn:
        seed_reference_data(conn)
        seed_reference_data(conn)
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Rate)).one() == len(shipped_rates())


def test_admin_adds_the_next_semester_audited(admin: Actor) -> None:
    with read_session() as session, pytest.raises(MissingRate, match="2nd semestre 2026"):
        load_rate_table(session).rate_bp(RateKind.LEGAL_OTHER, date(2026, 8, 1))
    added = rates.add_rate(
        admin,
        RateKind.LEGAL_OTHER,
        date(2026, 7, 1),
        date(2026, 12, 31),
        "2,50 %",
        "Arrêté de juin 2026 relatif à la fixation du taux de l'intérêt légal",
    )
    assert added.rate_bp == 250
    with read_session() as session:
        assert load_rate_table(session).rate_bp(RateKind.LEGAL_OTHER, date(2026, 8, 1)) == 250
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "rate.add")).one()
        assert event.actor_id == admin.id and "250" in event.changes
    listed = rates.list_rates(admin, RateKind.LEGAL_OTHER)
    assert listed[0].period_start == date(2026, 7, 1)
    assert all(r.kind == RateKind.LEGAL_OTHER for r in listed)


def test_published_rate_cannot_be_overwritten(admin: Actor) -> None:
    with pytest.raises(ValidationError, match="existe déjà"):
        rates.add_rate(admin, RateKind.ECB_REFI, date(2025, 1, 1), date(2025, 6, 30), "3", "BCE")


def test_add_rate_validates_in_french(admin: Actor) -> None:
    with pytest.raises(ValidationError) as exc:
        rates.add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 15), date(2026, 12, 31), "abc", " ")
    assert set(exc.value.errors) == {"rate", "period", "source"}
    assert "semestre entier" in exc.value.errors["period"]
    with pytest.raises(ValidationError, match="Deux décimales"):
        parse_rate("3,155")
    assert parse_rate("13") == 1300 and parse_rate("0,05") == 5


def test_only_administrators_manage_rates(admin: Actor) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        rates.list_rates(manager)
    with pytest.raises(PermissionDenied):
        rates.add_rate(manager, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2", "x")
