"""What the window shows for an account of a counter with its own database (SYNC.md c.7,
"Customer balances shown at the window"): head office's last checkpoint of the account and its
bills, overlaid with this node's own payments head office had not absorbed when it made that
checkpoint: those of the ``payments`` channel with ``channel_seq`` above the checkpoint's
``node_events_reflected_through``. A payment already in the checkpoint is not counted again,
one not yet in it is not lost when the checkpoint arrives.

:func:`apply_checkpoint` is what the downstream apply calls for an account of the
``accounts_bills`` stream (in its own transaction): the stored ``balance_fen`` and ``paid_fen``
become checkpoint + overlay, so every reader of those columns sees the window's view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from counter_app.persistence.models import Bill, CustomerAccount, OutboxEvent, Payment, PaymentAllocation


@dataclass(frozen=True)
class LocalEffects:
    """This node's payments not yet in head office's checkpoint, as changes to an account."""

    balance_delta_fen: int = 0  # + prepaid, - taken from the balance (refunds, paying from it)
    paid_delta_fen: Mapping[str, int] = field(default_factory=dict)  # bill id -> principal paid (void: minus)
    payments: int = 0


def window_balance(checkpoint_balance_fen: int, effects: LocalEffects) -> int:
    """The prepaid balance at the window: head office's checkpoint plus this node's unsynced movements."""
    return checkpoint_balance_fen + effects.balance_delta_fen


def window_paid(checkpoint_paid_fen: int, bill_id: str, effects: LocalEffects) -> int:
    """What a bill has been paid at the window's view: the checkpoint plus this node's unsynced payments."""
    return checkpoint_paid_fen + effects.paid_delta_fen.get(bill_id, 0)


def unsynced_effects(session: Session, node_id: str, account_id: str, reflected_through: int) -> LocalEffects:
    """This node's payments, voids and refunds of ``account_id`` whose outbox event (payments
    channel) is above ``reflected_through``: the ones head office's checkpoint does not hold."""
    rows = session.execute(
        select(Payment.id, Payment.to_balance_fen, Payment.from_balance_fen)
        .join(OutboxEvent, OutboxEvent.event_id == Payment.outbox_event_id)
        .where(Payment.account_id == account_id, Payment.node_id == node_id, OutboxEvent.channel == "payments",
               OutboxEvent.channel_seq > reflected_through)).all()
    if not rows:
        return LocalEffects()
    paid: dict[str, int] = defaultdict(int)
    for bill_id, principal in session.execute(select(PaymentAllocation.bill_id, PaymentAllocation.principal_fen)
                                              .where(PaymentAllocation.payment_id.in_([r.id for r in rows]))):
        paid[bill_id] += principal
    return LocalEffects(sum(r.to_balance_fen - r.from_balance_fen for r in rows), dict(paid), len(rows))


def apply_checkpoint(session: Session, node_id: str, account_id: str, balance_fen: int,
                     bills_paid_fen: Mapping[str, int], reflected_through: int) -> LocalEffects:
    """Store head office's checkpoint of an account (its balance, and what each listed bill has
    been paid) overlaid with this node's payments it does not reflect yet. Returns the overlay."""
    effects = unsynced_effects(session, node_id, account_id, reflected_through)
    account = session.get(CustomerAccount, account_id)
    if account is not None:
        account.balance_fen = window_balance(balance_fen, effects)
    for bill in session.scalars(select(Bill).where(Bill.id.in_(list(bills_paid_fen)))):
        bill.paid_fen = window_paid(bills_paid_fen[bill.id], bill.id, effects)
        bill.status = "paid" if bill.paid_fen >= bill.amount_fen else "open"
    session.flush()
    return effects


def overlay_staged(connection: Connection, sid: str, reflected_through: int = 0) -> None:
    """Right after the downstream apply has written head office's checkpoint of the accounts and
    bills staged under ``sid`` (``ref_stage_customer_account``, ``ref_stage_bill``: migration 0016), in
    the same transaction: add back this node's own payments above ``reflected_through``, so a
    payment head office has not absorbed is neither lost nor, once it has, counted twice. Head
    office's checkpoints do not fold branch payments into accounts and bills today (they come from
    the billing system), so the default counts all of the node's payments; a pull answer that says
    which of them it reflects passes that."""
    node = connection.execute(text("SELECT node_id FROM node_identity")).scalar()
    params = {"sid": sid, "node": node, "through": reflected_through}
    mine = ("FROM payment p JOIN outbox_event o ON o.event_id = p.outbox_event_id "
            "WHERE p.node_id = :node AND o.channel = 'payments' AND o.channel_seq > :through")
    connection.execute(text(
        f"UPDATE customer_account SET balance_fen = balance_fen + (SELECT COALESCE(SUM(p.to_balance_fen - "
        f"p.from_balance_fen), 0) {mine} AND p.account_id = customer_account.id) "
        "WHERE account_no IN (SELECT k1 || CASE k2 WHEN '' THEN '' ELSE '|' || k2 END FROM ref_stage_customer_account "
        "WHERE sid = :sid AND op = 'upsert')"), params)
    staged_bills = ("SELECT b.id FROM ref_stage_bill s JOIN customer_account a ON a.account_no = s.k1 "
                    "JOIN bill b ON b.account_id = a.id AND b.period = s.k2 WHERE s.sid = :sid AND s.op = 'upsert'")
    connection.execute(text(
        f"UPDATE bill SET paid_fen = paid_fen + (SELECT COALESCE(SUM(x.principal_fen), 0) FROM payment_allocation x "
        f"WHERE x.bill_id = bill.id AND x.payment_id IN (SELECT p.id {mine})) WHERE id IN ({staged_bills})"), params)
    connection.execute(text(f"UPDATE bill SET status = 'paid' WHERE status = 'open' AND paid_fen >= amount_fen "
                            f"AND id IN ({staged_bills})"), params)
