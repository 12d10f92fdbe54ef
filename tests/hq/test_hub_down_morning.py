"""The hub down for a morning (issue 10 item 4, G13, G14, G17), with real processes: head office on
the real PostgreSQL, the hub as ``counter-app hub`` and two counters on their own SQLite files,
enrolled with head office's codes, every node on a snapshot of what head office published.

Before the morning head office publishes a tariff version and revokes a staff member, and every
node pulls them. The hub is killed (-9) with a rating it opened still unanswered and a ticket still
waiting. While it is down both counters log their clerks in on cached credentials (the revoked one
is refused), take payments against their own bills, take connection applications (报装) and have
their customers rate each payment as a walk-in service; the customer at window 1 answers the
hub's open rating on the evaluator. Head office is killed too for part of the morning (a bill both
windows take then). Both come back; the counters tell the hub the bills they took; the waiting
ticket is called once; everything drains. Then: per (terminal, business day) count, sum and
event-id hash equal at both ends; each application at head office once; each rating at head office
once and none of the hub's beside the counter's; the hub knows every payment's bills, with the bill
both windows took as its one incident; every stream's checksum equal at head office and each node."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select

from counter_app.core.config import load_settings
from counter_app.core.paths import DataPaths
from counter_app.gui.evaluator.hub_ratings import HubRatings
from counter_app.hq.enrolment import issue_code
from counter_app.hq.models import InboundEvent
from counter_app.hq.refdata import api
from counter_app.hub.client import HubClient
from counter_app.persistence.models import Application, HubBillPayment, Payment, Rating
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.node import open_node_database
from counter_app.services.quality import QualityService
from counter_app.services.seed import DEMO_PASSWORD, RESIDENTIAL
from counter_app.split_hall import SplitHall
from counter_app.split_publish import publish_seeded_branch
from tests.hq.test_offline_rating import SCREEN, _evaluator_token, finish_at_window_1
from tests.hq.test_split_hall import (_an_open_bill, _token, agents, branch_totals, drain, head_office_and_hall,
                                      hq_checksums, hq_totals, node_checksums, start_hq)

REVOKED = "1009"  # a clerk head office disables before the morning
MORNING = ("--gui-login", "--applications", "1", "--rate")


def _rows(hall: SplitHall, name: str, *columns):  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{hall.folder(name) / 'counter_app.sqlite3'}")
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(select(*columns)).all()]
    finally:
        engine.dispose()


def _at_hq(engine, event_type: str) -> list[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return sorted(connection.execute(select(InboundEvent.aggregate_id)
                                         .where(InboundEvent.event_type == event_type)).scalars())


def _publish_before_the_morning(engine) -> None:  # type: ignore[no-untyped-def]
    api.publish_tariff_version(engine, code="RES-TIERED", name="居民生活用水（阶梯）", user_type="residential",
                               valid_from="2099-01-01", definition=RESIDENTIAL, by="test")
    api.set_staff_disabled(engine, REVOKED, True, by="test")


def test_a_morning_without_the_hub_converges_when_it_returns(hq_url: str, hq_db, tmp_path: Path,
                                                           pg_folder: Path) -> None:
    began = time.monotonic()
    hq, hall, hq_port = head_office_and_hall(hq_url, pg_folder, tmp_path)
    counter_db = evaluator_client = None
    try:
        hall.setup(lambda role, window: issue_code(hq_db.engine, "B001", role, window, 7).code,
                   lambda source: publish_seeded_branch(hq_db.engine, source) and None)
        evaluator_token = _evaluator_token(hall)
        _publish_before_the_morning(hq_db.engine)
        assert drain(hall, "hub", *hall.counters()) == [0, 0, 0]  # every node has the tariff and the revocation
        hall.start_hub()
        served = finish_at_window_1(hall)
        state = json.loads((hall.root / "split.json").read_text(encoding="utf-8"))
        with HubClient(hall.hub_url, state["kiosk"]) as kiosk:
            waiting = kiosk.issue_ticket("A")["ticket"]  # still waiting when the hub goes down
        counter_db = open_node_database(DataPaths(hall.folder("counter1")), load_settings(hall.config("counter1")))
        evaluator_client = HubClient(hall.hub_url, evaluator_token, timeout=2.0)
        evaluator = HubRatings(evaluator_client, QualityService(counter_db, load_settings(hall.config("counter1"))))
        asked = evaluator.request_for_finish({"ticket_id": served["id"]}, 1, SCREEN)
        assert asked is not None
        shared = _an_open_bill(hall)
        print(f"before the morning: {time.monotonic() - began:.1f} s")

        hall.kill("hub")  # the morning: head office still up
        early = agents(hall, 3, extra=(*MORNING, "--try-login", REVOKED))
        assert [(a["login"], a["try_login"]) for a in early] == [("offline", "login_disabled")] * 2  # G17
        assert [(len(a["taken"]), a["offline"], a["left"], len(a["applications"])) for a in early] == [(3, 3, 3, 1)] * 2
        assert evaluator.submit(asked.id, 5, (), SCREEN).offline  # the hub's open rating, answered at the counter
        assert drain(hall, "counter1") == [0]  # head office up: window 1's morning reaches it without the hub

        hq.kill()  # head office down too, for part of the morning
        hq.wait(10)
        hq.stdout.close()
        late = agents(hall, 2, shared, MORNING)  # both windows take the shared bill
        assert [(a["login"], len(a["taken"]), a["offline"], a["left"]) for a in late] == [("offline", 2, 2, 5)] * 2
        assert drain(hall, "counter2") == [1]  # head office down: something transient is left

        hq = start_hq(hq_url, pg_folder / "hq", hq_port)
        hall.start_hub()  # noon
        back = agents(hall, 0, extra=("--gui-login",))  # the counters tell the hub the bills they took
        assert [(a["login"], a["left"]) for a in back] == [("hub", 0)] * 2 and sum(a["conflicts"] for a in back) == 1
        evaluator.pending(1)  # the evaluator's next poll tells the hub of the rating it took
        with HubClient(hall.hub_url, state["counter1"]) as counter:
            clerk = counter.login("1001", DEMO_PASSWORD, 1)["staff_id"]
            called = counter.call_next(1, clerk)["window"]["current"]
            assert (called["id"], called["call_count"]) == (waiting["id"], 1)  # called once, by the hub, at noon
            counter.finish(1, clerk)
        with httpx.Client(base_url=hall.hub_url, headers={"Authorization": f"Bearer {_token(hall)}"}) as hub:
            assert [i["bill_id"] for i in hub.get("/v1/bills/incidents").json()] == [shared]
        assert drain(hall, "hub", *hall.counters()) == [0, 0, 0]
        print(f"morning and drain: {time.monotonic() - began:.1f} s")

        at_branch = branch_totals(hall)
        assert sum(count for count, _, _ in at_branch.values()) == 10 and at_branch == hq_totals(hq_db.engine)
        applications = sorted(i for name in hall.counters() for (i,) in _rows(hall, name, Application.id))
        assert len(applications) == 4 and _at_hq(hq_db.engine, "application.accepted") == applications  # once each
        ratings = sorted(r for name in hall.counters() for (r,) in _rows(hall, name, Rating.id))
        assert len(ratings) == 10 + 1 and _at_hq(hq_db.engine, "rating.recorded") == ratings  # once each
        assert _rows(hall, "hub", Rating.id) == []  # the hub rated nothing of its own beside them
        assert (asked.id, "at_counter") in _rows(hall, "hub", RatingRequest.id, RatingRequest.state)
        paid = sorted(p for name in hall.counters() for (p,) in _rows(hall, name, Payment.id))
        assert sorted({p for (p,) in _rows(hall, "hub", HubBillPayment.payment_id)}) == paid  # the hub knows them all
        at_hq_streams = hq_checksums(hq_db.engine)
        assert "tariffs/*" in at_hq_streams
        for name in ("hub", *hall.counters()):  # every stream's checksum equal (G13)
            at_node = node_checksums(hall, name)
            assert at_node == {sid: at_hq_streams.get(sid, (0, 0)) for sid in at_node}, name
    finally:
        if evaluator_client is not None:
            evaluator_client.close()
        if counter_db is not None:
            counter_db.dispose()
        hall.stop_all()
        hq.terminate()
        hq.wait(15)
        hq.stdout.close()
    print(f"hub down for a morning: {time.monotonic() - began:.1f} s")
