"""« Ma journée » at 100 000 cases: median time of the service (first page, a far page)
for one collector, on SQLite and optionally on PostgreSQL.

    .venv/bin/python bench/my_day_bench.py [--cases 100000] [--runs 15] [--fresh]
                                           [--postgres ADMIN_URL]

The demo cases get a realistic spread of what the list looks at: half of them contacted
in the last 60 days, one in ten with a promise (two items) made 10-40 days ago, formal
notice deadlines and limitation dates from the demo generator. The SQLite database is
kept in bench/out/ and reused unless --fresh (or --cases differs); with --postgres a
throw-away database is created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench_common import OUT, median_ms

TODAY = date(2026, 11, 24)
EMAIL = "bench@casedesk.fr"
PASSWORD = "motdepasse-banc"


def _build(url: str, cases: int) -> None:
    from sqlalchemy import insert, update
    from sqlmodel import select

    from case_core import migrations
    from case_core.accounts import auth
    from case_core.demo.builder import generate_demo
    from case_core.kernel.db import session_scope
    from case_core.models import Case, Promise, PromiseItem, User

    os.environ["CASEDESK_DATABASE_URL"] = url
    migrations.upgrade(url)
    admin = auth.create_first_admin(EMAIL, "Banc d'essai", PASSWORD)
    start = time.perf_counter()
    generate_demo(admin, cases, seed=2026, today=TODAY)
    rng = random.Random(6)
    with session_scope() as session:
        author = session.exec(select(User.id).where(User.role == "collector")).first()
        ids = list(session.exec(select(Case.id).order_by(Case.id)).all())  # type: ignore[arg-type]
        now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
        contacted = rng.sample(ids, len(ids) // 2)
        for chunk in range(0, len(contacted), 5000):
            for case_id in contacted[chunk : chunk + 5000]:
                session.execute(
                    update(Case)
                    .where(Case.id == case_id)  # type: ignore[arg-type]
                    .values(last_contact_at=now - timedelta(days=rng.randint(0, 60)))
                )
        promised = rng.sample(ids, len(ids) // 10)
        made = [now - timedelta(days=rng.randint(10, 40)) for _ in promised]
        promise_ids = list(
            session.execute(
                insert(Promise).returning(Promise.id, sort_by_parameter_order=True),  # type: ignore[arg-type]
                [
                    {"case_id": cid, "created_at": at, "created_by_id": author}
                    for cid, at in zip(promised, made, strict=True)
                ],
            ).scalars()
        )
        items = []
        for pid, at in zip(promise_ids, made, strict=True):
            first = at.date() + timedelta(days=rng.randint(3, 15))
            amount = rng.randint(50, 500) * 100
            items.append({"promise_id": pid, "due_date": first, "amount_cents": amount})
            items.append(
                {"promise_id": pid, "due_date": first + timedelta(days=30), "amount_cents": amount}
            )
        session.execute(insert(PromiseItem), items)
    print(f"{cases} dossiers de démonstration préparés en {time.perf_counter() - start:.0f} s")
    # A live database has planner statistics; a bulk load has none until autovacuum runs.
    from sqlalchemy import text

    from case_core.kernel.db import get_engine

    with get_engine(url).connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def _measure(url: str, runs: int) -> None:
    from sqlalchemy import func
    from sqlmodel import select

    from case_core.accounts import auth
    from case_core.kernel.db import read_session
    from case_core.models import Case, User
    from case_core.worklists import my_day

    os.environ["CASEDESK_DATABASE_URL"] = url
    manager = auth.authenticate(EMAIL, PASSWORD)
    with read_session() as session:
        total = session.exec(select(func.count()).select_from(Case)).one()
        collector_id = session.exec(
            select(User.id).where(User.email == "claire@demo.casedesk.fr")
        ).one()
    first = my_day(manager, collector_id=collector_id, today=TODAY)
    far_page = max(1, min(50, first.pages))
    first_ms = median_ms(lambda: my_day(manager, collector_id=collector_id, today=TODAY), runs)
    far_ms = median_ms(
        lambda: my_day(manager, collector_id=collector_id, today=TODAY, page=far_page), runs
    )
    counts: dict[str, int] = {}
    for row in first.rows:
        for reason in row.reasons:
            counts[reason.label] = counts.get(reason.label, 0) + 1
    print(f"{total} dossiers ; Ma journée de Claire : {first.total} dossiers à traiter")
    print(f"  motifs (page 1) : {counts}")
    print(f"  médiane page 1        : {first_ms:7.0f} ms ({runs} exécutions)")
    print(f"  médiane page {far_page:<9}: {far_ms:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()

    if args.postgres:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from case_core.kernel.db import dispose_engines

        name = f"casedesk_bench_{uuid.uuid4().hex[:8]}"
        server = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        try:
            print(f"PostgreSQL {name}")
            _build(url, args.cases)
            _measure(url, args.runs)
        finally:
            dispose_engines()
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "my_day_bench.db"
    marker = path.with_suffix(".count")
    url = f"sqlite:///{path}"
    if (
        args.fresh
        or not path.exists()
        or not marker.exists()
        or marker.read_text() != str(args.cases)
    ):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _build(url, args.cases)
        from case_core.kernel.db import dispose_engines

        dispose_engines()
        marker.write_text(str(args.cases))
    print(f"SQLite {path}")
    _measure(url, args.runs)


if __name__ == "__main__":
    main()
