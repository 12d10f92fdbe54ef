"""Where the money of a payment goes: bills (oldest first), late fees, the balance (预存).

A payment is funded by what the customer hands over now (cash, bank card, QR; split across them
if they like) plus, when asked, the account balance. The funds pay the chosen bills oldest
period first, each bill's late fee before or after its principal as the local policy says;
what is left goes to the balance. The identity that 对账 relies on always holds:

    from_balance + received = Σ allocations + to_balance,   received = Σ parts = tendered − change

A void (冲正) is the exact mirror of a payment: applied to the account it restores every bill and
the balance to what they were before the payment.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.money import format_fen

METHODS = ("cash", "card", "qr")
NEEDS_REFERENCE = ("card", "qr")
MAX_REFERENCE = 64


def _amount(value: object, field: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(field, f"{what} must be a whole, non-negative number of fen, got {value!r}", code="fen_whole", got=repr(value))
    return value


@dataclass(frozen=True)
class OpenBill:
    """A bill as it stands: what is still owed on it."""

    bill_id: str
    period: str  # yyyy-mm; the oldest period is paid first
    principal_fen: int
    late_fee_fen: int = 0

    def __post_init__(self) -> None:
        _amount(self.principal_fen, "bills", f"the amount owed on {self.bill_id}")
        _amount(self.late_fee_fen, "bills", f"the late fee owed on {self.bill_id}")

    @property
    def owed_fen(self) -> int:
        return self.principal_fen + self.late_fee_fen


@dataclass(frozen=True)
class BillAllocation:
    bill_id: str
    principal_fen: int
    late_fee_fen: int = 0

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.late_fee_fen

    def negated(self) -> "BillAllocation":
        return BillAllocation(self.bill_id, -self.principal_fen, -self.late_fee_fen)


@dataclass(frozen=True)
class AllocationPolicy:
    late_fee_first: bool = True  # within a bill, the late fee is paid before the principal
    allow_partial: bool = True  # the funds may fall short of the chosen bills


@dataclass(frozen=True)
class MethodPart:
    """One method of a payment. For cash, ``tendered_fen`` is what was handed over (None: exact)."""

    method: str
    amount_fen: int
    reference: str = ""
    tendered_fen: int | None = None

    @property
    def change_fen(self) -> int:
        return 0 if self.tendered_fen is None else self.tendered_fen - self.amount_fen

    def negated(self) -> "MethodPart":
        return MethodPart(self.method, -self.amount_fen, self.reference)


@dataclass(frozen=True)
class Payment:
    allocations: tuple[BillAllocation, ...]
    parts: tuple[MethodPart, ...]
    from_balance_fen: int
    to_balance_fen: int
    balance_before_fen: int

    @property
    def received_fen(self) -> int:
        return sum(part.amount_fen for part in self.parts)

    @property
    def tendered_fen(self) -> int:
        return sum(part.amount_fen if part.tendered_fen is None else part.tendered_fen for part in self.parts)

    @property
    def change_fen(self) -> int:
        return sum(part.change_fen for part in self.parts)

    @property
    def allocated_fen(self) -> int:
        return sum(a.total_fen for a in self.allocations)

    @property
    def late_fee_fen(self) -> int:
        return sum(a.late_fee_fen for a in self.allocations)

    @property
    def balance_delta_fen(self) -> int:
        return self.to_balance_fen - self.from_balance_fen

    @property
    def balance_after_fen(self) -> int:
        return self.balance_before_fen + self.balance_delta_fen


@dataclass(frozen=True)
class Reversal:
    """The void of ``reverses``: allocations and parts negated (money handed back per method)."""

    reverses: Payment
    allocations: tuple[BillAllocation, ...]
    parts: tuple[MethodPart, ...]
    balance_delta_fen: int
    balance_before_fen: int

    @property
    def balance_after_fen(self) -> int:
        return self.balance_before_fen + self.balance_delta_fen


def order_bills(bills: Sequence[OpenBill], selected: Collection[str] | None = None) -> list[OpenBill]:
    """The bills to pay, oldest period first; only ``selected`` ids when given."""
    if selected is not None:
        known = {bill.bill_id for bill in bills}
        unknown = sorted(set(selected) - known)
        if unknown:
            raise InvalidInput("bills", f"bill {unknown[0]} is not an open bill of this account", code="bill_not_open")
        bills = [bill for bill in bills if bill.bill_id in selected]
    return sorted(bills, key=lambda bill: (bill.period, bill.bill_id))


def allocate(bills: Sequence[OpenBill], funds_fen: int, policy: AllocationPolicy = AllocationPolicy()) -> tuple[tuple[BillAllocation, ...], int]:
    """Spread ``funds_fen`` over ``bills`` in the order given; returns the allocations and what is left."""
    left = _amount(funds_fen, "amount", "the amount")
    allocations: list[BillAllocation] = []
    for bill in bills:
        first, second = (bill.late_fee_fen, bill.principal_fen) if policy.late_fee_first else (bill.principal_fen, bill.late_fee_fen)
        take_first = min(left, first)
        take_second = min(left - take_first, second)
        left -= take_first + take_second
        fee, principal = (take_first, take_second) if policy.late_fee_first else (take_second, take_first)
        if fee or principal:
            allocations.append(BillAllocation(bill.bill_id, principal, fee))
    return tuple(allocations), left


def check_parts(parts: Sequence[MethodPart]) -> tuple[MethodPart, ...]:
    """Validate the methods of a payment; references are trimmed."""
    checked: list[MethodPart] = []
    for part in parts:
        if part.method not in METHODS:
            raise InvalidInput("method", "cash, card or qr", code="payment_method")
        if isinstance(part.amount_fen, bool) or not isinstance(part.amount_fen, int) or part.amount_fen <= 0:
            raise InvalidInput("amount", f"the {part.method} amount must be more than zero", code="more_than_zero")
        reference = (part.reference or "").strip()
        if part.method in NEEDS_REFERENCE and not reference:
            raise InvalidInput("reference", f"a {part.method} payment needs its reference number", code="reference_needed")
        if len(reference) > MAX_REFERENCE:
            raise InvalidInput("reference", f"at most {MAX_REFERENCE} characters", code="max_chars", n=MAX_REFERENCE)
        if part.tendered_fen is not None:
            if part.method != "cash":
                raise InvalidInput("tendered", "only cash is tendered", code="only_cash_tendered")
            _amount(part.tendered_fen, "tendered", "the cash tendered")
            if part.tendered_fen < part.amount_fen:
                raise InvalidInput("tendered", f"less than the cash due ({format_fen(part.amount_fen)})", code="tendered_short", due=format_fen(part.amount_fen))
        checked.append(replace(part, reference=reference))
    if sum(1 for part in checked if part.method == "cash") > 1:
        raise InvalidInput("method", "one cash part per payment", code="one_cash_part")
    return tuple(checked)


def take_payment(bills: Sequence[OpenBill], parts: Sequence[MethodPart] = (), *, balance_fen: int = 0,
                 use_balance: bool = False, selected: Collection[str] | None = None,
                 policy: AllocationPolicy = AllocationPolicy()) -> Payment:
    """Pay the ``selected`` bills (all open bills when None) with ``parts`` and, if ``use_balance``,
    the balance first. Anything beyond what the bills owe goes to the balance."""
    balance = _amount(balance_fen, "balance", "the balance")
    checked = check_parts(parts)
    chosen = order_bills(bills, selected)
    owed = sum(bill.owed_fen for bill in chosen)
    from_balance = min(balance, owed) if use_balance else 0
    funds = from_balance + sum(part.amount_fen for part in checked)
    if funds == 0:
        raise InvalidInput("amount", "must be more than zero", code="more_than_zero")
    if not policy.allow_partial and funds < owed:
        raise InvalidInput("amount", f"must cover the chosen bills ({format_fen(owed)})", code="amount_below_bills", owed=format_fen(owed))
    allocations, left = allocate(chosen, funds, policy)
    return Payment(allocations, checked, from_balance, left, balance)


def void_payment(payment: Payment, *, balance_fen: int) -> Reversal:
    """The reversal of ``payment`` given the account's balance now; refused when the prepayment
    it added has since been spent (the balance would go below zero)."""
    balance = _amount(balance_fen, "balance", "the balance")
    delta = -payment.balance_delta_fen
    if balance + delta < 0:
        raise NotAllowed(f"the {format_fen(payment.to_balance_fen)} prepaid has since been used; the balance "
                         f"({format_fen(balance)}) cannot give it back", code="prepaid_spent", amount=format_fen(payment.to_balance_fen), balance=format_fen(balance))
    return Reversal(payment, tuple(a.negated() for a in payment.allocations),
                    tuple(part.negated() for part in payment.parts), delta, balance)


def apply_to_account(bills: Sequence[OpenBill], balance_fen: int,
                     movement: Payment | Reversal) -> tuple[tuple[OpenBill, ...], int]:
    """The bills and balance after ``movement``; a payment on a bill no longer owing that much is refused."""
    by_bill = {a.bill_id: a for a in movement.allocations}
    unknown = sorted(set(by_bill) - {bill.bill_id for bill in bills})
    if unknown:
        raise InvalidInput("bills", f"bill {unknown[0]} is not a bill of this account", code="bill_not_of_account")
    after: list[OpenBill] = []
    for bill in bills:
        move = by_bill.get(bill.bill_id)
        if move is None:
            after.append(bill)
            continue
        principal, fee = bill.principal_fen - move.principal_fen, bill.late_fee_fen - move.late_fee_fen
        if principal < 0 or fee < 0:
            raise NotAllowed(f"bill {bill.period} no longer owes that much; it may have been paid at another window", code="bill_owes_less", period=bill.period)
        after.append(replace(bill, principal_fen=principal, late_fee_fen=fee))
    balance = balance_fen + movement.balance_delta_fen
    if balance < 0:
        raise NotAllowed("the balance is not enough", code="balance_not_enough")
    return tuple(after), balance
