"""Snapshot pages in head office's COPY text form ("tsv") carry exactly the rows of the JSON form,
page by page, whatever the text holds (quotes, backslashes, tabs, newlines, U+2028, Chinese); so do
the pages of format "columns" field by field (NULLs too), and a branch that takes its snapshot in
columns holds exactly what one that takes it in JSON rows holds; a format head office does not know
is refused naming the field; the branch ends equal to head office."""

from __future__ import annotations

import json

import pytest

from counter_app.core import refstreams as rs
from counter_app.hq.errors import HQError
from counter_app.hq.refdata import api
from counter_app.hq.refdata.serve import snapshot_page
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.services.node import open_node_database
from counter_app.services.sync.refdata import pull_all
from counter_app.services.sync.refdata.pull import StreamPuller
from counter_app.services.sync.refdata.apply import stream_checksum
from tests.hq.refdata_fixtures import TARIFF, account, bill, publish_branch
from tests.hq.refdata_wire import node_call

NASTY = ['他说"你好"', "C:\\path\\to", "tab\there", "two\nlines", "sep\u2028line", "back\\\\slash\\n", "\\t literal",
         "\\N", "cr\r\x0b\x08\x0cend", "'单引号' {\"a\": [1]}"]


def _pages(engine, form: str, limit: int) -> list[list[list[str]]]:  # type: ignore[no-untyped-def]
    pages, token = [], ""
    for _ in range(50):
        body = json.loads(snapshot_page(engine, "B001", {"stream": "accounts_bills", "bucket": "B001",
                                                         "page_token": token, "limit": limit, "format": form}))
        rows = rs.copy_rows(body["tsv"]) if form == "tsv" else body["rows"]
        pages.append([[str(v) for v in row] for row in rows])
        token = body["next_token"]
        if body["done"]:
            return pages
    raise AssertionError("no last page")


def _publish(engine) -> None:  # type: ignore[no-untyped-def]
    publish_branch(engine)
    api.publish_tariff_version(engine, code="RES", name="居民", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="test")
    numbers = [f"10000000{i:02d}" for i in range(len(NASTY))]
    api.upsert_accounts_and_bills(
        engine, "B001", accounts=[account(no, holder=holder, address=holder) for no, holder in zip(numbers, NASTY)],
        meters=[{"meter_no": f"M{no}", "account_no": no, **({"installed_on": "2020-02-29"} if i % 2 else {})}
                for i, no in enumerate(numbers)],  # installed_on: NULL on every other meter
        bills=[bill(no, detail={"note": holder, "行": [{"名": holder, "fen": 12, "rate": 1.5, "x": None, "ok": True}]})
               for no, holder in zip(numbers, NASTY)], by="test")


def test_tsv_pages_hold_the_json_pages_rows(hq_db) -> None:  # type: ignore[no-untyped-def]
    _publish(hq_db.engine)
    for limit in (2, 5, 1000):
        as_rows, as_tsv = _pages(hq_db.engine, "rows", limit), _pages(hq_db.engine, "tsv", limit)
        assert as_tsv == as_rows
        assert sum(len(p) for p in as_tsv) == 3 * len(NASTY)
    holders = {json.loads(r[3])["holder"] for p in as_tsv for r in p if r[0] == "customer_account"}
    assert holders == set(NASTY)
    with pytest.raises(HQError) as refused:
        snapshot_page(hq_db.engine, "B001", {"stream": "accounts_bills", "bucket": "B001", "format": "csv"})
    assert refused.value.status == 422 and "format" in str(refused.value)


def test_a_snapshot_of_nasty_text_reaches_the_branch_equal(hq_db, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    _publish(hq_db.engine)
    report = pull_all(node_db.sessions, node_call(client, make_node("B001", "counter", 1)), "B001")
    assert report.ok, report
    with node_db.sessions() as session:
        connection = session.connection()
        held = {row[0] for row in connection.exec_driver_sql("SELECT holder FROM customer_account WHERE hq_version > 0")}
        checksum = stream_checksum(connection, "accounts_bills", "B001")
    assert held == set(NASTY)
    with hq_db.engine.connect() as c:
        row = c.exec_driver_sql("SELECT checksum, live_count FROM ref_stream WHERE stream = 'accounts_bills'").one()
    assert checksum == (int(row[0]), int(row[1]))


def _as_text(value: object) -> str | None:
    """A payload field as PostgreSQL's ``->>`` gives it."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def test_columns_pages_hold_the_json_pages_fields(hq_db) -> None:  # type: ignore[no-untyped-def]
    _publish(hq_db.engine)
    for limit in (2, 5, 1000):
        as_rows = [r for page in _pages(hq_db.engine, "rows", limit) for r in page]
        token, seen = "", []
        for _ in range(50):
            body = json.loads(snapshot_page(hq_db.engine, "B001", {"stream": "accounts_bills", "bucket": "B001",
                                                                   "page_token": token, "limit": limit, "format": "columns"}))
            rows = rs.copy_rows(body["tsv"])
            if not body["entity"]:  # after a last page that was full: nothing left
                assert body["done"] and not rows and body["columns"] is None
                break
            assert 0 < len(rows) <= limit and body["columns"] == list(rs.COLUMNS[body["entity"]])
            seen += [(body["entity"], row) for row in rows]
            token = body["next_token"]
            if body["done"]:
                break
        assert [(e, k, v) for e, (k, v, *_) in seen] == [(e, k, v) for e, k, v, _ in as_rows]
        for (entity, (_, _, *fields)), (_, _, _, payload) in zip(seen, as_rows):
            data = json.loads(payload)
            for name, value in zip(rs.COLUMNS[entity], fields):
                if name in rs.JSON_FIELDS:
                    assert json.loads(value) == data[name], (entity, name)
                else:
                    assert value == _as_text(data[name]), (entity, name)
    assert any(value is None for _, (_, _, *fields) in seen for value in fields)  # NULLs were sent as NULL
    assert {f[0] for e, (_, _, *f) in seen if e == "customer_account"} == set(NASTY)


def _tables(db, names: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    """Every row of each table, each value with its SQLite type."""
    held = {}
    with db.sessions() as session:
        c = session.connection()
        for name in names:
            columns = [r[1] for r in c.exec_driver_sql(f'PRAGMA table_info("{name}")')]
            values = ", ".join(f'"{col}", typeof("{col}")' for col in columns)
            held[name] = [tuple(r) for r in c.exec_driver_sql(f'SELECT {values} FROM "{name}" ORDER BY id')]
    return held


def _details(db) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        return {no: json.loads(detail) for no, detail in session.connection().exec_driver_sql(
            "SELECT a.account_no, b.detail FROM bill b JOIN customer_account a ON a.id = b.account_id")}


def test_a_snapshot_in_columns_lands_as_one_in_json_rows(hq_db, client, make_node, node_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _publish(hq_db.engine)
    other = open_node_database(DataPaths(tmp_path / "other").ensure(), Settings())
    tables = ("customer_account", "meter", "bill", "tariff_version")
    try:
        pullers = []
        for db, form, window in ((node_db, "columns", 1), (other, "rows", 2)):
            call = node_call(client, make_node("B001", "counter", window))
            pullers.append((db, call, StreamPuller(db.sessions, call, snapshot_format=form)))
        for db, call, puller in pullers:
            assert pull_all(db.sessions, call, "B001", puller=puller).ok
        in_columns, in_rows = _tables(node_db, tables), _tables(other, tables)
        assert in_columns == in_rows
        assert len(in_columns["bill"]) == len(NASTY) and len(in_columns["customer_account"]) == len(NASTY)
        with node_db.sessions() as session:
            held = session.connection().exec_driver_sql("SELECT count(*) FROM meter WHERE installed_on IS NULL").scalar()
        assert held == len(NASTY) // 2
        assert _details(node_db)["1000000000"]["行"][0]["名"] == NASTY[0]
        # a day's changes (JSON payloads, staged into the same typed tables) land alike on both
        api.upsert_accounts_and_bills(hq_db.engine, "B001", bills=[
            bill(f"10000000{i:02d}", detail={"changed": holder[::-1]}) for i, holder in enumerate(NASTY)], by="test")
        for db, call, puller in pullers:
            assert pull_all(db.sessions, call, "B001", puller=puller).ok
        assert _tables(node_db, tables) == _tables(other, tables)
        assert _details(node_db) == {f"10000000{i:02d}": {"changed": h[::-1]} for i, h in enumerate(NASTY)}
    finally:
        other.dispose()
