"""The one write mechanism: every writing service goes through it, and it holds under load.

The static part reads the source (a service that opens its own transaction or writes its own
audit event is a service that can forget the lock, the version or the audit); the behaviour
part runs services on SQLite and PostgreSQL.
"""

from __future__ import annotations

import ast
import json
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from case_core.cases import lifecycle
from case_core.cases.change import change_case
from case_core.journal.contacts import ContactInput, log_contact
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import StaleVersion
from case_core.kernel.permissions import Perm
from case_core.models import AuditEvent, Case, Channel, ContactOutcome, Payment, Role
from case_core.payments.service import PaymentInput, record_payment
from tests.conftest import actor_with_role
from tests.factories import make_case
from tests.paths import CASE_CORE

# The mechanism itself, and the only places allowed to open a write transaction.
MECHANISM = {"kernel/db.py", "kernel/unit_of_work.py", "kernel/audit.py"}


def _calls(path: Path) -> set[str]:
    """Dotted names of every call in the module (`session_scope`, `audit.record`, …)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func_node = node.func
            if isinstance(func_node, ast.Name):
                names.add(func_node.id)
            elif isinstance(func_node, ast.Attribute) and isinstance(func_node.value, ast.Name):
                names.add(f"{func_node.value.id}.{func_node.attr}")
    return names


def _modules() -> list[Path]:
    return sorted(
        p
        for p in CASE_CORE.rglob("*.py")
        if "migrations" not in p.parts and str(p.relative_to(CASE_CORE)) not in MECHANISM
    )


def test_no_service_opens_its_own_write_transaction_or_audits_by_hand() -> None:
    forbidden = {"session_scope", "audit.record", "audit.record_many", "touch_case"}
    offenders = {
        str(p.relative_to(CASE_CORE)): sorted(_calls(p) & forbidden)
        for p in _modules()
        if _calls(p) & forbidden
    }
    assert offenders == {}


def test_no_service_bumps_a_version_by_hand() -> None:
    offenders = [
        str(p.relative_to(CASE_CORE))
        for p in _modules()
        for node in ast.walk(ast.parse(p.read_text()))
        if isinstance(node, ast.AugAssign)
        and isinstance(node.target, ast.Attribute)
        and node.target.attr == "version"
    ]
    assert offenders == []


def _case(reference: str) -> Case:
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        return case


def _events(reference: str) -> list[AuditEvent]:
    case = _case(reference)
    with read_session() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)  # type: ignore[arg-type]
            )
        )


def test_a_change_bumps_the_version_once_and_audits_from_the_orm_history(admin: Actor) -> None:
    reference = make_case(admin).reference
    before = _case(reference).version
    with change_case(admin, Perm.CASES_EDIT, reference, "case.next_action") as work:
        work.case.next_action_note = "Rappeler lundi"
        work.case.next_action_date = date(2026, 12, 7)
    case = _case(reference)
    assert case.version == before + 1 and case.updated_by_id == admin.id
    last = _events(reference)[-1]
    assert last.action == "case.next_action" and last.actor_id == admin.id
    with read_session() as session:
        readable = audit.readable_changes(session, [last])[last.id or 0]
    assert readable == {
        "next_action_note": {"before": None, "after": "Rappeler lundi"},
        "next_action_date": {"before": None, "after": "2026-12-07"},
    }
    # The note is free text: the chained part holds its digest, not the words.
    assert "Rappeler lundi" not in last.changes
    assert set(json.loads(last.changes)["next_action_note"]["after"]) == {"hmac"}


def test_an_error_inside_a_change_leaves_nothing(admin: Actor) -> None:
    reference = make_case(admin).reference
    version, events = _case(reference).version, len(_events(reference))
    with (
        pytest.raises(RuntimeError),
        change_case(admin, Perm.PAYMENTS_RECORD, reference, "payment.record") as work,
    ):
        work.add(Payment(case_id=work.case_id, received_on=date(2026, 1, 5), amount_cents=100))
        work.session.flush()
        raise RuntimeError("panne au milieu")
    assert _case(reference).version == version and len(_events(reference)) == events
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Payment)).one() == 0


def test_a_stale_version_is_refused_with_who_and_when(admin: Actor) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    reference = make_case(admin).reference
    version = _case(reference).version
    lifecycle.set_next_action(manager, reference, date(2026, 12, 7), "Relancer", version)
    with pytest.raises(StaleVersion) as exc:
        lifecycle.set_next_action(admin, reference, date(2026, 12, 8), "Autre", version)
    assert "Test Responsable" in exc.value.message and "rechargez" in exc.value.message


def test_services_leave_one_event_each_and_the_chain_verifies(admin: Actor) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    reference = make_case(collector).reference
    version = _case(reference).version
    log_contact(collector, reference, ContactInput(Channel.EMAIL_OUT, ContactOutcome.SENT))
    record_payment(collector, reference, PaymentInput(date(2026, 1, 5), 1000))
    actions = [e.action for e in _events(reference)]
    assert actions[-2:] == ["contact.log", "payment.record"]
    assert _case(reference).version == version + 2
    with read_session() as session:
        assert audit.verify_chain(session).ok


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_twenty_parallel_bookings_on_one_case_all_succeed_with_exact_totals(
    admin: Actor,
) -> None:
    """Each booking reads the statement through its own write connection: no second pooled
    connection, so 20 threads on a pool of 15 never starve each other."""
    collector = actor_with_role(admin, Role.COLLECTOR)
    reference = make_case(collector).reference
    errors: list[BaseException] = []

    def book(n: int) -> None:
        try:
            record_payment(
                collector, reference, PaymentInput(date(2026, 1, 5), 100, reference=f"VIR-{n}")
            )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(20)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    elapsed = time.monotonic() - started
    assert errors == []
    assert elapsed < 20, f"20 bookings took {elapsed:.1f} s"
    case = _case(reference)
    assert case.paid_cents == 2000 and case.balance_cents == case.principal_cents - 2000
    with read_session() as session:
        assert audit.verify_chain(session).ok
