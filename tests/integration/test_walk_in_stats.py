"""Walk-in services (issue 10 item 4): a window serves customers without a ticket while the hub
is down; the counter (its own SQLite) tells the hub in the background once it is back, each
service once by its id, its rating once; the branch manager's statistics at the hub count them
per clerk, window, service and period as their own category (无号服务), served and rated, never
in a waiting time. Real SQLite files, the hub on real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counter_app.domain.errors import NotAllowed
from counter_app.persistence.models import Staff, WalkInService, Window
from counter_app.protocol.walk_ins import WalkInsIn
from counter_app.services.quality import QualityService
from counter_app.services.stats import Statistics
from counter_app.services.stats.tables import section_table
from counter_app.services.stats.walk_in_desk import WalkInDesk
from counter_app.services.stats.walk_ins import WALK_IN_KEY, collect
from tests.integration.split_fixtures import counter_settings
from tests.integration.test_counter_split import _open_bill, _pay, hall  # noqa: F401

SCREEN = "screen:W01"


def _clerk_id(db, staff_no: str) -> str:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        return session.scalar(select(Staff.id).where(Staff.staff_no == staff_no))


def test_walk_ins_of_a_morning_without_the_hub_count_at_the_hub_once_with_their_ratings(hall) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hub_db, (one, _two), state, restart = hall
    state["hub"].stop()  # the morning: the window serves without tickets
    paid = []
    for _ in range(3):
        account_id, bill_id, owed = _open_bill(one.db)
        paid.append(_pay(one, account_id, bill_id, owed).payment_id)
    quality = QualityService(one.db, counter_settings(1))
    clerk = _clerk_id(one.db, "1001")
    asked = quality.ratings.request_for_walk_in(paid[0], 1, clerk, SCREEN)
    quality.ratings.submit(asked.id, 5, (), SCREEN)
    desk = WalkInDesk(one.db, one.client, 1)
    down = desk.report_pending()
    assert (down.sent, down.left) == (0, 3) and desk.online is False  # kept until the hub answers

    restart()  # noon
    assert desk.report_pending().sent == 3
    assert desk.report_pending().sent == 0  # nothing twice
    asked = quality.ratings.request_for_walk_in(paid[1], 1, clerk, SCREEN)  # a rating given after the report
    quality.ratings.submit(asked.id, 1, ("attitude",), SCREEN)
    assert desk.report_pending().sent == 1  # its rating, once
    assert desk.report_pending().sent == 0

    stats = Statistics(hub_db.engine, counter_settings(1).branch.zone, node_id=hub_db.node_id)
    day = stats.today()
    by_clerk = stats.report(day, day, "clerk")
    row = by_clerk.walkin[clerk]
    assert (row.served, row.payments, row.requested, row.rated, row.levels) == (3, 3, 2, 2, {5: 1, 1: 1})
    assert clerk not in by_clerk.queue  # no ticket: nothing in the queue's served or waiting figures
    rated = by_clerk.ratings[clerk]  # the counter's ratings of them, in the branch's rating figures once
    assert (rated.requested, rated.rated, rated.negative) == (2, 2, 1)
    assert by_clerk.keys == [clerk]
    window_1 = next(iter(stats.report(day, day, "window").walkin))
    assert stats.report(day, day, "window").label(window_1) == "1号窗口"
    by_service = stats.report(day, day, "service")
    assert list(by_service.walkin) == [WALK_IN_KEY] and by_service.label(WALK_IN_KEY) == "无号服务"
    table = section_table(by_clerk, "walkin")
    assert table.title == "无号服务" and table.rows[0][1:6] == (3, 3, 0, 2, 2)
    assert stats.report(day, day, "total", stats.filters(service="A")).walkin == {}  # a queue service: none of them
    with hub_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WalkInService)) == 3


def test_a_counter_reports_only_its_own_windows_walk_ins_and_nothing_changes(hall) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hub_db, (one, two), _state, _restart = hall
    account_id, bill_id, owed = _open_bill(one.db)
    _pay(one, account_id, bill_id, owed)
    collect(one.db.engine, one.db.node_id)
    with one.db.sessions() as session:
        row = session.scalars(select(WalkInService)).one()
        body = WalkInsIn(node_id=one.db.node_id, window=None, services=[{
            "id": row.id, "kind": row.kind, "branch_id": row.branch_id, "window_id": row.window_id,
            "clerk_id": row.clerk_id, "business_date": row.business_date, "at": row.at}])
    with pytest.raises(NotAllowed) as refused:
        two.client.report_walk_ins(body.model_dump(mode="json"))  # window 2's device, window 1's service
    assert refused.value.code == "walk_in_other_window"
    with hub_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WalkInService)) == 0
        window_1 = session.scalar(select(Window.id).where(Window.number == 1))
    assert row.window_id == window_1
    assert one.client.report_walk_ins(body.model_dump(mode="json"))["recorded"] == 1
    assert one.client.report_walk_ins(body.model_dump(mode="json"))["recorded"] == 0  # idempotent by id
