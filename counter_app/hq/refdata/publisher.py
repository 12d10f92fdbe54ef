"""The one way head office writes reference data (SYNC.md c.7, option (a)): in the caller's
transaction, take ``pg_advisory_xact_lock(REF_CHANGE_LOCK)``, number each change from
``ref_change_id_seq``, append it to ``ref_change``, write ``ref_entity`` and move the bucket's
head and checksum in ``ref_stream``. The lock is held to COMMIT, so change ids commit in order and
a reader never sees a later change before an earlier one (no in-flight gaps, G7).

Bulk writes (a billing run, a CSV import) go through the same function: rows are sent with COPY
in chunks, so 2.4 million bills are one transaction of a few minutes, not millions of statements."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, text

from counter_app.core import refstreams as rs
from counter_app.domain.timeutil import utcnow
from counter_app.hq.refdata.entities import check_payload

#: pg_advisory_xact_lock key serialising every writer of ref_change ("refchg")
REF_CHANGE_LOCK = 0x726566636867
_CHUNK = 20_000


@dataclass(frozen=True)
class Change:
    """One entity written into one bucket: ``payload`` for an upsert, ``None`` with ``key`` for a remove."""

    stream: str
    bucket: str
    entity: str
    payload: dict[str, Any] | None
    key: str = ""

    @property
    def entity_key(self) -> str:
        return self.key or rs.entity_key(self.entity, self.payload or {})


@dataclass
class Published:
    """What one publish wrote: the change ids it took and the buckets it moved."""

    first_change_id: int = 0
    last_change_id: int = 0
    changes: int = 0
    buckets: dict[tuple[str, str], int] = field(default_factory=dict)  # (stream, bucket) -> head change id


def upsert(entity: str, bucket: str, payload: dict[str, Any]) -> Change:
    return Change(rs.ENTITY_STREAM[entity], bucket, entity, check_payload(entity, payload))


def remove(entity: str, bucket: str, key: str) -> Change:
    return Change(rs.ENTITY_STREAM[entity], bucket, entity, None, key)


def _chunks(items: Iterable[Change], size: int) -> Iterator[list[Change]]:
    chunk: list[Change] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(connection: Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    raw = connection.connection.driver_connection
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_text(v) for v in row) + "\n")
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def publish(connection: Connection, changes: Iterable[Change], by: str) -> Published:
    """Append ``changes`` to the log and apply them to head office's current state, in the
    caller's transaction (``with engine.begin() as connection``). Nothing is visible to any
    branch before that transaction commits; all of it is visible at once after."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REF_CHANGE_LOCK})
    now = utcnow()
    done = Published()
    sums: dict[tuple[str, str], list[int]] = {}
    connection.execute(text(
        "CREATE TEMP TABLE IF NOT EXISTS ref_entity_in (stream text, bucket text, entity text, entity_key text, "
        "hq_version bigint, payload jsonb, removed boolean) ON COMMIT DROP"))
    for chunk in _chunks(changes, _CHUNK):
        ids = connection.execute(text("SELECT nextval('ref_change_id_seq') FROM generate_series(1, :n)"),
                                 {"n": len(chunk)}).scalars().all()
        ids.sort()
        txn = done.first_change_id or ids[0]
        for bucket in {(c.stream, c.bucket) for c in chunk} - sums.keys():
            row = connection.execute(text(
                "SELECT checksum, live_count FROM ref_stream WHERE stream = :s AND bucket = :b FOR UPDATE"),
                {"s": bucket[0], "b": bucket[1]}).first()
            if row is None:
                connection.execute(text(
                    "INSERT INTO ref_stream (stream, bucket, epoch, retention_floor, head_change_id, checksum, live_count) "
                    "VALUES (:s, :b, 1, 0, 0, 0, 0)"), {"s": bucket[0], "b": bucket[1]})
                row = (0, 0)
            sums[bucket] = [int(row[0]), int(row[1])]
        keys = [(c.stream, c.bucket, c.entity, c.entity_key) for c in chunk]
        old = {(r[0], r[1], r[2], r[3]): (r[4], r[5]) for r in connection.execute(text(
            "SELECT e.stream, e.bucket, e.entity, e.entity_key, e.hq_version, e.removed FROM ref_entity e "
            "JOIN unnest(CAST(:s AS text[]), CAST(:b AS text[]), CAST(:e AS text[]), CAST(:k AS text[])) AS k(s, b, e, k) ON e.stream = k.s AND e.bucket = k.b AND e.entity = k.e "
            "AND e.entity_key = k.k"),
            {"s": [k[0] for k in keys], "b": [k[1] for k in keys], "e": [k[2] for k in keys], "k": [k[3] for k in keys]})}
        log_rows, entity_rows = [], {}
        for change_id, change, key in zip(ids, chunk, keys):
            sums_of = sums[(change.stream, change.bucket)]
            before = old.get(key)
            if before is not None and not before[1]:
                sums_of[0] = rs.remove_hash(sums_of[0], rs.item_hash(change.entity, key[3], before[0]))
                sums_of[1] -= 1
            payload_json = None if change.payload is None else json.dumps(change.payload, ensure_ascii=False, sort_keys=True)
            if change.payload is not None:
                sums_of[0] = rs.add_hash(sums_of[0], rs.item_hash(change.entity, key[3], change_id))
                sums_of[1] += 1
                old[key] = (change_id, False)
            elif before is not None:
                old[key] = (change_id, True)
            log_rows.append((change_id, txn, change.stream, change.bucket, change.entity, key[3],
                             "remove" if change.payload is None else "upsert", payload_json, now.isoformat(), by))
            if change.payload is not None or before is not None:
                previous = entity_rows.get(key)
                entity_rows[key] = (*key, change_id, payload_json if change.payload is not None
                                    else (previous[5] if previous else None), change.payload is None)
            done.buckets[(change.stream, change.bucket)] = change_id
        _copy(connection, "ref_change", ("change_id", "txn", "stream", "bucket", "entity", "entity_key", "op",
                                         "payload", "committed_at", "published_by"), log_rows)
        if entity_rows:
            connection.execute(text("TRUNCATE ref_entity_in"))
            _copy(connection, "ref_entity_in", ("stream", "bucket", "entity", "entity_key", "hq_version", "payload",
                                                "removed"), entity_rows.values())
            connection.execute(text(
                "INSERT INTO ref_entity (stream, bucket, entity, entity_key, hq_version, payload, removed, updated_at) "
                "SELECT stream, bucket, entity, entity_key, hq_version, COALESCE(payload, '{}'::jsonb), removed, :now "
                "FROM ref_entity_in ON CONFLICT (stream, bucket, entity, entity_key) DO UPDATE SET "
                "hq_version = excluded.hq_version, removed = excluded.removed, updated_at = excluded.updated_at, "
                "payload = CASE WHEN excluded.removed THEN ref_entity.payload ELSE excluded.payload END"), {"now": now})
        done.first_change_id = done.first_change_id or ids[0]
        done.last_change_id = ids[-1]
        done.changes += len(chunk)
    for (stream, bucket), (checksum, count) in sums.items():
        connection.execute(text(
            "UPDATE ref_stream SET checksum = :c, live_count = :n, head_change_id = GREATEST(head_change_id, :h) "
            "WHERE stream = :s AND bucket = :b"),
            {"c": checksum, "n": count, "h": done.buckets.get((stream, bucket), 0), "s": stream, "b": bucket})
    return done


def publish_now(target: Engine | Connection, changes: Iterable[Change], by: str) -> Published:
    """:func:`publish` in a transaction of its own (an Engine), or in the caller's (a Connection)."""
    if isinstance(target, Connection):
        return publish(target, changes, by)
    with target.begin() as connection:
        return publish(connection, changes, by)
