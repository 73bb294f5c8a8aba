"""Everything the dossier says about a case, read through one session, and the template
context built from it.

The context (every value already formatted the French way, text as typed):
- dossier: date, at (the statement's date); sender: name, address, signatory
- case: reference; claimed: total, explanation, excluded (time-barred invoices left out)
- recipient: kind, name, office, address, email, phone, reference
- creditor / debtor: name, kind, siren, siret, vat, address, representative, phones, emails,
  bank; debtor also debtor_kind, contact_note
- invoices[]: number, issue_date, due_date, principal, paid, balance, description
- statement: at, claims[] (number, regime, interest_from, principal, interest, indemnity,
  paid, balance), interest_lines[] (number, start, end, days, base, rate, amount, basis),
  payments[] (date, amount, reference, imputations), costs[] (date, label, borne_by, amount,
  paid), totals (principal, principal_paid, interest, interest_paid, indemnity,
  indemnity_paid, debtor_costs, payments, surplus, balance, creditor_costs)
- formal_notice: text; chronology[]: date, kind, text
- mediations[]: kind, third_party, dates, outcome, exhibit
- limitation: rule, claims[] (number, due_date, limitation_date, status), acknowledgements,
  suspensions, note
- route: label, court, cerfa, amount, reasons, check_750_1, alternatives, warnings
- exhibits[]: number, title, filename
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from case_core.dossiers import chronology as chrono
from case_core.dossiers.exhibits import Exhibit, select_exhibits
from case_core.dossiers.route import PriorAttempt, Recommendation, RouteFacts, recommend
from case_core.dossiers.sections import (
    formal_notice_text,
    join,
    party_context,
    recipient_context,
    statement_context,
)
from case_core.kernel.dates import format_date
from case_core.kernel.money import format_cents
from case_core.kernel.settings import get_setting
from case_core.letters.service import (
    SENDER_ADDRESS,
    SENDER_NAME,
    SIGNATORY,
    time_barred_claims,
)
from case_core.mediation.disclosure import MediationDisclosure, disclosures_for_case
from case_core.models import (
    Case,
    Claim,
    DebtorKind,
    Party,
    PartyKind,
    RecipientKind,
    ReferralRecipient,
)
from case_core.plans.status import PlanState
from case_core.statement.account import load_statement
from case_core.statement.limitation import (
    PaymentMark,
    acknowledging_payment_dates,
    period_years,
)
from case_core.statement.lines import ClaimStatement, Statement


@dataclass(frozen=True)
class DossierOptions:
    """What the user chooses or confirms when generating the dossier."""

    recipient_kind: RecipientKind = RecipientKind.COMMISSAIRE
    recipient_id: int | None = None
    recipient_reference: str | None = None
    at: date | None = None
    include_time_barred: bool = False  # the user confirms claiming time-barred invoices
    protection_matter: bool = False  # consumer credit, residential lease
    small_claims_failed: bool = False
    injunction_opposed: bool = False


@dataclass(frozen=True)
class DossierData:
    reference: str
    at: date
    statement: Statement
    time_barred: list[ClaimStatement]
    excluded: list[ClaimStatement]
    claimed_cents: int
    recommendation: Recommendation
    exhibits: list[Exhibit]
    context: dict[str, Any] = field(repr=False)


def _acknowledgements(
    statement: Statement, plans: list[Any], disclosures: list[MediationDisclosure]
) -> list[tuple[date, str]]:
    marks = [
        PaymentMark(p.payment_id, p.received_on, p.amount_cents, p.reverses_payment_id)
        for p in statement.payments
    ]
    acks = [(d, f"paiement du {format_date(d)}") for d in acknowledging_payment_dates(marks)]
    acks += [
        (p.accepted_on, f"échéancier accepté le {format_date(p.accepted_on)}")
        for p in plans
        if p.accepted_on
    ]
    acks += [
        (m.agreed_on, f"accord signé le {format_date(m.agreed_on)}")
        for m in disclosures
        if m.agreed_on
    ]
    return sorted(a for a in acks if a[0] <= statement.at)


def _suspensions(disclosures: list[MediationDisclosure]) -> str:
    """Mediations by a third party suspend limitation (C. civ. 2238): named, not computed."""
    periods = []
    for m in disclosures:
        if not m.counts_as_prior_attempt:
            continue
        start = m.agreed_on or m.first_session_on
        periods.append(
            f"{m.kind_label} du {format_date(start)}"
            + (f" au {format_date(m.ended_on)}" if m.ended_on else " (en cours)")
        )
    if not periods:
        return ""
    return (
        "Suspension de la prescription pendant la médiation ou la conciliation (C. civ. 2238 ; "
        "au moins six mois restent à courir après sa fin) : " + " ; ".join(periods) + "."
    )


def _prior_attempts(
    disclosures: list[MediationDisclosure], exhibits: list[Exhibit]
) -> tuple[PriorAttempt, ...]:
    number = {x.document_id: x.number for x in exhibits}
    attempts = []
    for m in disclosures:
        if not m.counts_as_prior_attempt or (m.ended_on is None and not m.failed):
            continue
        piece = number.get(m.failure_record_document_id or -1)
        attempts.append(
            PriorAttempt(
                m.kind_label + (f" ({m.third_party})" if m.third_party else ""),
                m.ended_on,
                f"constat en pièce n° {piece}" if piece else None,
            )
        )
    return tuple(attempts)


def build_dossier(
    session: Session, case: Case, options: DossierOptions, today: date
) -> DossierData:
    """Read everything, decide the route, and build the template context."""
    assert case.id is not None
    at = options.at or today
    statement = load_statement(session, case, at)
    creditor = session.get(Party, case.creditor_id)
    debtor = session.get(Party, case.debtor_id)
    assert creditor is not None and debtor is not None
    recipient = (
        session.get(ReferralRecipient, options.recipient_id) if options.recipient_id else None
    )
    claims = {c.id: c for c in session.exec(select(Claim).where(Claim.case_id == case.id)).all()}
    disclosures = disclosures_for_case(session, case.id)
    exhibits = select_exhibits(
        session,
        case.id,
        [c.invoice_number for c in statement.claims],
        [m.failure_record_document_id for m in disclosures],
    )
    plans = chrono.plan_views(session, case, at)
    disputes, open_disputes = chrono.dispute_events(session, case)
    events = chrono.sort_events(
        chrono.journal_events(session, case)
        + chrono.promise_events(session, case, at)
        + chrono.plan_events(plans)
        + disputes
        + chrono.payment_events(statement)
        + chrono.mediation_events(disclosures)
    )
    events = [e for e in events if e.day <= at]

    barred = time_barred_claims(statement, at)
    excluded = [] if options.include_time_barred else barred
    excluded_ids = {c.claim_id for c in excluded}
    claimed = statement.totals.balance_cents - sum(c.balance_cents for c in excluded)
    kept = [c for c in statement.claims if c.claim_id not in excluded_ids and c.is_open]
    acks = _acknowledgements(statement, plans, disclosures)
    broken = [
        f"échéancier accepté le {format_date(p.accepted_on)} puis rompu"
        for p in plans
        if p.accepted_on and p.status in (PlanState.BROKEN, PlanState.ACCELERATED)
    ]
    agreements = [f"accord signé le {format_date(m.agreed_on)}" for m in disclosures if m.agreed_on]
    commercial = (
        DebtorKind(case.debtor_kind) == DebtorKind.PROFESSIONAL
        and PartyKind(debtor.kind) == PartyKind.COMPANY
        and case.creditor_professional
    )
    facts = RouteFacts(
        amount_cents=sum(
            c.principal_outstanding_cents + c.interest_outstanding_cents for c in kept
        ),
        commercial=commercial,
        protection_matter=options.protection_matter,
        open_disputes=open_disputes,
        acknowledgements=tuple(broken + agreements),
        injunction_opposed=options.injunction_opposed,
        small_claims_failed=options.small_claims_failed,
        prior_attempts=_prior_attempts(disclosures, exhibits),
    )
    rec = recommend(facts)
    years = period_years(case.debtor_kind, case.creditor_professional)
    exhibit_of = {x.document_id: x.number for x in exhibits}
    context: dict[str, Any] = {
        "dossier": {"date": format_date(today), "at": format_date(at)},
        "sender": {
            "name": get_setting(SENDER_NAME, session),
            "address": get_setting(SENDER_ADDRESS, session),
            "signatory": get_setting(SIGNATORY, session),
        },
        "case": {"reference": case.reference},
        "claimed": {
            "total": format_cents(claimed),
            "explanation": (
                "solde du décompte"
                if not excluded
                else "solde du décompte, déduction faite des factures prescrites "
                + ", ".join(c.invoice_number for c in excluded)
            ),
            "excluded": ", ".join(
                f"{c.invoice_number} ({format_cents(c.balance_cents)})" for c in excluded
            ),
        },
        "recipient": recipient_context(
            recipient, options.recipient_kind, options.recipient_reference
        ),
        "creditor": party_context(creditor),
        "debtor": {
            **party_context(debtor),
            "debtor_kind": DebtorKind(case.debtor_kind).label,
            "contact_note": "Le débiteur a demandé à n'être contacté que par écrit."
            if debtor.written_contact_only
            else "",
        },
        "invoices": [
            {
                "number": c.invoice_number,
                "issue_date": format_date(c.issue_date),
                "due_date": format_date(c.due_date),
                "principal": format_cents(c.principal_cents),
                "paid": format_cents(c.paid_cents),
                "balance": format_cents(c.balance_cents),
                "description": (claims[c.claim_id].description or "")
                if c.claim_id in claims
                else "",
            }
            for c in statement.claims
        ],
        "statement": statement_context(statement),
        "formal_notice": {"text": formal_notice_text(session, case)},
        "chronology": [
            {"date": format_date(e.day), "kind": e.kind, "text": e.text} for e in events
        ],
        "mediations": [
            {
                "kind": m.kind_label,
                "third_party": m.third_party or "",
                "dates": join(
                    [
                        f"accord de médiation le {format_date(m.agreed_on)}"
                        if m.agreed_on
                        else None,
                        f"première réunion le {format_date(m.first_session_on)}"
                        if m.first_session_on
                        else None,
                        f"dernière réunion le {format_date(m.last_session_on)}"
                        if m.last_session_on
                        else None,
                        f"terminée le {format_date(m.ended_on)}" if m.ended_on else None,
                    ],
                    "\n",
                ),
                "outcome": m.outcome_label or ("échec" if m.failed else "en cours"),
                "exhibit": f"pièce n° {exhibit_of[m.failure_record_document_id]}"
                if m.failure_record_document_id in exhibit_of
                else "",
            }
            for m in disclosures
        ],
        "limitation": {
            "rule": (
                f"Délai de prescription : {years} ans à compter de l'échéance "
                + (
                    "(créance d'un professionnel sur un consommateur, C. consom. L218-2)."
                    if years == 2
                    else "(C. com. L110-4, C. civ. 2224)."
                )
                + " Toute reconnaissance de dette (paiement, échéancier accepté, accord) "
                "l'interrompt (C. civ. 2240)."
            ),
            "claims": [
                {
                    "number": c.invoice_number,
                    "due_date": format_date(c.due_date),
                    "limitation_date": format_date(c.limitation_date),
                    "status": (
                        "soldée"
                        if not c.is_open
                        else (
                            "PRESCRITE — écartée du montant réclamé"
                            if c.claim_id in excluded_ids
                            else "PRESCRITE — maintenue à la demande de l'utilisateur"
                        )
                        if c in barred
                        else "non prescrite"
                    ),
                }
                for c in statement.claims
            ],
            "acknowledgements": ", ".join(text for _d, text in acks) or "aucun",
            "suspensions": _suspensions(disclosures),
            "note": (
                "Une créance prescrite ne peut plus être réclamée en justice."
                if barred
                else "Aucune facture ouverte n'est prescrite à la date du dossier."
            ),
        },
        "route": {
            "label": rec.route.label,
            "court": rec.court_text,
            "cerfa": rec.cerfa or "—",
            "amount": format_cents(facts.amount_cents),
            "reasons": "\n".join(rec.reasons),
            "check_750_1": rec.check_750_1.text,
            "alternatives": "\n".join(rec.alternatives),
            "warnings": "\n".join(rec.warnings),
        },
        "exhibits": [
            {"number": f"{x.number:02d}", "title": x.title, "filename": x.zip_name}
            for x in exhibits
        ],
    }
    return DossierData(
        reference=case.reference,
        at=at,
        statement=statement,
        time_barred=barred,
        excluded=excluded,
        claimed_cents=claimed,
        recommendation=rec,
        exhibits=exhibits,
        context=context,
    )
