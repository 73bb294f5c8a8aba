"""The statement service on SQLite and PostgreSQL, its exports and the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlmodel import select

from case_core.cases import costs
from case_core.cli import cli
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, PermissionDenied, ValidationError
from case_core.kernel.money import format_cents
from case_core.models import AuditEvent, CostBearer, DebtorKind, InterestRegime, Role
from case_core.statement.account import statement_for_case
from case_core.statement.exports import statement_to_csv, statement_to_json, statement_to_xlsx
from case_core.statement.imputation import Bucket
from case_core.statement.rates import MissingRate
from tests.conftest import actor_with_role
from tests.factories import raw_case, raw_payment

AT = date(2025, 9, 15)


@pytest.fixture
def l441_case(admin: Actor) -> str:
    """The issue's example: 10 000 € due 31/03/2025, paid 15/09/2025, under L441-10."""
    reference, _ = raw_case(
        DebtorKind.PROFESSIONAL,
        claims=[
            {
                "invoice_number": "FA-2025-031",
                "issue_date": date(2025, 3, 1),
                "due_date": date(2025, 3, 31),
                "principal_cents": 10_000_00,
            }
        ],
    )
    raw_payment(reference, AT, 10_000_00, reference="VIR 0915")
    return reference


def test_statement_of_the_worked_example(admin: Actor, l441_case: str) -> None:
    viewer = actor_with_role(admin, Role.VIEWER)
    st = statement_for_case(viewer, l441_case, AT)
    (claim,) = st.claims
    assert [(ln.days, ln.rate_bp, ln.amount_cents) for ln in claim.interest_lines] == [
        (91, 1315, 327_85),
        (77, 1215, 256_32),
    ]
    assert claim.indemnity_cents == 40_00
    assert st.debtor_name == "Bâtiment Martin SARL"
    (payment,) = st.payments
    assert [(i.bucket, i.amount_cents) for i in payment.imputations] == [
        (Bucket.INDEMNITY, 40_00),
        (Bucket.INTEREST, 584_17),
        (Bucket.PRINCIPAL, 9_375_83),
    ]
    assert st.totals.balance_cents == 624_17
    assert st.limitation_date == date(2030, 9, 15)  # the payment restarted five years


def test_statement_before_the_payment_and_at_due_date(admin: Actor, l441_case: str) -> None:
    at_due = statement_for_case(admin, l441_case, date(2025, 3, 31))
    assert at_due.claims[0].interest_lines == [] and at_due.totals.balance_cents == 10_000_00
    mid = statement_for_case(admin, l441_case, date(2025, 6, 30))
    assert mid.payments == []
    assert mid.totals.balance_cents == 10_000_00 + 327_85 + 40_00


def test_unknown_case_and_rate_gap_are_refused(admin: Actor, l441_case: str) -> None:
    with pytest.raises(NotFound):
        statement_for_case(admin, "2099-999999", AT)
    # The 2nd half of 2026 has no ECB rate yet: no statement rather than a guessed rate.
    with pytest.raises(MissingRate, match="Taux manquant : taux de refinancement de la BCE du 2nd"):
        statement_for_case(admin, l441_case, date(2026, 12, 31))


def test_json_carries_cents_and_iso_dates(admin: Actor, l441_case: str) -> None:
    data = statement_to_json(statement_for_case(admin, l441_case, AT))
    json.dumps(data)  # serialisable as is
    claim = data["claims"][0]
    assert claim["interest_lines"][0] == {
        "from": "2025-04-01",
        "to": "2025-06-30",
        "days": 91,
        "base_cents": 1_000_000,
        "rate_bp": 1315,
        "amount_cents": 32_785,
        "basis": claim["interest_lines"][0]["basis"],
    }
    assert data["totals"]["balance_cents"] == 62_417
    assert data["payments"][0]["imputations"][-1]["amount_cents"] == 937_583


def test_csv_and_xlsx_exports(admin: Actor, l441_case: str) -> None:
    st = statement_for_case(admin, l441_case, AT)
    raw = statement_to_csv(st)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    interest = [r for r in rows if r and r[0] == "Intérêts"]
    assert interest[0][1:4] == ["du 01/04/2025", "au 30/06/2025", "91 j"]
    assert interest[0][5] == format_cents(327_85)
    assert ["Solde dû", "", "", "", "", format_cents(624_17)] in rows

    wb = load_workbook(io.BytesIO(statement_to_xlsx(st)))
    sheet = wb["Décompte"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    lines = [v for v in values if v[1] == "Intérêts"]
    assert [(v[4], v[7]) for v in lines] == [(91, 327.85), (77, 256.32)]
    balance = next(v for v in values if v[1] == "Solde dû")
    assert Decimal(str(balance[7])) == Decimal("624.17")
    assert wb["Paiements"].max_row == 1 + 3


def test_cli_prints_the_same_figures(admin: Actor, l441_case: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["statement", l441_case, "--at", "2025-09-15"])
    assert result.exit_code == 0, result.output
    for cents in (327_85, 256_32, 584_17, 40_00, 624_17):
        assert format_cents(cents) in result.output
    assert "du 01/04/2025" in result.output and "91 j" in result.output
    as_json = runner.invoke(cli, ["statement", l441_case, "--at", "2025-09-15", "--json"])
    assert as_json.exit_code == 0, as_json.output
    service = statement_to_json(statement_for_case(admin, l441_case, AT))
    assert json.loads(as_json.output) == service


def test_cli_reports_errors_without_traceback(admin: Actor) -> None:
    result = CliRunner().invoke(cli, ["statement", "2099-000001", "--at", "2025-09-15"])
    assert result.exit_code == 1
    assert "Dossier introuvable" in result.output


def test_consumer_legal_rate_from_formal_notice_no_indemnity(admin: Actor) -> None:
    reference, _ = raw_case(
        DebtorKind.CONSUMER,
        claims=[{"due_date": date(2025, 1, 15), "principal_cents": 3_000_00}],
        formal_notice_date=date(2025, 3, 1),
    )
    st = statement_for_case(admin, reference, date(2025, 3, 31))
    (claim,) = st.claims
    assert claim.regime == InterestRegime.LEGAL
    assert [(ln.days, ln.rate_bp) for ln in claim.interest_lines] == [(30, 371)]
    assert claim.interest_cents == 9_15  # 3 000 € × 3,71 % × 30 / 365
    assert claim.indemnity_cents == 0
    assert claim.limitation_date == date(2027, 1, 15)


def test_recovery_cost_recorded_and_shown_apart(admin: Actor, l441_case: str) -> None:
    collector = actor_with_role(admin, Role.COLLECTOR)
    view = costs.record_recovery_cost(
        collector, l441_case, "10/09/2025", "Frais de signification", "89,50", CostBearer.DEBTOR
    )
    assert view.amount_cents == 89_50
    costs.record_recovery_cost(
        collector, l441_case, "2025-09-01", "Relance", "5", CostBearer.CREDITOR
    )
    st = statement_for_case(admin, l441_case, AT)
    assert st.totals.debtor_costs_cents == 89_50 and st.totals.creditor_costs_cents == 5_00
    # The debtor's cost was paid first out of the 10 000 €; the balance is unchanged in sum.
    assert st.payments[0].imputations[0].bucket == Bucket.COST
    assert st.totals.balance_cents == 624_17 + 89_50
    with read_session() as session:
        actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("cost.record") == 2


def test_recovery_cost_validation(admin: Actor) -> None:
    reference, _ = raw_case(
        DebtorKind.CONSUMER, claims=[{"due_date": date(2025, 1, 15), "principal_cents": 100_00}]
    )
    with pytest.raises(ValidationError, match="consommateur"):
        costs.record_recovery_cost(admin, reference, "01/02/2025", "Frais", "10", "debtor")
    with pytest.raises(ValidationError) as exc:
        costs.record_recovery_cost(admin, reference, "demain", "", "-3", "creditor")
    assert set(exc.value.errors) == {"incurred_on", "label", "amount"}
    viewer = actor_with_role(admin, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        costs.record_recovery_cost(viewer, reference, "01/02/2025", "Frais", "10", "creditor")


def test_claim_interest_terms_change_the_statement(admin: Actor, l441_case: str) -> None:
    st = statement_for_case(admin, l441_case, AT)
    claim_id = st.claims[0].claim_id
    with pytest.raises(ValidationError, match="trois fois"):
        costs.set_claim_interest_terms(admin, claim_id, InterestRegime.L441_10, "10")
    costs.set_claim_interest_terms(admin, claim_id, InterestRegime.NONE)
    st = statement_for_case(admin, l441_case, AT)
    assert st.claims[0].interest_cents == 0
    assert st.claims[0].indemnity_cents == 40_00  # due whatever the interest regime
    assert st.totals.surplus_cents == 0 and st.totals.balance_cents == 40_00
    with read_session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "claim.interest_terms")
        ).one()
    assert "l441_10" in event.changes and "none" in event.changes
