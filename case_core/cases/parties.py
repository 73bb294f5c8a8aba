"""Parties (creditors and debtors): validation, duplicate detection, search, creation.

`create_party` works inside the caller's transaction so that intake and the bulk imports
create a debtor and its case atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import exists, func, or_
from sqlmodel import Session, col, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError, NotFound, ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.phones import normalize_phone
from case_core.kernel.text import without_forbidden
from case_core.kernel.unit_of_work import change, current
from case_core.kernel.validation import (
    FieldErrors,
    check_siret_matches_siren,
    normalize_bic,
    normalize_email,
    normalize_iban,
    normalize_postcode,
    normalize_siren,
    normalize_siret,
    normalize_vat,
)
from case_core.models import Case, Party, PartyKind, Phase
from case_core.models.sealed import iban_digest

NAME_MAX = 150
COMPANY_NAME_MAX = 300
REPRESENTATIVE_MAX = 200
ROLE_MAX = 150


@dataclass(frozen=True)
class PartyInput:
    """What a form or an import row says about a party; optional fields may be empty."""

    kind: PartyKind
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    siren: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str = "FR"
    email: str | None = None
    email_alt: str | None = None
    phone: str | None = None
    phone_alt: str | None = None
    iban: str | None = None
    bic: str | None = None
    written_contact_only: bool = False
    representative_name: str | None = None
    representative_role: str | None = None

    @property
    def display_name(self) -> str:
        if self.kind == PartyKind.COMPANY:
            return self.company_name or ""
        # "NOM Prénom", the usual French way of filing a person.
        return f"{(self.last_name or '').upper()} {self.first_name or ''}".strip()


@dataclass(frozen=True)
class PartySummary:
    id: int
    kind: PartyKind
    display_name: str
    siren: str | None
    postcode: str | None
    city: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class PartyMatch:
    """An existing party that looks like the one being created, and why."""

    party: PartySummary
    reasons: tuple[str, ...]
    open_case_references: tuple[str, ...] = field(default=())


class DuplicateDebtor(CaseError):
    """The new debtor looks like existing ones; the user opens one or confirms."""

    def __init__(self, matches: list[PartyMatch]) -> None:
        names = ", ".join(m.party.display_name for m in matches[:3])
        super().__init__(
            f"Un débiteur semblable existe déjà ({names}) : ouvrez le dossier existant "
            "ou confirmez la création.",
            field="debtor",
        )
        self.matches = matches


def summary_of(party: Party) -> PartySummary:
    assert party.id is not None
    return PartySummary(
        id=party.id,
        kind=PartyKind(party.kind),
        display_name=party.display_name,
        siren=party.siren,
        postcode=party.postcode,
        city=party.city,
        email=party.email,
        phone=party.phone,
    )


def _blank(value: str | None) -> str | None:
    """Surrounding spaces go; the text itself is kept exactly as typed."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def validate_party(data: PartyInput, prefix: str = "") -> PartyInput:
    """The input normalised (SIREN compact, phone in E.164, email lower-cased…), or one
    ValidationError holding every invalid field, keyed `prefix + field`."""
    errors = FieldErrors()
    values: dict[str, Any] = {}

    def check(name: str, func: Callable[[str, str], Any]) -> None:
        raw = _blank(getattr(data, name))
        values[name] = None if raw is None else errors.check(func, raw, prefix + name)

    try:
        kind = PartyKind(data.kind)
    except ValueError:
        raise ValidationError({prefix + "kind": "Type de partie inconnu."}) from None
    for name in ("first_name", "last_name", "company_name", "address_line1", "address_line2"):
        values[name] = _blank(getattr(data, name))
    values["city"] = _blank(data.city)
    country = (_blank(data.country) or "FR").upper()
    if len(country) != 2 or not country.isalpha():
        errors[prefix + "country"] = "Code pays invalide (deux lettres, ex. FR)."
        country = "FR"
    values["country"] = country

    if kind == PartyKind.COMPANY:
        if not values["company_name"]:
            errors[prefix + "company_name"] = "La raison sociale est obligatoire."
        elif len(values["company_name"]) > COMPANY_NAME_MAX:
            errors[prefix + "company_name"] = (
                f"Raison sociale trop longue ({COMPANY_NAME_MAX} caractères au plus)."
            )
    else:
        if not values["last_name"]:
            errors[prefix + "last_name"] = "Le nom est obligatoire."
        for name in ("first_name", "last_name"):
            if values[name] and len(values[name]) > NAME_MAX:
                errors[prefix + name] = f"Trop long ({NAME_MAX} caractères au plus)."

    for name, limit in (
        ("representative_name", REPRESENTATIVE_MAX),
        ("representative_role", ROLE_MAX),
    ):
        values[name] = _blank(getattr(data, name))
        if values[name] and len(values[name]) > limit:
            errors[prefix + name] = f"Trop long ({limit} caractères au plus)."
    if values["representative_role"] and not values["representative_name"]:
        errors[prefix + "representative_name"] = "Indiquez le nom du représentant de cette qualité."

    check("siren", lambda v, f: normalize_siren(v, f))
    check("siret", lambda v, f: normalize_siret(v, f))
    check("vat_number", lambda v, f: normalize_vat(v, f))
    check("postcode", lambda v, f: normalize_postcode(v, f, country))
    check("email", lambda v, f: normalize_email(v, f))
    check("email_alt", lambda v, f: normalize_email(v, f))
    check("phone", lambda v, f: normalize_phone(v, f))
    check("phone_alt", lambda v, f: normalize_phone(v, f))
    check("iban", lambda v, f: normalize_iban(v, f))
    check("bic", lambda v, f: normalize_bic(v, f))
    if values.get("siret") and not values.get("siren") and prefix + "siret" not in errors:
        values["siren"] = values["siret"][:9]
    if values.get("siret") and values.get("siren"):
        errors.check(check_siret_matches_siren, values["siret"], values["siren"], prefix + "siret")
    errors.raise_if_any()
    return replace(data, kind=kind, written_contact_only=bool(data.written_contact_only), **values)


def find_duplicates(
    session: Session | None, party: PartyInput, exclude_id: int | None = None
) -> list[PartyMatch]:
    """Existing parties with the same SIREN, email or phone, or the same name and postcode.

    `party` should be validated (normalised) first. Each condition hits an indexed column.
    """
    if session is None:
        with read_session() as own:
            return find_duplicates(own, party, exclude_id)
    conditions: list[Any] = []
    if party.siren:
        conditions.append(Party.siren == party.siren)
    if party.email:
        conditions.append(Party.email == party.email)
    if party.phone:
        conditions.append(Party.phone == party.phone)
    if not conditions and not party.postcode:
        return []
    found: list[Party] = []
    if conditions:
        query = select(Party).where(or_(*conditions))
        if exclude_id is not None:
            query = query.where(Party.id != exclude_id)
        found = list(session.exec(query.order_by(col(Party.id)).limit(20)).all())
    if party.postcode and party.display_name:
        # Names are compared in Python: SQLite's lower() leaves É, Â… as they are.
        name = party.display_name.casefold()
        seen = {p.id for p in found}
        same_place = session.exec(
            select(Party).where(Party.postcode == party.postcode).order_by(col(Party.id))
        ).all()
        found += [
            p
            for p in same_place
            if p.id not in seen and p.id != exclude_id and p.display_name.casefold() == name
        ][:20]
    if not found:
        return []
    ids = [p.id for p in found]
    open_refs: dict[int, list[str]] = {}
    for debtor_id, reference in session.exec(
        select(Case.debtor_id, Case.reference)
        .where(col(Case.debtor_id).in_(ids), Case.phase != Phase.CLOSED)
        .order_by(col(Case.id))
    ).all():
        open_refs.setdefault(debtor_id, []).append(reference)
    matches = []
    for p in found:
        reasons = []
        if party.siren and p.siren == party.siren:
            reasons.append("même SIREN")
        if party.email and p.email == party.email:
            reasons.append("même e-mail")
        if party.phone and p.phone == party.phone:
            reasons.append("même téléphone")
        if (
            party.postcode
            and p.postcode == party.postcode
            and p.display_name.casefold() == party.display_name.casefold()
        ):
            reasons.append("même nom et code postal")
        assert p.id is not None
        matches.append(PartyMatch(summary_of(p), tuple(reasons), tuple(open_refs.get(p.id, []))))
    return matches


def search_parties(
    actor: Actor,
    text: str,
    kind: PartyKind | None = None,
    limit: int = 20,
    *,
    creditors_only: bool = False,
) -> list[PartySummary]:
    """Parties whose name starts or contains `text`, or whose SIREN/email/phone starts with it.

    `creditors_only`: parties that are creditor of a case, or debtor of none (a creditor
    created on its own has no case yet); a debtor never shows up as a creditor choice.
    """
    require(actor, Perm.CASES_READ)
    # A search is only read: a character that cannot be stored cannot be found either.
    text = without_forbidden(text or "")
    needle = text.strip().lower()
    with read_session() as session:
        query = select(Party)
        if needle:
            digits = needle.replace(" ", "")
            typed = " ".join(text.split())
            # SQLite's lower() ignores accented capitals: also match the text as typed and
            # in capitals (person names are filed "NOM Prénom").
            # autoescape: a « % » or « _ » typed is a character, not a LIKE wildcard.
            conditions: list[Any] = [
                func.lower(Party.display_name).contains(needle, autoescape=True),
                col(Party.display_name).contains(typed, autoescape=True),
                col(Party.display_name).contains(typed.upper(), autoescape=True),
            ]
            if digits.isdigit():
                conditions.append(col(Party.siren).startswith(digits[:9]))
                if digits.startswith("0"):
                    conditions.append(col(Party.phone).startswith("+33" + digits[1:]))
            if "@" in needle:
                conditions.append(col(Party.email).startswith(needle, autoescape=True))
            query = query.where(or_(*conditions))
        if kind is not None:
            query = query.where(Party.kind == kind)
        if creditors_only:
            query = query.where(
                or_(
                    exists().where(col(Case.creditor_id) == col(Party.id)),
                    ~exists().where(col(Case.debtor_id) == col(Party.id)),
                )
            )
        rows = session.exec(query.order_by(col(Party.display_name)).limit(limit)).all()
        return [summary_of(p) for p in rows]


def search_creditors(actor: Actor, text: str, limit: int = 30) -> list[PartySummary]:
    """Creditor choices (import, new case) matching a name or SIREN; see search_parties."""
    return search_parties(actor, text, limit=limit, creditors_only=True)


def representative_of(party: Party) -> str:
    """« Claire Martin, gérante » (or the name alone): who acts for the party, as typed."""
    name = party.representative_name or ""
    if name and party.representative_role:
        return f"{name}, {party.representative_role}"
    return name


def get_party(session: Session, party_id: int, field_name: str = "party") -> Party:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"Partie introuvable (n° {party_id}).", field=field_name)
    return party


def create_party(session: Session, actor: Actor, data: PartyInput) -> Party:
    """Insert a party in the caller's transaction (validated again here) and audit it."""
    require(actor, Perm.CASES_CREATE)
    party = new_party(data)
    session.add(party)
    session.flush()
    current(session).name(party, "party.create")
    return party


def new_party(data: PartyInput) -> Party:
    """The party row for `data`, validated again here, not yet added to any session."""
    return Party(**party_values(validate_party(data)))


def party_values(valid: PartyInput) -> dict[str, Any]:
    """The columns of a new party for `valid`, an output of validate_party (a bulk import
    inserts these values as they are, many parties in one INSERT)."""
    return {
        "kind": valid.kind,
        "display_name": valid.display_name,
        "first_name": valid.first_name,
        "last_name": valid.last_name,
        "company_name": valid.company_name,
        "siren": valid.siren,
        "siret": valid.siret,
        "vat_number": valid.vat_number,
        "address_line1": valid.address_line1,
        "address_line2": valid.address_line2,
        "postcode": valid.postcode,
        "city": valid.city,
        "country": valid.country,
        "email": valid.email,
        "email_alt": valid.email_alt,
        "phone": valid.phone,
        "phone_alt": valid.phone_alt,
        "iban": valid.iban,
        "bic": valid.bic,
        "written_contact_only": valid.written_contact_only,
        "representative_name": valid.representative_name,
        "representative_role": valid.representative_role,
        # Kept in step by a flush listener for ORM writes; a bulk INSERT sets it here.
        "iban_digest": iban_digest(valid.iban),
    }


def add_party(actor: Actor, data: PartyInput) -> PartySummary:
    """Create a party on its own (e.g. a new creditor), in its own transaction."""
    with change(actor, Perm.CASES_CREATE, "party.create") as uow:
        party = create_party(uow.session, actor, data)
    return summary_of(party)
