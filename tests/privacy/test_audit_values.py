"""Personal values stay out of the audit chain: the chained `changes` hold keyed digests,
the values live in audit_values where an erasure anonymises them, and the chain verifies
before and after (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import LargeBinary, String, Text, text
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from case_core.cases.detail import case_history
from case_core.cli import cli
from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import get_engine, read_session, session_scope
from case_core.kernel.errors import PermissionDenied
from case_core.kernel.permissions import Perm
from case_core.kernel.unit_of_work import change
from case_core.models import AuditEvent, AuditValue, Party, PrivacyRequestKind, Role
from case_core.privacy.access import collect_party_data
from case_core.privacy.requests import execute_erasure, record_request
from tests.conftest import actor_with_role
from tests.privacy.helpers import Debtor, old_settled_debtor
from tests.services.test_audit_trust import _as_superuser_without_triggers

NEW_EMAIL = "jeanne.dupont.perso@exemple.fr"
NEW_IBAN = "FR7610107001011234567890129"
NEW_PHONE = "+33699887766"


def _edit_party(admin: Actor, party_id: int) -> None:
    """A person's contact and bank data changed, through the one write mechanism."""
    with change(admin, Perm.CASES_EDIT, "party.update") as uow:
        party = uow.lock(Party, party_id)
        party.email = NEW_EMAIL
        party.iban = NEW_IBAN
        party.phone = NEW_PHONE


def _personal(debtor: Debtor) -> list[str]:
    return [
        debtor.last_name,
        debtor.email,
        debtor.iban,
        "+33612345678",  # the phone as stored (E.164)
        f"4 rue {debtor.last_name}",
        "attendre son salaire",  # the contact note
        f"VIR {debtor.last_name}",  # the payment reference
        NEW_EMAIL,
        NEW_IBAN,
        NEW_PHONE,
    ]


def _raw_changes() -> str:
    with get_engine().connect() as conn:
        return "\n".join(conn.execute(text("SELECT changes FROM audit_events")).scalars())


def _database_text() -> str:
    """Every text and binary column of every table, as the database holds them."""
    parts: list[str] = []
    with get_engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            columns = [
                c for c in table.columns if isinstance(c.type, String | Text | LargeBinary)
            ] + [c for c in table.columns if type(c.type).__name__ == "AutoString"]
            if not columns:
                continue
            for row in conn.execute(sa_select(*columns)):
                for value in row:
                    if isinstance(value, bytes):
                        parts.append(value.decode("latin-1"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts).lower()


def _verify() -> str:
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    return result.output


def test_personal_values_stay_out_of_the_chain_and_go_with_an_erasure(admin: Actor) -> None:
    debtor = old_settled_debtor(admin, "Dupont")
    _edit_party(admin, debtor.party_id)
    personal = _personal(debtor)

    # The chained part holds none of them, yet proves each change by its digest.
    raw = _raw_changes()
    for value in personal:
        assert value not in raw, value
    with read_session() as session:
        edit = session.exec(select(AuditEvent).where(AuditEvent.action == "party.update")).one()
        chained = json.loads(edit.changes)
        assert set(chained) == {"email", "iban", "phone"}
        assert all(set(chained[k]["after"]) == {"hmac"} for k in chained)
        readable = audit.readable_changes(session, [edit])[edit.id or 0]
    assert readable["email"] == {"before": debtor.email, "after": NEW_EMAIL}
    assert readable["iban"] == {"before": debtor.iban, "after": NEW_IBAN}

    # An audit reader sees them in the case's History; nobody else reads it.
    auditor = actor_with_role(admin, Role.MANAGER, "auditrice@example.fr")
    lines = case_history(auditor, debtor.reference)
    shown = " ".join(h.summary for h in lines)
    assert "attendre son salaire" in shown and f"VIR {debtor.last_name}" in shown
    assert debtor.iban in shown and debtor.email in shown  # the debtor's creation, with the case
    with pytest.raises(PermissionDenied):
        case_history(actor_with_role(admin, Role.VIEWER), debtor.reference)
    # The access export gives the person the values their events name.
    with read_session() as session:
        exported = json.dumps(
            collect_party_data(session, debtor.party_id)["evenements_audit"], ensure_ascii=False
        )
    assert NEW_IBAN in exported and "attendre son salaire" in exported
    assert "intègre" in _verify() and "Valeurs personnelles" in _verify()

    request = record_request(
        admin, debtor.party_id, PrivacyRequestKind.ERASURE, date(2026, 11, 2), "Tout effacer"
    )
    execute_erasure(admin, request.id)

    # Gone from every text column of every table; the chain still verifies.
    everything = _database_text()
    for value in personal:
        assert value.lower() not in everything, value
    output = _verify()
    assert "dont" in output and "effacées par anonymisation" in output
    with read_session() as session:
        values = session.exec(select(AuditValue)).all()
    assert any(v.erased_at is not None for v in values)
    # What is about someone else stays: the creditor's name, created with the case.
    assert any(v.value == json.dumps("Fournitures Durand SAS") for v in values)
    # The History now says they were erased.
    shown = " ".join(h.summary for h in case_history(auditor, debtor.reference))
    assert audit.ERASED in shown and "attendre son salaire" not in shown


def test_tampering_with_the_chained_part_or_a_kept_value_is_detected(admin: Actor) -> None:
    debtor = old_settled_debtor(admin, "Dupont")
    _edit_party(admin, debtor.party_id)
    with read_session() as session:
        edit = session.exec(select(AuditEvent).where(AuditEvent.action == "party.update")).one()
        value = session.exec(
            select(AuditValue).where(AuditValue.event_id == edit.id, AuditValue.field == "iban")
        ).all()
        iban_after = next(v for v in value if v.value == json.dumps(NEW_IBAN))

    # Someone changes the IBAN the journal shows: the value no longer matches its digest.
    with get_engine().begin() as conn:
        conn.execute(
            text("UPDATE audit_values SET value = :v WHERE id = :id"),
            {"v": json.dumps("FR7630004000031234567890143"), "id": iban_after.id},
        )
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"#{edit.id}" in result.output and "« iban » modifiée" in result.output
    with get_engine().begin() as conn:
        conn.execute(
            text("UPDATE audit_values SET value = :v WHERE id = :id"),
            {"v": iban_after.value, "id": iban_after.id},
        )
    _verify()

    # The chained digest replaced (to point at another value): the event's HMAC breaks.
    chained = json.loads(edit.changes)
    chained["iban"]["after"] = {"hmac": "0" * 32}
    _as_superuser_without_triggers(
        [
            (
                "UPDATE audit_events SET changes = :c WHERE id = :id",
                {"c": json.dumps(chained, sort_keys=True), "id": edit.id},
            )
        ]
    )
    result = CliRunner().invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"#{edit.id}" in result.output and "contenu modifié" in result.output


def test_every_text_column_is_classified_personal_or_not() -> None:
    """A new text column must be declared in models.personal: free text names people."""
    from case_core.models.personal import NOT_PERSONAL, PERSONAL_FIELDS

    unclassified = []
    for table in SQLModel.metadata.sorted_tables:
        known = PERSONAL_FIELDS.get(table.name, frozenset()) | NOT_PERSONAL.get(
            table.name, frozenset()
        )
        for column in table.columns:
            kind = column.type
            is_text = isinstance(kind, String | Text) or type(kind).__name__ == "AutoString"
            enum_code = isinstance(kind, String) and kind.length == 32 and not column.foreign_keys
            if is_text and not enum_code and not column.foreign_keys and column.name not in known:
                unclassified.append(f"{table.name}.{column.name}")
    assert unclassified == []
    # And every declared name is a column or a key an event adds by hand.
    by_hand = {"assignee", "recipient"}
    for table_name, names in PERSONAL_FIELDS.items():
        columns = {c.name for c in SQLModel.metadata.tables[table_name].columns}
        assert names <= columns | by_hand, table_name


def test_nested_changes_keep_their_personal_values_aside_too(admin: Actor) -> None:
    """An import tells the claims it updated inside the case's event, by invoice number."""
    changes = {
        "claims_updated": {
            "before": None,
            "after": {
                "FA-7": {
                    "description": {"before": "Travaux chez M. Dupont", "after": "Travaux"},
                    "principal_cents": {"before": 100_00, "after": 120_00},
                }
            },
        },
        "source": {"before": None, "after": "import.csv"},
    }
    with session_scope() as session:
        event = audit.record(session, admin, "case.import", "case", 1, changes)
        event_id = event.id or 0
    raw = _raw_changes()
    assert "Dupont" not in raw and "Travaux" not in raw
    assert '"principal_cents": {"after": 12000, "before": 10000}' in raw
    with read_session() as session:
        stored = session.exec(select(AuditEvent).where(AuditEvent.id == event_id)).one()
        assert audit.readable_changes(session, [stored])[event_id] == changes
    _verify()
