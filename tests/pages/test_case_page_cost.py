"""What one rerun of the case page costs: only the open tab is rendered, the statement is
computed at most once, and no tab issues a query per row (N+1).

Counts, not timings: the number of SQL statements of a rerun is the same on any machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import event

from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine
from case_core.payments.service import PaymentInput, record_payment
from case_core.statement import account
from tests.apptest_helpers import open_case_tab, signed_in_app
from tests.conftest import make_admin
from tests.factories import make_case

TABS = [
    "Créances",
    "Décompte",
    "Documents",
    "Échéancier",
    "Paiements",
    "Journal",
    "Courriers",
    "Médiation",
    "Historique",
]
# A page run reads in one transaction (kernel.db.shared_reads: one BEGIN) and loads the
# case, its parties, the rates and the settings once. Today's worst tabs (Décompte,
# Échéancier, Courriers: 15 queries and the BEGIN) stay within this.
MAX_STATEMENTS = 16


class Counter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, *_args: object, **_kwargs: object) -> None:
        self.statements += 1


@pytest.fixture
def counted(sqlite_url: str) -> Iterator[Counter]:
    counter = Counter()
    engine = get_engine()
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


def _rates_up_to_today(admin: Actor) -> None:
    """The normal path is measured: while a semester's rate is missing the Décompte also
    computes a provisional estimate (a second computation, said so on screen)."""
    from case_core.statement import rates

    for gap in rates.missing_rate_semesters():
        start, end = rates.semester_bounds(gap.period_start)
        rates.add_rate(admin, gap.kind, start, end, "3,00", "Taux d'essai")


def _statements_of_a_rerun(
    counted: Counter, admin: Actor, several_invoices: bool
) -> dict[str, int]:
    invoices = [(f"F-{n:03d}", "01/03/2026", "31/03/2026", "100,00") for n in range(1, 13)]
    _rates_up_to_today(admin)
    reference = make_case(admin, invoices=invoices if several_invoices else None).reference
    for n in range(3 if several_invoices else 1):
        record_payment(admin, reference, PaymentInput(date(2026, 4, 1 + n), 1000))
    at = signed_in_app(admin)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    costs: dict[str, int] = {}
    for tab in TABS:
        open_case_tab(at, tab)
        assert not at.exception, at.exception
        counted.statements = 0
        at.run()
        costs[tab] = counted.statements
    return costs


def test_a_rerun_renders_only_the_open_tab_and_stays_cheap(counted: Counter) -> None:
    one = _statements_of_a_rerun(counted, make_admin(), several_invoices=False)
    assert max(one.values()) <= MAX_STATEMENTS, one


def test_no_tab_queries_once_per_row(counted: Counter) -> None:
    """Twelve invoices and three payments cost the same statements as one and one."""
    admin = make_admin()
    few = _statements_of_a_rerun(counted, admin, several_invoices=False)
    many = _statements_of_a_rerun(counted, admin, several_invoices=True)
    assert many == few


def test_the_statement_is_computed_at_most_once_per_rerun(
    counted: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = account.compute_statement

    def counting(*args: object, **kwargs: object) -> account.Statement:
        calls.append("x")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(account, "compute_statement", counting)
    admin = make_admin()
    _rates_up_to_today(admin)
    reference = make_case(admin).reference
    at = signed_in_app(admin)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    for tab in TABS:
        open_case_tab(at, tab)
        calls.clear()
        at.run()
        assert len(calls) <= 1, (tab, len(calls))
