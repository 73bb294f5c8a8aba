"""Writing validated invoices into cases: shared by the CSV/XLSX and the FEC imports.

An invoice is identified by its creditor and number: the same data again changes
nothing, changed amount or dates update the claim (audited). Invoices of one debtor go
into that debtor's open case with the creditor, else a new case. Debtors are matched by
SIREN when the row has one, else by email, else by name and postcode.

Rows are written in batches, one transaction per batch: a failure rolls back the whole
batch, so a row (debtor + case + claim) is never half-written, and the import can be
run again since it is idempotent. Lookups are made per batch (IN lists), not per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from case_core.cases.intake import default_regime, new_case
from case_core.cases.parties import PartyInput, party_values, validate_party
from case_core.cases.references import next_references
from case_core.cases.totals import SearchableParty, build_search_text, refresh_case_totals
from case_core.kernel import audit, column_guard
from case_core.kernel.actor import Actor
from case_core.kernel.audit import PendingEvent
from case_core.kernel.bulk import insert_returning_ids, table_of
from case_core.kernel.dates import today_paris
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import UnitOfWork, change
from case_core.models import Case, Claim, DebtorKind, Party, Phase, utcnow
from case_core.statement.creditor import presumed_professional
from case_core.statement.limitation import ClaimMark, case_limitation_date

BATCH_SIZE = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in the file (line of a CSV, row of a sheet)
    column: str  # the file's column header, or the field's label when unmapped
    reason: str


@dataclass(frozen=True)
class InvoiceRecord:
    """One valid invoice and what the file says about its debtor, already through
    validate_party (the writer inserts a new debtor as it is, without checking it again)."""

    row: int
    invoice_number: str
    issue_date: date
    due_date: date
    principal_cents: int
    description: str | None
    debtor: PartyInput
    debtor_kind: DebtorKind


class DebtorChecks:
    """validate_party, once per distinct debtor as typed (its outcome, valid or not)."""

    def __init__(self) -> None:
        self._seen: dict[PartyInput, PartyInput | ValidationError] = {}

    def check(self, party: PartyInput) -> PartyInput:
        outcome = self._seen.get(party)
        if outcome is None:
            try:
                outcome = validate_party(party)
            except ValidationError as exc:
                outcome = exc
            self._seen[party] = outcome
        if isinstance(outcome, ValidationError):
            raise ValidationError(dict(outcome.errors))
        return outcome


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows, each with one or more entries in `errors`
    errors: list[RowError] = field(default_factory=list)
    cases_created: int = 0
    debtors_created: int = 0
    case_references: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"{self.created} factures créées, {self.updated} mises à jour, "
            f"{self.unchanged} inchangées, {self.rejected} lignes rejetées "
            f"({self.cases_created} dossiers et {self.debtors_created} débiteurs créés)."
        )


@dataclass(frozen=True)
class CreditorInfo:
    id: int
    display_name: str
    siren: str | None
    # A company or a person with a SIREN (sole trader) invoices for professional needs.
    professional: bool


def get_creditor(session: Session, creditor_id: int | None) -> CreditorInfo:
    # Never a default creditor: importing into the wrong one mixes two companies' claims.
    if creditor_id is None:
        raise ValidationError({"creditor": "Choisissez le créancier de l'import."})
    party = session.get(Party, creditor_id)
    if party is None:
        raise NotFound(f"Créancier introuvable (n° {creditor_id}).", field="creditor")
    assert party.id is not None
    return CreditorInfo(
        party.id, party.display_name, party.siren, presumed_professional(party.kind, party.siren)
    )


def find_creditor_by_siren(session: Session, siren: str) -> CreditorInfo:
    compact = "".join((siren or "").split())
    party = session.exec(
        select(Party).where(Party.siren == compact).order_by(col(Party.id))
    ).first()
    if party is None or party.id is None:
        raise NotFound(
            f"Aucun créancier de SIREN {siren} : créez-le d'abord (page « Nouveau dossier »)."
        )
    return get_creditor(session, party.id)


def name_key(display_name: str, postcode: str | None) -> tuple[str, str]:
    return (display_name.strip().casefold(), (postcode or "").strip())


def debtor_sort_key(debtor: PartyInput) -> tuple[str, str]:
    if debtor.siren:
        return ("1", debtor.siren)
    if debtor.email:
        return ("2", debtor.email)
    return ("3", "|".join(name_key(debtor.display_name, debtor.postcode)))


class _DebtorIndex:
    """Debtors known so far (from the database or created in this import), by match key."""

    def __init__(self, creditor_id: int) -> None:
        self.creditor_id = creditor_id
        self.by_siren: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], int] = {}

    def add(self, party: Party) -> None:
        assert party.id is not None
        self.add_values(party.id, party.siren, party.email, party.display_name, party.postcode)

    def add_values(
        self, ident: int, siren: str | None, email: str | None, name: str, postcode: str | None
    ) -> None:
        # The creditor is indexed too: a row naming it is refused, never given a twin party.
        if siren:
            self.by_siren.setdefault(siren, ident)
        if email:
            self.by_email.setdefault(email, ident)
        self.by_name.setdefault(name_key(name, postcode), ident)

    def find(self, debtor: PartyInput) -> int | None:
        if debtor.siren:
            return self.by_siren.get(debtor.siren)
        if debtor.email:
            return self.by_email.get(debtor.email)
        return self.by_name.get(name_key(debtor.display_name, debtor.postcode))

    def load(self, session: Session, debtors: Sequence[PartyInput]) -> None:
        """Fetch, in a few queries, the existing parties these debtors may match."""
        sirens = {d.siren for d in debtors if d.siren} - self.by_siren.keys()
        emails = {d.email for d in debtors if not d.siren and d.email} - self.by_email.keys()
        by_name = [d for d in debtors if not d.siren and not d.email and d.display_name]
        # SQLite's lower() folds ASCII only (« É » stays), so names are compared in Python:
        # the query fetches the parties of the same postcodes, or, without a postcode,
        # those whose name is the same as typed or lower-cased.
        postcodes = {d.postcode for d in by_name if d.postcode}
        names: set[str] = set()
        for d in by_name:
            if not d.postcode:
                name = d.display_name.strip()
                names |= {name, name.lower(), name.casefold()}
        queries: list[Any] = []
        if sirens:
            queries.append(col(Party.siren).in_(sorted(sirens)))
        if emails:
            queries.append(col(Party.email).in_(sorted(emails)))
        if postcodes:
            queries.append(col(Party.postcode).in_(sorted(postcodes)))
        if names:
            queries.append(
                col(Party.display_name).in_(sorted(names))
                | func.lower(Party.display_name).in_(sorted(names))
            )
        for condition in queries:
            for party in session.exec(select(Party).where(condition).order_by(col(Party.id))):
                self.add(party)


def import_records(
    actor: Actor,
    creditor_id: int | None,
    records: Sequence[InvoiceRecord],
    report: ImportReport,
    *,
    source: str,
    progress: Progress | None = None,
    batch_size: int | None = None,
) -> ImportReport:
    """Write `records` (valid rows) batch by batch, counting into `report`."""
    require(actor, Perm.CASES_IMPORT)
    batch_size = batch_size or BATCH_SIZE
    with read_session() as session:
        creditor = get_creditor(session, creditor_id)
    index = _DebtorIndex(creditor.id)
    # A debtor's invoices side by side, so that each case is written (totals, audit) in
    # one batch rather than once per batch its rows happen to fall in.
    records = sorted(records, key=lambda r: debtor_sort_key(r.debtor))
    total = len(records)
    if progress:
        progress(0, total)
    for start in range(0, total, batch_size):
        batch = records[start : start + batch_size]
        try:
            with change(actor, Perm.CASES_IMPORT, "case.import") as uow:
                _write_batch(uow, creditor, batch, index, report, source)
        except IntegrityError:
            # Another import of the same creditor wrote some of these invoices meanwhile.
            raise CaseError(
                f"Un autre import a enregistré une partie de ces factures au même moment : "
                f"{start} lignes sur {total} sont importées, les suivantes non. Relancez "
                "l'import : les factures déjà présentes seront reconnues."
            ) from None
        if progress:
            progress(min(start + batch_size, total), total)
    return report


def _write_batch(
    uow: UnitOfWork,
    creditor: CreditorInfo,
    records: Sequence[InvoiceRecord],
    index: _DebtorIndex,
    report: ImportReport,
    source: str,
) -> None:
    session = uow.session
    counts = {"created": 0, "updated": 0, "unchanged": 0, "cases": 0, "debtors": 0}
    references: list[str] = []
    existing = {
        claim.invoice_number: claim
        for claim in session.exec(
            select(Claim).where(
                Claim.creditor_id == creditor.id,
                col(Claim.invoice_number).in_([r.invoice_number for r in records]),
            )
        )
    }
    # Per touched case: what the audit event of this batch says about it.
    events: dict[int, dict[str, Any]] = {}

    for record in records:
        claim = existing.get(record.invoice_number)
        if claim is None:
            continue
        before = audit.snapshot(claim, ["issue_date", "due_date", "principal_cents", "description"])
        claim.issue_date = record.issue_date
        claim.due_date = record.due_date
        claim.principal_cents = record.principal_cents
        claim.description = record.description
        changes = audit.diff(before, audit.snapshot(claim, list(before)))
        if not changes:
            counts["unchanged"] += 1
            continue
        session.add(claim)
        uow.silence(claim)  # told by the case's « case.import » event below
        counts["updated"] += 1
        events.setdefault(claim.case_id, {}).setdefault("claims_updated", {})[
            claim.invoice_number
        ] = changes

    new = [r for r in records if r.invoice_number not in existing]
    refused: list[RowError] = []
    # Local index state is only trusted once this batch commits; a failure discards it.
    saved = (dict(index.by_siren), dict(index.by_email), dict(index.by_name))
    try:
        index.load(session, [r.debtor for r in new])
        known = {index.find(r.debtor) for r in new} - {None}
        open_cases = _open_cases(session, creditor.id, sorted(known))  # type: ignore[arg-type]
        rows, parties = _match_debtors(new, index, creditor, refused)
        _insert_rows(uow.session, Party, parties)
        for party in parties:
            uow.created(Party, party, "party.create")
            index.add_values(
                party["id"],
                party["siren"],
                party["email"],
                party["display_name"],
                party["postcode"],
            )
        counts["debtors"] += len(parties)
        on_existing: list[tuple[_NewClaimCase, InvoiceRecord]] = []
        for_new_case: dict[int, list[InvoiceRecord]] = {}
        for record, slot in rows:
            debtor_id = slot if slot >= 0 else parties[-slot - 1]["id"]
            case = open_cases.get(debtor_id)
            if case is None:
                for_new_case.setdefault(debtor_id, []).append(record)
            else:
                assert case.id is not None
                on_existing.append((_NewClaimCase(case.id, DebtorKind(case.debtor_kind)), record))
        created = _insert_cases(uow, creditor, for_new_case, parties)
        claims = on_existing + [
            (_NewClaimCase(row["id"], row["debtor_kind"]), record)
            for row in created
            for record in for_new_case[row["debtor_id"]]
        ]
        _insert_claims(session, creditor.id, claims, events)
        references.extend(row["reference"] for row in created)
        counts["cases"] += len(created)
        counts["created"] += len(claims)
        _finish_cases(uow, events, {row["id"] for row in created}, source)
    except BaseException:
        index.by_siren, index.by_email, index.by_name = saved
        raise
    report.errors.extend(refused)
    report.rejected += len({e.row for e in refused})
    report.created += counts["created"]
    report.updated += counts["updated"]
    report.unchanged += counts["unchanged"]
    report.cases_created += counts["cases"]
    report.debtors_created += counts["debtors"]
    report.case_references.extend(references)


def _open_cases(session: Session, creditor_id: int, debtor_ids: list[int]) -> dict[int, Case]:
    """debtor id -> that debtor's oldest open case with the creditor."""
    found: dict[int, Case] = {}
    for start in range(0, len(debtor_ids), 1000):
        chunk = debtor_ids[start : start + 1000]
        for case in session.exec(
            select(Case)
            .where(
                Case.creditor_id == creditor_id,
                col(Case.debtor_id).in_(chunk),
                Case.phase != Phase.CLOSED,
            )
            .order_by(col(Case.id))
        ):
            found.setdefault(case.debtor_id, case)
    return found


def _match_debtors(
    new: Sequence[InvoiceRecord],
    index: _DebtorIndex,
    creditor: CreditorInfo,
    refused: list[RowError],
) -> tuple[list[tuple[InvoiceRecord, int]], list[dict[str, Any]]]:
    """Each new invoice with its debtor: a known party's id, or -(n + 1) for the n-th party
    to create (one per debtor, however many of its invoices the batch holds); the columns
    of the parties to create, validated. A row naming the creditor is refused."""
    to_create = _DebtorIndex(creditor.id)
    parties: list[dict[str, Any]] = []
    rows: list[tuple[InvoiceRecord, int]] = []
    for record in new:
        debtor_id = index.find(record.debtor)
        if debtor_id == creditor.id:
            refused.append(
                RowError(
                    record.row,
                    "Débiteur",
                    f"Le débiteur « {record.debtor.display_name} » est le créancier "
                    "lui-même : une entreprise ne peut pas être sa propre débitrice.",
                )
            )
            continue
        if debtor_id is None:
            slot = to_create.find(record.debtor)
            if slot is None:
                slot = len(parties)
                values = party_values(record.debtor)
                to_create.add_values(
                    slot,
                    values["siren"],
                    values["email"],
                    values["display_name"],
                    values["postcode"],
                )
                parties.append(values)
            debtor_id = -slot - 1
        rows.append((record, debtor_id))
    return rows, parties


def _with_defaults(model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` completed with the model's defaults (a creation instant: now), as the ORM
    would have inserted them; the id left to the database."""
    defaults = {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if name != "id" and not info.is_required()
    }
    return [{**defaults, **row} for row in rows]


def _insert_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT of `rows`, completed in place with the model's defaults and
    the id the RETURNING gives each, in order."""
    if not rows:
        return
    full = _with_defaults(model, rows)
    column_guard.check_rows(table_of(model), full)
    ids = insert_returning_ids(session, model, full)
    for row, complete, new_id in zip(rows, full, ids, strict=True):
        row.update(complete, id=new_id)


_SEARCHED = ("display_name", "siren", "siret", "email", "email_alt", "phone", "phone_alt")


@dataclass(frozen=True)
class _PartyColumns:
    """What the search text of a new case reads of a debtor inserted in the same batch."""

    display_name: str
    siren: str | None
    siret: str | None
    email: str | None
    email_alt: str | None
    phone: str | None
    phone_alt: str | None


@dataclass(frozen=True)
class _NewClaimCase:
    """The case a new invoice goes into: what its row needs."""

    id: int
    debtor_kind: DebtorKind


def _insert_cases(
    uow: UnitOfWork,
    creditor: CreditorInfo,
    records_of: dict[int, list[InvoiceRecord]],
    new_parties: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One new case per debtor of `records_of` (debtor id -> its invoices), references
    reserved together, stored figures computed from the invoices: a case created in this
    batch has no payment, plan, agreement or mediation yet, so what refresh_case_totals
    would read is exactly these invoices. Returns the rows inserted, with their ids."""
    if not records_of:
        return []
    session, actor = uow.session, uow.actor
    debtors: dict[int, SearchableParty] = {
        p["id"]: _PartyColumns(**{k: p[k] for k in _SEARCHED}) for p in new_parties
    }
    missing = [d for d in records_of if d not in debtors]
    for start in range(0, len(missing), 1000):
        chunk = missing[start : start + 1000]
        for party in session.exec(select(Party).where(col(Party.id).in_(chunk))):
            assert party.id is not None
            debtors[party.id] = party
    creditor_party = session.get(Party, creditor.id)
    today = today_paris()
    references = next_references(session, today.year, len(records_of))
    rows: list[dict[str, Any]] = []
    for reference, (debtor_id, records) in zip(references, records_of.items(), strict=True):
        kind = records[0].debtor_kind
        row = new_case(
            actor,
            reference,
            creditor_id=creditor.id,
            debtor_id=debtor_id,
            debtor_kind=kind,
            creditor_professional=creditor.professional,
        )
        principal = sum(r.principal_cents for r in records)
        row |= {
            "principal_cents": principal,
            "paid_cents": 0,
            "balance_cents": principal,
            "oldest_due_date": min(r.due_date for r in records),
            "limitation_date": case_limitation_date(
                [ClaimMark(r.due_date, r.principal_cents) for r in records],
                (),
                (),
                kind,
                creditor.professional,
                (),
                today,
            ),
            "search_text": build_search_text(
                reference, debtors[debtor_id], [r.invoice_number for r in records], creditor_party
            ),
        }
        rows.append(row)
    _insert_rows(session, Case, rows)
    for row in rows:
        uow.created(Case, row, "case.create")
    return rows


def _insert_claims(
    session: Session,
    creditor_id: int,
    claims: Sequence[tuple[_NewClaimCase, InvoiceRecord]],
    events: dict[int, dict[str, Any]],
) -> None:
    """The new invoices in one INSERT; each told in its case's « case.import » event."""
    if not claims:
        return
    now = utcnow()
    rows = []
    for case, record in claims:
        rows.append(
            {
                "case_id": case.id,
                "creditor_id": creditor_id,
                "invoice_number": record.invoice_number,
                "issue_date": record.issue_date,
                "due_date": record.due_date,
                "principal_cents": record.principal_cents,
                "description": record.description,
                "interest_regime": default_regime(case.debtor_kind),
                "created_at": now,
            }
        )
        events.setdefault(case.id, {}).setdefault("claims_created", []).append(
            {
                "invoice_number": record.invoice_number,
                "issue_date": record.issue_date.isoformat(),
                "due_date": record.due_date.isoformat(),
                "principal_cents": record.principal_cents,
            }
        )
    full = _with_defaults(Claim, rows)
    column_guard.check_rows(table_of(Claim), full)
    session.execute(insert(table_of(Claim)), full)


def _finish_cases(
    uow: UnitOfWork,
    events: dict[int, dict[str, Any]],
    new_cases: set[int],
    source: str,
) -> None:
    """Totals, version and one audit event per case touched by the batch (a case created
    by it has its figures already, and no version to bump)."""
    uow.session.flush()
    for case_id, changes in events.items():
        if case_id not in new_cases:
            case = uow.session.get(Case, case_id)
            assert case is not None
            uow.hold(case)
            refresh_case_totals(uow.session, case)
        payload = {key: {"before": None, "after": value} for key, value in changes.items()}
        payload["source"] = {"before": None, "after": source}
        uow.event(PendingEvent("case.import", "case", case_id, payload, case_id))
