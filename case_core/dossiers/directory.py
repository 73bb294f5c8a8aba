"""The directory of recipients: commissaires de justice and avocats cases are handed to.

Managers keep it (Perm.DOSSIERS_GENERATE); every write goes through the unit of work. A
recipient is deactivated, never deleted: past referrals keep naming them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound
from case_core.kernel.paging import page_count
from case_core.kernel.permissions import Perm, require
from case_core.kernel.phones import format_phone, normalize_phone
from case_core.kernel.text import without_forbidden
from case_core.kernel.unit_of_work import change
from case_core.kernel.validation import FieldErrors, normalize_email, normalize_postcode
from case_core.models import RecipientKind, ReferralRecipient

PAGE_SIZE = 25
MISSING = "Destinataire introuvable (n° {id})."
STALE_NOUN = "Ce destinataire"


@dataclass(frozen=True)
class RecipientInput:
    kind: RecipientKind | str
    name: str
    office: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    postcode: str | None = None
    city: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class RecipientView:
    id: int
    kind: RecipientKind
    name: str
    office: str | None
    address_line1: str | None
    address_line2: str | None
    postcode: str | None
    city: str | None
    email: str | None
    phone: str | None
    active: bool
    version: int

    @property
    def address(self) -> str:
        town = f"{self.postcode or ''} {self.city or ''}".strip()
        lines = [self.address_line1, self.address_line2, town]
        return ", ".join(line.strip() for line in lines if line and line.strip())

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def label(self) -> str:
        office = f" — {self.office}" if self.office else ""
        return f"{self.name}{office} ({self.kind.label.lower()})"


@dataclass(frozen=True)
class RecipientPage:
    rows: list[RecipientView]
    total: int
    page: int  # from 0
    page_size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)


def view_of(r: ReferralRecipient) -> RecipientView:
    assert r.id is not None
    return RecipientView(
        id=r.id,
        kind=RecipientKind(r.kind),
        name=r.name,
        office=r.office,
        address_line1=r.address_line1,
        address_line2=r.address_line2,
        postcode=r.postcode,
        city=r.city,
        email=r.email,
        phone=r.phone,
        active=r.active,
        version=r.version,
    )


_LIMITS = {
    "name": (200, "Nom"),
    "office": (300, "Étude ou cabinet"),
    "address_line1": (300, "Adresse"),
    "address_line2": (300, "Complément d'adresse"),
    "city": (150, "Ville"),
}


def _text(value: str | None) -> str | None:
    # Single spaces within the line, nothing around it: names are compared and printed.
    return " ".join((value or "").split()) or None


def clean_input(data: RecipientInput) -> dict[str, object]:
    """The row's values, or a ValidationError naming every bad field in French."""
    errors = FieldErrors()
    values: dict[str, object] = {}
    try:
        values["kind"] = RecipientKind(data.kind)
    except ValueError:
        errors["kind"] = "Choisissez « Commissaire de justice » ou « Avocat »."
    for name, (limit, label) in _LIMITS.items():
        text = _text(getattr(data, name))
        if text and len(text) > limit:
            errors[name] = f"{label} : {limit} caractères au plus."
        values[name] = text
    if not values.get("name"):
        errors["name"] = "Le nom du destinataire est obligatoire."
    checks: list[tuple[str, Callable[[str], str]]] = [
        ("email", lambda v: normalize_email(v, "email")),
        ("phone", lambda v: normalize_phone(v, "phone")),
        ("postcode", lambda v: normalize_postcode(v, "postcode")),
    ]
    for name, check in checks:
        raw = (getattr(data, name) or "").strip()
        values[name] = errors.check(check, raw) if raw else None
    errors.raise_if_any()
    return values


def create_recipient(actor: Actor, data: RecipientInput) -> RecipientView:
    values = clean_input(data)
    with change(actor, Perm.DOSSIERS_GENERATE, "recipient.create") as uow:
        row = uow.add(ReferralRecipient(**values, updated_by_id=actor.id))  # type: ignore[arg-type]
        uow.session.flush()
        return view_of(row)


def update_recipient(
    actor: Actor, recipient_id: int, data: RecipientInput, expected_version: int
) -> RecipientView:
    values = clean_input(data)
    with change(actor, Perm.DOSSIERS_GENERATE, "recipient.update") as uow:
        row = uow.lock(
            ReferralRecipient,
            recipient_id,
            expected_version,
            missing=MISSING.format(id=recipient_id),
            stale=STALE_NOUN,
        )
        for name, value in values.items():
            setattr(row, name, value)
        uow.session.flush()
    return get_recipient(actor, recipient_id)


def set_recipient_active(
    actor: Actor, recipient_id: int, active: bool, expected_version: int
) -> RecipientView:
    action = "recipient.activate" if active else "recipient.deactivate"
    with change(actor, Perm.DOSSIERS_GENERATE, action) as uow:
        row = uow.lock(
            ReferralRecipient,
            recipient_id,
            expected_version,
            missing=MISSING.format(id=recipient_id),
            stale=STALE_NOUN,
        )
        row.active = active
    return get_recipient(actor, recipient_id)


def load_recipient(session: Session, recipient_id: int) -> ReferralRecipient:
    row = session.get(ReferralRecipient, recipient_id)
    if row is None:
        raise NotFound(MISSING.format(id=recipient_id))
    return row


def get_recipient(actor: Actor, recipient_id: int) -> RecipientView:
    require(actor, Perm.CASES_READ)
    with read_session() as session:
        return view_of(load_recipient(session, recipient_id))


def list_recipients(
    actor: Actor,
    *,
    kind: RecipientKind | None = None,
    search: str | None = None,
    include_inactive: bool = False,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> RecipientPage:
    """One page of the directory, filtered and counted in SQL, sorted by name."""
    require(actor, Perm.CASES_READ)
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(col(ReferralRecipient.kind) == RecipientKind(kind))
    if not include_inactive:
        conditions.append(col(ReferralRecipient.active).is_(True))
    needle = without_forbidden(search or "").strip().lower()
    if needle:
        like = f"%{needle.replace('%', '').replace('_', '')}%"
        conditions.append(
            or_(
                func.lower(ReferralRecipient.name).like(like),
                func.lower(func.coalesce(ReferralRecipient.office, "")).like(like),
                func.lower(func.coalesce(ReferralRecipient.city, "")).like(like),
            )
        )
    page = max(page, 0)
    with read_session() as session:
        total = session.exec(
            select(func.count()).select_from(ReferralRecipient).where(*conditions)
        ).one()
        rows = session.exec(
            select(ReferralRecipient)
            .where(*conditions)
            .order_by(col(ReferralRecipient.name), col(ReferralRecipient.id))
            .offset(page * page_size)
            .limit(page_size)
        ).all()
        return RecipientPage([view_of(r) for r in rows], int(total), page, page_size)


def recipient_choices(actor: Actor, kind: RecipientKind | None = None) -> list[RecipientView]:
    """Active recipients for a picker (the directory of one team stays small)."""
    return list_recipients(actor, kind=kind, page_size=500).rows
