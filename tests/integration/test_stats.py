"""Statistics on a hand-computed day (see stats_fixtures), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from counter_app.domain.errors import InvalidInput
from counter_app.persistence.models import StatsDay, StatsSegment
from counter_app.services.stats import Statistics, StatsPolicy, period_bounds
from counter_app.services.stats.facts import materialize
from tests.integration.stats_fixtures import DAY, StatsDay as Played, copy_to, played, postgres_url  # noqa: F401

ZONE = ZoneInfo("Asia/Shanghai")



@pytest.fixture(scope="module")
def pg_engine(played: Played, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = copy_to(played.db.engine, postgres_url(tmp_path_factory.mktemp("pg")))
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def stats(request: pytest.FixtureRequest, played: Played) -> Statistics:
    engine = played.db.engine if request.param == "sqlite" else request.getfixturevalue("pg_engine")
    return Statistics(engine, ZONE, clock=played.clock)


def by_label(report, section: str) -> dict:  # type: ignore[no-untyped-def]
    rows = getattr(report, section)
    return {report.label(k): rows[k] for k in rows}


def test_branch_totals_count_a_transferred_ticket_once(stats: Statistics) -> None:
    report = stats.report(DAY, DAY, by="total")
    row = report.queue["all"]
    assert (row.taken, row.called, row.served, row.no_show, row.transferred, row.cleared) == (6, 5, 4, 1, 1, 1)
    # waits of A001 600, A002 600, B001 2160, C001 180 s (the no-show A003 left out)
    assert (row.wait.n, row.wait.mean, row.wait.median, row.wait.p90) == (4, 885, 600, 1692)
    assert row.within_target == Fraction(3, 4)
    # handling: 300, 480 (transferred), 600, 1080, 120 (from the call: never started)
    assert (row.handle.n, row.handle.mean, row.handle.median, row.handle.p90) == (5, 516, 480, 888)


def test_each_clerk_gets_their_part_of_a_ticket_served_by_two(stats: Statistics) -> None:
    rows = by_label(stats.report(DAY, DAY, by="clerk"), "queue")
    one, four, five = rows["营业员1 1001"], rows["营业员4 1004"], rows["营业员5 1005"]
    assert (one.taken, one.called, one.served, one.no_show, one.transferred) == (None, 3, 2, 1, 0)
    assert (one.wait.n, one.wait.mean, one.handle.mean) == (2, 390, 210)
    assert (four.called, four.served, four.transferred, four.wait.mean, four.handle.mean) == (1, 0, 1, 600, 480)
    assert (five.called, five.served, five.transferred, five.wait.mean, five.handle.mean) == (2, 2, 0, 2160, 840)
    assert sum(r.served for r in rows.values()) == 4  # the branch's served, the transfer not doubled
    windows = by_label(stats.report(DAY, DAY, by="window"), "queue")
    assert windows["5号窗口"].handle.n == 2 and windows["4号窗口"].transferred == 1


def test_per_service_and_per_hour(stats: Statistics) -> None:
    services = by_label(stats.report(DAY, DAY, by="service"), "queue")
    a = services["A 缴费"]
    assert (a.taken, a.called, a.served, a.no_show, a.transferred, a.cleared) == (4, 3, 2, 1, 1, 1)
    assert a.wait.mean == 600 and a.handle.mean == 390  # A001 300 + A002's first part 480
    assert services["B 报装"].handle.mean == 840  # A002's part after the transfer (600) and B001 (1080)
    assert services["C 咨询"].wait.mean == 180
    hours = by_label(stats.report(DAY, DAY, by="hour"), "queue")
    assert hours["09:00"].taken == 4 and hours["10:00"].taken == 2


def test_filters_narrow_to_one_clerk_window_or_service(stats: Statistics) -> None:
    only = stats.filters(clerk_no="1005")
    row = stats.report(DAY, DAY, by="total", filters=only).queue["all"]
    assert (row.called, row.served, row.wait.mean) == (2, 2, 2160)
    row = stats.report(DAY, DAY, by="total", filters=stats.filters(service="C")).queue["all"]
    assert (row.taken, row.served) == (1, 1)
    with pytest.raises(InvalidInput) as error:
        stats.filters(window=99)
    assert error.value.field == "window"


def test_fees_by_method_voids_and_refunds_per_clerk(stats: Statistics) -> None:
    fees = by_label(stats.report(DAY, DAY, by="clerk"), "fees")
    one = fees["营业员1 1001"]
    assert (one.payments, one.paid_fen, one.voids, one.void_fen) == (2, 15000, 1, 10000)
    assert one.by_method == {"cash": [2, 12000], "wechat": [1, 3000]}
    assert (fees["营业员4 1004"].refunds, fees["营业员4 1004"].refund_fen) == (1, 500)
    hours = by_label(stats.report(DAY, DAY, by="hour"), "fees")
    assert hours["11:00"].payments == 2 and hours["12:00"].voids == 1


def test_rating_kpis_per_clerk_and_for_the_branch(stats: Statistics) -> None:
    ratings = by_label(stats.report(DAY, DAY, by="clerk"), "ratings")
    one, five = ratings["营业员1 1001"], ratings["营业员5 1005"]
    assert (one.requested, one.rated, one.active_rate, one.result.rate, one.negative) == (4, 3, Fraction(3, 4), Fraction(2, 3), 1)
    assert (one.rectify_rate, one.callback_rate) == (1, 1)
    assert (five.rated, five.result.rate, five.negative, five.rectify_rate, five.callback_rate) == (2, Fraction(1, 2), 1, 0, 0)
    total = stats.report(DAY, DAY, by="total").ratings["all"]
    assert (total.requested, total.rated, total.result.rate, total.negative) == (6, 5, Fraction(3, 5), 2)
    assert (total.rectify_rate, total.callback_rate) == (Fraction(1, 2), Fraction(1, 2))
    by_day = stats.report(DAY, DAY, by="day")  # the local day and hour of a timestamp, as the database computes it
    assert by_day.ratings[DAY].requested == 6 and by_day.label(DAY) == "2026-03-02"
    assert by_label(stats.report(DAY, DAY, by="hour"), "ratings")["12:00"].rated == 5


def test_applications_and_open_first_contact_items(stats: Statistics) -> None:
    work = by_label(stats.report(DAY, DAY, by="clerk"), "work")
    four, one = work["营业员4 1004"], work["营业员1 1001"]
    assert (four.accepted, four.finished, four.overdue) == (2, 1, 1)
    assert (one.inquiries, one.open_items) == (2, 1)
    assert one.oldest_days == pytest.approx(8 / 24)  # received 09:30, now 17:30


def test_closed_days_are_stored_once_and_rebuilt_when_their_tickets_change(played: Played) -> None:
    engine = played.db.engine
    assert materialize(engine, ZONE, DAY, DAY, today=DAY) == 0  # today is stored only provisionally
    assert materialize(engine, ZONE, DAY, DAY, today=DAY + timedelta(days=1)) == 1
    assert materialize(engine, ZONE, DAY, DAY, today=DAY + timedelta(days=1)) == 0
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(StatsSegment.__table__)) == 6
        assert conn.scalar(select(StatsDay.tickets)) == 6
    stored = Statistics(engine, ZONE, clock=lambda: played.clock() + timedelta(days=1)).report(DAY, DAY, by="total")
    live = Statistics(engine, ZONE, clock=played.clock).report(DAY, DAY, by="total")
    assert stored.queue["all"] == live.queue["all"]


def test_target_wait_per_service_and_no_shows_counted_when_configured(played: Played) -> None:
    policy = StatsPolicy(service_targets=("B=40",), wait_excludes_no_show=False)
    row = Statistics(played.db.engine, ZONE, policy, clock=played.clock).report(DAY, DAY, by="total").queue["all"]
    assert row.wait.n == 5 and row.within_target == Fraction(4, 5)  # B001's 36 min within B's 40; A003's 25 min not


def test_periods() -> None:
    assert period_bounds("week", date(2026, 11, 18)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert period_bounds("month", date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(InvalidInput):
        period_bounds("custom", date(2026, 2, 10), date(2026, 2, 1))


def test_head_office_compares_branches_on_postgresql(pg_engine: Engine, played: Played) -> None:
    """At head office the same queries add the branch dimension: a second branch's day, written
    into the same PostgreSQL, is its own row; filtering to one branch leaves the other out."""
    from sqlalchemy import insert

    from counter_app.domain.ids import new_id
    from sqlalchemy.orm import Session

    from counter_app.persistence.models import Branch, Service, Ticket, TicketEvent
    from counter_app.persistence.outbox import record_event
    from tests.integration.stats_fixtures import at

    with pg_engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(Branch.__table__)) == 1:
            with Session(bind=conn) as session:  # the second branch's rows arrive with their outbox event
                event = record_event(session, channel="ops", event_type="test.branch", aggregate_type="test",
                                     aggregate_id="B002", payload={}, node="n2", state="acked").event_id
            branch, service = new_id(), new_id()
            conn.execute(insert(Branch), [{"id": branch, "hq_version": 1, "code": "B002", "name": "城西营业厅",
                                           "utility_name": "示范市自来水有限公司", "timezone": "Asia/Shanghai"}])
            conn.execute(insert(Service), [{"id": service, "hq_version": 1, "branch_id": branch, "code": "PAY",
                                            "letter": "A", "name_zh": "缴费", "name_en": "Payment"}])
            for n, wait_min in ((1, 4), (2, 20)):
                ticket = new_id()
                conn.execute(insert(Ticket), [{"id": ticket, "node_id": "n2", "outbox_event_id": event,
                                               "branch_id": branch, "service_id": service, "queue_service_id": service,
                                               "business_date": DAY, "seq": n, "number": f"A00{n}", "state": "done",
                                               "outcome": "done", "issued_at": at(9, n), "queued_at": at(9, n)}])
                for seq, kind, when in ((1, "issued", at(9, n)), (2, "called", at(9, n + wait_min)),
                                        (3, "done", at(9, n + wait_min + 5))):
                    conn.execute(insert(TicketEvent), [{"id": new_id(), "node_id": "n2", "outbox_event_id": event,
                                                        "seq": 100000 + n * 10 + seq, "ticket_id": ticket,
                                                        "kind": kind, "at": when, "data": {"service": "A"}}])
    stats = Statistics(pg_engine, ZONE, clock=played.clock)
    rows = by_label(stats.report(DAY, DAY, by="branch"), "queue")
    assert set(rows) == {"B001 城东营业厅", "B002 城西营业厅"}
    west = rows["B002 城西营业厅"]
    assert (west.taken, west.served, west.wait.mean, west.within_target) == (2, 2, 720, Fraction(1, 2))
    assert rows["B001 城东营业厅"].taken == 6
    only_east = stats.report(DAY, DAY, by="branch", filters=stats.filters(branches=("B001",)))
    assert [only_east.label(k) for k in only_east.queue] == ["B001 城东营业厅"]


def test_a_wait_across_midnight_is_cut_at_the_end_of_its_business_day(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the real queue: A001 taken at 23:50, called at 00:20 and finished at 00:25 the
    next morning waited 10 minutes on its own day; its service belongs to the day it was called."""
    from counter_app.services.queue import QueueService
    from tests.integration.queue_fixtures import hall_database
    from tests.integration.stats_fixtures import Clock, at

    db, hall = hall_database(tmp_path / "midnight")
    clock = Clock()
    q = QueueService(db.sessions, "B001", node_id=db.node_id, clock=clock)
    clock.now = at(23, 40)
    q.open_window(1, hall.clerk(1))
    clock.now = at(23, 50)
    q.issue_ticket("A")
    next_day = DAY + timedelta(days=1)
    clock.now = at(0, 20, next_day)
    assert q.call_next(1, hall.clerk(1)).ticket.number == "A001"
    clock.now = at(0, 25, next_day)
    q.finish(1, hall.clerk(1))
    stats = Statistics(db.engine, ZONE, clock=clock)
    first = stats.report(DAY, DAY, by="total").queue["all"]
    assert (first.taken, first.served, first.wait.mean, first.handle.n) == (1, 1, 600, 0)
    second = stats.report(next_day, next_day, by="total").queue["all"]
    assert (second.taken, second.served, second.handle.mean) == (0, 0, 300)  # no ticket of its own that day
    db.dispose()
