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


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls, in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
