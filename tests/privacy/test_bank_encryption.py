"""Bank details encrypted at rest with CASEDESK_DATA_KEY: stored as a token, read plain,
matched by their keyed digest in the bank import; without the key, stored plain; rows from
before the key stay plain until `casedesk privacy encrypt-bank-details` is run."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import text

from case_core.cli import cli
from case_core.imports.bank import BankLine, MatchKind, match_lines
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.models import Party
from case_core.models.sealed import DATA_KEY_ENV, PREFIX, DataKeyError
from case_core.privacy.access import collect_party_data
from tests.privacy.helpers import debtor_with_file


def _stored(party_id: int) -> tuple[str | None, str | None]:
    with read_session() as session:
        row = session.execute(
            text("SELECT iban, bic FROM parties WHERE id = :id"), {"id": party_id}
        ).one()
    return row[0], row[1]


def _read_iban(party_id: int) -> str | None:
    with read_session() as session:
        party = session.get(Party, party_id)
        assert party is not None
        return party.iban


def _match(actor: Actor, iban: str) -> tuple[str, list[str]]:
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    line = BankLine(1, date(2026, 11, 2), 100_00, f"VIR SEPA DE {grouped} SANS REF")
    (proposal,) = match_lines(actor, [line])
    return proposal.kind, [c.reference for c in proposal.candidates]


def test_without_a_key_bank_details_are_plain_and_matched(admin: Actor) -> None:
    debtor = debtor_with_file(admin, "Dupont")
    assert _stored(debtor.party_id)[0] == debtor.iban
    assert _match(admin, debtor.iban) == (MatchKind.IBAN, [debtor.reference])


def test_with_a_key_bank_details_are_encrypted_and_read_plain(
    admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = debtor_with_file(admin, "Lemoine")  # written before the key was set
    monkeypatch.setenv(DATA_KEY_ENV, Fernet.generate_key().decode())
    debtor = debtor_with_file(admin, "Dupont")

    stored_iban, _ = _stored(debtor.party_id)
    assert stored_iban is not None and stored_iban.startswith(PREFIX)
    assert debtor.iban not in stored_iban
    assert _read_iban(debtor.party_id) == debtor.iban
    with read_session() as session:
        assert collect_party_data(session, debtor.party_id)["personne"]["iban"] == debtor.iban
    assert _match(admin, debtor.iban) == (MatchKind.IBAN, [debtor.reference])

    # Nothing is encrypted silently: the earlier row stays plain until asked.
    assert _stored(before.party_id)[0] == before.iban
    runner = CliRunner()
    result = runner.invoke(cli, ["privacy", "encrypt-bank-details", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "personne(s) chiffrée(s)" in result.output
    stored_before, _ = _stored(before.party_id)
    assert stored_before is not None and stored_before.startswith(PREFIX)
    assert _read_iban(before.party_id) == before.iban
    assert _match(admin, before.iban) == (MatchKind.IBAN, [before.reference])
    again = runner.invoke(cli, ["privacy", "encrypt-bank-details"])
    assert "0 personne(s) avec des coordonnées bancaires en clair" in again.output
    verify = runner.invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0 and "intègre" in verify.output, verify.output

    # Without the key (or with another one) the tokens are refused in French, not shown.
    monkeypatch.setenv(DATA_KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(DataKeyError, match="pas celle qui a servi"):
        _read_iban(debtor.party_id)
    monkeypatch.delenv(DATA_KEY_ENV)
    with pytest.raises(DataKeyError, match="définissez CASEDESK_DATA_KEY"):
        _read_iban(debtor.party_id)


def test_encrypting_without_a_key_is_refused(admin: Actor) -> None:
    debtor_with_file(admin, "Dupont")
    result = CliRunner().invoke(cli, ["privacy", "encrypt-bank-details"])
    assert result.exit_code != 0
    assert "Définissez CASEDESK_DATA_KEY" in result.output
