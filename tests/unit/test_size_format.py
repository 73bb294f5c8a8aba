"""File sizes read in French: octets, Ko, Mo with a decimal comma (never « 463.0B »)."""

from __future__ import annotations

import pytest

from case_core.kernel.money import format_size


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0\u00a0o"),
        (463, "463\u00a0o"),
        (1023, "1023\u00a0o"),
        (1024, "1,0\u00a0Ko"),
        (38_400, "37,5\u00a0Ko"),
        (1_258_291, "1,2\u00a0Mo"),
        # Just under 1 Mo would round to « 1024,0 Ko »: shown as the next unit.
        (1024 * 1024 - 1, "1,0\u00a0Mo"),
        (20 * 1024 * 1024, "20,0\u00a0Mo"),
        (5 * 1024**3, "5,0\u00a0Go"),
    ],
)
def test_sizes_are_written_the_french_way(size: int, shown: str) -> None:
    assert format_size(size) == shown
