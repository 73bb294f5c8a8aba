"""Validation messages name the real fault and the real field."""

from __future__ import annotations

import pytest

from case_core.cases.intake import ClaimInput, validate_claim
from case_core.cases.parties import PartyInput, validate_party
from case_core.imports.invoices import recognise_headers, validate_rows
from case_core.imports.tabular import read_table
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import parse_amount
from case_core.kernel.validation import normalize_siren, normalize_siret
from case_core.models import PartyKind

HEADERS = ["N° facture", "Date facture", "Date d'échéance", "Montant TTC", "Raison sociale"]


def _message(func, *args: object) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        func(*args)
    (message,) = exc.value.errors.values()
    return message


def _row_errors(cells: list[str]) -> list[tuple[str, str]]:
    text = ";".join(HEADERS) + "\n" + ";".join(cells) + "\n"
    _records, errors = validate_rows(
        read_table(text.encode("utf-8"), "f.csv"), recognise_headers(HEADERS)
    )
    return [(e.column, e.reason) for e in errors]


def test_siren_with_a_wrong_check_digit_says_so() -> None:
    message = _message(normalize_siren, "732829321")
    assert "clé de contrôle" in message and "9 chiffres" not in message
    assert "9 chiffres attendus" in _message(normalize_siren, "7328293")
    assert "clé de contrôle" in _message(normalize_siret, "73282932000075")
    assert "14 chiffres attendus" in _message(normalize_siret, "732829320")


def test_import_row_without_due_date_names_the_due_date() -> None:
    assert _row_errors(["F1", "", "", "10,00", "Client SA"]) == [
        ("Date d'échéance", "La date d'échéance est obligatoire.")
    ]


def test_empty_amount_is_missing_not_unreadable() -> None:
    assert _row_errors(["F1", "01/01/2026", "01/02/2026", "", "Client SA"]) == [
        ("Montant TTC", "Le montant est obligatoire.")
    ]
    assert _message(parse_amount, "  ") == "Le montant est obligatoire."
    assert _message(parse_amount, "€") == "Le montant est obligatoire."
    claim = ClaimInput("F1", "01/01/2026", "01/02/2026", "", None)
    assert _message(validate_claim, claim) == "Le montant est obligatoire."


def test_an_invoice_with_several_bad_fields_names_each_of_them_at_once() -> None:
    claim = ClaimInput(
        invoice_number="", issue_date="31/02/2026", due_date="01/03/2026", amount="-5"
    )
    with pytest.raises(ValidationError) as exc:
        validate_claim(claim, "claims[0].")
    assert sorted(exc.value.errors) == [
        "claims[0].amount",
        "claims[0].invoice_number",
        "claims[0].issue_date",
    ]


def test_party_errors_are_gathered_and_good_values_normalised() -> None:
    bad = PartyInput(kind=PartyKind.COMPANY, company_name="ACME", siren="123", email="x@")
    with pytest.raises(ValidationError) as exc:
        validate_party(bad, "debtor.")
    assert sorted(exc.value.errors) == ["debtor.email", "debtor.siren"]
    good = validate_party(
        PartyInput(kind=PartyKind.COMPANY, company_name="ACME", siren="732 829 320")
    )
    assert good.siren == "732829320"
