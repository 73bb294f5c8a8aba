"""Encrypting the bank details already stored, when asked (`casedesk privacy
encrypt-bank-details`): setting CASEDESK_DATA_KEY encrypts what is written from then on;
the rows from before stay plain until this runs (models.sealed)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, String, and_, func, or_, type_coerce
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, select

from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import ValidationError
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.models import Party
from case_core.models.sealed import DATA_KEY_ENV, PREFIX, data_key, iban_digest


def _plain(column: str | None) -> ColumnElement[bool]:
    # The column as stored, compared as a plain string: the pattern must not be encrypted.
    stored = type_coerce(col(column), String)
    return and_(stored.is_not(None), ~stored.like(f"{PREFIX}%"))


def _needs_sealing() -> ColumnElement[bool]:
    return or_(_plain(Party.iban), _plain(Party.bic))


def plain_bank_details(actor: Actor) -> int:
    """How many people have bank details stored plain."""
    require(actor, Perm.USERS_MANAGE)
    with read_session() as session:
        return int(session.exec(select(func.count()).where(_needs_sealing())).one())


def encrypt_bank_details(
    actor: Actor, batch: int = 200, progress: Callable[[int], None] | None = None
) -> int:
    """Rewrite every plain IBAN and BIC encrypted with the data key, by batches (each its
    own write, audited with its count, never the values). Returns how many people."""
    require(actor, Perm.USERS_MANAGE)
    if data_key() is None:
        raise ValidationError(
            {"key": f"Définissez {DATA_KEY_ENV} avant de chiffrer les coordonnées bancaires."}
        )
    done, last_id = 0, 0
    while True:
        with change(actor, Perm.USERS_MANAGE, "privacy.encrypt_bank_details") as uow:
            parties = uow.session.exec(
                select(Party)
                .where(_needs_sealing(), col(Party.id) > last_id)
                .order_by(col(Party.id))
                .limit(batch)
                .with_for_update()
            ).all()
            for party in parties:
                # Same value, written again: the column type encrypts it on the way in.
                flag_modified(party, "iban")
                flag_modified(party, "bic")
                party.iban_digest = iban_digest(party.iban)
                uow.add(party)
                uow.silence(party)
            if parties:
                uow.event(
                    audit.PendingEvent(
                        "privacy.encrypt_bank_details",
                        "party",
                        None,
                        {"personnes": {"before": None, "after": len(parties)}},
                    )
                )
        if not parties:
            return done
        done += len(parties)
        last_id = int(parties[-1].id or 0)
        if progress is not None:
            progress(len(parties))
