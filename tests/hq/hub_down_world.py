"""The hub down for a morning (issue 10 item 4, G13, G14, G17) as a scenario of real processes, for
tests/hq/test_hub_down_morning.py (a few payments) and tests/perf/hub_down_morning.py (many): head
office on the real PostgreSQL, the hub as ``counter-app hub`` and two counters on their own SQLite
files, enrolled with head office's codes, every node on a snapshot of what head office published.

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
both windows took as its one incident; every stream's checksum equal at head office and each node.
Every check is an assertion here; the figures (seconds of each step, counts) are returned."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class MorningFigures:
    early: int = 3  # payments at each counter while head office is still up
    late: int = 2  # payments at each counter while head office is down too (the shared bill first)
    applications: int = 1  # applications at each counter in each part of the morning
    timeout_s: float = 60  # for each round of the counters' work

    @property
    def accounts(self) -> int:  # each window takes half of the open bills: about 0.3 an account in the demo seed
        return max(40, 4 * (self.early + self.late))

    def morning(self) -> tuple[str, ...]:
        return ("--gui-login", "--applications", str(self.applications), "--rate", "--find-all")


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


def run_morning(hq_url: str, engine, pg_folder: Path, root: Path,  # type: ignore[no-untyped-def]
                figures: MorningFigures = MorningFigures()) -> dict[str, float | int]:
    """The scenario above, checked; seconds of each step and the counts."""
    seconds: dict[str, float | int] = {}
    clock = _Stopwatch(seconds)
    hq, hall, hq_port = head_office_and_hall(hq_url, pg_folder, root, accounts=figures.accounts)
    counter_db = evaluator_client = None
    try:
        hall.setup(lambda role, window: issue_code(engine, "B001", role, window, 7).code,
                   lambda source: publish_seeded_branch(engine, source) and None)
        evaluator_token = _evaluator_token(hall)
        _publish_before_the_morning(engine)
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
        clock.lap("before_the_morning_s")

        hall.kill("hub")  # the morning: head office still up
        e, late, apps = figures.early, figures.late, figures.applications
        early = agents(hall, figures.early, extra=(*figures.morning(), "--try-login", REVOKED), timeout=figures.timeout_s)
        clock.lap("counters_hub_down_s")
        assert [(w["login"], w["try_login"]) for w in early] == [("offline", "login_disabled")] * 2  # G17
        done = [(len(w["taken"]), w["offline"], w["left"], len(w["applications"])) for w in early]
        assert done == [(e, e, e, apps)] * 2, done
        unseen = [(w["applications_left"], w["found"]) for w in early]  # other windows' not seen, never "not found"
        assert unseen == [(apps, [apps, 0, "applications_elsewhere_unseen"])] * 2, unseen
        assert evaluator.submit(asked.id, 5, (), SCREEN).offline  # the hub's open rating, answered at the counter
        assert drain(hall, "counter1") == [0]  # head office up: window 1's morning reaches it without the hub

        hq.kill()  # head office down too, for part of the morning
        hq.wait(10)
        hq.stdout.close()
        later = agents(hall, late, shared, figures.morning(), figures.timeout_s)  # both take the shared bill
        clock.lap("counters_hub_and_head_office_down_s")
        assert [(w["login"], len(w["taken"]), w["offline"], w["left"]) for w in later] == [
            ("offline", late, late, e + late)] * 2
        assert drain(hall, "counter2") == [1]  # head office down: something transient is left

        hq = start_hq(hq_url, pg_folder / "hq", hq_port)
        hall.start_hub()  # noon
        clock.lap("hub_and_head_office_restart_s")
        back = agents(hall, 0, extra=("--gui-login",), timeout=figures.timeout_s)  # they tell the hub their bills
        clock.lap("bills_told_to_the_hub_s")
        told = [(w["login"], w["left"], w["sent"], w["conflicts"]) for w in back]
        assert [t[:2] for t in told] == [("hub", 0)] * 2 and sum(t[3] for t in told) == 1, told
        assert [w["applications_left"] for w in back] == [0, 0]  # and their applications
        found = [w["found"] for w in agents(hall, 0, extra=("--find-all",), timeout=figures.timeout_s)]
        assert found == [[2 * apps, 2 * apps, ""]] * 2, found  # each window sees the other's morning too
        evaluator.pending(1)  # the evaluator's next poll tells the hub of the rating it took
        with HubClient(hall.hub_url, state["counter1"]) as counter:
            clerk = counter.login("1001", DEMO_PASSWORD, 1)["staff_id"]
            called = counter.call_next(1, clerk)["window"]["current"]
            assert (called["id"], called["call_count"]) == (waiting["id"], 1)  # called once, by the hub, at noon
            counter.finish(1, clerk)
        with httpx.Client(base_url=hall.hub_url, headers={"Authorization": f"Bearer {_token(hall)}"}) as hub:
            assert [i["bill_id"] for i in hub.get("/v1/bills/incidents").json()] == [shared]
        clock.lap("noon_at_the_hub_s")
        assert drain(hall, "hub", *hall.counters()) == [0, 0, 0]
        clock.lap("drain_s")

        at_branch = branch_totals(hall)
        payments = 2 * (e + late)
        assert sum(count for count, _, _ in at_branch.values()) == payments and at_branch == hq_totals(engine)
        applications = sorted(i for name in hall.counters() for (i,) in _rows(hall, name, Application.id))
        assert len(applications) == 4 * apps and _at_hq(engine, "application.accepted") == applications  # once each
        ratings = sorted(r for name in hall.counters() for (r,) in _rows(hall, name, Rating.id))
        assert len(ratings) == payments + 1 and _at_hq(engine, "rating.recorded") == ratings  # once each
        assert _rows(hall, "hub", Rating.id) == []  # the hub rated nothing of its own beside them
        assert (asked.id, "at_counter") in _rows(hall, "hub", RatingRequest.id, RatingRequest.state)
        paid = sorted(p for name in hall.counters() for (p,) in _rows(hall, name, Payment.id))
        assert sorted({p for (p,) in _rows(hall, "hub", HubBillPayment.payment_id)}) == paid  # the hub knows them all
        at_hq_streams = hq_checksums(engine)
        assert "tariffs/*" in at_hq_streams
        for name in ("hub", *hall.counters()):  # every stream's checksum equal (G13)
            at_node = node_checksums(hall, name)
            assert at_node == {sid: at_hq_streams.get(sid, (0, 0)) for sid in at_node}, name
        clock.lap("compare_s")
        seconds.update(payments=payments, applications=len(applications), ratings=len(ratings),
                       streams=len(at_hq_streams))
    finally:
        if evaluator_client is not None:
            evaluator_client.close()
        if counter_db is not None:
            counter_db.dispose()
        hall.stop_all()
        hq.terminate()
        hq.wait(15)
        hq.stdout.close()
    seconds["total_s"] = round(sum(v for k, v in seconds.items() if k.endswith("_s")), 1)
    return seconds


class _Stopwatch:
    def __init__(self, laps: dict[str, float | int]) -> None:
        self._laps, self._last = laps, time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self._laps[name] = round(now - self._last, 2)
        self._last = now
