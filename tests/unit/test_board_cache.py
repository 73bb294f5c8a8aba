"""The dashboard's rule of freshness: own writes recomputed before the page, others' in
the background, an older computation never replacing a newer one."""

from __future__ import annotations

import threading

from case_core.reports.board_cache import FigureCache


class Counter:
    def __init__(self) -> None:
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, key: str) -> str:
        self.gate.wait(10)
        self.calls += 1
        return f"{key}#{self.calls}"


def test_computed_once_then_kept() -> None:
    compute = Counter()
    cache: FigureCache[str, str] = FigureCache(compute)
    assert cache.get("a", 5, 0).value == "a#1"
    assert cache.get("a", 5, 5).value == "a#1"  # own write already counted
    assert compute.calls == 1


def test_own_write_recomputed_before_answering() -> None:
    compute = Counter()
    cache: FigureCache[str, str] = FigureCache(compute)
    cache.get("a", 5, 0)
    kept = cache.get("a", 7, 7)
    assert kept.value == "a#2" and kept.version == 7 and not kept.behind(7)


def test_others_write_served_kept_then_recomputed_in_the_background() -> None:
    compute = Counter()
    cache: FigureCache[str, str] = FigureCache(compute)
    cache.get("a", 5, 0)
    compute.gate.clear()
    kept = cache.get("a", 8, 3)
    assert kept.value == "a#1" and kept.behind(8) and cache.refreshing("a")
    cache.get("a", 8, 3)  # one background recomputation per scope, not one per run
    compute.gate.set()
    cache.wait(10)
    assert not cache.refreshing("a")
    assert cache.get("a", 8, 3).value == "a#2" and compute.calls == 2


def test_force_and_eviction() -> None:
    compute = Counter()
    cache: FigureCache[str, str] = FigureCache(compute, max_entries=2)
    cache.get("a", 1, 0)
    assert cache.get("a", 1, 0, force=True).value == "a#2"
    cache.get("b", 1, 0)
    cache.get("c", 1, 0)  # "a" is the least recently read: dropped
    assert cache.get("a", 1, 0).value == "a#5"


def test_a_failed_background_recount_keeps_the_figures() -> None:
    calls = {"n": 0}

    def flaky(key: str) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("base indisponible")
        return f"{key}{calls['n']}"

    cache: FigureCache[str, str] = FigureCache(flaky)
    cache.get("a", 1, 0)
    assert cache.get("a", 2, 0).value == "a1"
    cache.wait(10)
    assert cache.get("a", 2, 0).value == "a1"  # kept, and retried
    cache.wait(10)
    assert cache.get("a", 2, 0).value == "a3"
