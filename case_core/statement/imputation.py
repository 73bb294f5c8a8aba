"""Imputation of payments, pure: which debt each cent of each payment paid.

Default order (Code civil 1342-10 and 1343-1): recovery costs borne by the debtor, then
claim by claim — those due first, then the oldest — the fixed indemnity, the interest,
then the principal. A payment's explicit choice overrides it: `imputed_claim_id` (the
debtor names the invoice; what is left over follows the default order) and
`principal_first` (an agreement puts principal before interest and costs).

A negative payment (a rejected cheque, a refund) undoes earlier imputations, most recent
first: those of the payment it reverses when it names one. Money with nowhere to go is a
surplus (trop-perçu), so the imputations of a payment always add up to its amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from case_core.models.enums import LabelledEnum, add_labels


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

    def buckets(self, principal_first: bool) -> list[Due]:
        indemnity = Due(Bucket.INDEMNITY, self.indemnity_cents, claim_id=self.claim_id)
        interest = Due(Bucket.INTEREST, self.interest_cents, claim_id=self.claim_id)
        principal = Due(Bucket.PRINCIPAL, self.principal_cents, claim_id=self.claim_id)
        if principal_first:
            return [principal, interest, indemnity]
        return [indemnity, interest, principal]


@dataclass(frozen=True)
class Imputation:
    payment_id: int
    on: date
    bucket: Bucket
    amount_cents: int  # negative when a reversal undoes an earlier imputation
    claim_id: int | None = None
    cost_id: int | None = None


def order_dues(
    costs: list[Due],
    claims: list[ClaimDues],
    imputed_claim_id: int | None = None,
    principal_first: bool = False,
) -> list[Due]:
    """The buckets in the order a payment pays them."""
    ordered_claims = sorted(claims, key=lambda c: (c.due_date, c.issue_date, c.claim_id))
    chosen = [c for c in ordered_claims if c.claim_id == imputed_claim_id]
    others = [c for c in ordered_claims if c.claim_id != imputed_claim_id]
    chosen_dues = [due for c in chosen for due in c.buckets(principal_first)]
    other_dues = [due for c in others for due in c.buckets(principal_first)]
    if principal_first:
        return chosen_dues + other_dues + costs
    # The invoice the debtor named comes first, then the legal order for what is left.
    return chosen_dues + costs + other_dues


def allocate(payment_id: int, on: date, amount_cents: int, dues: list[Due]) -> list[Imputation]:
    """Spread a positive payment over `dues` in order; the rest is a surplus."""
    if amount_cents <= 0:
        raise ValueError("allocate() takes a positive amount")
    left = amount_cents
    out: list[Imputation] = []
    for due in dues:
        if left == 0:
            break
        take = min(left, due.outstanding_cents)
        if take > 0:
            out.append(Imputation(payment_id, on, due.bucket, take, due.claim_id, due.cost_id))
            left -= take
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
        self, payment_id: int, on: date, amount_cents: int, dues: list[Due]
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
