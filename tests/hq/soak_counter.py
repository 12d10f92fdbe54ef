"""Part one of the soak: one counter on its own SQLite file, enrolled at the real head office with
a snapshot of the branch's reference data; then head office is stopped for ``days`` fake days
while the counter takes ``payments`` through the real fee service (spread over each day's
business hours by a fake clock), its staff log in on cached credentials every morning and a sync
cycle a day meets the outage; head office meanwhile publishes ``tariffs`` dated tariff versions
and disables a staff member. Then head office comes back and the counter syncs: drain time,
the revoked staff refused right after it (G17), the tariff versions with their dates, and both
ends compared per (terminal, business day)."""

from __future__ import annotations

import copy
import time
from dataclasses import asdict, dataclass
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import NotAllowed
from counter_app.domain.staff_rules import LoginRefused
from counter_app.hq.database import make_engine
from counter_app.hq.refdata import api
from counter_app.persistence.models import Bill, CustomerAccount, TariffVersion
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.offline_login import OfflineLogin, OfflinePolicy, last_head_office_contact
from counter_app.services.seed import DEMO_PASSWORD, RESIDENTIAL, seed_demo
from counter_app.services.sync.worker import SyncEngine
from counter_app.split_publish import publish_seeded_branch
from tests.hq.pg import new_database
from tests.hq.soak_checks import compare
from tests.perf.stats_util import cpu_seconds, percentile
from tests.hq.soak_world import (BusinessClock, HeadOfficeProcess, counter_settings, data_directory,
                                 enrolled_counter, issue, postgres_load, sync_until_drained)

CLERKS = ("1001", "1002", "1003")
REVOKED = "1002"
TARIFF = "RES-TIERED"


@dataclass(frozen=True)
class SoakFigures:
    days: int = 30
    payments: int = 50_000
    tariffs: int = 3
    revocations: int = 1  # the issue's one; more is not supported by this run
    login_days: int = 31  # the cached credentials' offline validity: past the last fake day
    accounts: int = 300


def publish_branch(hq_engine: Any, folder: Path, accounts: int) -> None:
    """The demo branch (seeded in a scratch file) published at head office, as ``demo --split`` does."""
    source = open_node_database(DataPaths(folder), counter_settings(1))
    try:
        seed_demo(source, counter_settings(1), accounts=accounts, months=3)
        path = source.path
    finally:
        source.dispose()
    publish_seeded_branch(hq_engine, path)


class Till:
    """The counter's fee service on the fake clock: each customer's cached open bills first, then
    prepayments (a payment always against what this PC holds)."""

    def __init__(self, db: NodeDatabase, clock: BusinessClock) -> None:
        self.service = PaymentService(db, counter_settings(1), clock=clock)
        with db.sessions() as session:
            self.with_bills = list(session.scalars(select(Bill.account_id).where(Bill.status == "open")
                                                   .group_by(Bill.account_id).order_by(Bill.account_id)))
            self.accounts = list(session.scalars(select(CustomerAccount.id).order_by(CustomerAccount.account_no)))
        self.taken = self.sum_fen = self.bill_payments = 0

    def pay(self, clerk: Any) -> None:
        if self.with_bills:
            quote = self.service.quote(self.with_bills.pop())
            result = self.service.take_payment(clerk, quote.account_id, [MethodPart("cash", quote.due_fen,
                                               tendered_fen=quote.due_fen)], bill_ids=list(quote.bill_ids),
                                               expected_due_fen=quote.due_fen)
            self.bill_payments += 1
        else:
            amount = 100 + (self.taken * 7919) % 20_000
            result = self.service.take_payment(clerk, self.accounts[self.taken % len(self.accounts)],
                                               [MethodPart("cash", amount)], bill_ids=[])
        self.taken += 1
        self.sum_fen += result.received_fen


class HeadOfficeDuringOutage:
    """What head office publishes while the branch cannot reach it: dated tariff versions and a revocation."""

    def __init__(self, hq_engine: Any, figures: SoakFigures, clock: BusinessClock) -> None:
        self.engine, self.clock = hq_engine, clock
        span = max(1, figures.days // (figures.tariffs + 1))
        self.tariff_days = {span * (i + 1): i for i in range(figures.tariffs)}
        self.revoke_day = figures.days // 2 if figures.revocations else -1
        self.published: list[str] = []

    def on(self, day: int) -> None:
        if day in self.tariff_days:
            valid_from = (self.clock.first_day + timedelta(days=day + 1)).isoformat()
            definition = copy.deepcopy(RESIDENTIAL)
            for tier in definition["tiers"]:
                tier["price_fen"] += 5 * (self.tariff_days[day] + 1)
            api.publish_tariff_version(self.engine, code=TARIFF, name="居民生活用水（阶梯）", user_type="residential",
                                       valid_from=valid_from, definition=definition, by="soak")
            self.published.append(valid_from)
        if day == self.revoke_day:
            api.set_staff_disabled(self.engine, REVOKED, True, by="soak")


def _try_login(login: OfflineLogin, staff_no: str) -> str:
    try:
        login.login(staff_no, DEMO_PASSWORD, 1)
        return "ok"
    except LoginRefused as refused:
        return f"refused ({refused.reason}): {refused}"
    except NotAllowed as refused:
        return f"refused ({refused.code}): {refused}"


def run_offline_soak(pg_uri: str, folder: Path, figures: SoakFigures, log: Any = print) -> dict[str, Any]:
    hq_url = new_database(pg_uri, "soak")
    hq_engine = make_engine(hq_url, pool_size=2)
    hq = HeadOfficeProcess(hq_url, folder / "hq")
    report: dict[str, Any] = {"figures": asdict(figures)}
    try:
        publish_branch(hq_engine, folder / "source", figures.accounts)
        hq.start()
        db = enrolled_counter(folder / "counter", hq.url, issue(hq_engine, "B001", 1), 1)
        try:
            report.update(_outage_and_return(db, hq, hq_engine, figures, log))
        finally:
            db.dispose()
    finally:
        hq.stop()
        hq_engine.dispose()
    return report


def _outage_and_return(db: NodeDatabase, hq: HeadOfficeProcess, hq_engine: Any, figures: SoakFigures,
                       log: Any) -> dict[str, Any]:
    contact = last_head_office_contact(db)
    assert contact is not None
    hq.stop()  # the outage: the node's credential points at a port nobody listens on
    if contact.tzinfo is None:
        contact = contact.replace(tzinfo=timezone.utc)
    clock = BusinessClock(first_day=contact.astimezone(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1))
    policy = OfflinePolicy(login_days=figures.login_days)
    till, office = Till(db, clock), HeadOfficeDuringOutage(hq_engine, figures, clock)
    logins: dict[str, int] = {}
    offline_says, revoked_before_sync = "", ""
    began = time.monotonic()
    per_payment: list[float] = []
    for day in range(figures.days):
        office.on(day)
        clock.set(day)
        login = OfflineLogin(db, policy, clock=clock)
        staff_no = CLERKS[day % len(CLERKS)]
        outcome = _try_login(login, staff_no)
        logins[outcome.split(":")[0]] = logins.get(outcome.split(":")[0], 0) + 1
        if day >= office.revoke_day >= 0 and not revoked_before_sync:
            revoked_before_sync = _try_login(login, REVOKED)  # head office disabled them; this PC cannot know yet
        engine = SyncEngine(db.sessions, db.data_dir)
        try:
            result = engine.step()
        finally:
            engine.close()
        assert result.status == "offline", result
        offline_says = offline_says or result.error
        if outcome != "ok":
            continue  # nobody can log in: no payments that day
        clerk = login.login(staff_no, DEMO_PASSWORD, 1)
        today = figures.payments // figures.days + (day < figures.payments % figures.days)
        for n in range(today):
            clock.set(day, (n + 0.5) / today)
            started = time.perf_counter()
            till.pay(clerk)
            per_payment.append(time.perf_counter() - started)
        if day % 5 == 4 or day == figures.days - 1:
            log(f"day {day + 1}/{figures.days}: {till.taken} payments, {time.monotonic() - began:.0f} s")
    clock.current = contact + timedelta(days=figures.login_days)  # the offline validity's end
    expired = _try_login(OfflineLogin(db, policy, clock=clock), CLERKS[0])
    offline_s = time.monotonic() - began

    hq.start()  # head office is back
    pgdata = data_directory(hq_engine)
    cpu_before, pg_before, wall_before = cpu_seconds(hq.pid), postgres_load(pgdata)[0], time.monotonic()
    drained = sync_until_drained(db)
    hq_cpu, pg_cpu = cpu_seconds(hq.pid) - cpu_before, postgres_load(pgdata)[0] - pg_before
    wall = max(1e-9, time.monotonic() - wall_before)
    after_sync = {"revoked": _try_login(OfflineLogin(db, policy), REVOKED),
                  "other": _try_login(OfflineLogin(db, policy), CLERKS[0])}
    with db.sessions() as session:
        versions = sorted(str(v) for v in session.scalars(select(TariffVersion.valid_from)
                                                           .where(TariffVersion.code == TARIFF)))
    checked = compare([(db.node_id, db.engine)], hq_engine)
    return {
        "offline": {"days": figures.days, "payments": till.taken, "against_cached_bills": till.bill_payments,
                    "sum_fen": till.sum_fen, "seconds": round(offline_s, 1),
                    "payment_ms_median": round(percentile(per_payment, 50, empty=0.0) * 1000, 2),
                    "payment_ms_p99": round(percentile(per_payment, 99, empty=0.0) * 1000, 2),
                    "logins": logins, "sync_while_offline_says": offline_says,
                    "revoked_staff_before_sync": revoked_before_sync,
                    "login_after_validity": expired,
                    "first_day": clock.first_day.isoformat(), "contact": contact.isoformat()},
        "reconnect": {"drain_s": round(drained.seconds, 2), "events_per_s": round(till.taken / drained.seconds, 1),
                      "steps": drained.steps, "retries": drained.retries, "answers": drained.wire.statuses,
                      "push_ms_p50": round(percentile(drained.wire.push_s, 50, empty=0.0) * 1000, 1),
                      "push_ms_p99": round(percentile(drained.wire.push_s, 99, empty=0.0) * 1000, 1),
                      "hq_cpu_s": round(hq_cpu, 2), "hq_cpu_pct": round(100 * hq_cpu / wall, 1),
                      "pg_cpu_s": round(pg_cpu, 2), "pg_cpu_pct": round(100 * pg_cpu / wall, 1)},
        "after_sync": {**after_sync, "tariff_versions": versions, "published": office.published},
        "compare": checked,
    }

