"""Where staged reference rows wait for their swap: ``ref_stage`` (an entity's payload as JSON text)
or, for the big entities of ``refstreams.COLUMNS`` (accounts, meters, bills), ``ref_stage_<entity>``
with each payload field in a column of its own (migration 0016).

A typed row is written from either form head office sends: a snapshot page's columns as they are
(format "columns"), or a JSON payload (pull pages, catch-up, the older page formats) whose fields
SQLite extracts as the swap's ``json_extract`` used to: either way the live table gets the same
values. A JSON field (``refstreams.JSON_FIELDS``) is kept as JSON text and read with ``json_extract(f, '$')``
(the functions, not the ``->``/``->>`` operators: those need SQLite 3.38).

A snapshot's staged rows are dead once its swap has committed (its ``ref_snapshot`` row is gone
with that transaction); :func:`sweep_dead` drops them later, off the snapshot's critical path."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from counter_app.core import refstreams as rs

TYPED = rs.COLUMNS
TABLES = ("ref_stage", *(f"ref_stage_{entity}" for entity in TYPED))

_STAGE_INSERT = ("INSERT INTO ref_stage (sid, entity, key, k1, k2, row_id, hq_version, op, payload) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def stable_id(entity: str, key: str) -> str:
    """The id a row made from head office gets: the same on every node of every branch. Its first
    ten bytes are the key's own (ids sort like keys: a snapshot's rows, staged in key order, are
    appended to the tables' indexes instead of scattered over them), the rest a hash of the key."""
    head = key.encode("utf-8")[:10].ljust(10, b"\0").hex()
    tail = hashlib.blake2b(f"{entity}:{key}".encode("utf-8"), digest_size=6).hexdigest()
    h = head + tail
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _typed_columns(entity: str, fields: Sequence[str]) -> str:
    return f"INSERT INTO ref_stage_{entity} (sid, op, k1, k2, row_id, hq_version, " + ", ".join(f'"{f}"' for f in fields)


def columns_insert(entity: str, sid: str, fields: Sequence[str]) -> str:
    """Rows ``(k1, k2, row_id, hq_version, field...)`` of a columns page, upserts of ``sid``."""
    return (_typed_columns(entity, fields) + f") VALUES ({_quoted(sid)}, 'upsert', ?, ?, ?, ?"
            + ", ?" * len(fields) + ")")


def _json_insert(entity: str) -> str:
    """Rows ``(sid, op, k1, k2, row_id, hq_version, payload)``: the fields taken from the payload by SQLite."""
    fields = TYPED[entity]
    values = ", ".join(f"json_quote(json_extract(?7, '$.{f}'))" if f in rs.JSON_FIELDS else f"json_extract(?7, '$.{f}')"
                       for f in fields)
    return _typed_columns(entity, fields) + f") VALUES (?1, ?2, ?3, ?4, ?5, ?6, {values})"


_JSON_INSERTS = {entity: _json_insert(entity) for entity in TYPED}


def staff_payload(payload: str) -> str:
    """Times are stored as the branch's UTC columns store them (naive UTC text)."""
    data = json.loads(payload)
    moment = data.get("offline_valid_until")
    if moment:
        data["offline_valid_until"] = (datetime.fromisoformat(moment).astimezone(timezone.utc).replace(tzinfo=None)
                                       .isoformat(sep=" ", timespec="microseconds"))
    return json.dumps(data, ensure_ascii=False)


def stage_payloads(raw: sqlite3.Connection, sid: str, rows: Iterable[tuple[str, str, int, str, Any]]) -> int:
    """``(entity, key, hq_version, op, payload JSON text or None)`` per row into its staging table."""
    plain: list[tuple[Any, ...]] = []
    typed: dict[str, list[tuple[Any, ...]]] = {}
    for entity, key, version, op, payload in rows:
        k1, _, k2 = key.partition("|")
        if entity in TYPED:
            typed.setdefault(entity, []).append((sid, op, k1, k2, stable_id(entity, key), version, payload))
            continue
        if entity == "staff" and payload:
            payload = staff_payload(payload)
        plain.append((sid, entity, key, k1, k2, stable_id(entity, key), version, op, payload))
    raw.executemany(_STAGE_INSERT, plain)
    for entity, staged in typed.items():
        raw.executemany(_JSON_INSERTS[entity], staged)
    return len(plain) + sum(len(v) for v in typed.values())


def stage_columns(raw: sqlite3.Connection, sid: str, entity: str, fields: Sequence[str],
                  rows: Sequence[Sequence[Any]]) -> int:
    """A columns page (``key, hq_version, field...`` per row) into ``ref_stage_<entity>``; returns the sum
    of the rows' item hashes (``refstreams.item_hash``) for the snapshot's checksum."""
    item_hash, total, staged = rs.item_hash, 0, []
    for row in rows:
        key, version = row[0], int(row[1])
        total += item_hash(entity, key, version)
        k1, _, k2 = key.partition("|")
        staged.append((k1, k2, stable_id(entity, key), version) + tuple(row[2:]))
    raw.executemany(columns_insert(entity, sid, fields), staged)
    return total


def held(raw: sqlite3.Connection, sid: str, entity: str, key: str) -> tuple[int, int] | None:
    """(seq, hq_version) of the row staged under ``sid`` for ``entity``/``key``, if any."""
    k1, _, k2 = key.partition("|")
    if entity in TYPED:
        row = raw.execute(f"SELECT seq, hq_version FROM ref_stage_{entity} WHERE sid = ? AND k1 = ? AND k2 = ?",
                          (sid, k1, k2)).fetchone()
    else:
        row = raw.execute("SELECT seq, hq_version FROM ref_stage WHERE sid = ? AND entity = ? AND k1 = ? AND k2 = ?",
                          (sid, entity, k1, k2)).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))  # type: ignore[return-value]


def forget(raw: sqlite3.Connection, entity: str, seq: int) -> None:
    raw.execute(f"DELETE FROM {'ref_stage_' + entity if entity in TYPED else 'ref_stage'} WHERE seq = ?", (seq,))


def unstage(raw: sqlite3.Connection, sid: str) -> None:
    """Drop a set of staged rows; a whole table at once (SQLite's truncation) where they are its only rows."""
    for table in TABLES:
        others = raw.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE sid <> ?)", (sid,)).fetchone()[0]
        if others:
            raw.execute(f"DELETE FROM {table} WHERE sid = ?", (sid,))
        else:
            raw.execute(f"DELETE FROM {table}")


def dead_sids(raw: sqlite3.Connection) -> list[str]:
    """Snapshots staged and since swapped or dropped (no ``ref_snapshot`` row any more)."""
    found: set[str] = set()
    for table in TABLES:
        sid = ""
        for _ in range(10_000):  # one index probe per set of staged rows (a few), not a scan of millions
            row = raw.execute(f"SELECT sid FROM {table} WHERE sid > ? ORDER BY sid LIMIT 1", (sid,)).fetchone()
            if row is None:
                break
            sid = row[0]
            found.add(sid)
    live = {f"snapshot:{r[0]}" for r in raw.execute("SELECT sid FROM ref_snapshot")}
    return sorted(s for s in found if s.startswith("snapshot:") and s not in live)
