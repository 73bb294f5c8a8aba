"""The "Dossiers" page at 100 000 cases: median server time (AppTest) of a filtered first
page and of page 200, beside the same filter done by loading the table into pandas.

    .venv/bin/python bench/portfolio_bench.py [--cases 100000] [--runs 15] [--fresh]

The demo database is kept in bench/out/ and reused unless --fresh (or --cases differs).
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

from bench_common import OUT, ROOT, median_ms

PHASE_FILTER = ["amiable"]
MIN_BALANCE_EUROS = "500"
PAGE_SIZE = 25
SEARCH_TEXT = "dupont"


def _build(path: Path, cases: int) -> None:
    from case_core import migrations
    from case_core.accounts import auth
    from case_core.demo.builder import generate_demo
    from case_core.kernel.db import dispose_engines

    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    os.environ["CASEDESK_DATABASE_URL"] = url
    migrations.upgrade(url)
    admin = auth.create_first_admin("bench@casedesk.fr", "Banc d'essai", "motdepasse-banc")
    start = time.perf_counter()
    generate_demo(admin, cases, seed=2026)
    print(f"{cases} dossiers de démonstration générés en {time.perf_counter() - start:.0f} s")
    dispose_engines()
    (path.with_suffix(".count")).write_text(str(cases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pandas-runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "portfolio_bench.db"
    marker = path.with_suffix(".count")
    if (
        args.fresh
        or not path.exists()
        or not marker.exists()
        or marker.read_text() != str(args.cases)
    ):
        _build(path, args.cases)
    url = f"sqlite:///{path}"
    os.environ["CASEDESK_DATABASE_URL"] = url

    import pandas as pd
    from sqlalchemy import text
    from streamlit.testing.v1 import AppTest

    from case_core.accounts import auth
    from case_core.cases.export import export_cases
    from case_core.cases.portfolio import CaseFilter, _page_query, list_cases
    from case_core.kernel.db import get_engine
    from case_core.models import Phase, utcnow

    actor = auth.authenticate("bench@casedesk.fr", "motdepasse-banc")
    with get_engine().connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
    print(f"Base : {path} ({total} dossiers), {args.runs} exécutions par mesure (médiane)\n")

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["actor"] = actor
    at.session_state["last_activity"] = utcnow()
    at.run()
    at.switch_page("pages/portfolio.py").run()
    at.multiselect(key="portfolio_phases").set_value([Phase(p) for p in PHASE_FILTER]).run()
    at.text_input(key="portfolio_min_balance").input(MIN_BALANCE_EUROS).run()
    assert not at.exception, at.exception
    caption = next(c.value for c in at.caption if "dossier(s)" in c.value)

    def page_run() -> None:
        at.session_state["last_activity"] = utcnow()
        at.run()

    first_ms = median_ms(page_run, args.runs)
    min_cents = int(MIN_BALANCE_EUROS) * 100
    service_filter = CaseFilter(
        phases=tuple(Phase(p) for p in PHASE_FILTER),
        min_balance_cents=min_cents,
        page_size=PAGE_SIZE,
    )
    far = min(200, list_cases(actor, service_filter).pages)  # smaller bases have fewer pages
    at.number_input(key="portfolio_page").set_value(far).run()
    caption_far = next(c.value for c in at.caption if "dossier(s)" in c.value)
    assert f"page {far} " in caption_far, caption_far
    page200_ms = median_ms(page_run, args.runs)

    service_first = median_ms(lambda: list_cases(actor, service_filter), args.runs)
    service_200 = median_ms(
        lambda: list_cases(actor, CaseFilter(**{**service_filter.__dict__, "page": far})),
        args.runs,
    )

    joined = """
        SELECT c.reference, d.display_name AS debtor_name, k.display_name AS creditor_name,
               c.debtor_kind, c.phase, u.full_name AS assignee_name, c.principal_cents,
               c.paid_cents, c.balance_cents, c.oldest_due_date, c.next_action_date,
               c.limitation_date
        FROM cases c JOIN parties d ON d.id = c.debtor_id JOIN parties k ON k.id = c.creditor_id
        LEFT JOIN users u ON u.id = c.assignee_id
    """

    def pandas_page(page: int) -> pd.DataFrame:
        with get_engine().connect() as conn:
            frame = pd.read_sql(text(joined), conn)
        kept = frame[frame.phase.isin(PHASE_FILTER) & (frame.balance_cents >= min_cents)]
        kept = kept.sort_values("reference")
        return kept.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

    pandas_first = median_ms(lambda: pandas_page(1), args.pandas_runs)
    pandas_200 = median_ms(lambda: pandas_page(far), args.pandas_runs)

    with get_engine().connect() as conn:
        sql = _page_query(service_filter, utcnow().date(), far)
        compiled = sql.compile(conn, compile_kwargs={"literal_binds": True})
        plan = conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()

    print(f"Filtre : phase {PHASE_FILTER}, solde >= {MIN_BALANCE_EUROS} € ; {caption}")
    print(f"{'':36}{'page 1':>12}{f'page {far}':>12}")
    print(f"{'Page « Dossiers » (AppTest, serveur)':36}{first_ms:>10.0f}ms{page200_ms:>10.0f}ms")
    print(f"{'  dont service list_cases (SQL)':36}{service_first:>10.0f}ms{service_200:>10.0f}ms")
    print(f"{'pandas (read_sql puis filtre)':36}{pandas_first:>10.0f}ms{pandas_200:>10.0f}ms")
    print(f"\nPlan SQLite de la page {far} :")
    for row in plan:
        print("  ", row[-1])

    # Free-text search is a LIKE '%…%' on search_text: a scan, measured apart.
    at.number_input(key="portfolio_page").set_value(1).run()
    at.multiselect(key="portfolio_phases").set_value([]).run()
    at.text_input(key="portfolio_min_balance").input("").run()
    at.text_input(key="portfolio_search").input(SEARCH_TEXT).run()
    caption_search = next(c.value for c in at.caption if "dossier(s)" in c.value)
    search_ms = median_ms(page_run, args.runs)
    print(f"\nRecherche « {SEARCH_TEXT} » sans autre filtre ; {caption_search}")
    print(f"{'Page « Dossiers » (AppTest, serveur)':36}{search_ms:>10.0f}ms")

    buffer = io.BytesIO()
    start = time.perf_counter()
    exported = export_cases(actor, service_filter, buffer, "csv")
    csv_s = time.perf_counter() - start
    start = time.perf_counter()
    export_cases(actor, service_filter, io.BytesIO(), "xlsx")
    xlsx_s = time.perf_counter() - start
    print(f"\nExport du filtre ({exported} dossiers) : CSV {csv_s:.1f} s, XLSX {xlsx_s:.1f} s")

    slowest = max(first_ms, page200_ms, search_ms)
    verdict = "OK" if slowest < 300 else "AU-DESSUS de la cible"
    print(f"\nCible < 300 ms : {verdict}")


if __name__ == "__main__":
    main()
