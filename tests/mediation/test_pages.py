"""AppTest on the real app.py: a mediator writes up a session in the « Médiation » tab; a
collector sees that a mediation took place, not its notes; the « Médiations » page."""

from __future__ import annotations

from datetime import timedelta

from case_core.kernel.dates import today_paris
from case_core.kernel.navigation import pages_for
from case_core.mediation.service import SessionPlan, paris_instant, plan_session
from case_core.models import Role, SessionMode
from tests.apptest_helpers import signed_in_app
from tests.conftest import actor_with_role, make_admin
from tests.factories import NO_INTEREST, make_case
from tests.mediation.helpers import open_for

NOTE = "Le gérant évoque un litige familial confidentiel"


def _case_tab(actor, reference):
    at = signed_in_app(actor)
    at.query_params["case"] = reference
    at.switch_page("pages/case.py").run()
    at.session_state["case_tab"] = "Médiation"
    return at.run()


def _page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [c.value for c in at.caption] + [str(d.value) for d in at.dataframe]
    parts += [h.value for h in at.subheader]
    return "\n".join(parts)


def test_mediator_writes_up_collector_sees_the_fact(sqlite_url: str) -> None:
    admin = make_admin()
    mediator = actor_with_role(admin, Role.MEDIATOR)
    collector = actor_with_role(admin, Role.COLLECTOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference)
    yesterday = today_paris() - timedelta(days=1)
    session_id = plan_session(
        mediator,
        mediation_id,
        SessionPlan(paris_instant(yesterday, 10), SessionMode.VIDEO),
    ).id

    at = _case_tab(mediator, reference)
    assert not at.exception, at.exception
    at.text_input(key=f"wu_cr_{session_id}").input("Paul Créancier")
    at.text_input(key=f"wu_db_{session_id}").input("Jean Débiteur")
    at.text_area(key=f"wu_notes_{session_id}").input(NOTE)
    at.text_input(key=f"wu_amt_{session_id}_1").input("900,00")
    at.selectbox(key=f"wu_out_{session_id}").set_value(
        next(o for o in at.selectbox(key=f"wu_out_{session_id}").options if o == "Reportée")
    )
    at.button(key=f"FormSubmitter:med_write_up_{session_id}-Enregistrer le compte rendu").click()
    at.run()
    assert not at.exception, at.exception
    assert "Compte rendu enregistré." in [s.value for s in at.success]
    assert NOTE in _page_text(at)

    at = _case_tab(collector, reference)
    assert not at.exception, at.exception
    text = _page_text(at)
    assert "Médiation conventionnelle" in text and "Reportée" in text
    assert "confidentiel" in text.lower()
    assert NOTE not in text and "Paul Créancier" not in text and "900,00" not in text


def test_mediations_page(sqlite_url: str) -> None:
    admin = make_admin()
    mediator = actor_with_role(admin, Role.MEDIATOR)
    reference = make_case(admin, **NO_INTEREST, principal_cents=120_000).reference
    mediation_id = open_for(mediator, reference)
    plan_session(
        mediator,
        mediation_id,
        SessionPlan(paris_instant(today_paris() - timedelta(days=2), 14), SessionMode.PHONE),
    )
    plan_session(
        mediator,
        mediation_id,
        SessionPlan(paris_instant(today_paris() + timedelta(days=5), 9), SessionMode.VIDEO),
    )
    at = signed_in_app(mediator, "pages/mediations.py")
    assert not at.exception, at.exception
    assert "Médiations" in [t.value for t in at.title]
    headers = [h.value for h in at.subheader]
    assert "Séances à consigner (1)" in headers and "Prochaines séances (1)" in headers
    assert reference in _page_text(at)
    collector = actor_with_role(admin, Role.COLLECTOR)
    assert "pages/mediations.py" not in [p.path for p in pages_for(collector)]
    assert "pages/mediations.py" in [p.path for p in pages_for(mediator)]
