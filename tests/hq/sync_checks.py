"""What a branch's SQLite file and head office's PostgreSQL must agree on (SYNC.md b), read from
both ends as they are: used after every step of the simulation and after every iteration of the
process-level crash runs.

``check_safety``: G2, G3, G5, G9 and "acknowledged ⊆ head office", true at every moment.
``check_drained``: G1, G9, G10 and per-terminal count and sum (G13's money part), true once the
outbox is drained."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from counter_app.domain.receipt_numbers import parse_receipt_number
from counter_app.services.sync.outbox_store import delivery_states



@dataclass(frozen=True)
class LocalPayment:
    payment_id: str
    event_id: str
    kind: str
    reverses_id: str | None
    amount_fen: int
    receipt_no: str


@dataclass
class Branch:
    """One branch database as it is on disk now."""

    outbox: dict[str, tuple[str, str, str]]  # event_id -> (state, event_type, result)
    payments: dict[str, LocalPayment]
    node_ids: set[str]

    @classmethod
    def read(cls, engine: Engine) -> "Branch":
        with Session(engine) as session:  # delivery as the sync code reads it: the channel's mark applied
            states = delivery_states(session)
            outbox = {r[0]: (states[r[0]], r[1], r[2] or "") for r in session.execute(text(
                "SELECT event_id, event_type, result FROM outbox_event"))}
        with engine.connect() as connection:
            payments = {r[0]: LocalPayment(*r) for r in connection.execute(text(
                "SELECT p.id, p.outbox_event_id, p.kind, p.reverses_id, p.amount_fen, r.receipt_no "
                "FROM payment p JOIN receipt r ON r.payment_id = p.id"))}
            node_ids = set(connection.execute(text("SELECT DISTINCT node_id FROM outbox_event")).scalars())
        return cls(outbox, payments, node_ids)


@dataclass
class HeadOffice:
    """Head office's rows (of every node, or of the given ones)."""

    events: dict[str, tuple[str, str | None, str]]  # event_id -> (apply_status, error_code, node_id)
    payments: dict[str, dict[str, Any]]  # payment_id -> row
    incidents: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, event_id, detail)

    @classmethod
    def read(cls, engine: Engine) -> "HeadOffice":
        with engine.connect() as connection:
            events = {r[0]: (r[1], r[2], r[3]) for r in connection.execute(text(
                "SELECT event_id, apply_status, error_code, node_id FROM inbound_event"))}
            payments = {r.payment_id: r._asdict() for r in connection.execute(text(
                "SELECT payment_id, event_id, node_id, terminal_code, kind, reverses_id, receipt_no, amount_fen, "
                "posted_at FROM hq_payment"))}
            incidents = [tuple(r) for r in connection.execute(text("SELECT kind, event_id, detail FROM sync_incident"))]
        return cls(events, payments, incidents)  # type: ignore[arg-type]


def check_receipts(numbers: list[str], where: str) -> None:
    """Unique, and per terminal and incarnation a gap-free run 1..n."""
    assert len(numbers) == len(set(numbers)), f"{where}: a receipt number twice: {_twice(numbers)}"
    runs: dict[tuple[str, str, int, int], list[int]] = {}
    for number in numbers:
        n = parse_receipt_number(number)
        runs.setdefault((n.branch_code, n.terminal_code, n.incarnation, n.fiscal_year), []).append(n.seq)
    for key, seqs in runs.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"{where}: receipts of {key} not 1..n: {sorted(seqs)}"


def _twice(items: list[str]) -> list[str]:
    return [item for item, n in Counter(items).items() if n > 1]


def check_safety(branches: list[Branch], hq: HeadOffice) -> None:
    """G2, G3, G5 (at head office), G9, acknowledged ⊆ head office; nothing invented there."""
    assert hq.incidents == [], f"head office raised incidents: {hq.incidents}"
    hq_receipts = [p["receipt_no"] for p in hq.payments.values()]
    assert len(hq_receipts) == len(set(hq_receipts)), f"G3: a receipt twice at head office: {_twice(hq_receipts)}"
    by_event = Counter(p["event_id"] for p in hq.payments.values())
    assert not [e for e, n in by_event.items() if n > 1], "G2: one event booked twice"
    for payment in hq.payments.values():
        if payment["kind"] != "payment":  # G9: a void or refund only after what it reverses
            original = hq.payments.get(payment["reverses_id"])
            assert original is not None and original["posted_at"] <= payment["posted_at"], \
                f"G9: {payment['kind']} {payment['payment_id']} booked before its payment"
    all_local: set[str] = set()
    for branch in branches:
        all_local |= set(branch.outbox)
        for event_id, (state, _, _) in branch.outbox.items():
            if state in ("acked", "quarantined") and not branch.outbox[event_id][2].startswith("local:"):
                assert event_id in hq.events, f"acknowledged event {event_id} ({state}) absent at head office"
            if state == "acked":
                assert hq.events[event_id][0] == "applied", \
                    f"G10: event {event_id} acknowledged as applied but {hq.events[event_id][:2]} at head office"
        for payment in branch.payments.values():
            booked = hq.payments.get(payment.payment_id)
            if booked is not None:  # G2: the same payment, by the same event, with the same receipt
                assert (booked["event_id"], booked["receipt_no"], booked["amount_fen"], booked["kind"]) == \
                    (payment.event_id, payment.receipt_no, payment.amount_fen, payment.kind), (booked, payment)
    nodes = {n for branch in branches for n in branch.node_ids}
    invented = {e for e, (_, _, node) in hq.events.items() if node in nodes} - all_local
    assert not invented, f"head office holds events no branch wrote: {sorted(invented)[:5]}"


def check_drained(branches: list[Branch], hq: HeadOffice, poison: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """G1: every committed event and payment at head office exactly once; G9: every void booked
    after its payment; G10: the poison quarantined at both ends, everything else applied."""
    check_safety(branches, hq)
    for branch in branches:
        pending = [e for e, (state, _, _) in branch.outbox.items() if state == "pending"]
        assert pending == [], f"G12: {len(pending)} events still pending after the drain"
        missing = set(branch.outbox) - set(hq.events)
        assert not missing, f"G1: {len(missing)} committed events absent at head office: {sorted(missing)[:5]}"
        for event_id, (state, _, _) in branch.outbox.items():
            status, code, _ = hq.events[event_id]
            if event_id in poison:
                assert (state, status) == ("quarantined", "quarantined"), f"G10: poison {event_id}: {state}/{status}"
            else:
                assert (state, status) == ("acked", "applied"), f"G10: {event_id}: {state} here, {status} {code} there"
        for payment in branch.payments.values():
            assert payment.payment_id in hq.payments, f"G1: payment {payment.payment_id} absent at head office"
        check_receipts([p.receipt_no for p in branch.payments.values()], "branch")
        totals_here = _totals((p.receipt_no.rsplit("-", 2)[0], p.amount_fen) for p in branch.payments.values())
        totals_there = _totals((p["receipt_no"].rsplit("-", 2)[0], p["amount_fen"]) for p in hq.payments.values()
                               if p["payment_id"] in branch.payments)
        assert totals_here == totals_there, f"per-terminal count and sum differ: {totals_here} / {totals_there}"
    check_receipts([p["receipt_no"] for p in hq.payments.values()], "head office")


def _totals(rows: Any) -> dict[str, tuple[int, int]]:
    totals: dict[str, tuple[int, int]] = {}
    for terminal, amount in rows:
        count, total = totals.get(terminal, (0, 0))
        totals[terminal] = (count + 1, total + amount)
    return totals
