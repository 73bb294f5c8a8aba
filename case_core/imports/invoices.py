"""Bulk import of invoices from a CSV or XLSX file: column mapping, preview, import.

The user maps the file's columns to fields; common French and English headers are
recognised without help (accents, case, spaces and punctuation do not matter). A
mapping can be saved per creditor under a name. Each bad row is reported with its row
number as in the file, its column and the reason; good rows are imported, bad ones not.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import col, select

from case_core.cases.intake import ClaimInput, validate_claim
from case_core.cases.parties import PartyInput
from case_core.imports.tabular import Table, TableRow, unique_headers, write_csv
from case_core.imports.writer import (
    DebtorChecks,
    ImportReport,
    InvoiceRecord,
    Progress,
    RowError,
    get_creditor,
    import_records,
)
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.models import DebtorKind, ImportMapping, PartyKind, utcnow


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "invoice_number",
        "N° de facture",
        True,
        (
            "N° facture",
            "No facture",
            "Numéro de facture",
            "Num facture",
            "Numéro facture",
            "Référence facture",
            "Réf facture",
            "Facture",
            "Invoice number",
            "Invoice no",
            "Invoice #",
            "Invoice",
            "Invoice ID",
        ),
    ),
    ImportField(
        "issue_date",
        "Date de facture",
        False,
        (
            "Date facture",
            "Date de facture",
            "Date d'émission",
            "Date émission",
            "Date",
            "Invoice date",
            "Issue date",
            "Date issued",
        ),
    ),
    ImportField(
        "due_date",
        "Date d'échéance",
        True,
        ("Date d'échéance", "Échéance", "Date limite de paiement", "Due date", "Due", "Due on"),
    ),
    ImportField(
        "amount",
        "Montant TTC",
        True,
        (
            "Montant TTC",
            "Montant",
            "Total TTC",
            "Montant dû",
            "Reste dû",
            "Solde",
            "Amount",
            "Amount due",
            "Total",
            "Balance",
        ),
    ),
    ImportField(
        "description",
        "Description",
        False,
        ("Description", "Libellé", "Objet", "Désignation", "Label", "Memo"),
    ),
    ImportField(
        "debtor_name",
        "Débiteur (raison sociale ou nom)",
        True,
        (
            "Raison sociale",
            "Débiteur",
            "Nom du débiteur",
            "Client",
            "Nom du client",
            "Nom client",
            "Société",
            "Entreprise",
            "Dénomination",
            "Nom",
            "Company",
            "Company name",
            "Customer",
            "Customer name",
            "Debtor",
            "Debtor name",
            "Name",
        ),
    ),
    ImportField("debtor_first_name", "Prénom", False, ("Prénom", "First name", "Firstname")),
    ImportField(
        "debtor_kind",
        "Type de débiteur",
        False,
        ("Type de débiteur", "Type débiteur", "Type de client", "Debtor type", "Customer type"),
    ),
    ImportField("siren", "SIREN", False, ("SIREN", "N° SIREN", "Numéro SIREN")),
    ImportField("siret", "SIRET", False, ("SIRET", "N° SIRET", "Numéro SIRET")),
    ImportField(
        "vat_number",
        "N° de TVA",
        False,
        ("TVA intracommunautaire", "N° TVA", "Numéro de TVA", "VAT number", "VAT"),
    ),
    ImportField(
        "email",
        "E-mail",
        False,
        ("E-mail", "Email", "Courriel", "Adresse e-mail", "Mail", "Email address"),
    ),
    ImportField(
        "phone",
        "Téléphone",
        False,
        ("Téléphone", "Tél", "Tel", "Portable", "Mobile", "Phone", "Phone number", "Telephone"),
    ),
    ImportField("address", "Adresse", False, ("Adresse", "Rue", "Address", "Street")),
    ImportField(
        "postcode",
        "Code postal",
        False,
        ("Code postal", "CP", "Postcode", "Postal code", "Zip", "Zip code"),
    ),
    ImportField("city", "Ville", False, ("Ville", "Commune", "City", "Town")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
_STOPWORDS = {"de", "du", "d", "la", "le", "l", "des", "the", "of"}

# What a "Type de débiteur" cell may say.
_KIND_WORDS = {
    DebtorKind.PROFESSIONAL: {
        "professionnel",
        "professionnelle",
        "pro",
        "entreprise",
        "societe",
        "b2b",
        "professional",
        "business",
        "company",
    },
    DebtorKind.CONSUMER: {
        "consommateur",
        "particulier",
        "part",
        "b2c",
        "consumer",
        "individual",
        "private",
        "personne physique",
    },
}


def _ascii(text: str) -> str:
    """Lower-case ASCII: accents dropped, any other non-ASCII sign (’ °) a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) else " ") for c in decomposed
    ).lower()


def normalize_header(text: str) -> str:
    """« Date d'échéance » and « DATE ECHEANCE » both -> 'dateecheance'."""
    words = [w for w in re.findall(r"[a-z0-9]+", _ascii(text)) if w not in _STOPWORDS]
    return "".join(words)


_ALIAS_INDEX: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (_field.label, *_field.aliases):
        _ALIAS_INDEX.setdefault(normalize_header(_alias), _field.key)


def recognise_headers(headers: Sequence[str]) -> dict[str, str]:
    """field key -> header, for the headers that are common names of a field."""
    mapping: dict[str, str] = {}
    for header in headers:
        key = _ALIAS_INDEX.get(normalize_header(header))
        if key and key not in mapping:
            mapping[key] = header
    return mapping


def locate_header(table: Table, look_ahead: int = 10) -> Table:
    """The table re-read under its real header row when the file starts with a title
    (« Export du 12/03/2026 ») or blank-ish lines: the first of the top rows where at
    least two common field names are recognised."""
    if len(recognise_headers(table.headers)) >= 2:
        return table
    for position, row in enumerate(table.rows[:look_ahead]):
        if len(recognise_headers(row.cells)) >= 2:
            return replace(
                table,
                headers=unique_headers(row.cells),
                rows=table.rows[position + 1 :],
                header_row=row.number,
            )
    return table


def check_mapping(mapping: Mapping[str, str], headers: Sequence[str]) -> dict[str, str]:
    """The mapping kept to known fields and present headers; refused without required fields."""
    clean = {k: v for k, v in mapping.items() if k in FIELD_BY_KEY and v in headers}
    missing = [f.label for f in FIELDS if f.required and f.key not in clean]
    if missing:
        raise ValidationError(
            {"mapping": "Colonnes à indiquer : " + ", ".join(f"« {m} »" for m in missing) + "."}
        )
    used: dict[str, str] = {}
    for key, header in clean.items():
        if header in used:
            first, second = FIELD_BY_KEY[used[header]].label, FIELD_BY_KEY[key].label
            raise ValidationError(
                {"mapping": f"Colonne « {header} » choisie pour « {first} » et « {second} »."}
            )
        used[header] = key
    return clean


# ----------------------------------------------------------------- saved mappings


@dataclass(frozen=True)
class SavedMapping:
    name: str
    mapping: dict[str, str]
    updated_at: datetime


def save_mapping(actor: Actor, creditor_id: int, name: str, mapping: Mapping[str, str]) -> None:
    """Create or replace the creditor's mapping `name` (audited)."""
    require(actor, Perm.CASES_IMPORT)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom à cette correspondance de colonnes."})
    if len(name) > 100:
        raise ValidationError({"name": "Nom trop long (100 caractères au plus)."})
    clean = {k: v for k, v in mapping.items() if k in FIELD_BY_KEY and v}
    with change(actor, Perm.CASES_IMPORT, "import_mapping.save") as uow:
        session = uow.session
        get_creditor(session, creditor_id)
        row = session.exec(
            select(ImportMapping).where(
                ImportMapping.creditor_id == creditor_id, ImportMapping.name == name
            )
        ).first()
        before = json.loads(row.mapping) if row else None
        if row is None:
            row = ImportMapping(creditor_id=creditor_id, name=name, mapping="{}")
        row.mapping = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        row.updated_at = utcnow()
        uow.add(row)
        # The stored JSON text is unreadable in the history: the mapping itself is told.
        uow.note(row, "mapping", before, clean)


def list_mappings(actor: Actor, creditor_id: int) -> list[SavedMapping]:
    require(actor, Perm.CASES_IMPORT)
    with read_session() as session:
        rows = session.exec(
            select(ImportMapping)
            .where(ImportMapping.creditor_id == creditor_id)
            .order_by(col(ImportMapping.name))
        ).all()
        return [SavedMapping(r.name, json.loads(r.mapping), r.updated_at) for r in rows]


def get_mapping(actor: Actor, creditor_id: int, name: str) -> dict[str, str]:
    for saved in list_mappings(actor, creditor_id):
        if saved.name == name:
            return saved.mapping
    raise NotFound(f"Aucune correspondance de colonnes nommée « {name} » pour ce créancier.")


# ----------------------------------------------------------------- rows


def _cell(row: TableRow, index: dict[str, int], key: str) -> str:
    position = index.get(key)
    if position is None or position >= len(row.cells):
        return ""
    return row.cells[position].strip()


def parse_debtor_kind(text: str) -> DebtorKind | None:
    plain = " ".join(re.findall(r"[a-z0-9]+", _ascii(text)))
    for kind, words in _KIND_WORDS.items():
        if plain in words or plain.rstrip("s") in words:
            return kind
    return None


def _party_input(values: dict[str, str], kind: DebtorKind | None) -> PartyInput:
    """Company when there is a SIREN/SIRET or the debtor is a professional without a
    first name; otherwise a person filed under « NOM Prénom »."""
    has_company_id = bool(values.get("siren") or values.get("siret"))
    is_person = not has_company_id and (
        bool(values.get("debtor_first_name")) or kind == DebtorKind.CONSUMER
    )

    def value(key: str) -> str | None:
        return values.get(key) or None

    party = PartyInput(
        kind=PartyKind.PERSON if is_person else PartyKind.COMPANY,
        siren=value("siren"),
        siret=value("siret"),
        vat_number=value("vat_number"),
        email=value("email"),
        phone=value("phone"),
        address_line1=value("address"),
        postcode=value("postcode"),
        city=value("city"),
    )
    if is_person:
        return replace(party, last_name=value("debtor_name"), first_name=value("debtor_first_name"))
    return replace(party, company_name=value("debtor_name"))


# PartyInput / ClaimInput field -> import field, to report an error under the file's column.
_ERROR_FIELD = {
    "company_name": "debtor_name",
    "last_name": "debtor_name",
    "first_name": "debtor_first_name",
    "address_line1": "address",
    "kind": "debtor_kind",
}


def validate_row(
    row: TableRow,
    headers: Sequence[str],
    mapping: Mapping[str, str],
    default_kind: DebtorKind | None = None,
    debtors: DebtorChecks | None = None,
) -> tuple[InvoiceRecord | None, list[RowError]]:
    """One row as a valid record, or every error it holds (row, column, reason).
    `debtors` remembers the debtors already checked (a file names each debtor on each of
    its invoices: checking its email, phone and SIREN once is enough)."""
    index = {key: headers.index(header) for key, header in mapping.items() if header in headers}
    values = {key: _cell(row, index, key) for key in FIELD_BY_KEY}
    errors: dict[str, str] = {}

    def column(field_key: str) -> str:
        return mapping.get(field_key) or FIELD_BY_KEY[field_key].label

    if len(row.cells) > len(headers) and any(c.strip() for c in row.cells[len(headers) :]):
        return None, [
            RowError(
                row.number,
                f"Colonne {len(headers) + 1}",
                f"La ligne compte {len(row.cells)} colonnes, l'en-tête {len(headers)} : "
                "séparateur ou guillemet en trop ?",
            )
        ]
    kind = default_kind
    if values["debtor_kind"]:
        kind = parse_debtor_kind(values["debtor_kind"])
        if kind is None:
            errors["debtor_kind"] = (
                f"Type de débiteur inconnu : « {values['debtor_kind']} » "
                "(professionnel ou particulier)."
            )
    issue = values["issue_date"] or values["due_date"]
    claim = None
    try:
        claim = validate_claim(
            ClaimInput(
                invoice_number=values["invoice_number"],
                issue_date=issue,
                due_date=values["due_date"],
                amount=values["amount"],
                description=values["description"] or None,
            )
        )
    except ValidationError as exc:
        for key, message in exc.errors.items():
            if key == "issue_date" and not values["issue_date"]:
                # The issue date was taken from the due date: the due date's own error
                # says what is wrong, in its own words.
                if "due_date" in exc.errors:
                    continue
                key = "due_date"
            errors.setdefault(key, message)
    if not values["debtor_name"]:
        errors["debtor_name"] = "Le nom ou la raison sociale du débiteur est obligatoire."
    debtor = None
    party = _party_input(values, kind)
    try:
        debtor = (debtors if debtors is not None else DebtorChecks()).check(party)
    except ValidationError as exc:
        for key, message in exc.errors.items():
            errors.setdefault(_ERROR_FIELD.get(key, key), message)
    if errors or claim is None or debtor is None:
        return None, [
            RowError(row.number, column(key) if key in FIELD_BY_KEY else key, message)
            for key, message in errors.items()
        ]
    if kind is None:
        kind = DebtorKind.PROFESSIONAL if debtor.kind == PartyKind.COMPANY else DebtorKind.CONSUMER
    return (
        InvoiceRecord(
            row=row.number,
            invoice_number=claim.invoice_number,
            issue_date=claim.issue_date,
            due_date=claim.due_date,
            principal_cents=claim.principal_cents,
            description=claim.description,
            debtor=debtor,
            debtor_kind=kind,
        ),
        [],
    )


def validate_rows(
    table: Table, mapping: Mapping[str, str], default_kind: DebtorKind | None = None
) -> tuple[list[InvoiceRecord], list[RowError]]:
    """Every row checked; an invoice number seen twice in the file is refused the second time."""
    clean = check_mapping(mapping, table.headers)
    records: list[InvoiceRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    debtors = DebtorChecks()
    for row in table.rows:
        record, row_errors = validate_row(row, table.headers, clean, default_kind, debtors)
        if record is not None and record.invoice_number in seen:
            row_errors = [
                RowError(
                    row.number,
                    clean["invoice_number"],
                    f"Facture « {record.invoice_number} » déjà présente à la ligne "
                    f"{seen[record.invoice_number]} du fichier.",
                )
            ]
            record = None
        if record is None:
            errors.extend(row_errors)
        else:
            seen[record.invoice_number] = row.number
            records.append(record)
    return records, errors


@dataclass(frozen=True)
class Preview:
    columns: list[str]  # field labels, in FIELDS order, for the mapped fields
    rows: list[dict[str, str]]  # « Ligne » + label -> text as in the file
    errors: list[RowError]  # errors of the previewed rows only


def preview(
    table: Table,
    mapping: Mapping[str, str],
    limit: int = 20,
    default_kind: DebtorKind | None = None,
) -> Preview:
    """The first `limit` rows as they will be read, with their errors."""
    clean = check_mapping(mapping, table.headers)
    index = {key: table.headers.index(h) for key, h in clean.items()}
    mapped = [f for f in FIELDS if f.key in clean]
    rows: list[dict[str, str]] = []
    errors: list[RowError] = []
    for row in table.rows[:limit]:
        _record, row_errors = validate_row(row, table.headers, clean, default_kind)
        errors.extend(row_errors)
        shown = {"Ligne": str(row.number)}
        shown.update({f.label: _cell(row, index, f.key) for f in mapped})
        shown["Erreurs"] = " ; ".join(f"{e.column} : {e.reason}" for e in row_errors)
        rows.append(shown)
    return Preview(["Ligne", *(f.label for f in mapped), "Erreurs"], rows, errors)


def import_invoices(
    actor: Actor,
    creditor_id: int | None,
    table: Table,
    mapping: Mapping[str, str],
    *,
    default_kind: DebtorKind | None = None,
    progress: Progress | None = None,
    source: str = "import CSV/XLSX",
) -> ImportReport:
    """Validate every row, then write the good ones; see import_writer for the rules."""
    require(actor, Perm.CASES_IMPORT)
    with read_session() as session:
        get_creditor(session, creditor_id)
    records, errors = validate_rows(table, mapping, default_kind)
    report = ImportReport(errors=errors, rejected=len({e.row for e in errors}))
    return import_records(actor, creditor_id, records, report, source=source, progress=progress)


def rejected_rows_csv(table: Table, errors: Sequence[RowError]) -> bytes:
    """The rejected rows as a CSV: row number, column, reason, then the row as in the file."""
    by_number = {row.number: row for row in table.rows}
    lines = []
    for error in errors:
        original = by_number.get(error.row)
        lines.append(
            [str(error.row), error.column, error.reason, *(original.cells if original else [])]
        )
    return write_csv(["Ligne", "Colonne", "Motif", *table.headers], lines)
