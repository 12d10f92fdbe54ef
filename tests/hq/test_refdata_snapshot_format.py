"""Snapshot pages in head office's COPY text form ("tsv") carry exactly the rows of the JSON form,
page by page, whatever the text holds (quotes, backslashes, tabs, newlines, U+2028, Chinese); a
format head office does not know is refused naming the field; the branch ends equal to head office."""

from __future__ import annotations

import json

import pytest

from counter_app.core import refstreams as rs
from counter_app.hq.errors import HQError
from counter_app.hq.refdata import api
from counter_app.hq.refdata.serve import snapshot_page
from counter_app.services.sync.refdata import pull_all
from counter_app.services.sync.refdata.apply import stream_checksum
from tests.hq.refdata_fixtures import TARIFF, account, bill, publish_branch
from tests.hq.refdata_wire import node_call

NASTY = ['他说"你好"', "C:\\path\\to", "tab\there", "two\nlines", "sep\u2028line", "back\\\\slash\\n", "\\t literal"]


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
        meters=[{"meter_no": f"M{no}", "account_no": no} for no in numbers],
        bills=[bill(no, detail={"note": holder}) for no, holder in zip(numbers, NASTY)], by="test")


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
