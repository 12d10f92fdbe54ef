"""The queue's rows inside one transaction.

A :class:`QueueTx` is one operation: it loads tickets and window states as plain dicts, the
operation changes them in memory (consulting :mod:`counter_app.domain.queue_rules`), and
:meth:`QueueTx.write` numbers its events and writes every changed row at once. Several
operations may share one transaction (group commit); a :class:`Batch` then writes the one
outbox event that carries all of them and points their rows at it before the commit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

import sqlite3

from counter_app.domain import queue_rules as rules
from counter_app.domain.errors import InvalidInput
from counter_app.domain.ids import new_id
from counter_app.domain.queue_rules import check_letter, parse_number
from counter_app.persistence.models.queue import OPEN_CONDITION, POOL_CONDITION
from counter_app.persistence.models.base import dumps
from counter_app.persistence.outbox import LAST_EVENT_SQL, announce, next_event_row
from counter_app.services.queue.reference import BranchRef, ServiceRef, WindowRef
from counter_app.services.queue.rows import (
    EVENTS,
    OUTBOX_EVENTS,
    TICKETS,
    WINDOW_STATES,
    fetch_one,
    fetch_value,
    placeholders,
)
from counter_app.services.queue.views import QueueEvent, TicketView, WindowView

_TICKET_MUTABLE = ("queue_service_id", "state", "outcome", "window_id", "clerk_id", "call_count", "recall_count",
                   "queued_at", "target_window_id", "outbox_event_id")
_HEAD = f"{TICKETS.select} WHERE "  # whole rows: the one called is then not read again
_CANDIDATE = tuple(TICKETS.columns.index(name) for name in
                   ("id", "priority", "queue_service_id", "target_window_id", "queued_at", "seq", "branch_id"))
_POOL_HEAD = (_HEAD + f"{POOL_CONDITION} AND target_window_id IS NULL AND queue_service_id = ? AND priority = ? "
              "ORDER BY queued_at, seq LIMIT 1")
_TARGETED_HEAD = (_HEAD + f"{POOL_CONDITION} AND target_window_id IS NOT NULL AND target_window_id = ? "
                  "AND priority = ? ORDER BY queued_at, seq LIMIT 1")
_TICKET_UPDATES: dict[tuple[str, ...], str] = {}
_HEADS: dict[int, str] = {}
_POOL_COUNTS = (f"SELECT queue_service_id, priority, count(*) FROM ticket WHERE {POOL_CONDITION} "
                "AND target_window_id IS NULL GROUP BY queue_service_id, priority")
_OPEN_WINDOWS = "SELECT window_id FROM window_state WHERE state = 'open'"
_UPDATE_WINDOW = WINDOW_STATES.update(("state", "clerk_id", "current_ticket_id", "updated_at"), "window_id")


def _heads(services: int) -> str:
    """The heads :meth:`QueueTx.candidates` wants, in one statement (each its own index search):
    per priority, the window's own pool, then each service's, in the window's order."""
    sql = _HEADS.get(services)
    if sql is None:
        one = [_TARGETED_HEAD] + [_POOL_HEAD] * services
        sql = _HEADS[services] = " UNION ALL ".join(f"SELECT * FROM ({head})" for _ in rules.PRIORITIES for head in one)
    return sql


def _update_ticket(names: tuple[str, ...]) -> str:
    sql = _TICKET_UPDATES.get(names)
    if sql is None:
        sql = _TICKET_UPDATES[names] = TICKETS.update(names, "id")
    return sql


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """A row for the outbox payload (its pointer to the outbox event itself left out); its dates
    and times are written as ISO 8601 by the payload's encoder (:func:`_iso`)."""
    out = dict(row)
    out.pop("outbox_event_id", None)
    return out


def _iso(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def ticket_view(ref: BranchRef, row: dict[str, Any]) -> TicketView:
    return TicketView(
        id=row["id"], number=row["number"], service=ref.letter(row["service_id"]),
        queue_service=ref.letter(row["queue_service_id"]), priority=row["priority"], state=row["state"],
        outcome=row["outcome"], window=ref.window_number(row["window_id"]),
        target_window=ref.window_number(row["target_window_id"]), clerk_id=row["clerk_id"],
        call_count=row["call_count"], recall_count=row["recall_count"], business_date=row["business_date"],
        issued_at=row["issued_at"], queued_at=row["queued_at"],
    )


def event_view(row: dict[str, Any]) -> QueueEvent:
    data = dict(row["data"] or {})
    return QueueEvent(
        seq=row["seq"], kind=row["kind"], at=row["at"], ticket_id=row["ticket_id"], number=data.pop("number", None),
        service=data.pop("service", None), window=data.pop("window", None), clerk_id=row["clerk_id"],
        state=data.pop("state", None), data=data,
    )


class StaffRow(NamedTuple):
    id: str
    name: str
    role: str
    disabled: bool
    branch_id: str


class PoolCounts:
    """How many tickets wait in each pool ``(queue service id, priority)`` (not sent to a
    window), and which windows are open, as of the event log's entry ``seq``: the writer keeps
    them up to date from its own writes instead of counting at every ticket it issues (a walk
    over the pool, thousands of entries on a busy day). Every change of a ticket appends to the log, so counts whose
    ``seq`` is not the log's last entry are stale and are counted afresh; a batch rolled back
    leaves them stale too (its entries are gone)."""

    def __init__(self) -> None:
        self.seq: int | None = None
        self.counts: dict[tuple[str, str], int] = {}
        self.open_windows: set[str] = set()

    def invalidate(self) -> None:
        self.seq = None

    @staticmethod
    def key(ticket: dict[str, Any] | None) -> tuple[str, str] | None:
        if ticket is None or ticket["state"] not in rules.QUEUED_STATES or ticket["target_window_id"] is not None:
            return None
        return ticket["queue_service_id"], ticket["priority"]


class RowCache:
    """Window states and tickets as the log's entry ``seq`` left them, kept between transactions
    so that a call or a finish need not read its window and its ticket again. Like
    :class:`PoolCounts` it is right only while ``seq`` is the log's last entry: every change of
    these rows appends to the log, so a transaction that finds another last entry (another
    writer, another process) starts it afresh, and a rolled-back batch empties it. Rows are
    handed out as copies and kept as copies of what was written, never changed in place."""

    MAX_TICKETS = 4096  # beyond this the kept tickets are dropped (they are read again as needed)

    def __init__(self) -> None:
        self.seq: int | None = None
        self.windows: dict[str, dict[str, Any]] = {}
        self.tickets: dict[str, dict[str, Any]] = {}

    def invalidate(self) -> None:
        self.seq = None
        self.windows, self.tickets = {}, {}

    def keep_ticket(self, row: dict[str, Any]) -> None:
        if len(self.tickets) >= self.MAX_TICKETS:
            self.tickets = {}
        self.tickets[row["id"]] = row


class Batch:
    """The transaction several operations share: their event numbers, the id of the outbox
    event that will carry them (their rows point at it from the start: the foreign key is
    checked at commit, and the event is written by :meth:`finish` before it), and its payload."""

    def __init__(self, raw: sqlite3.Connection, node_id: str, pool: PoolCounts | None = None,
                 rows: RowCache | None = None) -> None:
        self.raw = raw  # the transaction's connection
        self.node_id = node_id
        self.pool = pool
        self.rows = rows
        self.outbox_event_id = new_id()
        self.next_seq: int | None = None
        self.operations: list[dict[str, Any]] = []

    def last_seq(self) -> int:
        """The log's last entry in this transaction."""
        if self.next_seq is None:
            self.next_seq = (fetch_value(self.raw, f'SELECT max(seq) FROM "{EVENTS.name}"') or 0) + 1
        return self.next_seq - 1

    def take_seq(self) -> int:
        seq = self.last_seq() + 1
        self.next_seq += 1
        return seq

    def finish(self) -> None:
        """Write the outbox event of the whole batch (its rows already point at it)."""
        if not self.operations:
            return
        first = self.operations[0]
        single = len(self.operations) == 1
        row = next_event_row(
            fetch_one(self.raw, LAST_EVENT_SQL, (self.node_id, "ops")), channel="ops", node=self.node_id,
            event_type=f"queue.{first['operation']}" if single else "queue.batch",
            aggregate_type=first["aggregate_type"] if single else "queue",
            aggregate_id=first["aggregate_id"] if single else first["branch_id"],
            payload_text=dumps({"operations": self.operations}, default=_iso), event_id=self.outbox_event_id,
        )
        self.raw.execute(OUTBOX_EVENTS.insert, OUTBOX_EVENTS.encode(row))
        announce(self.raw)


class QueueTx:
    """One queue operation's view of the database: load, change in memory, :meth:`write`."""

    def __init__(self, batch: Batch, ref: BranchRef, now: datetime, today: date) -> None:
        self.batch = batch
        self.raw = batch.raw
        self.ref = ref
        self.node_id = batch.node_id
        self.now = now
        self.today = today
        self._tickets: dict[str, dict[str, Any]] = {}
        self._ticket_orig: dict[str, dict[str, Any] | None] = {}
        self._windows: dict[str, dict[str, Any]] = {}
        self._window_orig: dict[str, dict[str, Any] | None] = {}
        self._heads: dict[str, Any] = {}  # rows read by candidates() in this operation
        self._events: list[dict[str, Any]] = []
        self.written: tuple[QueueEvent, ...] = ()
        self.writing = False

    # --- reference data -------------------------------------------------------------------

    def service(self, letter: str, field: str = "service") -> ServiceRef:
        check_letter(letter)
        found = self.ref.service_by_letter(letter)
        if found is None:
            raise InvalidInput(field, f"no service with letter {letter} at this branch", code="service_not_here", service=letter)
        return found

    def window(self, number: int, field: str = "window") -> WindowRef:
        found = self.ref.window_by_number(number)
        if found is None:
            raise InvalidInput(field, f"no window number {number} at this branch", code="window_not_here", n=number)
        return found

    def staff(self, clerk_id: str) -> StaffRow | None:
        row = fetch_one(self.raw, "SELECT id, name, role, disabled, branch_id FROM staff WHERE id = ?", (clerk_id,))
        return None if row is None else StaffRow(row[0], row[1], row[2], bool(row[3]), row[4])

    # --- questions the operations ask -------------------------------------------------------

    def last_ticket_seq(self, service_id: str) -> int | None:
        return fetch_value(self.raw, "SELECT max(seq) FROM ticket WHERE branch_id = ? AND service_id = ? AND "
                           "business_date = ?", (self.ref.id, service_id, self.today.isoformat()))

    def _pools(self) -> PoolCounts | None:
        """The kept pool counts and open windows, counted afresh unless the log's last entry left them."""
        pool = self.batch.pool
        if pool is not None:
            last = self.batch.last_seq()
            if pool.seq != last:
                pool.counts = {(row[0], row[1]): row[2] for row in self.raw.execute(_POOL_COUNTS)}
                pool.open_windows = {row[0] for row in self.raw.execute(_OPEN_WINDOWS)}
                pool.seq = last
        return pool

    def count_ahead(self, service_id: str, priorities: tuple[str, ...]) -> int:
        pool = self._pools()
        if pool is not None:
            return sum(pool.counts.get((service_id, priority), 0) for priority in priorities)
        # counted in the pool's partial index alone: a service is of one branch, so its id says
        # the branch (asking for branch_id too read every waiting ticket's row, 3-4 times slower)
        return fetch_value(
            self.raw,
            f"SELECT count(*) FROM ticket WHERE {POOL_CONDITION} AND target_window_id IS NULL "
            f"AND queue_service_id = ? AND priority IN ({placeholders(len(priorities))})",
            (service_id, *priorities)) or 0

    def count_open_windows(self, window_ids: list[str]) -> int:
        pool = self._pools()
        if pool is not None:
            return sum(1 for window_id in window_ids if window_id in pool.open_windows)
        return fetch_value(self.raw, f"SELECT count(*) FROM window_state WHERE state = 'open' AND window_id IN "
                           f"({placeholders(len(window_ids))})", window_ids) or 0

    def candidates(self, window: WindowRef) -> list[rules.Candidate]:
        """The head (earliest arrival) of every pool this window calls from, per priority: the
        tickets sent to this window, and each of its services'. The call order picks among
        them; nothing further back in a pool can come first."""
        params: list[str] = []
        for priority in rules.PRIORITIES:
            params += (window.id, priority)
            for service_id in window.services:
                params += (service_id, priority)
        rows = self.raw.execute(_heads(len(window.services)), params).fetchall()
        read = TICKETS.readers["queued_at"]
        id_, priority, service, target, queued, seq, branch = _CANDIDATE
        found = []
        for row in rows:
            if row is not None and row[branch] == self.ref.id:
                self._heads[row[id_]] = row
                found.append(rules.Candidate(row[id_], row[priority], row[service], row[target], read(row[queued]),
                                             row[seq]))
        return found

    def open_ticket_ids(self, through: date) -> list[str]:
        rows = self.raw.execute(
            # the open tickets' index ("+": not the day's index, that would walk every past day)
            f"SELECT id FROM ticket WHERE branch_id = ? AND {OPEN_CONDITION} AND +business_date <= ? "
            "ORDER BY queued_at", (self.ref.id, through.isoformat())).fetchall()
        return [r[0] for r in rows]

    # --- tickets ---------------------------------------------------------------------------

    def _kept(self) -> RowCache | None:
        """The rows kept between transactions, if they are as the log's last entry left them."""
        rows = self.batch.rows
        if rows is not None:
            last = self.batch.last_seq()
            if rows.seq != last:
                rows.invalidate()
                rows.seq = last
        return rows

    def _keep_ticket(self, row: Any) -> dict[str, Any]:
        values = TICKETS.decode(row)
        if values["id"] not in self._tickets:
            self._tickets[values["id"]] = values
            self._ticket_orig[values["id"]] = dict(values)
            kept = self._kept()
            if kept is not None:
                kept.keep_ticket(self._ticket_orig[values["id"]])
        return self._tickets[values["id"]]

    def ticket(self, ticket_id: str) -> dict[str, Any] | None:
        if ticket_id in self._tickets:
            return self._tickets[ticket_id]
        kept = self._kept()
        row = None if kept is None else kept.tickets.get(ticket_id)
        if row is not None:
            self._ticket_orig[ticket_id] = row
            values = self._tickets[ticket_id] = dict(row)
            return values
        row = self._heads.get(ticket_id) or fetch_one(self.raw, f"{TICKETS.select} WHERE id = ?", (ticket_id,))
        return None if row is None else self._keep_ticket(row)

    def resolve(self, reference: str) -> dict[str, Any]:
        """A ticket by its id, or by today's number such as ``A012``."""
        if not isinstance(reference, str) or not reference.strip():
            raise InvalidInput("ticket", "give a ticket number such as A012 or a ticket id", code="ticket_reference")
        found = None
        if len(reference) >= 32:
            found = self.ticket(reference)
        else:
            letter, seq = parse_number(reference)
            service = self.service(letter, "ticket")
            row = fetch_one(self.raw, f"{TICKETS.select} WHERE branch_id = ? AND service_id = ? AND "
                            "business_date = ? AND seq = ?", (self.ref.id, service.id, self.today.isoformat(), seq))
            found = None if row is None else self._keep_ticket(row)
        if found is None or found["branch_id"] != self.ref.id:
            raise InvalidInput("ticket", f"no ticket {reference} at this branch today", code="ticket_not_found_today", number=reference)
        return found

    def new_ticket(self, values: dict[str, Any]) -> dict[str, Any]:
        self._tickets[values["id"]] = values
        self._ticket_orig[values["id"]] = None
        return values

    # --- windows ---------------------------------------------------------------------------

    def window_state(self, window: WindowRef) -> dict[str, Any]:
        if window.id in self._windows:
            return self._windows[window.id]
        kept = self._kept()
        cached = None if kept is None else kept.windows.get(window.id)
        if cached is not None:
            self._window_orig[window.id] = cached
            state = self._windows[window.id] = dict(cached)
            return state
        row = fetch_one(self.raw, f"{WINDOW_STATES.select} WHERE window_id = ?", (window.id,))
        if row is None:
            state = {"window_id": window.id, "state": "closed", "clerk_id": None, "current_ticket_id": None,
                     "updated_at": self.now}
            self._window_orig[window.id] = None
        else:
            state = WINDOW_STATES.decode(row)
            self._window_orig[window.id] = dict(state)
            if kept is not None:
                kept.windows[window.id] = self._window_orig[window.id]  # type: ignore[assignment]
        self._windows[window.id] = state
        return state

    def current(self, state: dict[str, Any]) -> dict[str, Any] | None:
        ticket_id = state["current_ticket_id"]
        return None if ticket_id is None else self.ticket(ticket_id)

    def window_view(self, window: WindowRef) -> WindowView:
        state = self.window_state(window)
        current = self.current(state)
        return WindowView(
            id=window.id, number=window.number, name=window.name, state=state["state"], clerk_id=state["clerk_id"],
            current=None if current is None else ticket_view(self.ref, current),
            services=tuple(self.ref.letter(s) for s in window.services),
        )

    def ticket_view(self, ticket: dict[str, Any] | None) -> TicketView | None:
        return None if ticket is None else ticket_view(self.ref, ticket)

    # --- the log -----------------------------------------------------------------------------

    def event(self, kind: str, *, ticket: dict[str, Any] | None = None, window: WindowRef | None = None,
              clerk_id: str | None = None, state: str | None = None, **data: Any) -> None:
        """Append an event; call it after changing the ticket: its fields are copied now."""
        self._events.append({"kind": kind, "window": window, "clerk_id": clerk_id, "state": state, "data": data,
                             "ticket": None if ticket is None else dict(ticket)})

    def write(self, operation: str, aggregate_type: str, aggregate_id: str) -> tuple[QueueEvent, ...]:
        """Number the events and write them with every changed row (outbox: see :class:`Batch`)."""
        if not self._events:
            return ()
        self.writing = True
        raw, batch = self.raw, self.batch
        rows: list[dict[str, Any]] = []
        for pending in self._events:
            ticket, window = pending["ticket"], pending["window"]
            data = {
                "number": ticket["number"] if ticket else None,
                "service": self.ref.letter(ticket["queue_service_id"]) if ticket else None,
                "window": window.number if window else None,
                "state": pending["state"] if pending["state"] is not None else (ticket["state"] if ticket else None),
                **pending["data"],
            }
            rows.append({"id": new_id(), "node_id": self.node_id, "seq": batch.take_seq(),
                         "ticket_id": ticket["id"] if ticket else None, "window_id": window.id if window else None,
                         "clerk_id": pending["clerk_id"], "kind": pending["kind"], "at": self.now, "data": data,
                         "outbox_event_id": batch.outbox_event_id})
        tickets = [t for tid, t in self._tickets.items() if self._ticket_orig[tid] != t]
        windows = [w for wid, w in self._windows.items() if self._window_orig[wid] != w]
        for ticket in tickets:
            ticket["outbox_event_id"] = batch.outbox_event_id
            before = self._ticket_orig[ticket["id"]]
            if before is None:
                raw.execute(TICKETS.insert, TICKETS.encode(ticket))
            else:  # only what changed: an index none of whose columns changed is left alone
                changed = tuple(name for name in _TICKET_MUTABLE if ticket[name] != before[name])
                raw.execute(_update_ticket(changed), (*TICKETS.encode(ticket, changed), ticket["id"]))
        for state in windows:
            state["updated_at"] = self.now
            if self._window_orig[state["window_id"]] is None:
                raw.execute(WINDOW_STATES.insert, WINDOW_STATES.encode(state))
            else:
                raw.execute(_UPDATE_WINDOW, (state["state"], state["clerk_id"], state["current_ticket_id"],
                                             WINDOW_STATES.writers["updated_at"](self.now), state["window_id"]))
        raw.executemany(EVENTS.insert, [EVENTS.encode(row) for row in rows])
        self._count_pools(tickets, windows, rows[0]["seq"], rows[-1]["seq"])
        self._keep_rows(tickets, windows, rows[0]["seq"], rows[-1]["seq"])
        batch.operations.append({
            "operation": operation, "aggregate_type": aggregate_type, "aggregate_id": aggregate_id,
            "branch_id": self.ref.id, "events": [jsonable(r) for r in rows],
            "tickets": [jsonable(t) for t in tickets], "windows": [jsonable(w) for w in windows],
        })
        self.written = tuple(event_view(row) for row in rows)
        return self.written

    def _keep_rows(self, tickets: list[dict[str, Any]], windows: list[dict[str, Any]], first_seq: int,
                   last_seq: int) -> None:
        """Keep the rows just written (log entries ``first_seq`` .. ``last_seq``) as they now are."""
        kept = self.batch.rows
        if kept is None or not _still_right(kept, first_seq):
            return
        for ticket in tickets:
            kept.keep_ticket(dict(ticket))
        for state in windows:
            kept.windows[state["window_id"]] = dict(state)
        kept.seq = last_seq

    def _count_pools(self, tickets: list[dict[str, Any]], windows: list[dict[str, Any]], first_seq: int,
                     last_seq: int) -> None:
        """Carry the pool counts and open windows over the rows just written (log entries
        ``first_seq`` .. ``last_seq``), if they were right just before them."""
        pool = self.batch.pool
        if pool is None or not _still_right(pool, first_seq):
            return
        for ticket in tickets:
            before, after = PoolCounts.key(self._ticket_orig[ticket["id"]]), PoolCounts.key(ticket)
            if before != after:
                if before is not None:
                    pool.counts[before] = pool.counts.get(before, 0) - 1
                if after is not None:
                    pool.counts[after] = pool.counts.get(after, 0) + 1
        for state in windows:
            if state["state"] == "open":
                pool.open_windows.add(state["window_id"])
            else:
                pool.open_windows.discard(state["window_id"])
        pool.seq = last_seq


def _still_right(kept: PoolCounts | RowCache, first_seq: int) -> bool:
    """Whether what ``kept`` holds was right just before log entry ``first_seq`` (so it can be
    carried over that entry's writes); if it was right at another entry, it is dropped."""
    if kept.seq is None:
        return False
    if kept.seq != first_seq - 1:
        kept.invalidate()
        return False
    return True
