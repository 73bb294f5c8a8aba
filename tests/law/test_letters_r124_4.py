"""Recovering on behalf of others (CPCE R124-4): every letter, reminders and plan letter
included, names who collects and for whom, the claim's basis and its principal, interest and
other sums apart, the demand to pay and how, reproduces L111-8 al. 2 and 3, and each later
letter recalls the reference and date of the first one. Worked examples on the shipped rates:
ECB 1st semester 2026 = 2,15 %, so L441-10 = 12,15 %; one invoice of 1 234,56 € due 31/03/2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from case_core.kernel.actor import Actor
from case_core.kernel.money import format_cents
from case_core.kernel.settings import set_settings
from case_core.letters.plan_letter import generate_plan_letter
from case_core.letters.service import ON_BEHALF, LetterKind, generate_letter
from case_core.letters.templates import L111_8_AL2, L111_8_AL3
from case_core.plans import service as plans
from case_core.plans.proposals import Proposal
from case_core.statement.interest import DAY_COUNT_CONVENTION
from tests.factories import make_case
from tests.letter_helpers import set_sender
from tests.template_helpers import docx_text

FIRST = date(2026, 6, 2)
AT = date(2026, 6, 30)
WHO = (
    "Recouvrement Durand, 8 rue Mercière, 69002 Lyon, exerce une activité de recouvrement "
    "amiable et agit pour le compte du créancier : Fournitures Durand SAS, 3 quai "
    "Saint-Antoine, 69002 Lyon."
)
BASIS = (
    "Fondement de la créance : factures émises par Fournitures Durand SAS "
    "(Prestation de maintenance)"
)


def _row(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label))


def assert_breakdown(text: str, interest_cents: int, total_cents: int) -> None:
    """R124-4 3° and 4°: principal, interest, other sums apart; the demand to pay and how."""
    assert BASIS in text
    assert _row(text, "Principal restant dû") == f"Principal restant dû | {format_cents(1_234_56)}"
    assert _row(text, "Intérêts de retard").endswith(f"| {format_cents(interest_cents)}")
    assert _row(text, "Indemnité forfaitaire").endswith(f"| {format_cents(40_00)}")
    assert _row(text, "Total restant dû") == f"Total restant dû | {format_cents(total_cents)}"
    assert "Modalités de paiement : par virement bancaire" in text
    assert DAY_COUNT_CONVENTION in text


def test_every_letter_carries_the_mentions_and_recalls_the_first(admin: Actor) -> None:
    set_sender(admin)  # the setting is on by default
    ref = make_case(admin, stored={"created_at": datetime(2026, 5, 1, tzinfo=UTC)}).reference
    first = docx_text(generate_letter(admin, ref, LetterKind.REMINDER_1, today=FIRST).content)
    # 01/04 → 02/06/2026 = 63 days: 1 234,56 × 12,15 % × 63 / 365 = 25,890… → 25,89 €;
    # + 40 € indemnity: 1 234,56 + 25,89 + 40,00 = 1 300,45 €.
    assert_breakdown(first, 25_89, 1_300_45)
    assert f"procéder au règlement de la somme de {format_cents(1_300_45)}" in first
    assert WHO in first
    assert L111_8_AL2 in first and L111_8_AL3 in first
    assert f"Notre référence : {ref} — courrier n° {ref}/1" in first
    assert "Rappel : notre premier courrier" not in first  # it is the first
    recall = (
        f"Rappel : notre premier courrier relatif à cette créance, référence {ref}/1, vous a "
        "été envoyé le 02/06/2026."
    )
    # 01/04 → 30/06/2026 = 91 days: 1 234,56 × 12,15 % × 91 / 365 = 37,397… → 37,40 €;
    # 1 234,56 + 37,40 + 40,00 = 1 311,96 €.
    for n, kind in enumerate((LetterKind.REMINDER_2, LetterKind.FORMAL_NOTICE), start=2):
        text = docx_text(generate_letter(admin, ref, kind, today=AT).content)
        assert_breakdown(text, 37_40, 1_311_96)
        assert WHO in text and L111_8_AL2 in text and L111_8_AL3 in text
        assert recall in text
        assert f"courrier n° {ref}/{n}" in text
    plan = plans.propose_plan(admin, ref, Proposal(AT, date(2026, 7, 31), count=3))
    text = docx_text(generate_plan_letter(admin, plan.id, at=AT).content)
    assert_breakdown(text, 37_40, 1_311_96)
    assert WHO in text and L111_8_AL2 in text and recall in text
    assert f"courrier n° {ref}/4" in text


def test_a_letter_recorded_late_becomes_the_first_one_recalled(admin: Actor) -> None:
    set_sender(admin)
    ref = make_case(admin, stored={"created_at": datetime(2026, 5, 1, tzinfo=UTC)}).reference
    generate_letter(admin, ref, LetterKind.REMINDER_1, today=FIRST)  # n° 1, 02/06
    # A reminder posted on 15/05 is recorded afterwards: n° 2, but the first sent.
    late = generate_letter(
        admin, ref, LetterKind.REMINDER_1, at=date(2026, 5, 15), already_sent=True, today=AT
    )
    late_text = docx_text(late.content)
    # Its amounts are those of its date: 45 days, 1 234,56 × 12,15 % × 45 / 365 = 18,49 €.
    assert_breakdown(late_text, 18_49, 1_234_56 + 18_49 + 40_00)
    assert "Rappel : notre premier courrier" not in late_text
    text = docx_text(generate_letter(admin, ref, LetterKind.FORMAL_NOTICE, today=AT).content)
    assert f"référence {ref}/2, vous a été envoyé le 15/05/2026" in text


def test_collecting_its_own_claims_the_letters_leave_the_r124_4_part_out(admin: Actor) -> None:
    set_sender(admin)
    set_settings(admin, {ON_BEHALF: False})
    ref = make_case(admin).reference
    generate_letter(admin, ref, LetterKind.REMINDER_1, today=AT)
    for kind in (LetterKind.REMINDER_2, LetterKind.FORMAL_NOTICE):
        text = docx_text(generate_letter(admin, ref, kind, today=AT).content)
        assert "exerce une activité de recouvrement amiable" not in text
        assert L111_8_AL2 not in text and "Rappel : notre premier courrier" not in text
        # The claim's breakdown and how to pay stay in every letter.
        assert_breakdown(text, 37_40, 1_311_96)
