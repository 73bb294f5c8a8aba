"""When the clocks start: the formal notice's presentation (consumer legal interest), the
completion of the service (L218-2 limitation), the capitalisation of interest (1343-2).

Rates (shipped table): legal rate « autres cas » 1st semester 2025 = 3,71 %."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from case_core.cases.clocks import record_notice_presentation, set_claim_clocks
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session, session_scope
from case_core.kernel.errors import ValidationError
from case_core.models import Case, DebtorKind, InterestRegime
from case_core.statement.account import statement_for_case
from case_core.statement.compute import compute_statement
from case_core.statement.exports import statement_rows
from case_core.statement.facts import CaseFacts, ClaimFacts
from tests.factories import raw_case, shipped_table

TABLE = shipped_table()
AT = date(2025, 4, 30)
CLAIM = ClaimFacts(1, "F-1", date(2025, 3, 1), date(2025, 3, 31), 3_000_00, InterestRegime.LEGAL)


def test_legal_interest_runs_from_presentation_provisionally_from_sending() -> None:
    sent_only = CaseFacts(DebtorKind.CONSUMER, formal_notice_date=date(2025, 4, 10))
    st = compute_statement(sent_only, [CLAIM], [], [], TABLE, AT)
    (c,) = st.claims
    # Provisional: 11/04 → 30/04 = 20 days; 3 000 × 3,71 % × 20 / 365 = 6,0986… → 6,10 €.
    assert [(ln.start, ln.days, ln.amount_cents) for ln in c.interest_lines] == [
        (date(2025, 4, 11), 20, 6_10)
    ]
    assert c.note and c.note.startswith("Provisoire") and "10/04/2025" in c.note
    presented = CaseFacts(
        DebtorKind.CONSUMER,
        formal_notice_date=date(2025, 4, 10),
        formal_notice_presented_on=date(2025, 4, 14),
    )
    (c,) = compute_statement(presented, [CLAIM], [], [], TABLE, AT).claims
    # From the presentation: 15/04 → 30/04 = 16 days; 3 000 × 3,71 % × 16 / 365 = 4,8789…
    # → 4,88 €.
    assert [(ln.start, ln.days, ln.amount_cents) for ln in c.interest_lines] == [
        (date(2025, 4, 15), 16, 4_88)
    ]
    assert c.note is None


def test_the_two_years_run_from_the_completion_of_the_service() -> None:
    consumer = CaseFacts(DebtorKind.CONSUMER)
    plain = ClaimFacts(1, "F-1", date(2024, 2, 1), date(2024, 3, 31), 1_000_00)
    (c,) = compute_statement(consumer, [plain], [], [], TABLE, date(2024, 6, 1)).claims
    # Without the date: from the due date 31/03/2024 → 31/03/2026, with a warning.
    assert c.limitation_date == date(2026, 3, 31)
    assert c.limitation_note and "achèvement" in c.limitation_note
    done = ClaimFacts(
        1,
        "F-1",
        date(2024, 2, 1),
        date(2024, 3, 31),
        1_000_00,
        service_completed_on=date(2024, 1, 15),
    )
    (c,) = compute_statement(consumer, [done], [], [], TABLE, date(2024, 6, 1)).claims
    # Works completed 15/01/2024: two years → 15/01/2026, no warning.
    assert (c.limitation_from, c.limitation_date) == (date(2024, 1, 15), date(2026, 1, 15))
    assert c.limitation_note is None
    # Between professionals the five years keep running from the due date.
    pro = compute_statement(
        CaseFacts(DebtorKind.PROFESSIONAL), [done], [], [], TABLE, date(2024, 6, 1)
    )
    assert pro.claims[0].limitation_date == date(2029, 3, 31)
    assert pro.claims[0].limitation_note is None


def test_capitalised_interest_bears_interest_after_a_whole_year() -> None:
    claim = ClaimFacts(
        1,
        "P-1",
        date(2023, 12, 1),
        date(2023, 12, 31),
        10_000_00,
        InterestRegime.CONTRACTUAL,
        contractual_rate_bp=1_000,
        capitalise_interest=True,
    )
    consumer = CaseFacts(DebtorKind.CONSUMER)
    st = compute_statement(consumer, [claim], [], [], TABLE, date(2025, 12, 31))
    (c,) = st.claims
    # Year 1 at 10 %: 01/01–30/06/2024 182 days → 10 000 × 10 % × 182 / 365 = 498,63 €;
    # 01/07–31/12/2024 184 days → 504,11 €; together 1 002,74 €, capitalised on 31/12/2024.
    # Year 2 on 11 002,74 €: 181 days → 545,62 €; 184 days → 554,66 €.
    assert [(ln.days, ln.base_cents, ln.amount_cents) for ln in c.interest_lines] == [
        (182, 10_000_00, 498_63),
        (184, 10_000_00, 504_11),
        (181, 11_002_74, 545_62),
        (184, 11_002_74, 554_66),
    ]
    assert [(k.on, k.amount_cents) for k in c.capitalisations] == [(date(2024, 12, 31), 1_002_74)]
    assert c.interest_cents == 498_63 + 504_11 + 545_62 + 554_66 == 2_103_02
    rows = statement_rows(st)
    assert any(r and r[0].startswith("Capitalisation au 31/12/2024") for r in rows)
    # Off by default: year 2 on 10 000 € only (495,89 + 504,11).
    plain = compute_statement(
        consumer,
        [ClaimFacts(**{**claim.__dict__, "capitalise_interest": False})],
        [],
        [],
        TABLE,
        date(2025, 12, 31),
    )
    assert plain.claims[0].interest_cents == 498_63 + 504_11 + 495_89 + 504_11
    assert plain.claims[0].capitalisations == []


def test_recording_the_receipt_and_its_checks(db_url: str, admin: Actor) -> None:
    reference, _ = raw_case(
        DebtorKind.CONSUMER,
        [{"due_date": date(2025, 3, 31), "principal_cents": 3_000_00}],
    )
    with pytest.raises(ValidationError, match="Aucune mise en demeure"):
        record_notice_presentation(admin, reference, date(2025, 4, 14))
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        case.formal_notice_date = date(2025, 4, 10)
    with pytest.raises(ValidationError, match="ne peut précéder"):
        record_notice_presentation(admin, reference, date(2025, 4, 9))
    with pytest.raises(ValidationError, match="future"):
        record_notice_presentation(admin, reference, "15/04/2025", today=date(2025, 4, 12))
    record_notice_presentation(admin, reference, "14/04/2025")
    st = statement_for_case(admin, reference, AT)
    assert st.formal_notice_presented_on == date(2025, 4, 14)
    assert st.claims[0].interest_cents == 4_88  # 16 days, as above


def test_service_date_moves_the_case_limitation(db_url: str, admin: Actor) -> None:
    reference, (claim_id,) = raw_case(
        DebtorKind.CONSUMER,
        [{"due_date": date(2024, 3, 31), "principal_cents": 1_000_00}],
    )
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2026, 3, 31)
    set_claim_clocks(admin, claim_id, "15/01/2024", True)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2026, 1, 15)
    with pytest.raises(ValidationError, match="future"):
        set_claim_clocks(admin, claim_id, date(2030, 1, 1), False, today=date(2026, 1, 1))


def test_statement_tab_warns_then_takes_the_date(db_url: str, admin: Actor) -> None:
    reference, _ = raw_case(
        DebtorKind.CONSUMER,
        [{"due_date": date(2024, 3, 31), "principal_cents": 1_000_00}],
    )

    def app(actor: object, reference: str) -> None:
        from pages.components.statement_tab import render_statement_tab

        render_statement_tab(actor, reference)  # type: ignore[arg-type]

    at = AppTest.from_function(app, args=(admin, reference), default_timeout=60).run()
    assert not at.exception
    assert any("achèvement" in w.value for w in at.warning)
    at.date_input(key=f"clocks_done_{reference}").set_value(date(2024, 1, 15))
    next(b for b in at.button if b.label == "Enregistrer").click()
    at.run()
    assert not at.exception and not at.error
    assert not any("achèvement" in w.value for w in at.warning)
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert case.limitation_date == date(2026, 1, 15)
