"""Building cases for tests through the real intake service."""

from __future__ import annotations

from case_core.cases.intake import CaseInput, CaseView, ClaimInput, FileInput, create_case
from case_core.cases.parties import PartyInput
from case_core.kernel.actor import Actor
from case_core.models import DebtorKind, DocumentKind, PartyKind

# Valid SIRENs (Luhn key checked by python-stdnum).
CREDITOR_SIREN = "732829320"
DEBTOR_SIREN = "552100554"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def creditor_input(name: str = "Fournitures Durand SAS", siren: str = CREDITOR_SIREN) -> PartyInput:
    return PartyInput(kind=PartyKind.COMPANY, company_name=name, siren=siren, postcode="69002")


def company_debtor(
    name: str = "Bâtiment Martin SARL",
    siren: str | None = DEBTOR_SIREN,
    email: str | None = "compta@martin.fr",
    phone: str | None = "06 12 34 56 78",
    postcode: str = "75011",
) -> PartyInput:
    return PartyInput(
        kind=PartyKind.COMPANY,
        company_name=name,
        siren=siren,
        email=email,
        phone=phone,
        postcode=postcode,
        city="Paris",
        address_line1="12 rue de la Roquette",
    )


def person_debtor(last: str = "Dupont", first: str = "Jeanne", **kw: str) -> PartyInput:
    return PartyInput(kind=PartyKind.PERSON, last_name=last, first_name=first, **kw)


def make_case(
    actor: Actor,
    *,
    creditor_id: int | None = None,
    creditor: PartyInput | None = None,
    debtor: PartyInput | None = None,
    debtor_id: int | None = None,
    kind: DebtorKind = DebtorKind.PROFESSIONAL,
    invoices: list[tuple[str, str, str, str]] | None = None,
    files: list[FileInput] | None = None,
    assignee_id: int | None = None,
    confirm_duplicate: bool = True,
) -> CaseView:
    """invoices: (number, issue date, due date, amount as typed)."""
    invoices = invoices or [("F-001", "01/03/2026", "31/03/2026", "1 234,56")]
    return create_case(
        actor,
        CaseInput(
            debtor_kind=kind,
            claims=[ClaimInput(n, i, d, a, "Prestation") for n, i, d, a in invoices],
            creditor_id=creditor_id,
            creditor=None if creditor_id else (creditor or creditor_input()),
            debtor_id=debtor_id,
            debtor=None if debtor_id else (debtor or company_debtor()),
            files=files or [],
            assignee_id=assignee_id,
            confirm_duplicate=confirm_duplicate,
        ),
    )


def pdf_file(name: str = "facture.pdf") -> FileInput:
    return FileInput(name, PDF, DocumentKind.INVOICE)
