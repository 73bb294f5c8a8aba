"""Lists are cut into pages in SQL; how many pages a total makes is decided here, once."""

from __future__ import annotations


def page_count(total: int, page_size: int) -> int:
    """At least one page, even for an empty list (the page says « aucun résultat »)."""
    return max(1, -(-total // max(1, page_size)))
