"""The « Tableau de bord » page shows the mediation and hand-over figures (AppTest): their
metrics, their charts and downloads, the notice when there is nothing, never a session's
notes; a figure follows a write at once despite the cache."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from case_core.kernel.dates import today_paris
from case_core.kernel.money import format_cents
from case_core.models import MediationOutcome, Role
from tests import dashboard_helpers as h
from tests import dashboard_mediation_helpers as m
from tests.apptest_helpers import make_user, signed_in_app
from tests.conftest import make_admin

PAGE = "pages/dashboard.py"
NOTE = "Le débiteur traverse un divorce difficile."


def _metric(at, label: str) -> str:  # type: ignore[no-untyped-def]
    return next(x.value for x in at.metric if x.label == label)


def _portfolio() -> tuple[object, int]:
    admin = make_admin()
    manager = make_user(admin, "manager@example.fr", Role.MANAGER)
    today = today_paris()
    a = h.creditor("Alpha SAS")
    placed = today - timedelta(days=60)
    mediated = h.case(a, [(placed, 4_000_00)], placed_on=placed)
    mid = m.mediation(mediated, admin.id or 0, ended_on=today, outcome=MediationOutcome.AGREEMENT)
    m.meeting(mid, mediated, today - timedelta(days=3), notes=NOTE)
    m.agreement(mediated, mid, admin.id or 0, 3_000_00)
    failed = h.case(a, [(placed, 1_000_00)], placed_on=placed)
    m.mediation(failed, admin.id or 0, ended_on=today, outcome=MediationOutcome.FAILURE)
    referred = h.case(a, [(placed, 2_500_00)], placed_on=placed)
    m.referral(
        referred,
        m.recipient(),
        admin.id or 0,
        datetime.combine(today - timedelta(days=10), time(10), UTC),
        recovered_cents=400_00,
    )
    return manager, referred


def test_the_page_shows_mediation_and_handover_figures(sqlite_url: str) -> None:
    manager, _referred = _portfolio()
    at = signed_in_app(manager, page=PAGE)  # type: ignore[arg-type]
    assert not at.exception, at.exception
    subheaders = [s.value for s in at.subheader]
    assert "Médiation" in subheaders and "Transmissions au contentieux" in subheaders
    assert _metric(at, "Séances tenues") == "1"
    assert _metric(at, "Médiations terminées") == "2"
    assert _metric(at, "Taux d'accord") == "50,0 %"
    assert _metric(at, "Accordé sur réclamé") == "75,0 %"
    assert _metric(at, "Dossiers transmis") == "1"
    assert _metric(at, "Montant transmis") == format_cents(2_500_00)
    assert _metric(at, "Déclaré par les destinataires") == format_cents(400_00)
    charts = {c.key for c in at.get("plotly_chart")}
    assert {"dash_mediations", "dash_mediation_amounts", "dash_handovers"} <= charts
    buttons = at.get("download_button")
    assert {"dl_csv_mediations", "dl_xlsx_transmissions"} <= {b.key for b in buttons}
    # Confidential: what was said in the session appears nowhere on the page.
    assert NOTE not in str(at._tree)


def test_without_mediation_or_handover_the_page_says_so(sqlite_url: str) -> None:
    admin = make_admin()
    manager = make_user(admin, "manager@example.fr", Role.MANAGER)
    today = today_paris()
    h.case(h.creditor(), [(today - timedelta(days=40), 100_00)], placed_on=today)
    at = signed_in_app(manager, page=PAGE)  # type: ignore[arg-type]
    assert not at.exception, at.exception
    notices = [i.value for i in at.info]
    assert "Aucune séance tenue ni médiation terminée dans la période." in notices
    assert "Aucun dossier transmis dans la période." in notices
    assert _metric(at, "Taux d'accord") == "—"


def test_a_recovery_recorded_shows_at_once_despite_the_cache(sqlite_url: str) -> None:
    from case_core.payments.service import PaymentInput, record_payment

    manager, referred = _portfolio()
    at = signed_in_app(manager, page=PAGE)  # type: ignore[arg-type]
    assert _metric(at, "Recouvré après transmission") == format_cents(0)
    record_payment(manager, h.reference_of(referred), PaymentInput(today_paris(), 600_00))  # type: ignore[arg-type]
    at.run()
    assert _metric(at, "Recouvré après transmission") == format_cents(600_00)
