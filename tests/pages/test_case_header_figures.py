"""The case header and the Décompte tell the same story: the header's amount due today is
the Décompte's « Solde dû », and the Décompte's summary adds up on screen (principal +
interest + indemnities − paid). Documents show their sizes in French."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from case_core.cases.attachments import upload_document
from case_core.kernel.actor import Actor
from case_core.kernel.money import parse_amount
from case_core.models import DocumentKind
from case_core.payments.service import PaymentInput, record_payment
from case_core.statement import rates
from tests.apptest_helpers import open_case_tab, signed_in_app
from tests.conftest import make_admin
from tests.factories import PDF, make_case


def _rates_up_to_today(admin: Actor) -> None:
    for gap in rates.missing_rate_semesters():
        start, end = rates.semester_bounds(gap.period_start)
        rates.add_rate(admin, gap.kind, start, end, "3,00", "Taux d'essai")


def _cents(shown: str) -> int:
    return parse_amount(shown)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _case_page(admin: Actor, reference: str) -> AppTest:
    at = signed_in_app(admin)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    assert not at.exception, at.exception
    return at


def test_header_amount_due_is_the_statement_balance_and_the_summary_adds_up(
    sqlite_url: str,
) -> None:
    admin = make_admin()
    _rates_up_to_today(admin)
    # A professional debtor: interest at the ECB rate + 10 points and the 40 € indemnity.
    reference = make_case(admin).reference
    record_payment(admin, reference, PaymentInput(date(2026, 4, 1), 10_000))
    at = _case_page(admin, reference)
    header = _metrics(at)
    assert "Solde hors intérêts" not in header
    due_today = _cents(header["Dû aujourd'hui"])
    assert _cents(header["Payé"]) == 10_000
    # Interest is due on top of the unpaid principal: the two are not the same figure.
    assert due_today > _cents(header["Principal facturé"]) - 10_000
    assert any(c.value.startswith("Dont principal restant dû : ") for c in at.caption)

    open_case_tab(at, "Décompte")
    assert not at.exception, at.exception
    summary = _metrics(at)
    balance = _cents(summary["Solde dû (intérêts et indemnités compris)"])
    assert balance == due_today
    assert _cents(summary["Payé"]) == -10_000
    assert _cents(summary["Principal"]) == _cents(header["Principal facturé"])
    assert (
        _cents(summary["Principal"])
        + _cents(summary["Intérêts"])
        + _cents(summary["Indemnités forfaitaires"])
        + _cents(summary["Payé"])
        == balance
    )


def test_while_a_rate_is_missing_the_header_says_its_amount_is_provisional(
    sqlite_url: str,
) -> None:
    admin = make_admin()
    if not rates.missing_rate_semesters():  # the shipped table reaches today
        return
    reference = make_case(admin).reference
    at = _case_page(admin, reference)
    header = _metrics(at)
    assert "Dû aujourd'hui (provisoire)" in header
    open_case_tab(at, "Décompte")
    summary = _metrics(at)
    assert (
        summary["Solde dû (intérêts et indemnités compris) (provisoire)"]
        == header["Dû aujourd'hui (provisoire)"]
    )
    # The administrator adds the rate: the header kept between reruns follows at once.
    _rates_up_to_today(admin)
    at.run()
    assert not at.exception, at.exception
    header = _metrics(at)
    assert "Dû aujourd'hui (provisoire)" not in header
    assert header["Dû aujourd'hui"] == _metrics(at)["Solde dû (intérêts et indemnités compris)"]


def test_documents_show_their_size_in_french(sqlite_url: str) -> None:
    admin = make_admin()
    reference = make_case(admin).reference
    upload_document(admin, reference, "petit.pdf", PDF, DocumentKind.INVOICE)
    upload_document(
        admin, reference, "gros.pdf", PDF + b"0" * (38_400 - len(PDF)), DocumentKind.INVOICE
    )
    at = _case_page(admin, reference)
    open_case_tab(at, "Documents")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    sizes = dict(zip(table["Fichier"], table["Taille"], strict=True))
    assert sizes["petit.pdf"] == f"{len(PDF)}\u00a0o"
    assert sizes["gros.pdf"] == "37,5\u00a0Ko"


def test_a_viewer_sees_no_empty_actions_heading(sqlite_url: str) -> None:
    from case_core.models import Role
    from tests.conftest import actor_with_role

    admin = make_admin()
    reference = make_case(admin).reference
    assert "Actions" in [s.value for s in _case_page(admin, reference).subheader]
    viewer = actor_with_role(admin, Role.VIEWER)
    assert "Actions" not in [s.value for s in _case_page(viewer, reference).subheader]
