"""Writing head office's reference data into the branch's SQLite, each step one transaction:

* :func:`apply_page` — a pull page: staged, moved into the live tables, the stream's cursor and
  checksum set, the staged rows dropped, all in ONE transaction (G7, G8: all of it or none).
* :func:`stage_snapshot_page` — a snapshot page into ``ref_stage`` with the snapshot's progress
  (invisible to business code; a crash resumes from the saved token).
* :func:`swap_snapshot` — the staged snapshot into the live tables, rows the snapshot no longer has
  marked removed, the cursor set, in ONE transaction.

Only here is ``ref_guard`` opened, inside the transaction that writes, and closed before COMMIT,
so another connection never sees it open (the triggers of migration 0012 read it)."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from counter_app.core import refstreams as rs
from counter_app.domain.staff_rules import PASSWORD_CHANGED
from counter_app.domain.timeutil import utcnow
from counter_app.services.billing.overlay import overlay_staged
from counter_app.services.sync.refdata import staging as st
from counter_app.services.sync.refdata.tables import ENTITIES

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Item:
    """One change or snapshot row as received: ``payload`` is the JSON text (None for a remove)."""

    entity: str
    key: str
    hq_version: int
    op: str
    payload: str | None


@dataclass
class Applied:
    rows: int = 0
    checksum: int = 0
    unresolved: dict[str, list[str]] = field(default_factory=dict)


class ApplyRefused(Exception):
    """Staged data that cannot be applied as it is (a reference the branch lacks): nothing written."""


def _sqlite(connection: Connection) -> sqlite3.Connection:
    """The driver's connection, for many rows at once, inside ``connection``'s transaction (begun here
    if it is not yet: the driver's own statements outside one would each commit on their own)."""
    if not connection.in_transaction():
        connection.begin()
    return connection.connection.driver_connection  # type: ignore[return-value]


def stage(connection: Connection, sid: str, items: Iterable[Item]) -> int:
    return st.stage_payloads(_sqlite(connection), sid, ((i.entity, i.key, i.hq_version, i.op, i.payload) for i in items))


def _sum(connection: Connection, sql: str, params: dict[str, Any], entity: str) -> tuple[int, int]:
    total = count = 0
    for key, version in connection.execute(text(sql), params):
        total = rs.add_hash(total, rs.item_hash(entity, str(key), int(version)))
        count += 1
    return total, count


def stream_checksum(connection: Connection, stream: str, bucket: str) -> tuple[int, int]:
    """The checksum and count of the bucket's rows as the tables hold them now (head office's only)."""
    total = count = 0
    for entity in rs.STREAMS[stream][1]:
        part, n = _sum(connection, ENTITIES[entity].versions, {"bucket": bucket}, entity)
        total, count = rs.add_hash(total, part), count + n
    return total, count


def _touched(connection: Connection, stream: str, bucket: str, sid: str) -> int:
    total = 0
    for entity in rs.STREAMS[stream][1]:
        total = rs.add_hash(total, _sum(connection, ENTITIES[entity].touched, {"bucket": bucket, "sid": sid}, entity)[0])
    return total


def _guard(connection: Connection, opened: bool) -> None:
    connection.execute(text("UPDATE ref_guard SET open = :o, owned = 1 WHERE id = 1"), {"o": opened})


_OWN_PAYMENTS = "SELECT EXISTS (SELECT 1 FROM payment WHERE node_id = (SELECT node_id FROM node_identity))"
#: overlay_staged's last rule (a bill paid in full is 'paid') when no payment of this node is to be added
_PAID_RULE = ("UPDATE bill SET status = 'paid' WHERE status = 'open' AND paid_fen >= amount_fen AND hq_version > 0 "
              "AND account_id IN (SELECT id FROM customer_account WHERE branch_id = (SELECT id FROM branch "
              "WHERE code = :bucket))")


#: this node's own password changes (staff.password_changed, oldest first) put back over a staff row
#: head office sent with the hash each replaced: head office has not applied that change yet, and
#: applies it over exactly that hash (a reset there since, or the change itself, holds otherwise)
_OWN_PASSWORDS = text(
    "UPDATE staff SET password_hash = json_extract(o.payload, '$.password_hash'), must_change_password = 0 "
    "FROM (SELECT payload FROM outbox_event WHERE event_type = :kind "
    "AND node_id = (SELECT node_id FROM node_identity) ORDER BY seq) o "
    "WHERE staff.staff_no = json_extract(o.payload, '$.staff_no') "
    "AND staff.password_hash = json_extract(o.payload, '$.previous_hash')")


def _keep_own_passwords(connection: Connection) -> None:
    """A pull runs before the push (revocations first, G17): a password changed here and not yet at
    head office stays the one that opens, instead of the first one coming back with its flag."""
    for _ in range(connection.execute(text("SELECT count(*) FROM outbox_event WHERE event_type = :kind"),
                                      {"kind": PASSWORD_CHANGED}).scalar_one()):
        if not connection.execute(_OWN_PASSWORDS, {"kind": PASSWORD_CHANGED}).rowcount:
            break  # each round puts back one more change of a chain (first -> mine -> mine again)


def _move(connection: Connection, stream: str, bucket: str, sid: str, *, snapshot: bool) -> int:
    """Staged rows into the live tables; returns how many rows the upserts wrote. A staged row whose
    references the branch lacks (its account, meter, tariff version ...) refuses the whole set."""
    params = {"sid": sid, "bucket": bucket}
    entities = rs.STREAMS[stream][1]
    held = {e for e in entities if snapshot and connection.execute(text(ENTITIES[e].any_held), params).scalar()}
    unresolved, written = {}, 0
    for entity in entities:
        sql = ENTITIES[entity]
        began = time.perf_counter()
        done = connection.execute(text(sql.upsert), params).rowcount
        log.debug("%s/%s %s: %d rows in %.2f s", stream, bucket, entity, done, time.perf_counter() - began)
        staged = connection.execute(text(sql.staged), params).scalar_one()
        if done < staged:  # only then look for the rows that did not land (a scan of the staged rows)
            missing = [r[0] for r in connection.execute(text(sql.unresolved), params).fetchmany(20)]
            if missing:
                unresolved[entity] = missing
        written += done
    if unresolved:
        raise ApplyRefused(f"{stream}/{bucket}: references not held at this branch: {unresolved}")
    for entity in reversed(entities):
        sql = ENTITIES[entity]
        if snapshot and entity not in held:
            continue
        began = time.perf_counter()
        connection.execute(text(sql.missing if snapshot else sql.remove), params)
        log.debug("%s/%s %s removals: %.2f s", stream, bucket, entity, time.perf_counter() - began)
    if stream == "staff":
        _keep_own_passwords(connection)
    if stream == "accounts_bills":  # head office's checkpoint + this node's own unsynced payments (split)
        began = time.perf_counter()
        if snapshot and not connection.execute(text(_OWN_PAYMENTS)).scalar():
            # nothing of this node's to add back (a first snapshot): only the status rule, over the bucket's
            # bills at once instead of a join of every staged bill (millions)
            connection.execute(text(_PAID_RULE), params)
        else:
            overlay_staged(connection, sid)
        log.debug("%s/%s overlay: %.2f s", stream, bucket, time.perf_counter() - began)
    return written


def _unstage(connection: Connection, sid: str) -> None:
    st.unstage(_sqlite(connection), sid)


def _set_cursor(connection: Connection, stream_id: str, epoch: int, cursor: int, checksum: int) -> None:
    connection.execute(text(
        "INSERT INTO sync_cursor (stream, epoch, cursor, checksum, updated_at) VALUES (:s, :e, :c, :k, :t) "
        "ON CONFLICT (stream) DO UPDATE SET epoch = excluded.epoch, cursor = excluded.cursor, "
        "checksum = excluded.checksum, updated_at = excluded.updated_at"),
        {"s": stream_id, "e": epoch, "c": cursor, "k": str(checksum),
         "t": utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")})


def read_cursor(connection: Connection, stream_id: str) -> tuple[int, int, int] | None:
    """(epoch, cursor, checksum) of a stream, None before its first snapshot."""
    row = connection.execute(text("SELECT epoch, cursor, checksum FROM sync_cursor WHERE stream = :s"),
                             {"s": stream_id}).first()
    return None if row is None else (int(row[0]), int(row[1]), int(row[2] or 0))


def _last_per_key(items: Sequence[Item]) -> list[Item]:
    """A page may change one entity twice: the later change is the one that counts."""
    last: dict[tuple[str, str], Item] = {}
    for item in items:
        last[(item.entity, item.key)] = item
    return list(last.values())


def apply_page(connection: Connection, stream: str, bucket: str, epoch: int, items: Sequence[Item],
               next_cursor: int) -> int:
    """One pull page, in the caller's transaction (which must be the only one writing). Returns
    the stream's checksum after it, kept with the cursor."""
    stream_id = rs.stream_id(stream, bucket)
    sid = f"page:{stream_id}"
    known = read_cursor(connection, stream_id)
    checksum = known[2] if known else 0
    _unstage(connection, sid)
    if items:
        stage(connection, sid, _last_per_key(items))
        checksum = rs.remove_hash(checksum, _touched(connection, stream, bucket, sid))
        _guard(connection, True)
        _move(connection, stream, bucket, sid, snapshot=False)
        _guard(connection, False)
        checksum = rs.add_hash(checksum, _touched(connection, stream, bucket, sid))
        _unstage(connection, sid)
    _set_cursor(connection, stream_id, epoch, next_cursor, checksum)
    return checksum


# -- snapshots -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SnapshotProgress:
    epoch: int
    as_of: int
    token: str
    rows: int
    checksum: int


def snapshot_progress(connection: Connection, stream_id: str) -> SnapshotProgress | None:
    row = connection.execute(text("SELECT epoch, as_of, token, rows, checksum FROM ref_snapshot WHERE sid = :s"),
                             {"s": stream_id}).first()
    return None if row is None else SnapshotProgress(int(row[0]), int(row[1]), row[2], int(row[3]), int(row[4]))


def begin_snapshot(connection: Connection, stream_id: str, epoch: int, as_of: int) -> None:
    """Forget any earlier attempt and start staging afresh."""
    _unstage(connection, f"snapshot:{stream_id}")
    connection.execute(text("DELETE FROM ref_snapshot WHERE sid = :s"), {"s": stream_id})
    connection.execute(text("INSERT INTO ref_snapshot (sid, epoch, as_of, token, rows, checksum, started_at) "
                            "VALUES (:s, :e, :a, '', 0, '0', :t)"),
                       {"s": stream_id, "e": epoch, "a": as_of,
                        "t": utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")})


def stage_snapshot_page(connection: Connection, stream_id: str, items: Sequence[Item], token: str) -> SnapshotProgress:
    return stage_snapshot_rows(connection, stream_id, [(i.entity, i.key, i.hq_version, i.payload) for i in items], token)


def stage_snapshot_rows(connection: Connection, stream_id: str, rows: Sequence[Sequence[Any]],
                        token: str) -> SnapshotProgress:
    """A snapshot page as received (``[entity, key, hq_version, payload]`` per row) into its staging
    tables, the snapshot's running checksum (:func:`refstreams.item_hash` of each row) and its resume
    token moved with it."""
    progress = _progress(connection, stream_id)
    sid, item_hash, total = f"snapshot:{stream_id}", rs.item_hash, 0
    staged = [(entity, key, int(version), "upsert", payload) for entity, key, version, payload in rows]
    for entity, key, version, _, _ in staged:
        total += item_hash(entity, key, version)
    st.stage_payloads(_sqlite(connection), sid, staged)
    return _staged(connection, stream_id, progress, token, len(staged), total)


def stage_snapshot_columns(connection: Connection, stream_id: str, entity: str, fields: Sequence[str],
                           rows: Sequence[Sequence[Any]], token: str) -> SnapshotProgress:
    """A snapshot page of format "columns" (``key, hq_version, field...`` per row, one entity) into its
    typed staging table; an entity the branch keeps as JSON (``fields`` None) has its payload third."""
    if fields is None:
        return stage_snapshot_rows(connection, stream_id, [(entity, *row[:2], row[-1]) for row in rows], token)
    if tuple(fields) != st.TYPED.get(entity):  # format "columns" is refstreams.COLUMNS of both ends
        raise ApplyRefused(f"{stream_id}: {entity} columns {list(fields)} are not this branch's {st.TYPED.get(entity)}")
    progress = _progress(connection, stream_id)
    total = st.stage_columns(_sqlite(connection), f"snapshot:{stream_id}", entity, fields, rows)
    return _staged(connection, stream_id, progress, token, len(rows), total)


def _progress(connection: Connection, stream_id: str) -> SnapshotProgress:
    progress = snapshot_progress(connection, stream_id)
    assert progress is not None, "begin_snapshot first"
    return progress


def _staged(connection: Connection, stream_id: str, progress: SnapshotProgress, token: str, rows: int,
            hashes: int) -> SnapshotProgress:
    """The snapshot's progress (as it was before the page) moved on by a staged page, in its transaction."""
    checksum = rs.add_hash(progress.checksum, hashes)
    connection.execute(text("UPDATE ref_snapshot SET token = :t, rows = rows + :n, checksum = :c WHERE sid = :s"),
                       {"t": token, "n": rows, "c": str(checksum), "s": stream_id})
    return SnapshotProgress(progress.epoch, progress.as_of, token, progress.rows + rows, checksum)


def catch_up_snapshot(connection: Connection, stream_id: str, items: Sequence[Item], next_cursor: int) -> SnapshotProgress:
    """Changes after the snapshot's start, folded into the staged rows (newer version wins)."""
    progress = snapshot_progress(connection, stream_id)
    assert progress is not None
    sid, checksum, rows = f"snapshot:{stream_id}", progress.checksum, progress.rows
    raw = _sqlite(connection)
    for item in _last_per_key(items):
        held = st.held(raw, sid, item.entity, item.key)
        if held is not None and held[1] >= item.hq_version:
            continue
        if held is not None:
            st.forget(raw, item.entity, held[0])
            checksum = rs.remove_hash(checksum, rs.item_hash(item.entity, item.key, held[1]))
            rows -= 1
        if item.op == "upsert":
            stage(connection, sid, [item])
            checksum = rs.add_hash(checksum, rs.item_hash(item.entity, item.key, item.hq_version))
            rows += 1
    connection.execute(text("UPDATE ref_snapshot SET as_of = :a, rows = :n, checksum = :c WHERE sid = :s"),
                       {"a": next_cursor, "n": rows, "c": str(checksum), "s": stream_id})
    return SnapshotProgress(progress.epoch, next_cursor, progress.token, rows, checksum)


#: a snapshot swap of more rows than this sets the stream's read-only triggers (migration 0012) aside
#: within its own transaction: their check of ``ref_guard`` on every row is a quarter of the time of
#: writing millions of bills, and no other connection can write while this one holds the write lock
TRIGGERS_ASIDE_ABOVE = 10_000


@contextmanager
def _triggers_aside(connection: Connection, stream: str, rows: int) -> Iterator[None]:
    """Drop the stream's ``ref_ro_*`` triggers and create them again from their own text before the
    transaction ends: a rollback or a kill brings them back with everything else (SQLite's DDL is
    transactional); other connections never see them missing."""
    if rows <= TRIGGERS_ASIDE_ABOVE:
        yield
        return
    tables = sorted({ENTITIES[e].table for e in rs.STREAMS[stream][1]})
    held = connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, 7) = 'ref_ro_' AND tbl_name IN ("
        + ", ".join(f":t{i}" for i in range(len(tables))) + ") ORDER BY name"),
        {f"t{i}": table for i, table in enumerate(tables)}).all()
    for name, _ in held:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        for _, sql in held:
            connection.exec_driver_sql(sql)


def swap_snapshot(connection: Connection, stream: str, bucket: str) -> tuple[int, int, int]:
    """The staged snapshot becomes the live data and the cursor its ``as_of``, in the caller's
    transaction. Returns (staged checksum, staged rows, rows written into the live tables); the
    caller compares them with head office's and rolls back on a difference."""
    stream_id = rs.stream_id(stream, bucket)
    progress = snapshot_progress(connection, stream_id)
    assert progress is not None
    sid = f"snapshot:{stream_id}"
    _guard(connection, True)
    with _triggers_aside(connection, stream, progress.rows):
        counts = _move(connection, stream, bucket, sid, snapshot=True)
    _guard(connection, False)
    # the staged rows stay, dead from this COMMIT on (no ref_snapshot row): sweep_dead drops them later
    connection.execute(text("DELETE FROM ref_snapshot WHERE sid = :s"), {"s": stream_id})
    _set_cursor(connection, stream_id, progress.epoch, progress.as_of, progress.checksum)
    return progress.checksum, progress.rows, counts


def sweep_dead(connection: Connection) -> int:
    """Drop the staged rows of snapshots already swapped (or dropped), one set per transaction (on a
    connection outside any); off a snapshot's critical path: the next pull's start. Returns how many
    sets were dropped."""
    with connection.begin():
        dead = st.dead_sids(_sqlite(connection))
    for sid in dead:
        began = time.perf_counter()
        with connection.begin():
            st.unstage(_sqlite(connection), sid)
        log.debug("%s unstaged: %.2f s", sid, time.perf_counter() - began)
    return len(dead)


def drop_snapshot(connection: Connection, stream_id: str) -> None:
    _unstage(connection, f"snapshot:{stream_id}")
    connection.execute(text("DELETE FROM ref_snapshot WHERE sid = :s"), {"s": stream_id})
