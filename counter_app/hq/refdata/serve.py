"""Pull and snapshot pages for a node (SYNC.md c.5 items 4 and 5), each read in one REPEATABLE READ
transaction. The answer is JSON text built here: each payload is sent as PostgreSQL stored it
(a JSON string inside the answer), so neither end parses and re-encodes millions of bills."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import Connection, Engine, text

from counter_app.core import refstreams as rs
from counter_app.hq.errors import HQError

#: a page never ends inside a head-office transaction of at most this many changes (a bigger one,
#: a bulk import, is split: its rows are independent upserts)
TXN_PAGE_MAX = 10_000
#: rows of one snapshot page at most (about 25 MB of bills): few round trips for millions of rows
SNAPSHOT_PAGE_MAX = 50_000


def _bad(field: str, rule: str) -> HQError:
    return HQError(422, "bad_request", f"{field}: {rule}", field=field)


def _bucket(data: Any, branch_code: str) -> tuple[str, str]:
    if not isinstance(data, dict):
        raise _bad("body", "a JSON object")
    stream, bucket = data.get("stream"), data.get("bucket")
    if stream not in rs.STREAMS:
        raise _bad("stream", "one of " + ", ".join(rs.STREAMS))
    wanted = branch_code if rs.STREAMS[stream][0] == "branch" else rs.GLOBAL_BUCKET
    if bucket != wanted:
        raise HQError(403, "bucket_forbidden", f"this node may read {stream}/{wanted} only", stream=stream)
    return stream, bucket


def _int(data: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(name, f"a whole number from {low} to {high}")
    return value


def _stream_row(connection: Connection, stream: str, bucket: str) -> tuple[int, int, int, int, int] | None:
    row = connection.execute(text("SELECT epoch, retention_floor, head_change_id, checksum, live_count FROM ref_stream "
                                  "WHERE stream = :s AND bucket = :b"), {"s": stream, "b": bucket}).first()
    return None if row is None else tuple(int(v) for v in row)  # type: ignore[return-value]


def _unpublished(stream: str, bucket: str) -> str:
    """Head office never published this bucket: the branch keeps what it has (its own demo or
    standalone data) and asks again later; it is not head office's to replace yet."""
    return json.dumps({"stream": stream, "bucket": bucket, "published": False, "changes": [], "rows": []})


def _must_resnapshot(stream: str, bucket: str, epoch: int, why: str) -> HQError:
    return HQError(409, "must_resnapshot", f"{stream}/{bucket}: {why}; take a new snapshot", must_resnapshot=True,
                   epoch=epoch)


def _repeatable(engine: Engine) -> Connection:
    return engine.connect().execution_options(isolation_level="REPEATABLE READ")


def pull_page(engine: Engine, branch_code: str, data: Any) -> str:
    """Changes of one bucket after ``after``, at most ``limit`` unless a transaction runs on."""
    stream, bucket = _bucket(data, branch_code)
    epoch = _int(data, "epoch", 0, 0, 2 ** 31)
    after = _int(data, "after", 0, 0, 2 ** 62)
    limit = _int(data, "limit", rs.PULL_PAGE, 1, 5000)
    with _repeatable(engine) as connection, connection.begin():
        known = _stream_row(connection, stream, bucket)
        if known is None:
            return _unpublished(stream, bucket)
        current_epoch, floor, head, checksum, count = known
        if epoch != current_epoch:
            raise _must_resnapshot(stream, bucket, current_epoch, "the stream's epoch changed")
        if after < floor:
            raise _must_resnapshot(stream, bucket, current_epoch, "the cursor is older than the kept change log")
        rows = connection.execute(text(
            "SELECT change_id, txn, entity, entity_key, op, payload::text FROM ref_change "
            "WHERE stream = :s AND bucket = :b AND change_id > :after ORDER BY change_id LIMIT :n"),
            {"s": stream, "b": bucket, "after": after, "n": limit}).all()
        if len(rows) == limit:
            rest = connection.execute(text(
                "SELECT change_id, txn, entity, entity_key, op, payload::text FROM ref_change WHERE stream = :s "
                "AND bucket = :b AND txn = :t AND change_id > :last ORDER BY change_id LIMIT :n"),
                {"s": stream, "b": bucket, "t": rows[-1][1], "last": rows[-1][0], "n": TXN_PAGE_MAX}).all()
            rows += rest
        next_cursor = rows[-1][0] if rows else max(after, head)
        has_more = next_cursor < head
    changes = ",".join(json.dumps([r[0], r[2], r[3], r[4], r[5]], ensure_ascii=False) for r in rows)
    tail = {"stream": stream, "bucket": bucket, "epoch": current_epoch, "next_cursor": next_cursor,
            "has_more": has_more, "head": head}
    if not has_more:
        tail.update(checksum=str(checksum), count=count)
    return '{"changes":[' + changes + "]," + json.dumps(tail)[1:]


def _token(as_of: int, epoch: int, entity: str, key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([as_of, epoch, entity, key]).encode("utf-8")).decode("ascii")


def _untoken(token: str) -> tuple[int, int, str, str]:
    try:
        as_of, epoch, entity, key = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        return int(as_of), int(epoch), str(entity), str(key)
    except (ValueError, TypeError):
        raise _bad("page_token", "a token from the previous snapshot page") from None


PAGE_FORMATS = ("rows", "tsv", "columns")


#: one keyset page of a bucket's live entities, in key order: a plain index range read; the answer is
#: assembled in Python from the payloads' text (no per-page aggregate in PostgreSQL)
_PAGE_SQL = ("SELECT entity, entity_key, hq_version, payload::text FROM ref_entity WHERE stream = %s AND bucket = %s "
             "AND (stream, bucket, entity, entity_key) > (%s, %s, %s, %s) AND NOT removed "
             "ORDER BY stream, bucket, entity, entity_key LIMIT %s")


def _rows_json(page: list[tuple[str, str, int, str]]) -> str:
    """``[entity, key, hq_version, "payload JSON as a string"]`` per row, as the branch reads them."""
    dumps = json.dumps
    return ",".join(f"[{dumps(e)},{dumps(k, ensure_ascii=False)},{int(v)},{dumps(p, ensure_ascii=False)}]"
                    for e, k, v, p in page)


#: format "columns": the first entity after the token's place, then one entity's page in key order
_NEXT_ENTITY = ("SELECT entity FROM ref_entity WHERE stream = %s AND bucket = %s AND (stream, bucket, entity, entity_key) > "
                "(%s, %s, %s, %s) AND NOT removed ORDER BY stream, bucket, entity, entity_key LIMIT 1")
_MORE_ENTITIES = "SELECT EXISTS (SELECT 1 FROM ref_entity WHERE stream = %s AND bucket = %s AND entity > %s AND NOT removed)"


def _copy_escaped(value: str) -> str:
    r"""SQL of ``value`` as a field of COPY's text format: backslash, tab, newline and carriage return
    escaped (``\\``, ``\t``, ``\n``, ``\r``), NULL as ``\N`` (:func:`refstreams.copy_rows` reads it back)."""
    inner = f"replace(replace(replace(replace({value}, '\\', '\\\\'), E'\\t', '\\t'), E'\\n', '\\n'), E'\\r', '\\r')"
    return f"coalesce({inner}, '\\N')"


def _entity_columns_sql(entity: str) -> str:
    """One entity's page as one text, built by PostgreSQL (no row handled one by one in Python): a line
    per row, key TAB hq_version TAB each field of ``refstreams.COLUMNS`` (JSON fields as JSON text, the
    others as ``->>`` gives them, NULL where the payload has none), or the payload's text for an entity
    not sent as columns; fields escaped as COPY's text format escapes them."""
    fields = rs.COLUMNS.get(entity)
    values = ([_copy_escaped("payload::text")] if fields is None else
              [_copy_escaped(f"(payload->'{f}')::text" if f in rs.JSON_FIELDS else f"payload->>'{f}'") for f in fields])
    line = ", ".join([_copy_escaped("entity_key"), "hq_version::text", *values])
    return (f"SELECT string_agg(concat_ws(E'\\t', {line}), E'\\n' ORDER BY entity_key) || E'\\n' FROM (SELECT entity_key, "
            "hq_version, payload FROM ref_entity WHERE stream = %s AND bucket = %s AND entity = %s AND entity_key > %s "
            "AND NOT removed ORDER BY stream, bucket, entity, entity_key LIMIT %s) page")


def _copy_text(cursor: Any, sql: str, params: tuple[Any, ...]) -> str:
    with cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
        return b"".join(copy).decode("utf-8")


def _last_line(tsv: str, fields: int) -> list[str]:
    return tsv[tsv.rfind("\n", 0, len(tsv) - 1) + 1:].split("\t", fields)


def _columns_page(cursor: Any, stream: str, bucket: str, entity: str, key: str, limit: int) -> tuple[str, int, str, str, bool]:
    """(page body, rows, last entity, last key, done) of a page of one entity: the first one after
    (``entity``, ``key``), from there on."""
    cursor.execute(_NEXT_ENTITY, (stream, bucket, stream, bucket, entity, key))
    first = cursor.fetchone()
    if first is None:
        return '"entity":"","columns":null,"tsv":""', 0, "", "", True
    current = first[0]
    cursor.execute(_entity_columns_sql(current), (stream, bucket, current, key if current == entity else "", limit))
    tsv = cursor.fetchone()[0] or ""
    rows = tsv.count("\n")
    done = False
    if rows < limit:
        cursor.execute(_MORE_ENTITIES, (stream, bucket, current))
        done = not cursor.fetchone()[0]
    fields = rs.COLUMNS.get(current)
    body = (f'"entity":{json.dumps(current)},"columns":{json.dumps(list(fields) if fields else None)},'
            f'"tsv":{json.dumps(tsv, ensure_ascii=False)}')
    return body, rows, current, _last_line(tsv, 1)[0] if rows else key, done


def snapshot_page(engine: Engine, branch_code: str, data: Any) -> str:
    """One keyset page of the bucket's live entities. ``as_of`` is the head when the snapshot began;
    rows read later may be newer, which the client's catch-up from ``as_of`` makes whole.

    ``format`` "rows" (the default): ``"rows": [[entity, key, hq_version, "payload"], ...]``.
    ``format`` "tsv": ``"tsv": "<text>"``, PostgreSQL's own COPY text of the same rows (one line each,
    entity TAB key TAB hq_version TAB payload, backslash escapes, :func:`refstreams.copy_unescape`): no row
    is handled one by one in Python at head office, and the branch splits lines instead of parsing
    a JSON array per row. Millions of bills take a fraction of the time.
    ``format`` "columns": one entity per page, ``"entity": name, "columns": [field, ...], "tsv": "<text>"``,
    each line key TAB hq_version TAB one field after another (``refstreams.COLUMNS``; ``columns`` null
    and the payload's text for an entity not sent as columns): about a third of the bytes of the payloads,
    and the branch stages columns without reading JSON."""
    stream, bucket = _bucket(data, branch_code)
    limit = _int(data, "limit", rs.SNAPSHOT_PAGE, 1, SNAPSHOT_PAGE_MAX)
    token = data.get("page_token") or ""
    if not isinstance(token, str) or len(token) > 400:
        raise _bad("page_token", "a token from the previous snapshot page")
    form = data.get("format", "rows")
    if form not in PAGE_FORMATS:
        raise _bad("format", "one of " + ", ".join(PAGE_FORMATS))
    with _repeatable(engine) as connection, connection.begin():
        known = _stream_row(connection, stream, bucket)
        if known is None:
            return _unpublished(stream, bucket)
        epoch, _, head, _, count = known
        if token:
            as_of, token_epoch, entity, key = _untoken(token)
            if token_epoch != epoch:
                raise _must_resnapshot(stream, bucket, epoch, "the stream's epoch changed during the snapshot")
        else:
            as_of, entity, key = head, "", ""
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            if form == "columns":
                page_body, rows, last_entity, last_key, done = _columns_page(cursor, stream, bucket, entity, key, limit)
            elif form == "tsv":
                tsv = _copy_text(cursor, _PAGE_SQL, (stream, bucket, stream, bucket, entity, key, limit))
                rows = tsv.count("\n")
                last = _last_line(tsv, 2) if rows else ["", ""]
                page_body, last_entity, last_key = '"tsv":' + json.dumps(tsv, ensure_ascii=False), last[0], last[1]
            else:
                cursor.execute(_PAGE_SQL, (stream, bucket, stream, bucket, entity, key, limit))
                page = cursor.fetchall()
                rows, page_body = len(page), '"rows":[' + _rows_json(page) + "]"
                last_entity, last_key = page[-1][:2] if page else ("", "")
            if form != "columns":
                done = rows < limit
    tail = {"stream": stream, "bucket": bucket, "epoch": epoch, "as_of": as_of, "done": done, "total": count,
            "next_token": "" if done else _token(as_of, epoch, rs.copy_unescape(last_entity), rs.copy_unescape(last_key))}
    return "{" + page_body + "," + json.dumps(tail)[1:]


def bump_epoch(engine: Engine, stream: str, bucket: str, *, floor_to_head: bool = True) -> int:
    """After a restore or a rebuilt log: every node of the bucket must take a new snapshot."""
    with engine.begin() as connection:
        return connection.execute(text(
            "UPDATE ref_stream SET epoch = epoch + 1, retention_floor = CASE WHEN :f THEN head_change_id "
            "ELSE retention_floor END WHERE stream = :s AND bucket = :b RETURNING epoch"),
            {"s": stream, "b": bucket, "f": floor_to_head}).scalar_one()


def prune_log(engine: Engine, older_than_days: int = 90) -> int:
    """Drop changes older than the retention (SYNC.md c.7: 90 days); a cursor below the new floor
    gets 409 must-resnapshot. Returns how many changes were dropped."""
    with engine.begin() as connection:
        floors = connection.execute(text(
            "SELECT stream, bucket, max(change_id) FROM ref_change WHERE committed_at < now() - make_interval(days => :d) "
            "GROUP BY stream, bucket"), {"d": older_than_days}).all()
        dropped = 0
        for stream, bucket, floor in floors:
            connection.execute(text("UPDATE ref_stream SET retention_floor = GREATEST(retention_floor, :f) "
                                    "WHERE stream = :s AND bucket = :b"), {"f": floor, "s": stream, "b": bucket})
            dropped += connection.execute(text("DELETE FROM ref_change WHERE stream = :s AND bucket = :b "
                                               "AND change_id <= :f"), {"f": floor, "s": stream, "b": bucket}).rowcount
        return dropped
