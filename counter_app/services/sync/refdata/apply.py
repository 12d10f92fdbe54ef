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

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, text

from counter_app.core import refstreams as rs
from counter_app.domain.timeutil import utcnow
from counter_app.services.billing.overlay import overlay_staged
from counter_app.services.sync.refdata.tables import ENTITIES

log = logging.getLogger(__name__)

_STAGE_INSERT = ("INSERT INTO ref_stage (sid, entity, key, k1, k2, row_id, hq_version, op, payload) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


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


def stable_id(entity: str, key: str) -> str:
    """The id a row made from head office gets: the same on every node of every branch. Its first
    ten bytes are the key's own (ids sort like keys: a snapshot's rows, staged in key order, are
    appended to the tables' indexes instead of scattered over them), the rest a hash of the key."""
    head = key.encode("utf-8")[:10].ljust(10, b"\0").hex()
    tail = hashlib.blake2b(f"{entity}:{key}".encode("utf-8"), digest_size=6).hexdigest()
    h = head + tail
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _sqlite(connection: Connection) -> sqlite3.Connection:
    return connection.connection.driver_connection  # type: ignore[return-value]


def _staff_payload(payload: str) -> str:
    """Times are stored as the branch's UTC columns store them (naive UTC text)."""
    data = json.loads(payload)
    moment = data.get("offline_valid_until")
    if moment:
        data["offline_valid_until"] = (datetime.fromisoformat(moment).astimezone(timezone.utc).replace(tzinfo=None)
                                       .isoformat(sep=" ", timespec="microseconds"))
    return json.dumps(data, ensure_ascii=False)


def _stage_row(sid: str, entity: str, key: str, hq_version: int, op: str, payload: Any) -> tuple[Any, ...]:
    """One ``ref_stage`` row (``_STAGE_INSERT``'s parameters)."""
    k1, _, k2 = key.partition("|")
    if entity == "staff" and payload:
        payload = _staff_payload(payload)
    return (sid, entity, key, k1, k2, stable_id(entity, key), hq_version, op, payload)


def stage(connection: Connection, sid: str, items: Iterable[Item]) -> int:
    rows = [_stage_row(sid, i.entity, i.key, i.hq_version, i.op, i.payload) for i in items]
    _sqlite(connection).executemany(_STAGE_INSERT, rows)
    return len(rows)


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
        staged = connection.execute(text("SELECT count(*) FROM ref_stage WHERE sid = :sid AND entity = :e AND "
                                         "op = 'upsert'"), {**params, "e": entity}).scalar_one()
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
    """Drop a set of staged rows; the whole table at once (SQLite's truncation) when it is the only one."""
    others = connection.execute(text("SELECT EXISTS (SELECT 1 FROM ref_stage WHERE sid <> :sid)"), {"sid": sid}).scalar()
    connection.execute(text("DELETE FROM ref_stage WHERE sid = :sid" if others else "DELETE FROM ref_stage"),
                       {"sid": sid} if others else {})


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
    connection.execute(text("DELETE FROM ref_stage WHERE sid = :sid"), {"sid": sid})
    if items:
        stage(connection, sid, _last_per_key(items))
        checksum = rs.remove_hash(checksum, _touched(connection, stream, bucket, sid))
        _guard(connection, True)
        _move(connection, stream, bucket, sid, snapshot=False)
        _guard(connection, False)
        checksum = rs.add_hash(checksum, _touched(connection, stream, bucket, sid))
        connection.execute(text("DELETE FROM ref_stage WHERE sid = :sid"), {"sid": sid})
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
    connection.execute(text("DELETE FROM ref_stage WHERE sid = :sid"), {"sid": f"snapshot:{stream_id}"})
    connection.execute(text("DELETE FROM ref_snapshot WHERE sid = :s"), {"s": stream_id})
    connection.execute(text("INSERT INTO ref_snapshot (sid, epoch, as_of, token, rows, checksum, started_at) "
                            "VALUES (:s, :e, :a, '', 0, '0', :t)"),
                       {"s": stream_id, "e": epoch, "a": as_of,
                        "t": utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")})


def stage_snapshot_page(connection: Connection, stream_id: str, items: Sequence[Item], token: str) -> SnapshotProgress:
    return stage_snapshot_rows(connection, stream_id, [(i.entity, i.key, i.hq_version, i.payload) for i in items], token)


def stage_snapshot_rows(connection: Connection, stream_id: str, rows: Sequence[Sequence[Any]],
                        token: str) -> SnapshotProgress:
    """A snapshot page as received (``[entity, key, hq_version, payload]`` per row) into ``ref_stage``,
    the snapshot's running checksum and its resume token moved with it. One pass over the rows: the
    item hash (:func:`refstreams.item_hash`) and the ``ref_stage`` row are made together, a first
    snapshot being millions of rows."""
    progress = snapshot_progress(connection, stream_id)
    assert progress is not None, "begin_snapshot first"
    sid, item_hash = f"snapshot:{stream_id}", rs.item_hash
    total, staged = 0, []
    for entity, key, version, payload in rows:
        version = int(version)
        total += item_hash(entity, key, version)
        staged.append(_stage_row(sid, entity, key, version, "upsert", payload))
    _sqlite(connection).executemany(_STAGE_INSERT, staged)
    checksum = rs.add_hash(progress.checksum, total)
    connection.execute(text("UPDATE ref_snapshot SET token = :t, rows = rows + :n, checksum = :c WHERE sid = :s"),
                       {"t": token, "n": len(staged), "c": str(checksum), "s": stream_id})
    return SnapshotProgress(progress.epoch, progress.as_of, token, progress.rows + len(staged), checksum)


def catch_up_snapshot(connection: Connection, stream_id: str, items: Sequence[Item], next_cursor: int) -> SnapshotProgress:
    """Changes after the snapshot's start, folded into the staged rows (newer version wins)."""
    progress = snapshot_progress(connection, stream_id)
    assert progress is not None
    sid, checksum, rows = f"snapshot:{stream_id}", progress.checksum, progress.rows
    raw = _sqlite(connection)
    for item in _last_per_key(items):
        k1, _, k2 = item.key.partition("|")
        held = raw.execute("SELECT seq, hq_version FROM ref_stage WHERE sid = ? AND entity = ? AND k1 = ? AND k2 = ?",
                           (sid, item.entity, k1, k2)).fetchone()
        if held is not None and held[1] >= item.hq_version:
            continue
        if held is not None:
            raw.execute("DELETE FROM ref_stage WHERE seq = ?", (held[0],))
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
    began = time.perf_counter()
    _unstage(connection, sid)
    log.debug("%s unstaged: %.2f s", stream_id, time.perf_counter() - began)
    connection.execute(text("DELETE FROM ref_snapshot WHERE sid = :s"), {"s": stream_id})
    _set_cursor(connection, stream_id, progress.epoch, progress.as_of, progress.checksum)
    return progress.checksum, progress.rows, counts


def drop_snapshot(connection: Connection, stream_id: str) -> None:
    _unstage(connection, f"snapshot:{stream_id}")
    connection.execute(text("DELETE FROM ref_snapshot WHERE sid = :s"), {"s": stream_id})
