"""The numbers the dashboard's kept figures are checked against: a write moves the newest
and its author's own, a sign-in moves neither (it changes no figure)."""

from __future__ import annotations

from datetime import date

import pytest

from case_core.accounts import auth
from case_core.kernel.actor import Actor
from case_core.kernel.errors import CaseError
from case_core.models import Role
from case_core.payments.service import PaymentInput, record_payment
from case_core.reports.dashboard import data_versions
from tests import dashboard_helpers as h
from tests.conftest import actor_with_role


def test_a_write_moves_the_version_a_sign_in_does_not(admin: Actor) -> None:
    case_id = h.case(h.creditor(), [(date(2026, 1, 1), 500_00)])
    collector = actor_with_role(admin, Role.COLLECTOR)
    before, collector_before = data_versions(admin.id), data_versions(collector.id)
    auth.authenticate("admin@example.fr", "motdepasse-admin")
    with pytest.raises(CaseError):
        auth.authenticate("admin@example.fr", "mauvais-mot-de-passe")
    assert data_versions(admin.id) == before
    record_payment(admin, h.reference_of(case_id), PaymentInput(date(2026, 2, 1), 100_00))
    after = data_versions(admin.id)
    assert after.newest > before.newest and after.own == after.newest
    # Someone else's write moves the newest, not the collector's own.
    assert data_versions(collector.id).own == collector_before.own
