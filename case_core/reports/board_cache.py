"""The dashboard's figures kept per scope in the app process, so that a page is served
from memory rather than recomputed from a million journal lines on every view.

The rule of freshness:
- a user who has written anything since the figures were computed gets them recomputed
  before the page is shown: nobody ever sees a figure that misses their own write;
- a write by someone else starts a recomputation in the background and the page shows
  the figures it has, saying when they were computed; the next run shows the new ones;
- a scope never computed is computed at once.

The data version is the newest audit event's id (every write records one in its own
transaction), read before computing: figures stored under version v hold at least every
write up to v.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kept(Generic[T]):
    value: T
    version: int  # the data version the figures hold every write up to
    computed_at: datetime

    def behind(self, data_version: int) -> bool:
        return self.version < data_version


class FigureCache(Generic[K, T]):
    def __init__(self, compute: Callable[[K], T], max_entries: int = 64) -> None:
        self._compute = compute
        self._max = max_entries
        self._entries: OrderedDict[K, Kept[T]] = OrderedDict()
        self._refreshing: dict[K, threading.Thread] = {}
        self._lock = threading.Lock()

    def get(self, key: K, data_version: int, own_version: int, force: bool = False) -> Kept[T]:
        """The figures of `key`, by the rule of freshness; `own_version` is the newest
        write of the user asking."""
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
        if kept is None or force or own_version > kept.version:
            return self._store(key, data_version)
        if kept.behind(data_version):
            self._refresh_later(key, data_version)
        return kept

    def refreshing(self, key: K) -> bool:
        with self._lock:
            return key in self._refreshing

    def wait(self, timeout: float | None = None) -> None:
        """Until the background recomputations started so far have ended."""
        with self._lock:
            threads = list(self._refreshing.values())
        for thread in threads:
            thread.join(timeout)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _store(self, key: K, data_version: int) -> Kept[T]:
        kept = Kept(self._compute(key), data_version, datetime.now(UTC))
        with self._lock:
            current = self._entries.get(key)
            # A slower computation started earlier never replaces a newer one.
            if current is None or current.version <= kept.version:
                self._entries[key] = kept
                self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return kept

    def _refresh_later(self, key: K, data_version: int) -> None:
        with self._lock:
            if key in self._refreshing:
                return
            thread = threading.Thread(
                target=self._refresh, args=(key, data_version), daemon=True, name="dashboard"
            )
            self._refreshing[key] = thread
        thread.start()

    def _refresh(self, key: K, data_version: int) -> None:
        try:
            self._store(key, data_version)
        except Exception:  # the page computes them itself on the next stale read
            log.exception("dashboard figures: background recomputation failed")
        finally:
            with self._lock:
                self._refreshing.pop(key, None)
