"""« Échéanciers » at scale: median time of the plan board (first page, broken filter, a far
page), the cash-per-month chart and one plan's view, on SQLite.

    .venv/bin/python bench/plans_bench.py [--cases 10000] [--plan-share 1.0] [--runs 15]
                                          [--fresh]

Demo cases come from the demo generator; a share of them get an accepted monthly plan of
12 instalments (bulk-inserted) and payments for the first months, some of them short, so
the board has active, late, broken and completed plans to sort out. The defaults give the
10 000 plans of the targets (plan board ≤ 300 ms, cash by month ≤ 100 ms). The database is
kept in bench/out/ and reused unless --fresh.

Each figure is printed as wall time and CPU time (medians): on a shared machine the wall
time also counts the waits for a core, the CPU time is what the query itself costs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench_common import OUT, median_ms

TODAY = date(2026, 11, 24)
EMAIL = "bench@casedesk.fr"


def _build(url: str, cases: int, share: float) -> None:
    from sqlalchemy import insert
    from sqlmodel import select

    from case_core import migrations
    from case_core.accounts import auth
    from case_core.demo.builder import generate_demo
    from case_core.kernel.db import session_scope
    from case_core.models import Case, Instalment, InstalmentPlan, Payment, PlanStatus, utcnow
    from case_core.plans.schedule import PlanTerms, add_months, build_schedule

    os.environ["CASEDESK_DATABASE_URL"] = url
    migrations.upgrade(url)
    admin = auth.create_first_admin(EMAIL, "Banc d'essai", "motdepasse-banc")
    generate_demo(admin, cases, seed=2026, today=TODAY)
    rng = random.Random(7)
    start = time.perf_counter()
    with session_scope() as session:
        rows = session.exec(select(Case.id, Case.principal_cents)).all()
        chosen = [r for r in rows if rng.random() < share and r[1] > 1200]
        now = utcnow()
        plans, instalments, payments = [], [], []
        for n, (case_id, principal) in enumerate(chosen):
            basis = add_months(TODAY, -rng.randint(1, 14))
            schedule = build_schedule(PlanTerms(principal, add_months(basis, 1), count=12))
            plans.append(
                {
                    "id": n + 1,
                    "case_id": case_id,
                    "status": PlanStatus.ACTIVE.value,
                    "basis_date": basis,
                    "total_cents": principal,
                    "instalment_count": 12,
                    "frequency": "monthly",
                    "first_due_date": add_months(basis, 1),
                    "accepted_on": basis,
                    "accepted_by": "Débiteur",
                    "acceptance_channel": "phone",
                    "created_at": now.replace(year=basis.year, month=basis.month, day=1),
                    "created_by_id": admin.id,
                    "updated_at": now,
                }
            )
            running = 0
            paid_months = rng.randint(0, 12)
            for inst in schedule.instalments:
                running += inst.amount_cents
                instalments.append(
                    {
                        "plan_id": n + 1,
                        "seq": inst.seq,
                        "due_date": inst.due_date,
                        "amount_cents": inst.amount_cents,
                        "interest_cents": 0,
                        "cumulative_cents": running,
                    }
                )
                if inst.seq <= paid_months and inst.due_date <= TODAY:
                    payments.append(
                        {
                            "case_id": case_id,
                            "received_on": inst.due_date,
                            "amount_cents": inst.amount_cents - rng.choice([0, 0, 0, 500]),
                            "method": "transfer",
                            "created_at": now,
                        }
                    )
        for table, data in (
            (InstalmentPlan, plans),
            (Instalment, instalments),
            (Payment, payments),
        ):
            for i in range(0, len(data), 5000):
                session.execute(insert(table), data[i : i + 5000])
    print(
        f"{len(plans)} plans, {len(instalments)} instalments, {len(payments)} payments "
        f"inserted in {time.perf_counter() - start:.1f} s"
    )


def _median_cpu_ms(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.process_time()
        action()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--plan-share", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "plans_bench.db"
    marker = OUT / "plans_bench.count"
    wanted = f"{args.cases} {args.plan_share}"
    url = f"sqlite:///{path}"
    if args.fresh or not path.exists() or not marker.exists() or marker.read_text() != wanted:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _build(url, args.cases, args.plan_share)
        marker.write_text(wanted)
    os.environ["CASEDESK_DATABASE_URL"] = url

    from sqlmodel import select

    from case_core.accounts.auth import actor_of
    from case_core.kernel.db import read_session
    from case_core.models import User
    from case_core.plans.board import cash_by_month, plan_board
    from case_core.plans.views import plan_view

    with read_session() as session:
        actor = actor_of(session.exec(select(User).where(User.email == EMAIL)).one())
    first = plan_board(actor, today=TODAY)
    print(f"board: {first.total} plans, {first.missed_count} missed instalments")
    far = max(first.total // 25 - 1, 0)
    figures = {
        "board, first page": lambda: plan_board(actor, today=TODAY),
        "board, broken only": lambda: plan_board(actor, status="broken", today=TODAY),
        "board, far page": lambda: plan_board(actor, page=far, today=TODAY),
        "cash by month (12 months)": lambda: cash_by_month(actor, today=TODAY),
        "one plan's view": lambda: plan_view(actor, first.rows[0].plan_id, TODAY),
    }
    for label, action in figures.items():
        wall = median_ms(action, args.runs)
        cpu = _median_cpu_ms(action, args.runs)
        print(f"{label}: {wall:.0f} ms wall, {cpu:.0f} ms CPU (medians of {args.runs})")


if __name__ == "__main__":
    main()
