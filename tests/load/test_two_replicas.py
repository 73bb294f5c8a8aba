"""Two replicas on one PostgreSQL database, 20 concurrent sessions booking payments, logging
contacts and editing the same three cases: no error (a stale edit is refused cleanly and
retried), no lost update, totals exact, the audit chain verifies afterwards.

Each replica is its own OS process with its own connection pool (tests/load/replica.py), as
two `streamlit run` servers behind a load balancer would be; the sessions drive the service
layer each page calls.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import func, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Case, ContactEvent, Payment, Role
from tests.conftest import actor_with_role
from tests.factories import make_case

ROOT = Path(__file__).resolve().parents[2]
REPLICAS = 2
SESSIONS = 10  # per replica: 20 in all
ROUNDS = 2


def _case(reference: str) -> Case:
    with read_session() as session:
        return session.exec(select(Case).where(Case.reference == reference)).one()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_replicas_twenty_sessions_lose_nothing(admin: Actor, db_url: str) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    invoices = [("F-1", "01/01/2025", "31/01/2025", "50 000,00")]
    references = [
        make_case(admin, invoices=[(f"F-{n}", *invoices[0][1:])], confirm_duplicate=True).reference
        for n in range(3)
    ]
    before = {r: _case(r) for r in references}
    args = {
        "sessions": SESSIONS,
        "rounds": ROUNDS,
        "references": references,
        "actor": {
            "id": collector.id,
            "email": collector.email,
            "full_name": collector.full_name,
            "role": collector.role.value,
        },
    }
    env = {**os.environ, "CASEDESK_DATABASE_URL": db_url}
    started = time.monotonic()
    replicas = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.load.replica", json.dumps({**args, "replica": n})],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(REPLICAS)
    ]
    results = []
    for process in replicas:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.monotonic() - started

    assert [e for r in results for e in r["errors"]] == []
    payments = [p for r in results for p in r["payments"]]
    contacts = Counter(c for r in results for c in r["contacts"])
    edits = [e for r in results for e in r["edits"]]
    assert len(payments) == len(edits) == REPLICAS * SESSIONS * ROUNDS
    booked = Counter()
    for reference, cents in payments:
        booked[reference] += cents
    with read_session() as session:
        for reference in references:
            case = _case(reference)
            start = before[reference]
            # Totals exact: every payment booked is in the case's figures, once.
            stored = session.exec(
                select(func.sum(Payment.amount_cents)).where(Payment.case_id == case.id)
            ).one()
            assert stored == booked[reference] == start.balance_cents - case.balance_cents
            assert case.paid_cents == booked[reference]
            logged = session.exec(
                select(func.count())
                .select_from(ContactEvent)
                .where(ContactEvent.case_id == case.id)
            ).one()
            assert logged == contacts[reference]
            # No lost update: each accepted change bumped the version exactly once, and
            # the next action is the one of an edit that was accepted.
            changes = sum(1 for r, _c in payments if r == reference)
            changes += contacts[reference] + sum(1 for r, _n in edits if r == reference)
            assert case.version == start.version + changes
            assert [reference, case.next_action_note] in edits

    verify = subprocess.run(
        [str(Path(sys.executable).parent / "casedesk"), "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert elapsed < 60, f"two replicas took {elapsed:.1f} s"
