"""What a hostile or clumsy user types, and the one rule every service must keep with it.

Each fuzz test writes a generated value through a service and checks `stored_or_refused`:
the value is stored and read back exactly (surrounding spaces aside, which every form
drops), or the service refuses it with a CaseError and no table changes; an accepted value
changes only the tables its service writes.

Bounded for CI: few examples, derandomized (the same examples each run, so a failure is
reproducible), no deadline (the machine may be loaded). CASEDESK_FUZZ_EXAMPLES raises the
count for a deeper run by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from case_core.kernel.errors import CaseError
from tests.snapshot_helpers import changed_tables, snapshot

EXAMPLES = int(os.environ.get("CASEDESK_FUZZ_EXAMPLES", "6"))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 6,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE_PIECES = [
    "\x00",  # PostgreSQL refuses it in text
    "\x0b",  # Word's Shift+Enter: no XLSX, no DOCX can hold it
    "\x1b",
    "\ud800",  # a lone surrogate: not UTF-8
    "\ufffe",
    "\u202e",  # right-to-left override
    "😀",
    "👩‍👩‍👧",
    "{{ debtor.name }}",
    "{% if true %}x{% endif %}",
    "& < > \" '",
    '=HYPERLINK("http://evil.example")',
    "%",
    "_",
    "\\",
    "\r\n",
    "\t",
    "  ",
    "Ǆé ß",
]

user_text = st.one_of(
    st.lists(
        st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), min_size=1, max_size=6
    ).map("".join),
    st.builds(
        lambda ch, n: ch * n, st.sampled_from(["a", "é", "😀", "\u00a0"]), st.integers(2000, 2100)
    ),
)

# Half the time a plain value, so that the other fields' hostile values get their turn and
# accepted values are read back too.
plain_text = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "P", "S")), min_size=1, max_size=40
)
field_text = st.one_of(plain_text, user_text)

amounts = st.one_of(
    st.sampled_from([0, -1, 1, 12.5, 1250, 10**15, 2**63, -(2**63) - 1, float("nan"), 1e20, True]),
    st.integers(-(10**12), 10**12),
)

plain_amounts = st.integers(1, 50_000)
field_amounts = st.one_of(plain_amounts, amounts)

dates = st.one_of(
    st.sampled_from([date(1900, 1, 1), date(1969, 1, 1), date(2200, 1, 1), date(9999, 12, 31)]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 12, 31)),
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
)

plain_dates = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 5, 31))
field_dates = st.one_of(plain_dates, dates)

typed_dates = st.one_of(
    st.sampled_from(["01/01/69", "31/02/2026", "01/01/1900", "01/01/2200", "2026-13-01", ""]),
    dates.map(lambda d: d.strftime("%d/%m/%Y")),
    user_text,
)

FAKE_HEADERS = [b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"MZ\x90\x00", b"<html>", b""]
files = st.tuples(
    st.sampled_from(
        [
            "facture.pdf",
            "facture.html",
            "facture.pdf.exe",
            "facture\u202efdp.exe",
            "a" * 300 + ".pdf",
            "x\x00.pdf",
            "../../etc/passwd",
            "photo.png",
            "relevé.xlsx",
        ]
    ),
    st.builds(
        lambda head, body: head + body, st.sampled_from(FAKE_HEADERS), st.binary(max_size=600)
    ),
)


def kept(value: str | None) -> str | None:
    """What a form stores of a text: surrounding spaces dropped, empty as nothing."""
    if value is None:
        return None
    return value.strip() or None


def stored_or_refused(
    write: Callable[[], object],
    read: Callable[[object], object],
    expected: object,
    may_change: set[str],
) -> bool:
    """Write; if refused (CaseError) nothing changed; if accepted, `read(result)` equals
    `expected` and only `may_change` (and the audit journal) changed. True if accepted."""
    before = snapshot()
    try:
        result = write()
    except CaseError as refusal:
        assert changed_tables(before, snapshot()) == set(), "a refused value wrote something"
        if os.environ.get("CASEDESK_FUZZ_VERBOSE"):
            print("refused:", refusal.message[:160])
        return False
    if os.environ.get("CASEDESK_FUZZ_VERBOSE"):
        print("accepted")
    assert read(result) == expected
    extra = changed_tables(before, snapshot()) - may_change - {"audit_events", "audit_values"}
    assert extra == set(), f"tables changed beyond the service's own: {extra}"
    return True
