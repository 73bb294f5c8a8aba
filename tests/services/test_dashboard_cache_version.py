"""The number the dashboard's cache is keyed on: a write moves it (the figures are
recomputed), a sign-in does not (it changes no figure)."""

from __future__ import annotations

from datetime import date

import pytest

from case_core.accounts import auth
from case_core.kernel.actor import Actor
from case_core.kernel.errors import CaseError
from case_core.payments.service import PaymentInput, record_payment
from case_core.reports.dashboard import data_version
from tests import dashboard_helpers as h


def test_a_write_moves_the_version_a_sign_in_does_not(admin: Actor) -> None:
    case_id = h.case(h.creditor(), [(date(2026, 1, 1), 500_00)])
    before = data_version()
    auth.authenticate("admin@example.fr", "motdepasse-admin")
    with pytest.raises(CaseError):
        auth.authenticate("admin@example.fr", "mauvais-mot-de-passe")
    assert data_version() == before
    record_payment(admin, h.reference_of(case_id), PaymentInput(date(2026, 2, 1), 100_00))
    assert data_version() > before
