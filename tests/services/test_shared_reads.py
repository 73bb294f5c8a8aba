"""A page run's reads share one transaction (kernel.db.shared_reads), and a write in the
run ends it: what is read after a write sees the write, on both databases."""

from __future__ import annotations

import threading
from datetime import date

from case_core.cases.detail import case_view
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, shared_reads
from case_core.kernel.settings import get_setting, set_settings
from case_core.payments.service import PaymentInput, record_payment
from case_core.plans.settings import MISSED_TO_BREAK_KEY
from tests.factories import NO_INTEREST, make_case


def test_reads_of_a_run_share_one_session_and_threads_do_not(admin: Actor) -> None:
    with shared_reads():
        with read_session() as first, read_session() as second:
            assert first is second
        seen: list[object] = []

        def elsewhere() -> None:
            with read_session() as session:
                seen.append(session)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        assert seen[0] is not first
    with read_session() as outside:
        assert outside is not first


def test_a_write_in_the_run_is_seen_by_the_reads_after_it(admin: Actor) -> None:
    reference = make_case(admin, **NO_INTEREST, principal_cents=100_000).reference
    with shared_reads():
        assert case_view(admin, reference).balance_cents == 100_000
        assert get_setting(MISSED_TO_BREAK_KEY) == 2
        record_payment(admin, reference, PaymentInput(date(2026, 2, 1), 30_000))
        set_settings(admin, {MISSED_TO_BREAK_KEY: 3})
        # The case, the settings: read again, not from the run's memo.
        assert case_view(admin, reference).balance_cents == 70_000
        assert get_setting(MISSED_TO_BREAK_KEY) == 3
