"""FEC import: open receivables per customer, hand-computed from tests/data/fec_sample.txt.

The sample, as an accounting package exports it (Windows-1252, `|`, decimal comma), holds:
- ACME (C001): FA001 1 200,00 paid and lettered AA (settled); FA002 2 400,00 with a
  1 000,00 payment in the unbalanced group AB; FA003 600,00 and an unlettered credit
  note AV001 100,00, applied to the oldest open invoice (FA002).
  Open: FA002 2 400 - 1 000 - 100 = 1 300,00; FA003 600,00.
- Boulangerie Martin (C002): FA010 480,00 with a 180,00 partial payment under the same
  PieceRef; FA011 90,00 settled (AC); FA012 150,00; an unlettered 50,00 payment applied
  to FA010, the oldest. Open: FA010 480 - 180 - 50 = 250,00; FA012 150,00.
- Client Soldé (C003): FA020 settled (AD): no case.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from case_core.imports.fec import analyse_fec, import_fec
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.models import Case, Claim, DebtorKind, Party, PartyKind
from tests.import_helpers import make_creditor
from tests.paths import DATA

SAMPLE = DATA / "fec_sample.txt"
EXPECTED = {
    "ACME INDUSTRIE SARL": {"FA002": 1300_00, "FA003": 600_00},
    "Boulangerie Martin & Fils": {"FA010": 250_00, "FA012": 150_00},
}


def test_open_items_are_computed_by_the_documented_rule() -> None:
    analysis = analyse_fec(SAMPLE.read_bytes(), "FEC.txt")
    assert analysis.errors == []
    assert analysis.lines_read == 35
    got = {(i.customer_name, i.piece_ref): i.open_cents for i in analysis.items}
    assert got == {(name, ref): c for name, refs in EXPECTED.items() for ref, c in refs.items()}
    assert analysis.open_total("C001") == 1900_00 and analysis.open_total("C002") == 400_00
    fa002 = next(i for i in analysis.items if i.piece_ref == "FA002")
    assert (fa002.original_cents, fa002.piece_date) == (2400_00, date(2025, 2, 10))


def test_tab_separated_fec_gives_the_same_items() -> None:
    tabbed = SAMPLE.read_bytes().replace(b"|", b"\t")
    assert [(i.piece_ref, i.open_cents) for i in analyse_fec(tabbed).items] == [
        (i.piece_ref, i.open_cents) for i in analyse_fec(SAMPLE.read_bytes()).items
    ]


def test_fec_becomes_one_case_per_customer_and_is_idempotent(admin: Actor) -> None:
    creditor_id = make_creditor(admin)
    analysis = analyse_fec(SAMPLE.read_bytes(), "FEC.txt")
    report = import_fec(admin, creditor_id, analysis, term_days=45)
    assert (report.created, report.rejected, report.cases_created) == (4, 0, 2)
    with read_session() as session:
        for name, invoices in EXPECTED.items():
            debtor = session.exec(select(Party).where(Party.display_name == name)).one()
            assert debtor.kind == PartyKind.COMPANY
            (case,) = session.exec(select(Case).where(Case.debtor_id == debtor.id)).all()
            assert case.debtor_kind == DebtorKind.PROFESSIONAL
            assert case.balance_cents == sum(invoices.values())
            claims = session.exec(select(Claim).where(Claim.case_id == case.id)).all()
            assert {c.invoice_number: c.principal_cents for c in claims} == invoices
        fa003 = session.exec(select(Claim).where(Claim.invoice_number == "FA003")).one()
        assert (fa003.issue_date, fa003.due_date) == (date(2025, 3, 5), date(2025, 4, 19))
        assert (
            session.exec(select(Party).where(Party.display_name == "Client Soldé SAS")).first()
            is None
        )
    again = import_fec(admin, creditor_id, analyse_fec(SAMPLE.read_bytes()), term_days=45)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    later = import_fec(admin, creditor_id, analyse_fec(SAMPLE.read_bytes()), term_days=60)
    assert (later.created, later.updated) == (0, 4)


def test_unreadable_line_leaves_its_customer_out_and_is_reported() -> None:
    text = SAMPLE.read_bytes().decode("cp1252").replace("|150,00|0,00|", "|15O,00|0,00|")
    analysis = analyse_fec(text.encode("cp1252"))
    assert [(e.column, "illisible" in e.reason) for e in analysis.errors] == [("Debit", True)]
    assert {i.account for i in analysis.items} == {"C001"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        ("N° facture;Montant\nF1;12\n".encode(), "pas un FEC"),
        (b"\x00\x01\x02\x03", "binaire"),
    ],
)
def test_not_a_fec_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        analyse_fec(data)
    assert message in caught.value.message


def test_montant_and_sens_layout_gives_the_same_items() -> None:
    lines = SAMPLE.read_bytes().decode("cp1252").splitlines()
    converted = []
    for number, line in enumerate(lines):
        cells = line.split("|")
        if number == 0:
            cells[11:13] = ["Montant", "Sens"]
        else:
            debit, credit = cells[11], cells[12]
            cells[11:13] = [credit, "C"] if debit == "0,00" else [debit, "D"]
        converted.append("|".join(cells))
    analysis = analyse_fec(("\n".join(converted) + "\n").encode("cp1252"))
    assert analysis.errors == []
    assert [(i.piece_ref, i.open_cents) for i in analysis.items] == [
        (i.piece_ref, i.open_cents) for i in analyse_fec(SAMPLE.read_bytes()).items
    ]
