"""Regenerate migration 0001 from the models (only while nothing has been released;
afterwards every schema change is a new migration: `alembic revision --autogenerate`).

Run: .venv/bin/python -m case_core.migrations.regen
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from case_core.migrations import MIGRATIONS_DIR, alembic_config

INITIAL = "0001"


def main() -> None:
    versions = MIGRATIONS_DIR / "versions"
    for path in versions.glob(f"{INITIAL}_*.py"):
        path.unlink()
    later = sorted(p for p in versions.glob("*.py") if not p.name.startswith(INITIAL))
    stash = {p: p.read_text() for p in later}
    for p in later:
        p.unlink()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'empty.db'}"
            command.revision(
                alembic_config(url), message="initial schema", autogenerate=True, rev_id=INITIAL
            )
    finally:
        for p, text in stash.items():
            p.write_text(text)
    # Keep the generated file lint-clean so that CI's `ruff check` passes.
    ruff = Path(sys.executable).parent / "ruff"
    generated = [str(p) for p in versions.glob(f"{INITIAL}_*.py")]
    subprocess.run([str(ruff), "check", "--fix", "--quiet", *generated], check=False)
    subprocess.run([str(ruff), "format", "--quiet", *generated], check=False)


if __name__ == "__main__":
    main()
