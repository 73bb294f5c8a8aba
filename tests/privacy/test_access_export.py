"""The access export holds everything about one debtor and nothing about another."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument

from case_core.cli import cli
from case_core.kernel.actor import Actor
from case_core.kernel.errors import PermissionDenied
from case_core.kernel.money import format_cents
from case_core.models import ObjectionKind, ObjectionSource, Role
from case_core.privacy.export import JSON_NAME, SUMMARY_NAME, export_party
from case_core.privacy.objections import record_objection
from tests.conftest import actor_with_role
from tests.privacy.helpers import debtor_with_file


def _open(content: bytes) -> tuple[dict, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data = json.loads(archive.read(JSON_NAME))
        doc = DocxDocument(io.BytesIO(archive.read(SUMMARY_NAME)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    return data, text + "\n" + cells


def test_export_holds_all_of_one_debtor_and_nobody_else(admin: Actor) -> None:
    dupont = debtor_with_file(admin, "Dupont")
    lemoine = debtor_with_file(admin, "Lemoine")
    for person in (dupont, lemoine):
        record_objection(
            admin, person.party_id, ObjectionKind.NO_CALLS, date(2026, 11, 2), ObjectionSource.EMAIL
        )

    export = export_party(admin, dupont.party_id)
    data, summary = _open(export.content)
    raw = json.dumps(data, ensure_ascii=False)

    assert data["personne"]["email"] == dupont.email
    assert data["personne"]["iban"] == dupont.iban
    assert [(o["party_id"], o["kind"]) for o in data["oppositions"]] == [
        (dupont.party_id, "no_calls")
    ]
    assert [c["reference"] for c in data["dossiers"]] == [dupont.reference]
    assert [c["invoice_number"] for c in data["factures"]] == [dupont.invoice]
    assert [p["amount_cents"] for p in data["paiements"]] == [100_00]
    assert [e["note"] for e in data["journal"]] == [dupont.note]
    assert [d["filename"] for d in data["documents"]] == ["facture-Dupont.pdf"]
    assert data["evenements_audit"], "the audit events about the debtor are exported"
    assert all(
        e["case_id"] == data["dossiers"][0]["id"] or e["entity_id"] == str(dupont.party_id)
        for e in data["evenements_audit"]
    )
    for other in (lemoine.last_name, lemoine.email, lemoine.iban, lemoine.reference, lemoine.note):
        assert other not in raw
        assert other not in summary
    # The readable summary in French, with the mediation exclusion stated.
    assert dupont.email in summary and dupont.reference in summary
    assert format_cents(1_000_00) in summary and format_cents(100_00) in summary
    assert "médiation" in summary.lower() and "confidentiel" in summary
    assert data["mediation"].startswith("Le contenu des médiations")


def test_export_is_for_admins_and_audited(admin: Actor) -> None:
    dupont = debtor_with_file(admin, "Dupont")
    collector = actor_with_role(admin, Role.COLLECTOR, "agent@example.fr")
    with pytest.raises(PermissionDenied):
        export_party(collector, dupont.party_id)
    export_party(admin, dupont.party_id)
    data, _ = _open(export_party(admin, dupont.party_id).content)
    assert any(e["action"] == "privacy.export" for e in data["evenements_audit"])


def test_cli_writes_the_zip(admin: Actor, tmp_path) -> None:
    dupont = debtor_with_file(admin, "Dupont")
    target = tmp_path / "export.zip"
    result = CliRunner().invoke(cli, ["privacy", "export", str(dupont.party_id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    data, _ = _open(target.read_bytes())
    assert data["personne"]["id"] == dupont.party_id
    missing = CliRunner().invoke(
        cli, ["privacy", "export", "999999", "-o", str(tmp_path / "x.zip")]
    )
    assert missing.exit_code == 1 and "introuvable" in missing.output
