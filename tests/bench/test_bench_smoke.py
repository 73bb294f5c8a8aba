"""`make bench` at a small size, so that the benchmark cannot rot: the driver builds its
demo database, measures every figure on SQLite (and PostgreSQL when the suite has one) and
prints one table with a row for each figure of issue 15 and a column per database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run_bench import ROWS  # noqa: E402


@pytest.mark.xdist_group("bench")
def test_the_bench_driver_prints_every_figure_for_each_database(tmp_path: Path) -> None:
    postgres = os.environ.get("CASEDESK_TEST_POSTGRES_URL")
    command = [
        sys.executable,
        str(ROOT / "bench" / "run_bench.py"),
        "--cases",
        "2000",
        "--runs",
        "1",
        "--import-rows",
        "1000",
        "--fec-items",
        "200",
        "--out",
        str(tmp_path),
        "--json",
        str(tmp_path / "mesures.json"),
        "--fresh",
    ]
    command += ["--postgres", postgres] if postgres else ["--no-postgres"]
    env = {k: v for k, v in os.environ.items() if k != "CASEDESK_DATABASE_URL"}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr[-3000:]

    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| Mesure"))
    databases = ["SQLite", "PostgreSQL"] if postgres else ["SQLite"]
    for database in databases:
        assert f"| {database} |" in header
    table = [line for line in lines if line.startswith("| ") and line != header]
    for _key, label, _target in ROWS:
        row = next((line for line in table if line.startswith(f"| {label} |")), None)
        assert row is not None, f"ligne manquante : {label}"
        # Every database has a figure in the row: none was skipped or failed silently.
        figures = [cell.strip() for cell in row.strip("|").split("|")][2::2]
        assert len(figures) == len(databases) and "—" not in figures, row

    measured = json.loads((tmp_path / "mesures.json").read_text())
    sqlite = measured["SQLite"]
    # The import wrote what it read, and importing the same file again created nothing.
    assert sqlite["import"]["summary"].startswith("963 factures créées"), sqlite["import"]
    assert sqlite["fec"]["items"] == 200
    assert sqlite["export_xlsx"]["rows"] == sqlite["export_csv"]["rows"] > 0
