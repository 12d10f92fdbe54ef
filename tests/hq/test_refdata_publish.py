"""Head office's publisher on a real PostgreSQL: every write appends to the gap-free change log
in its own transaction, the bucket's checksum follows, published tariffs are immutable."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from counter_app.core import refstreams as rs
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hq.refdata import api
from counter_app.hq.refdata.publisher import publish_now, upsert
from tests.hq.refdata_fixtures import TARIFF, account, password_hash, publish_branch


def _checksum(engine, stream: str, bucket: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        rows = c.execute(text("SELECT entity, entity_key, hq_version FROM ref_entity WHERE stream = :s AND bucket = :b "
                              "AND NOT removed"), {"s": stream, "b": bucket}).all()
        stored = c.execute(text("SELECT checksum, live_count FROM ref_stream WHERE stream = :s AND bucket = :b"),
                           {"s": stream, "b": bucket}).one()
    total = 0
    for entity, key, version in rows:
        total = rs.add_hash(total, rs.item_hash(entity, key, version))
    assert (total, len(rows)) == tuple(stored)
    return total, len(rows)


def test_publishing_logs_each_change_and_keeps_the_checksum(hq_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    publish_branch(engine)
    api.upsert_staff(engine, staff_no="1001", name="李娜", role="clerk", password_hash=password_hash("pw-1001"),
                     branches=["B001"], offline_valid_until="2026-12-31T00:00:00+08:00", by="test")
    revoked = api.set_staff_disabled(engine, "1001", True, by="test")
    assert api.current(engine, "staff", "1001", "B001")["disabled"] is True
    api.publish_tariff_version(engine, code="RES", name="居民", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="test")
    api.set_holiday_year(engine, 2026, [("2026-10-01", "holiday", "国庆"), ("2026-10-02", "holiday", "国庆")], by="t")
    api.set_holiday_year(engine, 2026, [("2026-10-01", "holiday", "国庆")], by="t")
    api.upsert_accounts_and_bills(engine, "B001", accounts=[account("1000000001"), account("1000000002")], by="t")
    with engine.connect() as c:
        ids = c.execute(text("SELECT change_id FROM ref_change ORDER BY change_id")).scalars().all()
        staff_log = c.execute(text("SELECT op, payload->>'disabled' FROM ref_change WHERE entity = 'staff' "
                                   "ORDER BY change_id")).all()
    assert ids == sorted(set(ids)) and revoked in ids
    assert staff_log == [("upsert", "false"), ("upsert", "true")]
    assert _checksum(engine, "common", "*")[1] == 1  # the removed day no longer counts
    assert _checksum(engine, "accounts_bills", "B001")[1] == 2
    _checksum(engine, "staff", "B001")
    api.move_account(engine, "1000000002", "B001", by="t")  # to the same branch: removed then published again
    _checksum(engine, "accounts_bills", "B001")


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(hq_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    publish_branch(engine)
    with pytest.raises(InvalidInput) as caught:
        api.upsert_staff(engine, staff_no="1001", name="李娜", role="boss", password_hash=password_hash("secret-x"),
                         branches=["B001"], by="t")
    assert caught.value.field == "staff.role"
    with pytest.raises(InvalidInput) as caught:
        api.upsert_staff(engine, staff_no="1001", name="李娜", role="clerk", password_hash="plain", branches=["B001"], by="t")
    assert caught.value.field == "staff.password_hash"
    with pytest.raises(NotAllowed):
        api.upsert_staff(engine, staff_no="1001", name="李娜", role="clerk", password_hash=password_hash("secret-x"),
                         branches=["B404"], by="t")
    api.publish_tariff_version(engine, code="RES", name="居民", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="t")
    with pytest.raises(NotAllowed) as refused:
        api.publish_tariff_version(engine, code="RES", name="居民 bis", user_type="residential",
                                   valid_from="2026-01-01", definition=TARIFF, by="t")
    assert refused.value.code == "ref_tariff_immutable"
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM ref_change WHERE entity IN ('staff', 'tariff_version')")).scalar() == 1


def test_concurrent_publishers_commit_change_ids_in_order(hq_db) -> None:  # type: ignore[no-untyped-def]
    """A reader never sees change n+1 committed while n is still to come (G7): the advisory lock
    makes the second writer wait until the first commits, however long it takes."""
    engine = hq_db.engine
    publish_branch(engine)
    first_in = threading.Event()
    release = threading.Event()

    def slow() -> None:
        with engine.begin() as connection:
            publish_now(connection, [upsert("customer_account", "B001", account("1000000001"))], "slow")
            first_in.set()
            release.wait(10)

    slow_thread = threading.Thread(target=slow)
    slow_thread.start()
    assert first_in.wait(10)
    fast = threading.Thread(target=lambda: api.upsert_accounts_and_bills(
        engine, "B001", accounts=[account("1000000002")], by="fast"))
    fast.start()
    fast.join(1.0)
    assert fast.is_alive(), "the second publisher must wait for the first one's commit"
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM ref_change WHERE entity = 'customer_account'")).scalar() == 0
    release.set()
    slow_thread.join(10)
    fast.join(10)
    with engine.connect() as c:
        rows = c.execute(text("SELECT published_by FROM ref_change WHERE entity = 'customer_account' "
                              "ORDER BY change_id")).scalars().all()
    assert rows == ["slow", "fast"]
