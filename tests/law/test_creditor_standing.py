"""Who the creditor is: acting for professional needs or not (CMF L313-2, C. consom. L218-2),
whatever its form. Worked examples on the 1st semester 2025 legal rates: 7,21 % for a
natural person not acting professionally, 3,71 % for every other creditor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import select

from case_core import migrations
from case_core.cases.intake import CaseInput, ClaimInput, create_case
from case_core.cases.parties import PartyInput, add_party
from case_core.imports.invoices import import_invoices, recognise_headers
from case_core.imports.tabular import read_table
from case_core.kernel.actor import Actor
from case_core.kernel.db import dispose_engines, read_session
from case_core.models import Case, DebtorKind, InterestRegime, PartyKind, RateKind
from case_core.statement.account import load_statement
from case_core.statement.creditor import creditor_consequences, presumed_professional
from case_core.statement.facts import CaseFacts, ClaimFacts
from case_core.statement.interest import interest_lines, legal_kind_for, terms_for
from case_core.statement.limitation import limitation_date
from tests.apptest_helpers import signed_in_app
from tests.conftest import make_admin
from tests.factories import person_debtor, shipped_table
from tests.import_helpers import HEADERS, good_row

TABLE = shipped_table()
NOTICE = date(2025, 4, 10)
CLAIM = ClaimFacts(
    id=1,
    invoice_number="F-1",
    issue_date=date(2025, 3, 1),
    due_date=date(2025, 3, 31),
    principal_cents=3_000_00,
    regime=InterestRegime.LEGAL,
)


def _interest(case: CaseFacts) -> list[tuple[int, int, int]]:
    lines = interest_lines(
        terms_for(CLAIM, case), TABLE, 3_000_00, CLAIM.due_date, date(2025, 4, 30)
    )
    return [(ln.days, ln.rate_bp, ln.amount_cents) for ln in lines]


def test_the_rate_follows_professional_needs_not_the_form_of_the_creditor() -> None:
    consumer = DebtorKind.CONSUMER
    private = CaseFacts(consumer, False, True, formal_notice_date=NOTICE)
    sole_trader = CaseFacts(consumer, True, True, formal_notice_date=NOTICE)
    association = CaseFacts(consumer, False, False, formal_notice_date=NOTICE)
    company = CaseFacts(consumer, True, False, formal_notice_date=NOTICE)
    # 3 000 € from 11/04 to 30/04/2025 = 20 days.
    # Private individual: 3 000 × 7,21 % × 20 / 365 = 11,8521… → 11,85 €.
    assert legal_kind_for(private) == RateKind.LEGAL_NATURAL_PERSON
    assert _interest(private) == [(20, 721, 11_85)]
    # A sole trader is a natural person acting professionally: 3 000 × 3,71 % × 20 / 365
    # = 6,0986… → 6,10 €, not 11,85 €.
    for other in (sole_trader, association, company):
        assert legal_kind_for(other) == RateKind.LEGAL_OTHER
        assert _interest(other) == [(20, 371, 6_10)]


def test_two_years_for_a_professional_on_a_consumer_five_otherwise() -> None:
    due = date(2024, 3, 31)
    assert limitation_date(due, DebtorKind.CONSUMER, (), True) == date(2026, 3, 31)
    assert limitation_date(due, DebtorKind.CONSUMER, (), False) == date(2029, 3, 31)
    assert limitation_date(due, DebtorKind.PROFESSIONAL, (), True) == date(2029, 3, 31)


def test_presumption_and_consequence_in_french() -> None:
    assert presumed_professional(PartyKind.COMPANY, None)
    assert presumed_professional(PartyKind.PERSON, "732829320")  # sole trader
    assert not presumed_professional(PartyKind.PERSON, None)
    assert "2 ans" in creditor_consequences(True, DebtorKind.CONSUMER)
    assert "L441-10" in creditor_consequences(True, DebtorKind.PROFESSIONAL)
    text = creditor_consequences(False, DebtorKind.CONSUMER, natural_person=True)
    assert "taux légal des particuliers" in text and "5 ans" in text


def _sole_trader(actor: Actor) -> int:
    party = PartyInput(
        kind=PartyKind.PERSON, last_name="Durand", first_name="Paul", siren="732829320"
    )
    return add_party(actor, party).id


def test_a_sole_trader_case_from_intake_is_professional(admin: Actor) -> None:
    view = create_case(
        admin,
        CaseInput(
            debtor_kind=DebtorKind.CONSUMER,
            claims=[ClaimInput("F-1", "01/03/2025", "31/03/2025", "3 000,00", "Travaux")],
            creditor_id=_sole_trader(admin),
            debtor=person_debtor(),
        ),
    )
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == view.reference)).one()
        assert case.creditor_professional
        # Two years from the due date 31/03/2025 (L218-2).
        assert case.limitation_date == date(2027, 3, 31)
        case.formal_notice_date = NOTICE
        statement = load_statement(session, case, date(2025, 4, 30))
        assert [(ln.rate_bp, ln.amount_cents) for ln in statement.claims[0].interest_lines] == [
            (371, 6_10)
        ]


def test_a_private_individual_says_so_and_gets_five_years(admin: Actor) -> None:
    creditor = add_party(
        admin, PartyInput(kind=PartyKind.PERSON, last_name="Roy", first_name="Léa")
    )
    view = create_case(
        admin,
        CaseInput(
            debtor_kind=DebtorKind.CONSUMER,
            claims=[ClaimInput("P-1", "01/03/2025", "31/03/2025", "3 000,00", "Prêt")],
            creditor_id=creditor.id,
            debtor=person_debtor(),
            creditor_professional=False,
        ),
    )
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == view.reference)).one()
        assert not case.creditor_professional
        assert case.limitation_date == date(2030, 3, 31)
        case.formal_notice_date = NOTICE
        statement = load_statement(session, case, date(2025, 4, 30))
        assert statement.claims[0].interest_lines[0].amount_cents == 11_85


def test_the_invoice_import_treats_a_sole_trader_as_a_professional(admin: Actor) -> None:
    creditor_id = _sole_trader(admin)
    row = good_row(1)
    row[HEADERS.index("Type de débiteur")] = "Particulier"
    text = ";".join(HEADERS) + "\n" + ";".join(row) + "\n"
    report = import_invoices(
        admin, creditor_id, read_table(text.encode()), recognise_headers(HEADERS)
    )
    assert report.cases_created == 1, report.errors
    with read_session() as session:
        case = session.exec(select(Case)).one()
        assert case.debtor_kind == DebtorKind.CONSUMER and case.creditor_professional


def test_migration_0010_keeps_private_creditors_and_fixes_sole_traders(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrations.upgrade(url, "0003")
    engine = sa.create_engine(url)
    now = "2025-01-01 00:00:00.000000"
    parties = [
        (1, "company", "Société SA", "732829320"),
        (2, "person", "ROY Léa", None),  # private individual
        (3, "person", "DURAND Paul", "552100554"),  # sole trader flagged by the old import
        (4, "person", "MARTIN Julie", None),  # a debtor
    ]
    with engine.begin() as conn:
        for pid, kind, name, siren in parties:
            conn.execute(
                sa.text(
                    "INSERT INTO parties (id, kind, display_name, siren, country, "
                    "written_contact_only, created_at, version) "
                    "VALUES (:id, :kind, :name, :siren, 'FR', 0, :now, 1)"
                ),
                {"id": pid, "kind": kind, "name": name, "siren": siren, "now": now},
            )
        for cid, creditor, flag in [(1, 1, False), (2, 2, True), (3, 3, True), (4, 2, False)]:
            conn.execute(
                sa.text(
                    "INSERT INTO cases (id, reference, creditor_id, debtor_id, debtor_kind, "
                    "creditor_is_natural_person, phase, insolvency_proceedings, "
                    "principal_cents, paid_cents, balance_cents, search_text, created_at, "
                    "updated_at, version) VALUES (:id, :ref, :cr, 4, 'consumer', :flag, "
                    "'amiable', 0, 0, 0, 0, '', :now, :now, 1)"
                ),
                {"id": cid, "ref": f"2025-00000{cid}", "cr": creditor, "flag": flag, "now": now},
            )
    engine.dispose()
    migrations.upgrade(url, "0010")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, creditor_professional FROM cases ORDER BY id")
        ).all()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("cases")}
    engine.dispose()
    dispose_engines()
    assert [(i, bool(p)) for i, p in rows] == [(1, True), (2, False), (3, True), (4, True)]
    assert "creditor_is_natural_person" not in columns


def test_new_case_form_asks_and_shows_the_consequence(sqlite_url: str) -> None:
    at = signed_in_app(make_admin(), "pages/new_case.py")
    assert at.radio(key="creditor_professional").value is True
    at.radio(key="debtor_kind").set_value(DebtorKind.CONSUMER).run()
    assert any("L218-2" in i.value and "2 ans" in i.value for i in at.info)
    at.radio(key="creditor_professional").set_value(False).run()
    assert any("5 ans" in i.value for i in at.info)
    assert not at.exception


def test_import_page_says_what_it_presumes_of_the_creditor(sqlite_url: str) -> None:
    from case_core.models import Role
    from tests.conftest import actor_with_role

    admin = make_admin()
    creditor_id = _sole_trader(admin)
    # A creditor is a party that holds a case: open one for the sole trader.
    create_case(
        admin,
        CaseInput(
            debtor_kind=DebtorKind.CONSUMER,
            claims=[ClaimInput("F-9", "01/03/2025", "31/03/2025", "100,00", "Travaux")],
            creditor_id=creditor_id,
            debtor=person_debtor(),
        ),
    )
    at = signed_in_app(actor_with_role(admin, Role.MANAGER), "pages/imports.py")
    at.selectbox(key="creditor_pick").select_index(0).run()
    assert not at.exception
    assert any("Créancier professionnel" in c.value and "2 ans" in c.value for c in at.info)


def test_the_answer_can_be_corrected_on_a_case(db_url: str, admin: Actor) -> None:
    from streamlit.testing.v1 import AppTest

    from case_core.models import AuditEvent
    from tests.factories import raw_case as money_case

    reference, _ = money_case(
        DebtorKind.CONSUMER,
        [{"due_date": date(2024, 3, 31), "principal_cents": 1_000_00}],
        creditor_person=True,
    )

    def app(actor: object, reference: str) -> None:
        from pages.components.statement_tab import render_statement_tab

        render_statement_tab(actor, reference)  # type: ignore[arg-type]

    at = AppTest.from_function(app, args=(admin, reference), default_timeout=60).run()
    at.radio(key=f"creditor_professional_{reference}_value").set_value(False)
    next(b for b in at.button if b.label == "Enregistrer la qualité du créancier").click()
    at.run()
    assert not at.exception and not at.error
    with read_session() as session:
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        # A private individual's claim on a consumer: five years from 31/03/2024.
        assert not case.creditor_professional
        assert case.limitation_date == date(2029, 3, 31)
        actions = session.exec(select(AuditEvent.action)).all()
        assert "case.creditor_professional" in actions
