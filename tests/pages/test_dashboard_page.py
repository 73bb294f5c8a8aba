"""The « Tableau de bord » page with AppTest: a manager sees every chart and the whole
portfolio, a collector their own cases only, a mediator cannot reach the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.money import format_cents
from case_core.kernel.navigation import pages_for
from case_core.models import Case, Channel, Role
from tests import dashboard_helpers as h
from tests.apptest_helpers import make_user, signed_in_app
from tests.conftest import make_admin

PAGE = "pages/dashboard.py"
# Ageing, cash, cohorts, promises, activity, DSO, CEI: each has data here.
CHARTS = 7


def _portfolio() -> tuple[object, object]:
    admin = make_admin()
    manager = make_user(admin, "manager@example.fr", Role.MANAGER)
    collector = make_user(admin, "claire@example.fr", Role.COLLECTOR)
    today = today_paris()
    a = h.creditor("Alpha SAS")
    mine = h.case(
        a,
        [(today - timedelta(days=45), 1_234_56)],
        payments=[(today - timedelta(days=2), 234_56)],
        assignee_id=collector.id,
        placed_on=today - timedelta(days=20),
    )
    h.contact(mine, collector.id, today - timedelta(days=1), Channel.CALL_OUT)  # type: ignore[arg-type]
    h.promise(mine, collector.id, today - timedelta(days=1), [(today + timedelta(days=9), 100_00)])  # type: ignore[arg-type]
    h.case(a, [(today - timedelta(days=400), 5_000_00)], placed_on=today - timedelta(days=20))
    return manager, collector


def _behind(at) -> bool:  # type: ignore[no-untyped-def]
    return any("en cours de prise en compte" in i.value for i in at.info)


def _metric(at, label: str) -> str:  # type: ignore[no-untyped-def]
    return next(m.value for m in at.metric if m.label == label)


def test_manager_sees_every_chart_of_the_whole_portfolio(sqlite_url: str) -> None:
    manager, _collector = _portfolio()
    at = signed_in_app(manager, page=PAGE)  # type: ignore[arg-type]
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Tableau de bord"]
    assert _metric(at, "Encours total") == format_cents(1_000_00 + 5_000_00)
    assert len(at.get("plotly_chart")) == CHARTS
    assert "Vos dossiers uniquement" not in at.caption[0].value
    # Filters survive leaving the page (plain session-state keys).
    at.selectbox[0].select(at.selectbox[0].options[1]).run()
    at.switch_page("pages/portfolio.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox[0].value is not None


def test_collector_sees_only_their_cases(sqlite_url: str) -> None:
    _manager, collector = _portfolio()
    at = signed_in_app(collector, page=PAGE)  # type: ignore[arg-type]
    assert not at.exception, at.exception
    assert "Vos dossiers uniquement" in at.caption[0].value
    assert _metric(at, "Encours total") == format_cents(1_000_00)
    assert at.selectbox[1].options == ["Tous", "claire"]


@pytest.mark.parametrize("role", [Role.MEDIATOR])
def test_roles_without_reports_cannot_reach_the_page(sqlite_url: str, role: Role) -> None:
    admin = make_admin()
    user = make_user(admin, "m@example.fr", role)
    assert "Tableau de bord" not in {p.title for p in pages_for(user)}
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        signed_in_app(user, page=PAGE)


def test_the_page_sits_in_the_pilotage_section(sqlite_url: str) -> None:
    admin = make_admin()
    spec = next(p for p in pages_for(admin) if p.path == PAGE)
    assert spec.section == "Pilotage"
    viewer = make_user(admin, "v@example.fr", Role.VIEWER)
    # The permission matrix grants reports.read to the read-only role.
    assert PAGE in {p.path for p in pages_for(viewer)}


def test_own_write_shows_at_once_and_others_after_a_background_recount(sqlite_url: str) -> None:
    from case_core.payments.service import PaymentInput, record_payment
    from case_core.reports.dashboard import BOARD

    manager, collector = _portfolio()
    at = signed_in_app(manager, page=PAGE)  # type: ignore[arg-type]
    assert _metric(at, "Encours total") == format_cents(6_000_00)
    at.run()  # a rerun with nothing written reads the kept figures
    assert _metric(at, "Encours total") == format_cents(6_000_00)
    assert not _behind(at)
    with read_session() as session:
        reference = session.exec(select(Case.reference).where(Case.assignee_id.is_(None))).one()  # type: ignore[union-attr]
    # The manager's own write: recomputed before the page is shown.
    record_payment(manager, reference, PaymentInput(today_paris(), 1_000_00))  # type: ignore[arg-type]
    at.run()
    assert _metric(at, "Encours total") == format_cents(5_000_00)
    assert not _behind(at)
    # Someone else's write: the page says its figures are being brought up to date...
    record_payment(collector, reference, PaymentInput(today_paris(), 500_00))  # type: ignore[arg-type]
    at.run()
    assert _behind(at)
    BOARD.wait(60)
    # ...and the next run shows them.
    at.run()
    assert _metric(at, "Encours total") == format_cents(4_500_00)
    assert not _behind(at)
    # Nothing kept (a new process): computed at once.
    record_payment(collector, reference, PaymentInput(today_paris(), 300_00))  # type: ignore[arg-type]
    BOARD.clear()
    at.run()
    assert _metric(at, "Encours total") == format_cents(4_200_00)
    # « Actualiser » recomputes there and then.
    record_payment(collector, reference, PaymentInput(today_paris(), 100_00))  # type: ignore[arg-type]
    at.run()
    assert _behind(at)
    at.button(key="dashboard_recompute").click().run()
    assert _metric(at, "Encours total") == format_cents(4_100_00)
    assert not _behind(at)
    BOARD.wait(60)
