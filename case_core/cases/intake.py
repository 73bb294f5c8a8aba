"""Getting a case in: creditor, debtor, claims and supporting files, all in one transaction.

The building blocks (`validate_claim`, `open_case`, `insert_claim`, `existing_invoices`)
take the caller's session so that the bulk imports create cases the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from case_core.cases.change import change_case
from case_core.cases.parties import (
    DuplicateDebtor,
    PartyInput,
    create_party,
    find_duplicates,
    get_party,
    validate_party,
)
from case_core.cases.references import next_references
from case_core.cases.totals import refresh_case_totals
from case_core.documents.store import check_upload, store_document
from case_core.kernel.actor import Actor
from case_core.kernel.dates import parse_date, today_paris
from case_core.kernel.errors import ValidationError
from case_core.kernel.money import parse_positive_amount
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change, current
from case_core.kernel.validation import FieldErrors, check_due_after_issue
from case_core.models import (
    Case,
    Claim,
    DebtorKind,
    DocumentKind,
    InterestRegime,
    Party,
    Phase,
    User,
)
from case_core.statement.creditor import presumed_professional

INVOICE_NUMBER_MAX = 60
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class ClaimInput:
    """One invoice as typed: dates as text or date, amount as text ('1 234,56') or, for
    programmatic callers, already in cents (`principal_cents`)."""

    invoice_number: str
    issue_date: date | str
    due_date: date | str
    amount: str | Decimal | None = None
    description: str | None = None
    interest_regime: InterestRegime | None = None
    principal_cents: int | None = None


@dataclass(frozen=True)
class ValidClaim:
    invoice_number: str
    issue_date: date
    due_date: date
    principal_cents: int
    description: str | None
    interest_regime: InterestRegime | None


@dataclass(frozen=True)
class FileInput:
    filename: str
    content: bytes
    kind: DocumentKind = DocumentKind.OTHER


@dataclass(frozen=True)
class CaseInput:
    """The "Nouveau dossier" form: each party is an existing id or a new PartyInput."""

    debtor_kind: DebtorKind
    claims: Sequence[ClaimInput]
    creditor_id: int | None = None
    creditor: PartyInput | None = None
    debtor_id: int | None = None
    debtor: PartyInput | None = None
    # Acting for professional needs (L313-2, L218-2); None: presumed from the creditor party
    # (a company or a person with a SIREN is a professional).
    creditor_professional: bool | None = None
    files: Sequence[FileInput] = field(default=())
    assignee_id: int | None = None
    # The user saw the duplicate warning and wants a new debtor anyway.
    confirm_duplicate: bool = False


@dataclass(frozen=True)
class CaseView:
    id: int
    reference: str
    version: int
    phase: Phase
    creditor_id: int
    debtor_id: int
    principal_cents: int
    balance_cents: int
    claim_ids: tuple[int, ...]
    document_ids: tuple[int, ...]


def default_regime(kind: DebtorKind) -> InterestRegime:
    """Between professionals, Code de commerce L441-10; otherwise the legal rate."""
    return InterestRegime.L441_10 if kind == DebtorKind.PROFESSIONAL else InterestRegime.LEGAL


def validate_claim(claim: ClaimInput, prefix: str = "") -> ValidClaim:
    """Every invalid field of one invoice at once, keyed `prefix + field`."""
    errors = FieldErrors()
    number = (claim.invoice_number or "").strip()
    if not number:
        errors[prefix + "invoice_number"] = "Le numéro de facture est obligatoire."
    elif len(number) > INVOICE_NUMBER_MAX:
        errors[prefix + "invoice_number"] = (
            f"Numéro de facture trop long ({INVOICE_NUMBER_MAX} caractères au plus)."
        )
    dates: dict[str, date] = {}
    for name, label in (("issue_date", "de facture"), ("due_date", "d'échéance")):
        raw = getattr(claim, name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors[prefix + name] = f"La date {label} est obligatoire."
            continue
        day = errors.check(parse_date, raw, prefix + name)
        if day is not None:
            dates[name] = day
    if len(dates) == 2:
        errors.check(
            check_due_after_issue, dates["issue_date"], dates["due_date"], prefix + "due_date"
        )
    cents = 0
    if claim.principal_cents is not None:
        cents = claim.principal_cents
        if cents <= 0:
            errors[prefix + "amount"] = "Le montant doit être supérieur à zéro."
    elif claim.amount is None or not str(claim.amount).strip():
        errors[prefix + "amount"] = "Le montant est obligatoire."
    else:
        cents = errors.check(parse_positive_amount, claim.amount, prefix + "amount") or 0
    description = (claim.description or "").strip() or None
    if description and len(description) > DESCRIPTION_MAX:
        errors[prefix + "description"] = (
            f"Description trop longue ({DESCRIPTION_MAX} caractères au plus)."
        )
    errors.raise_if_any()
    return ValidClaim(
        invoice_number=number,
        issue_date=dates["issue_date"],
        due_date=dates["due_date"],
        principal_cents=cents,
        description=description,
        interest_regime=InterestRegime(claim.interest_regime) if claim.interest_regime else None,
    )


def existing_invoices(session: Session, creditor_id: int, numbers: Iterable[str]) -> dict[str, str]:
    """Invoice number -> case reference, for the creditor's invoices already on file."""
    wanted = list(dict.fromkeys(numbers))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = session.exec(
            select(Claim.invoice_number, Case.reference)
            .join(Case, col(Case.id) == Claim.case_id)
            .where(
                Claim.creditor_id == creditor_id,
                col(Claim.invoice_number).in_(wanted[start : start + 500]),
            )
        ).all()
        found.update(dict(rows))
    return found


def open_case(
    session: Session,
    actor: Actor,
    *,
    creditor_id: int,
    debtor_id: int,
    debtor_kind: DebtorKind,
    creditor_professional: bool = True,
    assignee_id: int | None = None,
) -> Case:
    """A new, empty case in the amiable phase (caller adds claims, then refreshes totals)."""
    require(actor, Perm.CASES_CREATE)
    reference = next_references(session, today_paris().year)[0]
    case = Case(
        **new_case(
            actor,
            reference,
            creditor_id=creditor_id,
            debtor_id=debtor_id,
            debtor_kind=debtor_kind,
            creditor_professional=creditor_professional,
            assignee_id=assignee_id,
        )
    )
    session.add(case)
    session.flush()
    current(session).name(case, "case.create")
    return case


def new_case(
    actor: Actor,
    reference: str,
    *,
    creditor_id: int,
    debtor_id: int,
    debtor_kind: DebtorKind,
    creditor_professional: bool = True,
    assignee_id: int | None = None,
) -> dict[str, Any]:
    """The columns of a new, empty amiable case (a bulk import inserts many at once, with
    references reserved together)."""
    return {
        "reference": reference,
        "creditor_id": creditor_id,
        "debtor_id": debtor_id,
        "debtor_kind": DebtorKind(debtor_kind),
        "creditor_professional": creditor_professional,
        "phase": Phase.AMIABLE,
        "assignee_id": assignee_id,
        "created_by_id": actor.id,
        "updated_by_id": actor.id,
    }


def insert_claim(session: Session, actor: Actor, case: Case, claim: ValidClaim) -> Claim:
    """Add a validated invoice to `case` (caller checks uniqueness and refreshes totals)."""
    row = Claim(
        case_id=case.id,  # type: ignore[arg-type]
        creditor_id=case.creditor_id,
        invoice_number=claim.invoice_number,
        issue_date=claim.issue_date,
        due_date=claim.due_date,
        principal_cents=claim.principal_cents,
        description=claim.description,
        interest_regime=claim.interest_regime or default_regime(DebtorKind(case.debtor_kind)),
    )
    session.add(row)
    session.flush()
    current(session).name(row, "claim.create")
    return row


def _view(case: Case, claims: list[int], documents: list[int]) -> CaseView:
    assert case.id is not None
    return CaseView(
        id=case.id,
        reference=case.reference,
        version=case.version,
        phase=Phase(case.phase),
        creditor_id=case.creditor_id,
        debtor_id=case.debtor_id,
        principal_cents=case.principal_cents,
        balance_cents=case.balance_cents,
        claim_ids=tuple(claims),
        document_ids=tuple(documents),
    )


def _validate_form(
    data: CaseInput,
) -> tuple[PartyInput | None, PartyInput | None, list[ValidClaim]]:
    """Everything that can be checked without the database, all errors at once."""
    errors = FieldErrors()
    creditor = debtor = None
    if data.creditor_id is None and data.creditor is None:
        errors["creditor"] = "Choisissez le créancier ou créez-le."
    elif data.creditor_id is None and data.creditor is not None:
        creditor = errors.check(validate_party, data.creditor, "creditor.")
    if data.debtor_id is None and data.debtor is None:
        errors["debtor"] = "Choisissez le débiteur ou créez-le."
    elif data.debtor_id is None and data.debtor is not None:
        debtor = errors.check(validate_party, data.debtor, "debtor.")
    try:
        DebtorKind(data.debtor_kind)
    except ValueError:
        errors["debtor_kind"] = "Indiquez si le débiteur est un consommateur ou un professionnel."
    claims: list[ValidClaim] = []
    if not data.claims:
        errors["claims"] = "Saisissez au moins une facture."
    seen: dict[str, int] = {}
    for i, claim in enumerate(data.claims):
        valid = errors.check(validate_claim, claim, f"claims[{i}].")
        if valid is None:
            continue
        if valid.invoice_number in seen:
            errors[f"claims[{i}].invoice_number"] = (
                f"La facture n° {valid.invoice_number} est saisie deux fois."
            )
        seen[valid.invoice_number] = i
        claims.append(valid)
    for i, upload in enumerate(data.files):
        errors.check(check_upload, upload.filename, upload.content, f"files[{i}]")
    errors.raise_if_any()
    return creditor, debtor, claims


def _check_assignee(session: Session, assignee_id: int | None) -> None:
    if assignee_id is None:
        return
    user = session.get(User, assignee_id)
    if user is None or not user.is_active:
        raise ValidationError({"assignee_id": "Ce chargé de dossier n'existe pas ou est inactif."})


def create_case(actor: Actor, data: CaseInput) -> CaseView:
    """Create the case, its new parties, claims and documents; nothing is saved on any error.

    Raises DuplicateDebtor (with the matches) when a new debtor looks like an existing one
    and `confirm_duplicate` is not set.
    """
    require(actor, Perm.CASES_CREATE)
    new_creditor, new_debtor, claims = _validate_form(data)
    with change(actor, Perm.CASES_CREATE, "case.create") as uow:
        session = uow.session
        if data.creditor_id is not None:
            creditor = get_party(session, data.creditor_id, "creditor")
        else:
            assert new_creditor is not None
            creditor = create_party(session, actor, new_creditor)
        debtor: Party
        if data.debtor_id is not None:
            debtor = get_party(session, data.debtor_id, "debtor")
        else:
            assert new_debtor is not None
            if not data.confirm_duplicate:
                matches = find_duplicates(session, new_debtor)
                if matches:
                    raise DuplicateDebtor(matches)
            debtor = create_party(session, actor, new_debtor)
        _check_assignee(session, data.assignee_id)
        assert creditor.id is not None and debtor.id is not None
        taken = existing_invoices(session, creditor.id, [c.invoice_number for c in claims])
        if taken:
            raise ValidationError(
                {
                    f"claims[{i}].invoice_number": f"La facture n° {c.invoice_number} de ce "
                    f"créancier est déjà dans le dossier {taken[c.invoice_number]}."
                    for i, c in enumerate(claims)
                    if c.invoice_number in taken
                }
            )
        case = open_case(
            session,
            actor,
            creditor_id=creditor.id,
            debtor_id=debtor.id,
            debtor_kind=data.debtor_kind,
            creditor_professional=(
                presumed_professional(creditor.kind, creditor.siren)
                if data.creditor_professional is None
                else data.creditor_professional
            ),
            assignee_id=data.assignee_id,
        )
        claim_ids = [insert_claim(session, actor, case, c).id for c in claims]
        doc_ids = [
            store_document(session, actor, case, f.filename, f.content, f.kind).id
            for f in data.files
        ]
        uow.on_exit(lambda: refresh_case_totals(session, case))
    return _view(case, claim_ids, doc_ids)  # type: ignore[arg-type]


def add_claim(
    actor: Actor, reference: str, claim: ClaimInput, expected_version: int | None
) -> CaseView:
    """Add one invoice to an existing case (optimistic locking on the case version)."""
    require(actor, Perm.CASES_EDIT)
    valid = validate_claim(claim)
    with change_case(
        actor, Perm.CASES_EDIT, reference, "claim.create", expected_version=expected_version
    ) as work:
        session, case = work.session, work.case
        if case.phase == Phase.CLOSED:
            raise ValidationError(
                {"": "Ce dossier est clos : rouvrez-le avant d'y ajouter une facture."}
            )
        taken = existing_invoices(session, case.creditor_id, [valid.invoice_number])
        if taken:
            raise ValidationError(
                {
                    "invoice_number": f"La facture n° {valid.invoice_number} de ce créancier "
                    f"est déjà dans le dossier {taken[valid.invoice_number]}."
                }
            )
        row = insert_claim(session, actor, case, valid)
        session.flush()
        claim_ids = session.exec(select(Claim.id).where(Claim.case_id == case.id)).all()
        assert row.id is not None
    return _view(case, [i for i in claim_ids if i is not None], [])
