"""`make bench`: the one benchmark of issue 15, for SQLite and PostgreSQL, as one table.

    .venv/bin/python bench/run_bench.py [--cases 100000] [--runs 5] [--import-rows 100000]
                                        [--postgres ADMIN_URL | --no-postgres] [--fresh]
                                        [--json PATH]

For each database: the demo database of --cases cases is built (timed) or reused from
bench/out/ (SQLite file, or a PostgreSQL database named after the size, with a marker file
beside the SQLite ones); then, as medians of --runs runs, each main page's server time
(AppTest, as a rerun of the page) beside the page's own SQL time and the empty-page floor;
the portfolio filter done the naive way (pandas) in the same run; statement and dossier of
a case with 200 invoices and 500 journal entries; the invoice import at --import-rows rows
and the FEC import (4 000 open items) into a throw-away database; the portfolio exports;
the peak memory of one app process with 10 sessions open.

Each database is measured in a child process of its own (engines, caches and peak memory
do not mix); the parent prints the table. On a shared machine wall times include the waits
for a core: the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_common import OUT, ROOT, compile_pages_once

SEED = 2026
EMAIL = "bench@casedesk.fr"
PASSWORD = "motdepasse-banc"
PHASES = ["amiable"]
MIN_BALANCE_EUROS = "500"
SEARCH_TEXT = "dupont"
BIG_INVOICES, BIG_JOURNAL = 200, 500
SESSIONS = 10

# (key, label, target) in table order; the children fill values under the same keys.
ROWS: list[tuple[str, str, str]] = [
    ("demo", "Démo : génération (s)", "≤ 120 s à 100 000"),
    ("floor", "Page vide (plancher)", ""),
    ("portfolio_1", "Dossiers, filtre, page 1", "≤ 2 × (SQL + plancher)"),
    ("portfolio_200", "Dossiers, filtre, page 200", "≤ 2 × (SQL + plancher)"),
    ("pandas_1", "  même filtre en pandas, page 1", "≥ 10 × Dossiers"),
    ("search", "Dossiers, recherche libre", ""),
    ("case_Créances", "Dossier : Créances", "≤ 100 ms, ≤ 15 requêtes"),
    ("case_Décompte", "Dossier : Décompte", "≤ 100 ms"),
    ("case_Documents", "Dossier : Documents", "≤ 100 ms"),
    ("case_Échéancier", "Dossier : Échéancier", "≤ 100 ms"),
    ("case_Paiements", "Dossier : Paiements", "≤ 100 ms"),
    ("case_Journal", "Dossier : Journal", "≤ 100 ms"),
    ("case_Courriers", "Dossier : Courriers", "≤ 100 ms"),
    ("case_Médiation", "Dossier : Médiation", "≤ 100 ms"),
    ("case_Historique", "Dossier : Historique", "≤ 100 ms"),
    ("my_day", "Ma journée", "≤ 150 ms"),
    ("plans", "Échéanciers", "≤ 300 ms"),
    ("dashboard", "Tableau de bord", ""),
    ("mediations", "Médiations", ""),
    ("statement", "Décompte, 200 factures / 500 journal", ""),
    ("dossier", "Dossier contentieux (docx), idem", ""),
    ("import", "Import factures (lignes/s)", "≥ 5 000 /s"),
    ("import_s", "Import factures, durée (s)", "≤ 20 s à 100 000"),
    ("fec", "Import FEC, 4 000 postes (s)", "≤ 3 s"),
    ("export_csv", "Export CSV du filtre (s)", ""),
    ("export_xlsx", "Export XLSX du filtre (s)", "≤ 5 s"),
    ("memory", "Mémoire, 1 processus, 10 sessions (Mo)", ""),
]


# ------------------------------------------------------------------ measuring


class SqlClock:
    """Time spent inside the database driver, summed over every engine of this process."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.seconds = 0.0
        self.statements = 0
        self._started: list[float] = []
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, *_args: Any) -> None:
        if self._started:
            self.seconds += time.perf_counter() - self._started.pop()
            self.statements += 1

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, 0


def medians(action: Callable[[], object], runs: int, clock: SqlClock) -> dict[str, float]:
    """Median wall ms, SQL ms and statements of `runs` calls (one warm-up call first)."""
    action()
    wall, cpu, sql, count = [], [], [], []
    for _ in range(runs):
        clock.reset()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        sql.append(clock.seconds * 1000)
        count.append(clock.statements)
    return {
        "ms": statistics.median(wall),
        "cpu_ms": statistics.median(cpu),
        "sql_ms": statistics.median(sql),
        "statements": statistics.median(count),
    }


def timed_s(action: Callable[[], object]) -> tuple[float, Any]:
    seconds, _cpu, result = timed_cpu(action)
    return seconds, result


def timed_cpu(action: Callable[[], object]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call (CPU: this process, so SQLite's work but not the
    PostgreSQL server's), and its result."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - start, time.process_time() - start_cpu, result


# ------------------------------------------------------------------ databases


def _marker(backend: str, cases: int) -> Path:
    return OUT / f"bench_{backend}_{cases}.json"


def _database_url(backend: str, name: str, admin_url: str | None) -> str:
    if backend == "sqlite":
        return f"sqlite:///{OUT / f'{name}.db'}"
    from sqlalchemy.engine import make_url

    assert admin_url
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _recreate(backend: str, url: str, admin_url: str | None) -> None:
    """An empty database at `url`."""
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(str(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


@contextmanager
def throwaway(backend: str, admin_url: str | None, tag: str) -> Iterator[str]:
    """A fresh database for a write benchmark (the imports), dropped afterwards."""
    url = _database_url(backend, tag, admin_url)
    _recreate(backend, url, admin_url)
    try:
        yield url
    finally:
        from case_core.kernel.db import dispose_engines

        dispose_engines()
        _recreate(backend, url, admin_url)
        if backend == "sqlite":
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def build_demo(
    backend: str, cases: int, admin_url: str | None, fresh: bool
) -> tuple[dict[str, Any], str]:
    """The demo database (reused when its marker says it was built for this size); the
    seconds its generation took (measured when it was built)."""
    marker = _marker(backend, cases)
    url = _database_url(backend, f"casedesk_bench_{cases}", admin_url)
    saved = json.loads(marker.read_text()) if marker.exists() and not fresh else {}
    if saved.get("url") == url:
        os.environ["CASEDESK_DATABASE_URL"] = url
        if "big_case" not in saved:
            from case_core.accounts import auth

            saved["big_case"] = _add_big_case(auth.authenticate(EMAIL, PASSWORD))
            marker.write_text(json.dumps(saved))
        return saved, str(saved["big_case"])
    marker.unlink(missing_ok=True)
    _recreate(backend, url, admin_url)
    os.environ["CASEDESK_DATABASE_URL"] = url
    from case_core import migrations
    from case_core.accounts import auth
    from case_core.demo.builder import generate_demo

    migrations.upgrade(url)
    admin = auth.create_first_admin(EMAIL, "Banc d'essai", PASSWORD)
    seconds, cpu, _summary = timed_cpu(lambda: generate_demo(admin, cases, seed=SEED))
    marker.write_text(json.dumps({"url": url, "demo_s": seconds, "demo_cpu_s": cpu}))
    big_case = _add_big_case(admin)
    saved = {"url": url, "demo_s": seconds, "demo_cpu_s": cpu, "big_case": big_case}
    marker.write_text(json.dumps(saved))
    return saved, big_case


BIG_CREDITOR_SIREN = "552100554"


def _add_big_case(admin: Any) -> str:
    """A case with 200 invoices and 500 journal entries (and some payments) for the
    statement and dossier figures, opened through the services like a typed-in case."""
    from sqlalchemy import insert

    from case_core.cases.intake import CaseInput, ClaimInput, create_case
    from case_core.cases.parties import PartyInput
    from case_core.kernel.db import session_scope
    from case_core.kernel.errors import CaseError
    from case_core.models import (
        ContactEvent,
        DebtorKind,
        PartyKind,
        Payment,
        PaymentMethod,
        RateKind,
    )
    from case_core.statement.rates import add_rate

    # The second-half 2026 ECB rate is not shipped: an administrator enters it (once).
    with contextlib.suppress(CaseError):
        add_rate(admin, RateKind.ECB_REFI, date(2026, 7, 1), date(2026, 12, 31), "2,15", "BCE")
    creditor = PartyInput(
        kind=PartyKind.COMPANY, company_name="Banc d'essai SA", siren=BIG_CREDITOR_SIREN
    )
    debtor = PartyInput(kind=PartyKind.COMPANY, company_name="Gros Débiteur SARL")
    start = date(2024, 1, 15)
    claims = [
        ClaimInput(
            invoice_number=f"BIG-{n:04d}",
            issue_date=(start + timedelta(days=3 * n)).strftime("%d/%m/%Y"),
            due_date=(start + timedelta(days=3 * n + 30)).strftime("%d/%m/%Y"),
            amount=f"{100 + n * 7},50",
        )
        for n in range(BIG_INVOICES)
    ]
    view = create_case(
        admin,
        CaseInput(
            debtor_kind=DebtorKind.PROFESSIONAL, creditor=creditor, debtor=debtor, claims=claims
        ),
    )
    # The journal and the payments are history, bulk-inserted like the demo's own.
    with session_scope() as session:
        at = datetime(2024, 3, 1, 9, tzinfo=UTC)
        session.execute(
            insert(ContactEvent),
            [
                {
                    "case_id": view.id,
                    "occurred_at": at + timedelta(days=n),
                    "author_id": admin.id,
                    "channel": "call_out",
                    "person_reached": "debtor",
                    "outcome": "reached",
                    "note": f"Appel n° {n}",
                }
                for n in range(BIG_JOURNAL)
            ],
        )
        session.execute(
            insert(Payment),
            [
                {
                    "case_id": view.id,
                    "received_on": start + timedelta(days=20 * n + 40),
                    "amount_cents": 50_000,
                    "method": PaymentMethod.TRANSFER,
                    "reference": f"VIR {n}",
                    "created_at": at,
                }
                for n in range(30)
            ],
        )
    return view.reference


# ------------------------------------------------------------------ the measures


def measure_pages(runs: int, clock: SqlClock, out: dict[str, Any]) -> None:
    import pandas as pd
    from sqlalchemy import text
    from sqlmodel import select
    from streamlit.testing.v1 import AppTest

    from case_core.accounts import auth
    from case_core.cases.portfolio import CaseFilter, list_cases
    from case_core.demo.builder import DEMO_PASSWORD
    from case_core.kernel.db import get_engine, read_session
    from case_core.models import Case, InstalmentPlan, Phase, utcnow

    compile_pages_once()
    admin = auth.authenticate(EMAIL, PASSWORD)

    def app(actor: Any, page: str | None) -> Callable[[], object]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["actor"] = actor
        at.session_state["last_activity"] = utcnow()
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception

        def rerun() -> object:
            at.session_state["last_activity"] = utcnow()
            return at.run()

        rerun.at = at  # type: ignore[attr-defined]
        return rerun

    empty = AppTest.from_file(str(ROOT / "bench" / "empty_page.py"), default_timeout=60)
    empty.run()
    out["floor"] = medians(empty.run, runs, clock)

    portfolio = app(admin, "pages/portfolio.py")
    at = portfolio.at  # type: ignore[attr-defined]
    at.multiselect(key="portfolio_phases").set_value([Phase(p) for p in PHASES]).run()
    at.text_input(key="portfolio_min_balance").input(MIN_BALANCE_EUROS).run()
    out["portfolio_1"] = medians(portfolio, runs, clock)
    min_cents = int(MIN_BALANCE_EUROS) * 100
    service_filter = CaseFilter(
        phases=tuple(Phase(p) for p in PHASES), min_balance_cents=min_cents, page_size=25
    )
    far = min(200, list_cases(admin, service_filter).pages)
    at.number_input(key="portfolio_page").set_value(far).run()
    out["portfolio_200"] = medians(portfolio, runs, clock)
    out["portfolio_200"]["page"] = far

    joined = """
        SELECT c.reference, d.display_name AS debtor_name, k.display_name AS creditor_name,
               c.debtor_kind, c.phase, u.full_name AS assignee_name, c.principal_cents,
               c.paid_cents, c.balance_cents, c.oldest_due_date, c.next_action_date,
               c.limitation_date
        FROM cases c JOIN parties d ON d.id = c.debtor_id JOIN parties k ON k.id = c.creditor_id
        LEFT JOIN users u ON u.id = c.assignee_id
    """

    def pandas_page() -> object:
        with get_engine().connect() as conn:
            frame = pd.read_sql(text(joined), conn)
        kept = frame[frame.phase.isin(PHASES) & (frame.balance_cents >= min_cents)]
        return kept.sort_values("reference").iloc[0:25]

    out["pandas_1"] = medians(pandas_page, max(1, min(runs, 3)), clock)

    at.number_input(key="portfolio_page").set_value(1).run()
    at.multiselect(key="portfolio_phases").set_value([]).run()
    at.text_input(key="portfolio_min_balance").input("").run()
    at.text_input(key="portfolio_search").input(SEARCH_TEXT).run()
    out["search"] = medians(portfolio, runs, clock)

    # The case page on a demo case with a plan (its richest tabs), every tab in turn.
    with read_session() as session:
        reference = session.exec(
            select(Case.reference)
            .join(InstalmentPlan, InstalmentPlan.case_id == Case.id)  # type: ignore[arg-type]
            .order_by(Case.id)  # type: ignore[arg-type]
        ).first()
    case_page = app(admin, None)
    at = case_page.at  # type: ignore[attr-defined]
    at.session_state["case_ref"] = reference
    at.switch_page("pages/case.py").run()
    assert not at.exception, at.exception
    labels = [t.label for t in at.tabs]
    for label in labels:
        at.session_state["case_tab"] = label
        at.run()
        out[f"case_{label}"] = medians(case_page, runs, clock)

    collector = auth.authenticate("claire@demo.casedesk.fr", DEMO_PASSWORD)
    manager = auth.authenticate("manager@demo.casedesk.fr", DEMO_PASSWORD)
    mediator = auth.authenticate("marc@demo.casedesk.fr", DEMO_PASSWORD)
    out["my_day"] = medians(app(collector, "pages/my_day.py"), runs, clock)
    out["plans"] = medians(app(manager, "pages/plans.py"), runs, clock)
    out["dashboard"] = medians(app(manager, "pages/dashboard.py"), runs, clock)
    out["mediations"] = medians(app(mediator, "pages/mediations.py"), runs, clock)


def measure_documents(reference: str, runs: int, clock: SqlClock, out: dict[str, Any]) -> None:
    from case_core.accounts import auth
    from case_core.dossiers.service import generate_dossier
    from case_core.statement.account import statement_for_case

    admin = auth.authenticate(EMAIL, PASSWORD)
    statement = statement_for_case(admin, reference)
    assert len(statement.claims) == BIG_INVOICES  # type: ignore[attr-defined]
    out["statement"] = medians(lambda: statement_for_case(admin, reference), runs, clock)
    # The PDF is LibreOffice's time, not ours: the dossier is measured as its docx.
    out["dossier"] = medians(
        lambda: generate_dossier(admin, reference, with_pdf=False), max(1, min(runs, 3)), clock
    )


def measure_exports(clock: SqlClock, out: dict[str, Any]) -> None:
    from case_core.accounts import auth
    from case_core.cases.export import export_cases
    from case_core.cases.portfolio import CaseFilter
    from case_core.models import Phase

    admin = auth.authenticate(EMAIL, PASSWORD)
    service_filter = CaseFilter(
        phases=tuple(Phase(p) for p in PHASES), min_balance_cents=int(MIN_BALANCE_EUROS) * 100
    )
    for fmt in ("csv", "xlsx"):
        buffer = io.BytesIO()
        clock.reset()
        seconds, rows = timed_s(
            lambda fmt=fmt, b=buffer: export_cases(admin, service_filter, b, fmt)
        )
        out[f"export_{fmt}"] = {"s": seconds, "rows": rows, "sql_ms": clock.seconds * 1000}


def measure_imports(
    backend: str, admin_url: str | None, import_rows: int, fec_items: int, out: dict[str, Any]
) -> None:
    from import_bench import fec_bytes

    from case_core import migrations
    from case_core.accounts import auth
    from case_core.imports.fec import analyse_fec, import_fec
    from case_core.imports.invoices import import_invoices, recognise_headers
    from case_core.imports.tabular import read_table
    from tests.import_helpers import invoice_rows, make_creditor

    saved = os.environ["CASEDESK_DATABASE_URL"]
    try:
        with throwaway(backend, admin_url, "casedesk_bench_import") as url:
            os.environ["CASEDESK_DATABASE_URL"] = url
            migrations.upgrade(url)
            admin = auth.create_first_admin(EMAIL, "Banc d'essai", PASSWORD)
            creditor_id = make_creditor(admin)
            debtors = max(20, import_rows // 5)
            text_rows, _bad = invoice_rows(import_rows, 37, debtors)
            table = read_table(text_rows.encode("utf-8"), "factures.csv")
            mapping = recognise_headers(table.headers)
            seconds, cpu, report = timed_cpu(
                lambda: import_invoices(admin, creditor_id, table, mapping)
            )
            again, second = timed_s(lambda: import_invoices(admin, creditor_id, table, mapping))
            assert second.created == 0, second.summary  # importing again creates nothing
            out["import"] = {
                "rows_per_s": import_rows / seconds,
                "rows_per_cpu_s": import_rows / cpu,
                "s": seconds,
                "cpu_s": cpu,
                "again_s": again,
                "summary": report.summary,
            }
            # Two open items a customer (a half-paid invoice and an unpaid one).
            analysis = analyse_fec(fec_bytes(max(1, fec_items // 2)), "FEC.txt")
            fec_s, fec_cpu, fec_report = timed_cpu(lambda: import_fec(admin, creditor_id, analysis))
            out["fec"] = {
                "s": fec_s,
                "cpu_s": fec_cpu,
                "items": len(analysis.items),
                "summary": fec_report.summary,
            }
    finally:
        os.environ["CASEDESK_DATABASE_URL"] = saved


def memory_probe(runs: int) -> None:
    """Child of the child: one process, SESSIONS signed-in sessions on the main pages;
    prints its peak resident memory (MiB)."""
    from streamlit.testing.v1 import AppTest

    from case_core.accounts import auth
    from case_core.demo.builder import DEMO_PASSWORD, DEMO_USERS
    from case_core.models import utcnow

    pages = ["pages/portfolio.py", "pages/my_day.py", "pages/plans.py", "pages/dashboard.py"]
    sessions = []
    for n in range(SESSIONS):
        email = DEMO_USERS[1 + n % 4][0]  # manager and collectors
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.session_state["actor"] = auth.authenticate(email, DEMO_PASSWORD)
        at.session_state["last_activity"] = utcnow()
        at.run()
        at.switch_page(pages[n % len(pages)]).run()
        sessions.append(at)
    for _ in range(runs):
        for at in sessions:
            at.session_state["last_activity"] = utcnow()
            at.run()
    print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure_backend(args: argparse.Namespace) -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    demo, big_case = build_demo(args.backend, args.cases, args.postgres, args.fresh)
    out["demo"] = {"s": demo["demo_s"], "cpu_s": demo.get("demo_cpu_s")}
    clock = SqlClock()
    measure_pages(args.runs, clock, out)
    measure_documents(big_case, args.runs, clock, out)
    measure_exports(clock, out)
    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe", "--runs", "2"],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    out["memory"] = json.loads(probe.stdout.strip().splitlines()[-1])
    measure_imports(args.backend, args.postgres, args.import_rows, args.fec_items, out)
    return out


# ------------------------------------------------------------------ the table


def _cell(key: str, value: dict[str, Any] | None) -> tuple[str, str]:
    """(figure, its SQL part) as printed: wall time, and in brackets this process's CPU
    time (on a loaded machine the wall time also counts the waits for a core)."""
    if not value:
        return "—", ""
    if key == "import":
        per_s = f"{value['rows_per_s']:,.0f} (CPU {value['rows_per_cpu_s']:,.0f})"
        return per_s.replace(",", " "), ""
    if key == "import_s":
        return f"{value['s']:.1f} (CPU {value['cpu_s']:.1f})", ""
    if key == "memory":
        return f"{value['peak_mib']:.0f}", ""
    if "ms" in value:
        sql = f"{value['sql_ms']:.0f} ms / {value['statements']:.0f} req."
        return f"{value['ms']:.0f} ms (CPU {value['cpu_ms']:.0f})", sql
    figure = f"{value['s']:.1f}"
    if value.get("cpu_s") is not None:
        figure += f" (CPU {value['cpu_s']:.1f})"
    return figure, f"{value['sql_ms'] / 1000:.1f} s" if "sql_ms" in value else ""


def render_table(results: dict[str, dict[str, Any]], machine: str) -> str:
    backends = list(results)
    header = ["Mesure (médianes)", "Cible"]
    for backend in backends:
        header += [backend, f"dont SQL ({backend})"]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    for key, label, target in ROWS:
        cells = [label, target]
        for backend in backends:
            found = results[backend]
            value = found.get("import") if key == "import_s" else found.get(key)
            cells += list(_cell(key, value))
        if not key.startswith("case_") or any(results[b].get(key) for b in backends):
            lines.append("| " + " | ".join(cells) + " |")
    return machine + "\n\n" + "\n".join(lines)


def machine_line() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"Machine : {cpu}, {os.cpu_count()} cœurs, {mem_kb / 1024 / 1024:.0f} Go de RAM ; "
        f"charge moyenne (1/5/15 min) à la fin : {load}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--fec-items", type=int, default=4000)
    parser.add_argument("--out", type=Path, default=None, help="bases et marqueurs")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CASEDESK_TEST_POSTGRES_URL"),
        help="URL d'administration PostgreSQL (par défaut CASEDESK_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL seulement")
    parser.add_argument("--fresh", action="store_true", help="reconstruire les bases")
    parser.add_argument("--json", type=Path, help="écrire aussi les mesures brutes en JSON")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    global OUT
    OUT = args.out = args.out or OUT
    if args.memory_probe:
        memory_probe(args.runs)
        return
    if args.backend:
        print(json.dumps(measure_backend(args)))
        return

    backends = [] if args.no_sqlite else ["sqlite"]
    backends += [] if args.no_postgres or not args.postgres else ["postgresql"]
    results: dict[str, dict[str, Any]] = {}
    for backend in backends:
        child = [
            sys.executable,
            __file__,
            "--backend",
            backend,
            "--cases",
            str(args.cases),
            "--runs",
            str(args.runs),
            "--import-rows",
            str(args.import_rows),
            "--fec-items",
            str(args.fec_items),
            "--out",
            str(args.out),
        ]
        if args.postgres:
            child += ["--postgres", args.postgres]
        if args.fresh:
            child.append("--fresh")
        print(f"… {backend} ({args.cases} dossiers)", file=sys.stderr, flush=True)
        done = subprocess.run(child, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"échec de la mesure {backend}")
        results["SQLite" if backend == "sqlite" else "PostgreSQL"] = json.loads(
            done.stdout.strip().splitlines()[-1]
        )
    table = render_table(results, machine_line())
    print(f"Banc d'essai : {args.cases} dossiers, médianes de {args.runs} exécutions.\n")
    print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
