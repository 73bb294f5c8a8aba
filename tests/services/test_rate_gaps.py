"""Rates that never block silently: the missing semesters, the provisional estimate,
and the ECB rate read from the ECB Data Portal's CSV export."""

from __future__ import annotations

from datetime import date

import pytest

from case_core.kernel.actor import Actor
from case_core.kernel.errors import ValidationError
from case_core.models import RateKind
from case_core.statement import rates
from case_core.statement.account import provisional_statement_for_case, statement_for_case
from case_core.statement.ecb_csv import RateChange, parse_ecb_csv, semester_rates
from case_core.statement.ecb_import import apply_ecb_import, plan_ecb_import
from case_core.statement.rates import MissingRate, RatePeriod, RateTable
from tests.factories import make_case
from tests.paths import CASE_CORE, DATA

SAMPLE = DATA / "ecb_mrr_fr.csv"
TODAY = date(2026, 12, 3)  # the shipped tables stop at the 1st semester 2026
SHIPPED = CASE_CORE / "data" / "rates.csv"


def _table(*periods: tuple[RateKind, date, int]) -> RateTable:
    return RateTable(
        RatePeriod(kind, start, rates.semester_bounds(start)[1], bp, "test")
        for kind, start, bp in periods
    )


def test_missing_semesters_names_each_gap_up_to_today() -> None:
    table = _table(
        (RateKind.LEGAL_OTHER, date(2025, 7, 1), 276),
        (RateKind.LEGAL_OTHER, date(2026, 1, 1), 262),
        (RateKind.LEGAL_NATURAL_PERSON, date(2025, 7, 1), 665),
        (RateKind.ECB_REFI, date(2025, 1, 1), 315),
        (RateKind.ECB_REFI, date(2026, 1, 1), 215),  # 2nd semester 2025 is a hole
    )
    labels = [m.label for m in rates.missing_semesters(table, TODAY)]
    assert labels == [
        "taux d'intérêt légal (créancier personne physique) du 1er semestre 2026",
        "taux d'intérêt légal (créancier personne physique) du 2nd semestre 2026",
        "taux d'intérêt légal (autres cas) du 2nd semestre 2026",
        "taux de refinancement de la BCE du 2nd semestre 2025",
        "taux de refinancement de la BCE du 2nd semestre 2026",
    ]
    assert rates.missing_semesters(table, date(2026, 6, 30))[0].period_start == date(2026, 1, 1)


def test_shipped_tables_miss_the_2nd_semester_2026_of_every_kind(db_url: str) -> None:
    missing = rates.missing_rate_semesters(TODAY)
    assert {(m.kind, m.period_start) for m in missing} == {
        (kind, date(2026, 7, 1)) for kind in RateKind
    }
    assert rates.missing_rate_semesters(date(2026, 6, 1)) == []


def test_provisional_table_repeats_the_last_known_rate_and_says_so() -> None:
    table = _table((RateKind.LEGAL_OTHER, date(2026, 1, 1), 262))
    filled, assumptions = rates.provisional_table(table, TODAY)
    assert filled.rate_bp(RateKind.LEGAL_OTHER, date(2026, 10, 1)) == 262
    assert [a.sentence for a in assumptions] == [
        "taux d'intérêt légal (autres cas) du 2nd semestre 2026 : manquant, supposé égal "
        "à celui du 1er semestre 2026 (2,62\u00a0%)"
    ]
    with pytest.raises(MissingRate):  # the real table is untouched
        table.rate_bp(RateKind.LEGAL_OTHER, date(2026, 10, 1))


def test_decompte_estimate_while_a_rate_is_missing_and_the_real_one_still_refuses(
    admin: Actor,
) -> None:
    ref = make_case(admin).reference  # 1 234,56 € due 31/03/2026, L441-10 (ECB + 10)
    with pytest.raises(MissingRate):
        statement_for_case(admin, ref, TODAY)
    estimate = provisional_statement_for_case(admin, ref, TODAY)
    # Only what this case needs is assumed (L441-10: the ECB rate, not the legal ones).
    (assumed,) = estimate.assumptions
    assert assumed.missing.kind == RateKind.ECB_REFI
    assert assumed.assumed.semester == "1er semestre 2026"
    lines = estimate.statement.claims[0].interest_lines
    assert lines[-1].end == TODAY and lines[-1].rate_bp == 215 + 1000
    assert estimate.statement.totals.interest_cents > 0
    # Up to June the estimate is the real statement: nothing assumed.
    june = provisional_statement_for_case(admin, ref, date(2026, 6, 30))
    assert june.assumptions == []
    assert june.statement.totals == statement_for_case(admin, ref, date(2026, 6, 30)).totals


def test_parse_the_portal_csv_export() -> None:
    changes = parse_ecb_csv(SAMPLE.read_bytes())
    assert changes[0] == RateChange(date(2016, 3, 16), 0)
    assert changes[-1] == RateChange(date(2025, 6, 11), 215)
    assert len(changes) == 19


def test_the_portal_web_download_shape_is_read_too() -> None:
    text = (
        '"DATE","TIME PERIOD","Main refinancing operations - fixed rate tenders (fixed rate) '
        '(date of changes) - Level (FM.B.U2.EUR.4F.KR.MRR_FR.LEV)"\n'
        '"2024-12-18","18 Dec 2024","3.15"\n"2025-06-11","11 Jun 2025","2.15"\n'
    )
    assert parse_ecb_csv(text) == [
        RateChange(date(2024, 12, 18), 315),
        RateChange(date(2025, 6, 11), 215),
    ]


def test_semesters_follow_l441_10_and_agree_with_the_shipped_table() -> None:
    semesters = semester_rates(parse_ecb_csv(SAMPLE.read_bytes()), TODAY)
    by_start = {s.period_start: s for s in semesters}
    # The rate in force on 1st January / 1st July.
    assert by_start[date(2025, 1, 1)].rate_bp == 315
    assert by_start[date(2025, 7, 1)].rate_bp == 215
    assert by_start[date(2026, 7, 1)].rate_bp == 215
    assert "depuis le 11/06/2025" in by_start[date(2026, 7, 1)].source
    assert max(by_start) == date(2026, 7, 1)  # no semester that has not started
    shipped = {
        date.fromisoformat(line.split(",")[1]): int(line.split(",")[3])
        for line in SHIPPED.read_text(encoding="utf-8").splitlines()
        if line.startswith("ecb_refi,")
    }
    common = [start for start in shipped if start in by_start]
    assert len(common) >= 15
    assert all(by_start[start].rate_bp == shipped[start] for start in common)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "vide"),
        ("a,b\n1,2\n", "n'est pas un export CSV"),
        (
            "KEY,TIME_PERIOD,OBS_VALUE\nFM.B.U2.EUR.4F.KR.DFR.LEV,2025-06-11,2.0\n",
            "FM.B.U2.EUR.4F.KR.DFR.LEV",
        ),
        (
            "KEY,TIME_PERIOD,OBS_VALUE\nFM.B.U2.EUR.4F.KR.MRR_FR.LEV,11/06/2025,2.15\n",
            "Ligne 2 : date illisible",
        ),
    ],
)
def test_a_wrong_file_is_refused_in_french(content: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_ecb_csv(content)
    assert message in caught.value.message


def test_importing_the_file_adds_only_the_missing_semesters(admin: Actor) -> None:
    plan = plan_ecb_import(admin, SAMPLE.read_bytes(), TODAY)
    assert [s.period_start for s in plan.to_add] == [date(2026, 7, 1)]
    assert plan.differing == [] and plan.last_change_on == date(2025, 6, 11)
    assert apply_ecb_import(admin, plan) == 1
    assert apply_ecb_import(admin, plan) == 0  # nothing replaced the second time
    ecb = rates.list_rates(admin, RateKind.ECB_REFI)[0]
    assert (ecb.period_start, ecb.rate_bp) == (date(2026, 7, 1), 215)
    assert "FM.B.U2.EUR.4F.KR.MRR_FR.LEV" in ecb.source
    assert [m.kind for m in rates.missing_rate_semesters(TODAY)] == [
        RateKind.LEGAL_NATURAL_PERSON,
        RateKind.LEGAL_OTHER,
    ]


def test_cli_fetch_ecb_from_a_downloaded_file(admin: Actor) -> None:
    from click.testing import CliRunner

    from case_core.cli import cli

    runner = CliRunner()
    dry = runner.invoke(cli, ["rates", "fetch-ecb", "--file", str(SAMPLE), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "À ajouter : 2nd semestre 2026 — 2,15" in dry.output
    assert rates.list_rates(admin, RateKind.ECB_REFI)[0].period_start == date(2026, 1, 1)
    done = runner.invoke(cli, ["rates", "fetch-ecb", "--file", str(SAMPLE)])
    assert done.exit_code == 0 and "semestre(s) ajouté(s)" in done.output
    again = runner.invoke(cli, ["rates", "fetch-ecb", "--file", str(SAMPLE)])
    assert "Aucun semestre à ajouter" in again.output
    gaps = runner.invoke(cli, ["rates", "missing"])
    assert "taux d'intérêt légal (autres cas) du 2nd semestre 2026" in gaps.output
    assert "BCE" not in gaps.output


def test_cli_fetch_ecb_offline_says_what_to_do(
    admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from case_core.cli import cli
    from case_core.statement import ecb_import

    real = ecb_import.fetch_ecb_csv
    monkeypatch.setattr(
        "case_core.cli.rate_commands.fetch_ecb_csv",
        lambda: real("http://127.0.0.1:9/none", timeout=2),
    )
    result = CliRunner().invoke(cli, ["rates", "fetch-ecb"])
    assert result.exit_code == 1
    assert "injoignable" in result.output and "page « Taux »" in result.output
