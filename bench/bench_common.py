"""What the bench scripts share: where they keep their databases, and the median timer."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# The scripts run from a checkout: import case_core from it.
sys.path.insert(0, str(ROOT))


def compile_pages_once() -> None:
    """Let AppTest keep the pages' compiled code from one run to the next, as the server
    does: `streamlit run` compiles each script once per process (its ScriptCache), while
    AppTest builds a new cache on every run, so each rerun would also pay for parsing
    app.py and the page and rewriting them for « magic » (about 100 ms of CPU for the case
    page here), a cost no user meets. Call before creating the AppTests."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()

    def one_cache() -> ScriptCache:
        return shared

    app_test.ScriptCache = one_cache  # type: ignore[assignment,misc]
    local_script_runner.ScriptCache = one_cache  # type: ignore[assignment,misc]


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls, in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
