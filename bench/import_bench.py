"""The invoice and FEC imports at size: 10 000 invoice rows (37 bad, 2 000 debtors)
read, validated and imported, then imported again (nothing to write); then a FEC of
--fec-customers customers (10 sales and 8 lettered payments each, 3 lines per sale)
analysed and imported.

    .venv/bin/python bench/import_bench.py [--bad 37] [--postgres URL]

Without --postgres, a fresh SQLite file under bench/out/; with it (an admin URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) a throw-away database there.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from pathlib import Path

from bench_common import OUT


def _timed(label: str, action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    print(f"{label:<38} {time.perf_counter() - start:8.2f} s")
    return result


def fec_bytes(customers: int) -> bytes:
    """A FEC as accounting packages write it: each customer has 10 invoices, the first
    8 paid and lettered, the 9th half paid (unlettered), the 10th open."""
    lines = [
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
        "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|"
        "ValidDate|Montantdevise|Idevise"
    ]
    n = 0
    for c in range(customers):
        aux, name = f"C{c:06d}", f"Client {c} SARL"
        for k in range(10):
            n += 1
            ref, day = f"FA{c:06d}-{k}", f"2025{1 + k:02d}15"
            letter = f"L{k}" if k < 8 else ""
            lines.append(
                f"VE|Ventes|{n}|{day}|411000|Clients|{aux}|{name}|{ref}|{day}|Facture {ref}|"
                f"1200,00|0,00|{letter}||{day}||"
            )
            lines.append(
                f"VE|Ventes|{n}|{day}|706000|Ventes|||{ref}|{day}|Facture|0,00|1000,00||||{day}||"
            )
            lines.append(
                f"VE|Ventes|{n}|{day}|445710|TVA|||{ref}|{day}|Facture|0,00|200,00||||{day}||"
            )
            if k < 9:
                n += 1
                paid = "1200,00" if k < 8 else "600,00"
                lines.append(
                    f"BQ|Banque|{n}|{day}|411000|Clients|{aux}|{name}|RG{c}-{k}|{day}|Règlement|"
                    f"0,00|{paid}|{letter}||{day}||"
                )
                lines.append(
                    f"BQ|Banque|{n}|{day}|512000|Banque|||RG{c}-{k}|{day}|Règlement|{paid}|0,00||||{day}||"
                )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _run(url: str, bad: int, fec_customers: int) -> None:
    os.environ["CASEDESK_DATABASE_URL"] = url
    from case_core import migrations
    from case_core.accounts import auth
    from case_core.imports.invoices import import_invoices, recognise_headers, validate_rows
    from case_core.imports.tabular import read_table
    from tests.import_helpers import invoice_rows, make_creditor

    migrations.upgrade(url)
    admin = auth.create_first_admin("bench@example.fr", "Bench", "motdepasse-bench")
    creditor_id = make_creditor(admin)
    text, _expected = invoice_rows(10_000, bad)
    data = text.encode("utf-8")
    table = _timed(f"read CSV ({len(data) // 1024} Kio)", lambda: read_table(data, "f.csv"))
    mapping = recognise_headers(table.headers)
    _timed("validate 10 000 rows", lambda: validate_rows(table, mapping))
    report = _timed(
        "import (first time)", lambda: import_invoices(admin, creditor_id, table, mapping)
    )
    print("   ", report.summary)
    again = _timed(
        "import again (all unchanged)", lambda: import_invoices(admin, creditor_id, table, mapping)
    )
    print("   ", again.summary)

    from case_core.imports.fec import analyse_fec, import_fec

    fec = fec_bytes(fec_customers)
    analysis = _timed(f"analyse FEC ({len(fec) // 1024} Kio)", lambda: analyse_fec(fec, "FEC.txt"))
    print(f"    {analysis.lines_read} lines, {len(analysis.items)} open items")
    fec_report = _timed("import FEC (first time)", lambda: import_fec(admin, creditor_id, analysis))
    print("   ", fec_report.summary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bad", type=int, default=37, help="bad rows among the 10 000")
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--fec-customers", type=int, default=2000)
    args = parser.parse_args()
    if not args.postgres:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"import_bench_{uuid.uuid4().hex[:6]}.db"
        try:
            print(f"SQLite {path}")
            _run(f"sqlite:///{path}", args.bad, args.fec_customers)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from case_core.kernel.db import dispose_engines

    name = f"casedesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        print(f"PostgreSQL {name}")
        _run(url, args.bad, args.fec_customers)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
