"""When the clocks start: the formal notice's first presentation (the receipt back), and per
claim the completion of the work or service and the capitalisation of interest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from case_core.cases.change import change_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, parse_date
from case_core.kernel.db import read_session
from case_core.kernel.errors import NotFound, ValidationError
from case_core.kernel.permissions import Perm
from case_core.models import Claim


def record_notice_presentation(
    actor: Actor,
    reference: str,
    presented_on: date | str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> date:
    """Record the day the formal notice was first presented (the receipt of the registered
    letter): legal interest runs from it instead of from the sending date."""
    day = parse_date(presented_on, "presented_on")
    with change_case(
        actor,
        Perm.CASES_EDIT,
        reference,
        "case.notice_presented",
        expected_version=expected_version,
        today=today,
    ) as work:
        case = work.case
        sent = case.formal_notice_date
        if sent is None:
            raise ValidationError(
                {"presented_on": "Aucune mise en demeure envoyée dans ce dossier."}
            )
        if day < sent:
            raise ValidationError(
                {
                    "presented_on": "La première présentation ne peut précéder l'envoi "
                    f"de la mise en demeure ({format_date(sent)})."
                }
            )
        if day > work.today:
            raise ValidationError(
                {"presented_on": "La date de première présentation ne peut être future."}
            )
        case.formal_notice_presented_on = day
        work.add(case)
    return day


@dataclass(frozen=True)
class ClaimClocks:
    claim_id: int
    invoice_number: str
    service_completed_on: date | None
    capitalise_interest: bool


def set_claim_clocks(
    actor: Actor,
    claim_id: int,
    service_completed_on: date | str | None,
    capitalise_interest: bool,
    *,
    today: date | None = None,
) -> ClaimClocks:
    """The completion of the work or service (start of the two-year limitation of L218-2)
    and whether interest due for a whole year is capitalised (Code civil 1343-2: only when
    a contract or a judgment provides for it)."""
    done = (
        parse_date(service_completed_on, "service_completed_on") if service_completed_on else None
    )
    with read_session() as session:
        case_id = session.exec(select(Claim.case_id).where(Claim.id == claim_id)).first()
    if case_id is None:
        raise NotFound("Facture introuvable.")
    with change_case(
        actor, Perm.CASES_EDIT, None, "claim.clocks", case_id=case_id, today=today
    ) as work:
        claim = work.session.get(Claim, claim_id)
        assert claim is not None
        if done is not None and done > work.today:
            raise ValidationError(
                {"service_completed_on": "La date d'achèvement ne peut être future."}
            )
        claim.service_completed_on = done
        claim.capitalise_interest = capitalise_interest
        work.add(claim)
    return ClaimClocks(claim_id, claim.invoice_number, done, capitalise_interest)
