"""Demo mediations in every state, written through the real services (after the bulk
demo cases): scheduled, held and adjourned, to write up, agreement with a signed plan,
failed, party absent, an internal meeting. Session notes are filled in (confidential)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from case_core.kernel.actor import Actor
from case_core.kernel.db import read_session
from case_core.kernel.errors import CaseError
from case_core.mediation import agreements, documents, service
from case_core.models import (
    Case,
    Frequency,
    Mediation,
    MediationKind,
    MediationOutcome,
    MediationSide,
    ParticipantRole,
    Phase,
    Rate,
    Role,
    SessionMode,
    SignatureMode,
    User,
)

MAX_DEMO_MEDIATIONS = 40
NOTES = [
    "Le débiteur explique la baisse de son activité depuis l'été ; il souhaite étaler.",
    "Échanges tendus au début, puis reconnaissance de la dette en principal.",
    "Le débiteur conteste la qualité d'une livraison ; le créancier propose un geste.",
    "Difficultés de trésorerie liées au retard de paiement d'un de ses propres clients.",
]
REASONS = [
    "Trésorerie tendue, un client important paie en retard",
    "Contestation partielle d'une prestation",
    "Perte d'emploi et charges familiales",
]


def _last_rated_day(today: date) -> date:
    """The last day every rate kind covers: statements (and plans) stop before a gap."""
    with read_session() as session:
        ends = session.exec(select(func.max(Rate.period_end)).group_by(col(Rate.kind))).all()
    return min([today, *[e for e in ends if e is not None]])


def _mediator(session_user: User) -> Actor:
    return Actor(session_user.id, session_user.email, session_user.full_name, Role.MEDIATOR)


def add_demo_mediations(today: date, seed: int = 2026) -> int:
    """Mediations on the demo cases in phase « Médiation » (or any open case if there are
    too few), cycling through every state; returns how many were created."""
    rng = random.Random(seed)
    with read_session() as session:
        user = session.exec(select(User).where(User.role == Role.MEDIATOR)).first()
        if user is None:
            return 0
        taken = select(Mediation.case_id)
        cases = session.exec(
            select(Case.reference)
            .where(col(Case.phase) == Phase.MEDIATION, col(Case.id).not_in(taken))
            .order_by(col(Case.id))
            .limit(MAX_DEMO_MEDIATIONS)
        ).all()
        if len(cases) < len(STATES):
            cases += session.exec(
                select(Case.reference)
                .where(
                    col(Case.phase).in_([Phase.AMIABLE, Phase.PRE_CONTENTIEUX]),
                    col(Case.id).not_in(taken),
                )
                .order_by(col(Case.id))
                .limit(len(STATES) - len(cases))
            ).all()
    mediator = _mediator(user)
    anchor = _last_rated_day(today)
    created = 0
    for i, reference in enumerate(cases):
        try:
            STATES[i % len(STATES)](mediator, reference, today, anchor, rng)
            created += 1
        except CaseError:
            continue  # a case the demo cannot mediate (e.g. a missing rate): skip it
    return created


def _open(
    mediator: Actor,
    reference: str,
    agreed_on: date,
    kind: MediationKind = MediationKind.CONVENTIONAL,
) -> int:
    return service.open_mediation(
        mediator,
        reference,
        service.MediationInput(
            kind=kind,
            mediator_user_id=mediator.id if kind != MediationKind.INTERNAL else None,
            subject="Factures impayées",
            court_name="Tribunal judiciaire de Lyon" if kind == MediationKind.JUDICIAL else None,
            court_reference="26/01234" if kind == MediationKind.JUDICIAL else None,
            agreed_on=agreed_on,
            creditor_consent_on=agreed_on,
            debtor_consent_on=agreed_on,
            creditor_confidentiality_ack=True,
            debtor_confidentiality_ack=True,
        ),
        today=max(agreed_on, date.today()),
    ).id


def _session(mediator: Actor, mediation_id: int, day: date, hour: int = 10) -> int:
    mode = SessionMode.IN_PERSON if day.day % 2 else SessionMode.VIDEO
    return service.plan_session(
        mediator,
        mediation_id,
        service.SessionPlan(
            service.paris_instant(day, hour),
            mode,
            "Maison de la médiation, 12 rue de la République, Lyon"
            if mode == SessionMode.IN_PERSON
            else None,
        ),
    ).id


def _write_up(
    mediator: Actor,
    session_id: int,
    outcome: MediationOutcome,
    rng: random.Random,
    proposals: list[service.ProposalInput] | None = None,
    debtor_present: bool = True,
) -> None:
    service.write_up_session(
        mediator,
        session_id,
        service.SessionReport(
            outcome=outcome,
            participants=[
                service.ParticipantInput(ParticipantRole.CREDITOR_REP, "Claire Recouvrement", True),
                service.ParticipantInput(ParticipantRole.DEBTOR, "Le débiteur", debtor_present),
            ],
            creditor_position="Paiement du principal, intérêts négociables",
            debtor_position="Demande un étalement sur plusieurs mois" if debtor_present else None,
            nonpayment_reasons=rng.choice(REASONS) if debtor_present else None,
            notes=rng.choice(NOTES) if debtor_present else "Débiteur absent, non excusé.",
            proposals=proposals or [],
            next_step="Nouvelle séance" if outcome == MediationOutcome.ADJOURNED else None,
        ),
        now=datetime.now(UTC),
    )


def _end(mediator: Actor, mediation_id: int, day: date, outcome: MediationOutcome) -> None:
    service.end_mediation(
        mediator,
        mediation_id,
        ended_on=day,
        ended_by=MediationSide.MEDIATOR,
        outcome=outcome,
        today=max(day, date.today()),
    )


def _scheduled(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, today - timedelta(days=5))
    _session(mediator, mediation_id, today + timedelta(days=7))


def _held(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, today - timedelta(days=30), MediationKind.JUDICIAL)
    _write_up(
        mediator,
        _session(mediator, mediation_id, today - timedelta(days=8)),
        MediationOutcome.ADJOURNED,
        rng,
    )
    _session(mediator, mediation_id, today + timedelta(days=14), 14)


def _to_write_up(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, today - timedelta(days=20), MediationKind.CONCILIATION)
    _session(mediator, mediation_id, today - timedelta(days=2))


def _agreement(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, anchor - timedelta(days=60))
    _write_up(
        mediator,
        _session(mediator, mediation_id, anchor - timedelta(days=45)),
        MediationOutcome.ADJOURNED,
        rng,
    )
    basis = anchor - timedelta(days=30)
    total = agreements.plan_total_cents(mediator, ref, basis, True, True)
    offer = service.ProposalInput(
        made_by=MediationSide.DEBTOR,
        amount_cents=max(1, total * 6 // 10),
        instalment_count=12,
        frequency=Frequency.MONTHLY,
        first_due_date=basis + timedelta(days=15),
        waive_interest=True,
        waive_indemnity=True,
    )
    accepted = service.ProposalInput(
        made_by=MediationSide.MEDIATOR,
        amount_cents=total,
        instalment_count=6,
        frequency=Frequency.MONTHLY,
        first_due_date=basis + timedelta(days=15),
        waive_interest=True,
        waive_indemnity=True,
        accepted=True,
    )
    _write_up(
        mediator,
        _session(mediator, mediation_id, basis),
        MediationOutcome.AGREEMENT,
        rng,
        [offer, accepted],
    )
    saved = agreements.record_agreement(mediator, mediation_id, basis_date=basis)
    agreements.sign_agreement(
        mediator,
        saved.id,
        agreements.Signatures(
            "Claire Recouvrement",
            basis + timedelta(days=2),
            "Le débiteur",
            basis + timedelta(days=3),
            SignatureMode.ELECTRONIC,
        ),
        today=max(basis + timedelta(days=3), date.today()),
    )
    documents.generate_protocol(mediator, mediation_id, at=basis)
    _end(mediator, mediation_id, basis + timedelta(days=3), MediationOutcome.AGREEMENT)


def _failed(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, today - timedelta(days=60))
    _write_up(
        mediator,
        _session(mediator, mediation_id, today - timedelta(days=40)),
        MediationOutcome.FAILURE,
        rng,
        [
            service.ProposalInput(MediationSide.DEBTOR, 100_00, 10, Frequency.MONTHLY, today),
        ],
    )
    _end(mediator, mediation_id, today - timedelta(days=39), MediationOutcome.FAILURE)
    documents.generate_failure_record(mediator, mediation_id)


def _absent(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, today - timedelta(days=50))
    _write_up(
        mediator,
        _session(mediator, mediation_id, today - timedelta(days=21)),
        MediationOutcome.PARTY_ABSENT,
        rng,
        debtor_present=False,
    )
    _end(mediator, mediation_id, today - timedelta(days=20), MediationOutcome.PARTY_ABSENT)
    documents.generate_failure_record(mediator, mediation_id)


def _internal(mediator: Actor, ref: str, today: date, anchor: date, rng: random.Random) -> None:
    mediation_id = _open(mediator, ref, today - timedelta(days=25), MediationKind.INTERNAL)
    _write_up(
        mediator,
        _session(mediator, mediation_id, today - timedelta(days=24)),
        MediationOutcome.FAILURE,
        rng,
    )
    _end(mediator, mediation_id, today - timedelta(days=24), MediationOutcome.FAILURE)


STATES: list[Callable[[Actor, str, date, date, random.Random], None]] = [
    _scheduled,
    _held,
    _agreement,
    _failed,
    _absent,
    _to_write_up,
    _internal,
]
