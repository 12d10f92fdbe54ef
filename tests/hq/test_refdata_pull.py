"""Reference data from the real head office (PostgreSQL, HTTP on loopback) into a real branch
SQLite file: first snapshot, then deltas; cursors and checksums; read-only at the branch."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from counter_app.hq.refdata import api
from counter_app.hq.refdata.serve import bump_epoch, prune_log
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, CustomerAccount, Holiday, Staff, SyncCursor, TariffVersion
from counter_app.services.sync.refdata import branch_policy, pull_all
from counter_app.services.sync.refdata.apply import stream_checksum
from tests.hq.refdata_fixtures import TARIFF, account, bill, password_hash, publish_branch
from tests.hq.refdata_wire import node_call


def _publish_base(engine) -> None:  # type: ignore[no-untyped-def]
    publish_branch(engine)
    api.upsert_staff(engine, staff_no="1001", name="李娜", role="clerk", password_hash=password_hash("pw-1001"),
                     branches=["B001"], offline_valid_until="2026-12-31T00:00:00+08:00", by="test")
    api.publish_tariff_version(engine, code="RES", name="居民", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="test")
    api.set_holiday_year(engine, 2026, [("2026-10-01", "holiday", "国庆")], by="test")
    api.upsert_accounts_and_bills(
        engine, "B001", accounts=[account(f"10000000{i:02d}") for i in range(1, 6)],
        meters=[{"meter_no": f"M10000000{i:02d}", "account_no": f"10000000{i:02d}"} for i in range(1, 6)],
        bills=[bill(f"10000000{i:02d}") for i in range(1, 6)], by="test")


def test_first_snapshot_then_deltas_reach_the_branch(hq_db, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    _publish_base(engine)
    node = make_node("B001", "counter", 1)
    call = node_call(client, node)
    report = pull_all(node_db.sessions, call, "B001")
    assert report.ok and all(s.snapshot and s.checksum_ok for s in report.streams if s.published), report
    assert [s.stream_id for s in report.streams if not s.published] == ["policy/B001"]  # nothing published: kept as is
    with unit_of_work(node_db.sessions) as session:
        staff = session.scalars(select(Staff).where(Staff.staff_no == "1001")).one()
        assert staff.role == "clerk" and not staff.disabled and staff.password_hash.startswith("$argon2")
        assert staff.offline_valid_until.isoformat() == "2026-12-30T16:00:00+00:00"
        assert session.scalar(select(text("count(*)")).select_from(Bill)) == 5
        assert session.get(Holiday, date(2026, 10, 1)).name == "国庆"
        cursors = dict(session.execute(select(SyncCursor.stream, SyncCursor.cursor)).all())
    assert set(cursors) == {"catalog/B001", "staff/B001", "tariffs/*", "common/*", "accounts_bills/B001"}

    # head office: a revocation, a new tariff version, a changed bill, a removed holiday, a moved account
    api.set_staff_disabled(engine, "1001", True, by="test")
    api.publish_tariff_version(engine, code="RES", name="居民 2027", user_type="residential", valid_from="2027-01-01",
                               definition=TARIFF, by="test")
    api.upsert_accounts_and_bills(engine, "B001", bills=[bill("1000000001", amount=9999)], by="test")
    api.set_holiday_year(engine, 2026, [], by="test")
    api.upsert_branch(engine, code="B002", name="二厅", utility_name="示范水务", by="test")
    api.move_account(engine, "1000000005", "B002", by="test")
    report = pull_all(node_db.sessions, call, "B001")
    assert report.ok and not any(s.snapshot for s in report.streams), report
    assert all(s.checksum_ok for s in report.streams if s.applied), report
    with unit_of_work(node_db.sessions) as session:
        assert session.scalars(select(Staff.disabled).where(Staff.staff_no == "1001")).one() is True
        assert session.scalars(select(TariffVersion.name).where(TariffVersion.valid_from == date(2027, 1, 1))).one() == "居民 2027"
        amounts = dict(session.execute(select(CustomerAccount.account_no, Bill.amount_fen).join(
            Bill, Bill.account_id == CustomerAccount.id)).all())
        assert amounts["1000000001"] == 9999
        assert session.get(Holiday, date(2026, 10, 1)) is None
        moved = session.scalars(select(CustomerAccount).where(CustomerAccount.account_no == "1000000005")).one()
        assert (moved.status, moved.hq_version) == ("closed", 0)
        # the branch's own checksum of what its tables hold equals head office's
        with engine.connect() as c:
            hq_sum = c.execute(text("SELECT checksum, live_count FROM ref_stream WHERE stream = 'accounts_bills' "
                                    "AND bucket = 'B001'")).one()
        assert stream_checksum(session.connection(), "accounts_bills", "B001") == tuple(int(v) for v in hq_sum)

    # a policy table from head office overlays the branch's TOML key by key
    assert branch_policy(node_db.sessions, "billing", {"late_fee_first": True, "allow_partial": True}, date.today()) == {
        "late_fee_first": True, "allow_partial": True}
    api.set_policy(engine, "B001", "billing", {"allow_partial": False}, by="test")
    pull_all(node_db.sessions, call, "B001")
    assert branch_policy(node_db.sessions, "billing", {"late_fee_first": True, "allow_partial": True}, date.today()) == {
        "late_fee_first": True, "allow_partial": False}


def test_reference_tables_are_read_only_to_business_code_once_held(hq_db, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    _publish_base(hq_db.engine)
    with unit_of_work(node_db.sessions) as session:  # before: a database of its own (demo, standalone) is writable
        session.execute(update(Holiday).values(name="x"))
    pull_all(node_db.sessions, node_call(client, make_node("B001", "counter", 1)), "B001")
    for statement in (update(Staff).values(disabled=False), update(TariffVersion).values(name="edited"),
                      update(Bill).values(amount_fen=1), text("DELETE FROM holiday"),
                      text("INSERT INTO holiday (day, kind, name, hq_version) VALUES ('2026-05-01', 'holiday', 'x', 0)")):
        with pytest.raises(IntegrityError, match="ref_read_only"):
            with unit_of_work(node_db.sessions) as session:
                session.execute(statement)
    with unit_of_work(node_db.sessions) as session:  # the branch's own effects stay writable
        session.execute(update(Staff).values(failed_logins=3))
        session.execute(update(Bill).values(paid_fen=Bill.amount_fen, status="paid"))
        assert session.execute(text("SELECT open FROM ref_guard")).scalar() == 0


def test_an_epoch_change_makes_the_branch_take_a_new_snapshot(hq_db, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    _publish_base(engine)
    call = node_call(client, make_node("B001", "counter", 1))
    pull_all(node_db.sessions, call, "B001")
    bump_epoch(engine, "tariffs", "*")
    report = pull_all(node_db.sessions, call, "B001")
    assert [s.stream_id for s in report.streams if s.snapshot] == ["tariffs/*"]
    assert all(s.checksum_ok is not False for s in report.streams)
    with unit_of_work(node_db.sessions) as session:
        assert session.get(SyncCursor, "tariffs/*").epoch == 2
    # a cursor older than the kept change log: head office pruned it (90 days; here everything)
    api.set_staff_disabled(engine, "1001", True, by="test")
    assert prune_log(engine, older_than_days=0) > 0
    api.set_staff_disabled(engine, "1001", False, by="test")
    report = pull_all(node_db.sessions, call, "B001")
    assert {s.stream_id for s in report.streams if s.snapshot} == {"staff/B001"}, report
    assert all(s.checksum_ok is not False for s in report.streams)
    with unit_of_work(node_db.sessions) as session:
        assert session.scalars(select(Staff.disabled).where(Staff.staff_no == "1001")).one() is False


def test_a_node_reads_only_its_own_branch_s_buckets(hq_db, client, make_node) -> None:  # type: ignore[no-untyped-def]
    _publish_base(hq_db.engine)
    call = node_call(client, make_node("B001", "counter", 1))
    answer = call("/v1/sync/pull", b'{"stream":"accounts_bills","bucket":"B002","epoch":1,"after":0}')
    assert (answer.status, answer.body["code"]) == (403, "bucket_forbidden")


def test_the_sync_cycle_pulls_a_revocation_and_the_clerk_cannot_log_in(hq_db, seeded_db, data_paths) -> None:  # type: ignore[no-untyped-def]
    """G17 through the real sync engine: a seeded branch enrolled at head office takes head
    office's staff (matched by staff number, its own row ids kept); one cycle after the
    revocation the clerk's login is refused."""
    from counter_app.core.config import Settings
    from counter_app.hq.enrolment import issue_code
    from counter_app.hq.server import start_hq_in_thread
    from counter_app.services.auth import AuthService, LoginRefused
    from counter_app.services.node import open_node_database
    from counter_app.services.sync.enrolment import enrol
    from counter_app.services.sync.worker import SyncEngine

    engine = hq_db.engine
    publish_branch(engine)
    api.upsert_staff(engine, staff_no="1001", name="李娜", role="clerk", password_hash=password_hash("hq-pass-1"),
                     branches=["B001"], by="test")
    handle = start_hq_in_thread(hq_db)
    try:
        enrol(seeded_db.sessions, data_paths.root, handle.url, issue_code(engine, "B001", "hub", None, 7).code)
        seeded_db.dispose()
        db = open_node_database(data_paths, Settings())
        sync = SyncEngine(db.sessions, data_paths.root)
        try:
            assert sync.step().status == "ok"
            auth = AuthService(db)
            assert auth.login("1001", "hq-pass-1").staff_no == "1001"  # head office's password now
            api.set_staff_disabled(engine, "1001", True, by="test")
            assert sync.step().status == "ok"
            with pytest.raises(LoginRefused):
                auth.login("1001", "hq-pass-1")
        finally:
            sync.close()
            db.dispose()
    finally:
        handle.stop()
