"""The « Historique » as a user reads it: French action names, formatted values."""

from __future__ import annotations

import re
from datetime import date
from typing import get_args

from sqlmodel import SQLModel

from case_core.cases import lifecycle as phases
from case_core.cases.detail import case_history
from case_core.cases.history import ACTION_LABELS, action_label, describe_changes, format_value
from case_core.kernel.actor import Actor
from case_core.models import (
    AcceptanceChannel,
    ClosureReason,
    LabelledEnum,
    PaymentMethod,
    Phase,
)
from case_core.payments.service import PaymentInput, record_payment
from tests.factories import make_case
from tests.paths import CASE_CORE

# An action code: "entity.verb" literal in the services' source.
ACTION_CODE = re.compile(
    r'"((?:case|claim|contact|cost|dispute|document|import_mapping|mediation|'
    r'party|payment|plan|promise|rate|setting|user|auth|demo)\.[a-z_]+)"'
)


def test_every_action_code_in_the_services_has_a_french_label() -> None:
    codes = {
        code
        for path in CASE_CORE.rglob("*.py")
        if path.name != "audit_display.py"
        for code in ACTION_CODE.findall(path.read_text(encoding="utf-8"))
    }
    assert {"promise.create", "contact.log", "case.formal_notice", "plan.accept"} <= codes
    assert sorted(codes - ACTION_LABELS.keys()) == []
    assert action_label("payment.record") == "Paiement enregistré"


def test_values_read_as_elsewhere_in_the_app() -> None:
    assert format_value("amount_cents", 123456) == "1\u202f234,56\u00a0€"
    assert format_value("due_date", "2026-03-31") == "31/03/2026"
    assert format_value("phase", "pre_contentieux") == "Pré-contentieux"
    assert format_value("closure_reason", "paid") == "Payé"
    assert format_value("method", "transfer") == "Virement"
    assert format_value("note", None) == "—"
    assert format_value("principal_first", False) == "non"
    assert format_value("items", [[5000, "2026-04-01"]]) == "50,00\u00a0€ le 01/04/2026"


def test_how_a_debtor_agreed_to_a_plan_reads_as_on_the_plan_tab() -> None:
    # The plan's own list of channels, not the contact log's « Courrier ».
    assert format_value("acceptance_channel", "letter") == "Courrier signé"
    assert format_value("acceptance_channel", "phone") == "Téléphone"


def test_every_enum_a_table_stores_has_a_french_label_for_each_member() -> None:
    stored: set[type[LabelledEnum]] = set()
    for mapper in SQLModel._sa_registry.mappers:
        for field in mapper.class_.model_fields.values():
            for kind in (field.annotation, *get_args(field.annotation)):
                if isinstance(kind, type) and issubclass(kind, LabelledEnum):
                    stored.add(kind)
    assert {Phase, AcceptanceChannel, PaymentMethod} <= stored
    unlabelled = [
        f"{kind.__name__}.{m.name}" for kind in stored for m in kind if m.label == m.value
    ]
    assert unlabelled == []


def test_a_creation_shows_its_key_fields_not_nones_nor_technical_fields() -> None:
    changes = {
        "id": {"before": None, "after": 7},
        "case_id": {"before": None, "after": 3},
        "created_at": {"before": None, "after": "2026-11-24T10:00:00+00:00"},
        "invoice_number": {"before": None, "after": "F-001"},
        "due_date": {"before": None, "after": "2026-03-31"},
        "principal_cents": {"before": None, "after": 123456},
        "description": {"before": None, "after": None},
        "interest_regime": {"before": None, "after": "l441_10"},
    }
    text = describe_changes(changes)
    assert text == (
        "Création — N° facture : F-001 · Montant : 1\u202f234,56\u00a0€ · Échéance : 31/03/2026"
        " · Intérêts : Taux BCE + 10 points (L441-10)"
    )


def test_a_change_shows_before_and_after() -> None:
    changes = {
        "phase": {"before": "amiable", "after": "closed"},
        "closure_reason": {"before": None, "after": "written_off"},
        "next_action_date": {"before": "2026-12-15", "after": None},
        "version": {"before": 1, "after": 2},
    }
    assert describe_changes(changes) == (
        "Phase : Amiable → Clos · Motif de clôture : Passé en perte · "
        "Date de la prochaine action : 15/12/2026 → —"
    )


def test_case_history_is_readable(admin: Actor) -> None:
    ref = make_case(admin, invoices=[("F-1", "01/03/2026", "31/03/2026", "100,00")]).reference
    record_payment(admin, ref, PaymentInput(date(2026, 4, 1), 40_00), today=date(2026, 4, 1))
    phases.close_case(admin, ref, ClosureReason.WRITTEN_OFF, "Insolvable", 2)
    history = case_history(admin, ref)
    by_action = {h.action: h for h in history}
    assert by_action["payment.record"].action_label == "Paiement enregistré"
    assert "Montant : 40,00\u00a0€" in by_action["payment.record"].summary
    assert "Reçu le : 01/04/2026" in by_action["payment.record"].summary
    assert "Motif de clôture : Passé en perte" in by_action["case.close"].summary
    for line in history:
        assert "None" not in line.summary and "_cents" not in line.summary, line
        assert "_id" not in line.summary and "created_at" not in line.summary, line
