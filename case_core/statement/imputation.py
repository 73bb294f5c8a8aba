"""Imputation of payments, pure: which debt each cent of each payment paid.

Default order (Code civil 1342-10 and 1343-1), when the debtor did not choose: recovery
costs borne by the debtor, then the claims — first those due on the payment day; among
them the one the debtor had most interest in paying, i.e. bearing interest or penalties at
the higher rate on that day before one bearing less or none; among equals the oldest (due
date, then issue date); all else equal, proportionally to what each still owes, split
exactly to the cent (largest remainders, ties to the lower claim id). Within a claim, the
fixed indemnity, the interest, then the principal (1343-1).

A payment's explicit choice overrides it: `imputed_claim_id` (the debtor names the
invoice; what is left over follows the default order) and `principal_first` (an agreement
puts principal before interest and costs).

A negative payment (a rejected cheque, a refund) undoes earlier imputations, most recent
first: those of the payment it reverses when it names one. Money with nowhere to go is a
surplus (trop-perçu), so the imputations of a payment always add up to its amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from case_core.models import LabelledEnum, add_labels


class Bucket(LabelledEnum):
    COST = "cost"
    INDEMNITY = "indemnity"
    INTEREST = "interest"
    PRINCIPAL = "principal"
    SURPLUS = "surplus"


add_labels(
    {
        Bucket.COST: "Frais de recouvrement",
        Bucket.INDEMNITY: "Indemnité forfaitaire",
        Bucket.INTEREST: "Intérêts",
        Bucket.PRINCIPAL: "Principal",
        Bucket.SURPLUS: "Trop-perçu",
    }
)


@dataclass(frozen=True)
class Due:
    """What is owed in one bucket at the payment date."""

    bucket: Bucket
    outstanding_cents: int
    claim_id: int | None = None
    cost_id: int | None = None


@dataclass(frozen=True)
class ClaimDues:
    claim_id: int
    due_date: date
    issue_date: date
    indemnity_cents: int
    interest_cents: int
    principal_cents: int
    # Rate of the interest or penalties the claim bears on the payment day (0: none yet).
    rate_bp: int = 0

    def buckets(self, principal_first: bool) -> list[Due]:
        indemnity = Due(Bucket.INDEMNITY, self.indemnity_cents, claim_id=self.claim_id)
        interest = Due(Bucket.INTEREST, self.interest_cents, claim_id=self.claim_id)
        principal = Due(Bucket.PRINCIPAL, self.principal_cents, claim_id=self.claim_id)
        if principal_first:
            return [principal, interest, indemnity]
        return [indemnity, interest, principal]

    @property
    def outstanding_cents(self) -> int:
        return sum(max(d.outstanding_cents, 0) for d in self.buckets(False))


@dataclass(frozen=True)
class ProRata:
    """Claims equal in rate and age (1342-10 in fine): a payment that cannot settle them
    all is shared in proportion to what each owes."""

    claims: tuple[ClaimDues, ...]
    principal_first: bool = False


@dataclass(frozen=True)
class Imputation:
    payment_id: int
    on: date
    bucket: Bucket
    amount_cents: int  # negative when a reversal undoes an earlier imputation
    claim_id: int | None = None
    cost_id: int | None = None


def _rank(claim: ClaimDues, on: date | None) -> tuple[bool, int, date, date]:
    """Code civil 1342-10: due first, then the higher rate, then the oldest."""
    not_due = on is not None and claim.due_date > on
    return (not_due, -claim.rate_bp, claim.due_date, claim.issue_date)


def order_dues(
    costs: list[Due],
    claims: list[ClaimDues],
    imputed_claim_id: int | None = None,
    principal_first: bool = False,
    on: date | None = None,
) -> list[Due | ProRata]:
    """What a payment received on `on` pays, in order: a `Due` is paid in full before the
    next; a `ProRata` shares what is left among equal claims."""
    chosen = [c for c in claims if c.claim_id == imputed_claim_id]
    others = sorted(
        (c for c in claims if c.claim_id != imputed_claim_id),
        key=lambda c: (_rank(c, on), c.claim_id),
    )
    chosen_dues: list[Due | ProRata] = [due for c in chosen for due in c.buckets(principal_first)]
    other_dues: list[Due | ProRata] = []
    for _, equal in groupby(others, key=lambda c: _rank(c, on)):
        group = list(equal)
        if len(group) == 1:
            other_dues.extend(group[0].buckets(principal_first))
        else:
            other_dues.append(ProRata(tuple(group), principal_first))
    if principal_first:
        return chosen_dues + other_dues + list(costs)
    # The invoice the debtor named comes first, then the legal order for what is left.
    return chosen_dues + list(costs) + other_dues


def split_exactly(amount_cents: int, weights: Sequence[tuple[int, int]]) -> dict[int, int]:
    """`amount_cents` shared in proportion to (key, weight) pairs, summing exactly: each
    share rounded down, the cents left given one by one to the largest remainders (ties:
    the lower key)."""
    total = sum(w for _, w in weights)
    if total <= 0:
        raise ValueError("split_exactly() needs a positive total weight")
    shares = {key: amount_cents * w // total for key, w in weights}
    left = amount_cents - sum(shares.values())
    by_remainder = sorted(weights, key=lambda kw: (-(amount_cents * kw[1] % total), kw[0]))
    for key, _ in by_remainder[:left]:
        shares[key] += 1
    return shares


def _spread(
    payment_id: int, on: date, amount_cents: int, dues: Sequence[Due]
) -> tuple[list[Imputation], int]:
    left = amount_cents
    out: list[Imputation] = []
    for due in dues:
        if left == 0:
            break
        take = min(left, due.outstanding_cents)
        if take > 0:
            out.append(Imputation(payment_id, on, due.bucket, take, due.claim_id, due.cost_id))
            left -= take
    return out, left


def allocate(
    payment_id: int, on: date, amount_cents: int, dues: Sequence[Due | ProRata]
) -> list[Imputation]:
    """Spread a positive payment over `dues` in order; the rest is a surplus."""
    if amount_cents <= 0:
        raise ValueError("allocate() takes a positive amount")
    left = amount_cents
    out: list[Imputation] = []
    for item in dues:
        if left == 0:
            break
        if isinstance(item, Due):
            paid, left = _spread(payment_id, on, left, [item])
            out.extend(paid)
            continue
        owed = [(c.claim_id, c.outstanding_cents) for c in item.claims if c.outstanding_cents > 0]
        if not owed:
            continue
        whole = sum(w for _, w in owed)
        shares = dict(owed) if left >= whole else split_exactly(left, owed)
        for claim in item.claims:
            share = shares.get(claim.claim_id, 0)
            paid, rest = _spread(payment_id, on, share, claim.buckets(item.principal_first))
            assert rest == 0  # a share never exceeds what its claim owes
            out.extend(paid)
            left -= share
    if left:
        out.append(Imputation(payment_id, on, Bucket.SURPLUS, left))
    return out


@dataclass
class ImputationLedger:
    """Every imputation so far, with what of each a later reversal may still undo."""

    entries: list[Imputation] = field(default_factory=list)
    _undoable: list[int] = field(default_factory=list)

    def record(self, imputations: list[Imputation]) -> None:
        for imp in imputations:
            self.entries.append(imp)
            self._undoable.append(max(imp.amount_cents, 0))

    def pay(
        self, payment_id: int, on: date, amount_cents: int, dues: Sequence[Due | ProRata]
    ) -> list[Imputation]:
        imputations = allocate(payment_id, on, amount_cents, dues)
        self.record(imputations)
        return imputations

    def reverse(
        self,
        payment_id: int,
        on: date,
        amount_cents: int,
        reverses_payment_id: int | None = None,
    ) -> list[Imputation]:
        """Undo `-amount_cents` (a negative payment) of earlier imputations, latest first."""
        left = -amount_cents
        if left <= 0:
            raise ValueError("reverse() takes a negative amount")
        indexes = list(range(len(self.entries) - 1, -1, -1))
        if reverses_payment_id is not None:
            named = [i for i in indexes if self.entries[i].payment_id == reverses_payment_id]
            named_set = set(named)
            indexes = named + [i for i in indexes if i not in named_set]
        out: list[Imputation] = []
        for i in indexes:
            if left == 0:
                break
            take = min(left, self._undoable[i])
            if take <= 0:
                continue
            self._undoable[i] -= take
            left -= take
            e = self.entries[i]
            out.append(Imputation(payment_id, on, e.bucket, -take, e.claim_id, e.cost_id))
        if left:
            # Money paid out with nothing to undo (a refund beyond any payment): the debtor
            # owes it back, shown as a negative surplus.
            out.append(Imputation(payment_id, on, Bucket.SURPLUS, -left))
        self.entries.extend(out)
        self._undoable.extend(0 for _ in out)
        return out
