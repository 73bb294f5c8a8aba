"""Migration 0009 on a database holding plans written the old way: a replaced plan stored
as « cancelled » becomes « superseded », one that was paid up when replaced gets back its
« active » status (it shows as completed), and stored derived statuses become « active »."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url
from sqlmodel import col

from case_core import migrations
from case_core.kernel.db import dispose_engines, get_engine
from case_core.models import Frequency, InstalmentPlan, PaymentMethod, PlanStatus, utcnow
from case_core.payments.service import PaymentInput, record_payment
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from case_core.plans.status import PlanState
from case_core.plans.views import plan_view
from tests.conftest import BACKENDS, make_admin
from tests.factories import NO_INTEREST, add_claim, make_case

TODAY = date(2026, 4, 20)


@pytest.fixture(params=BACKENDS)
def url_at_0003(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database at head: the test writes its plans with today's services, goes back
    to the schema just before 0009 (0010 precedes it) to store them the old way, then
    upgrades again. (Today's services cannot write into the old schema itself: they keep
    audit values and party columns that later migrations added.)"""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        admin_engine = None
        name = ""
    else:
        admin_url = os.environ.get("CASEDESK_TEST_POSTGRES_URL")
        if not admin_url:
            pytest.skip("CASEDESK_TEST_POSTGRES_URL not set: PostgreSQL half skipped")
        name = f"casedesk_mig_{uuid.uuid4().hex[:8]}"
        admin_engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    migrations.upgrade(url)
    monkeypatch.setenv("CASEDESK_DATABASE_URL", url)
    try:
        yield url
    finally:
        dispose_engines()
        if admin_engine is not None:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin_engine.dispose()


def _accepted(admin, reference: str, count: int = 3, basis: date = date(2025, 12, 1)):  # type: ignore[no-untyped-def]
    proposed = plans.propose_plan(
        admin, reference, Proposal(basis, date(2026, 1, 5), Frequency.MONTHLY, count=count)
    )
    return plans.accept_plan(
        admin,
        proposed.id,
        expected_version=proposed.version,
        accepted_on=basis,
        accepted_by="Le débiteur",
        channel="phone",
        today=TODAY,
    )


def _old_supersede(url: str, old_id: int, new_id: int) -> None:
    """What the code before 0009 wrote when a plan was replaced."""
    with get_engine(url).begin() as conn:
        conn.execute(
            update(InstalmentPlan)
            .where(col(InstalmentPlan.id) == old_id)
            .values(
                status="cancelled",
                cancelled_on=date(2026, 4, 1),
                cancel_reason=f"Remplacé par l'échéancier n° {new_id}",
                superseded_by_id=new_id,
                updated_at=utcnow(),
            )
        )


def test_upgrade_converts_plans_written_the_old_way(url_at_0003: str) -> None:
    admin = make_admin()
    # Replaced while unpaid.
    unpaid_ref = make_case(admin, **NO_INTEREST, principal_cents=30_000).reference
    unpaid = _accepted(admin, unpaid_ref)
    unpaid_new = plans.propose_plan(
        admin, unpaid_ref, Proposal(date(2026, 4, 1), date(2026, 5, 4), count=2)
    )
    # Paid up, then "replaced" by the old code.
    paid_ref = make_case(admin, **NO_INTEREST, principal_cents=30_000).reference
    paid = _accepted(admin, paid_ref)
    record_payment(
        admin,
        paid_ref,
        PaymentInput(date(2026, 1, 5), 30_000, PaymentMethod.TRANSFER, "VIR-1"),
        today=TODAY,
    )
    add_claim(admin, paid_ref, 20_000, date(2026, 3, 1))
    paid_new = plans.propose_plan(
        admin, paid_ref, Proposal(date(2026, 4, 1), date(2026, 5, 4), count=2)
    )
    # A withdrawn proposal stays cancelled; a stored derived status becomes active.
    withdrawn = plans.propose_plan(
        admin,
        make_case(admin, **NO_INTEREST, principal_cents=120_000).reference,
        Proposal(date(2026, 4, 1), date(2026, 5, 4), count=2),
    )
    plans.cancel_plan(admin, withdrawn.id, expected_version=withdrawn.version, reason="Refus")
    broken_ref = make_case(admin, **NO_INTEREST, principal_cents=60_000).reference
    broken = _accepted(admin, broken_ref, count=6)
    dispose_engines()
    migrations.downgrade(url_at_0003, "0010")
    _old_supersede(url_at_0003, unpaid.id, unpaid_new.id)
    _old_supersede(url_at_0003, paid.id, paid_new.id)
    with get_engine(url_at_0003).begin() as conn:
        conn.execute(
            text("UPDATE instalment_plans SET status = 'broken' WHERE id = :id"),
            {"id": broken.id},
        )

    dispose_engines()
    migrations.upgrade(url_at_0003)
    assert migrations.current_revision(url_at_0003) == migrations.head_revision()

    gone = plan_view(admin, unpaid.id, TODAY)
    assert gone.stored_status == PlanStatus.SUPERSEDED and gone.status == PlanState.SUPERSEDED
    assert gone.superseded_by_id == unpaid_new.id
    done = plan_view(admin, paid.id, TODAY)
    assert done.stored_status == PlanStatus.ACTIVE and done.status == PlanState.COMPLETED
    assert done.superseded_by_id is None and done.cancel_reason is None
    assert plan_view(admin, withdrawn.id, TODAY).stored_status == PlanStatus.CANCELLED
    again = plan_view(admin, broken.id, TODAY)
    assert again.stored_status == PlanStatus.ACTIVE and again.status == PlanState.BROKEN
