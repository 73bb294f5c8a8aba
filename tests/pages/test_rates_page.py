"""The Taux page and the statement tab, driven with Streamlit's AppTest."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from case_core.kernel.actor import Actor
from case_core.kernel.money import format_cents
from case_core.kernel.navigation import pages_for
from case_core.models import DebtorKind, Role
from tests.conftest import actor_with_role
from tests.factories import raw_case, raw_payment
from tests.paths import ROOT

RATES_PAGE = str(ROOT / "pages" / "rates.py")


def rates_page(actor: Actor) -> AppTest:
    at = AppTest.from_file(RATES_PAGE, default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def test_taux_page_lists_rates_with_their_source(sqlite_url: str) -> None:
    from tests.conftest import make_admin

    at = rates_page(make_admin())
    assert not at.exception and [t.value for t in at.title] == ["Taux"]
    legal_other = at.dataframe[1].value
    first = legal_other.iloc[0]
    assert first["Période"] == "1er semestre 2026"
    assert first["Taux"] == "2,62\u00a0%"
    assert "15 décembre 2025" in first["Source"]


def test_admin_adds_a_rate_and_errors_show_in_french(sqlite_url: str) -> None:
    from tests.conftest import make_admin

    at = rates_page(make_admin())
    at.number_input[0].set_value(2026)
    at.selectbox[1].set_value("2nd semestre")
    at.text_input[0].input("abc")
    at.text_input[1].input("")
    at.button[0].click()
    at.run()
    messages = " ".join(e.value for e in at.error)
    assert "Taux illisible" in messages and "source" in messages

    at.text_input[0].input("2,15")
    at.text_input[1].input("BCE, décision du 18 décembre 2025")
    at.button[0].click()
    at.run()
    assert not at.error
    assert any("Taux ajouté" in s.value for s in at.success)
    # The first kind offered is the legal rate for natural persons: now listed on top.
    newest = at.dataframe[0].value.iloc[0]
    assert (newest["Période"], newest["Taux"]) == ("2nd semestre 2026", "2,15\u00a0%")
    # The form is empty again for the next rate.
    assert [t.value for t in at.text_input] == ["", ""]


def test_taux_page_only_for_administrators(admin: Actor) -> None:
    manager = actor_with_role(admin, Role.MANAGER)
    assert "pages/rates.py" in [p.path for p in pages_for(admin)]
    assert "pages/rates.py" not in [p.path for p in pages_for(manager)]
    at = rates_page(manager)
    assert any("non autorisée" in e.value for e in at.error)
    assert not at.dataframe


def _statement_app(actor: Actor, reference: str) -> AppTest:
    def app(actor: object, reference: str) -> None:
        from pages.components.statement_tab import render_statement_tab

        render_statement_tab(actor, reference)

    at = AppTest.from_function(app, args=(actor, reference), default_timeout=60)
    return at.run()


def test_statement_tab_shows_the_figures_of_the_service(admin: Actor) -> None:
    reference, _ = raw_case(
        DebtorKind.PROFESSIONAL,
        claims=[
            {
                "invoice_number": "FA-2025-031",
                "due_date": date(2025, 3, 31),
                "principal_cents": 10_000_00,
            }
        ],
    )
    raw_payment(reference, date(2025, 9, 15), 10_000_00)
    at = _statement_app(admin, reference)
    at.date_input[0].set_value(date(2025, 9, 15)).run()
    assert not at.exception and not at.error
    assert at.date_input[0].label == "Arrêté au"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Intérêts"] == format_cents(584_17)
    assert metrics["Solde dû (intérêts et indemnités compris)"] == format_cents(624_17)
    lines = at.dataframe[0].value
    # Rows without a period (principal, paid, balance) show empty cells, never « None ».
    assert not lines.isna().any().any()
    assert list(lines[lines["Poste"] == "Principal"].iloc[0][["Du", "Au", "Taux"]]) == [""] * 3
    interest = lines[lines["Poste"] == "Intérêts"]
    assert list(interest["Jours"]) == ["91", "77"]
    assert list(interest["Montant"]) == [format_cents(327_85), format_cents(256_32)]
    assert any("15/09/2030" in c.value for c in at.caption)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Télécharger (XLSX)", "Télécharger (CSV)"]


def test_statement_tab_shows_a_rate_gap_with_a_provisional_estimate(admin: Actor) -> None:
    reference, _ = raw_case(
        DebtorKind.PROFESSIONAL,
        claims=[{"due_date": date(2025, 3, 31), "principal_cents": 1_000_00}],
    )
    at = _statement_app(admin, reference)
    at.date_input[0].set_value(date(2027, 1, 15)).run()
    assert not at.exception
    # Refused as a statement, shown as an estimate said to be one (never silently).
    warning = " ".join(w.value for w in at.warning)
    assert "Taux manquant" in warning and "Estimation provisoire" in warning
