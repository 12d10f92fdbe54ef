"""Demo and benchmark data shaped like a real branch.

``seed_demo`` fills an empty database once: the branch of the settings, 8 windows, services
A 缴费 / B 报装 / C 咨询 / D 过户更名, 12 staff, customer accounts with 12 months of bills under
a tiered residential and a flat non-residential tariff. ``seed_history`` adds past business days
of finished tickets for statistics and benchmarks. Rows go in with bulk inserts, so a million
accounts take seconds, not minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator

from sqlalchemy import func, insert, select

from counter_app.core.config import Settings
from counter_app.domain.ids import new_id
from counter_app.domain.staff_rules import Role, hash_password
from counter_app.domain.tariff import TariffDefinition, compute_bill
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Bill,
    Branch,
    CustomerAccount,
    Meter,
    Service,
    Staff,
    TariffVersion,
    Ticket,
    TicketEvent,
    Window,
    WindowService,
)
from counter_app.persistence.outbox import record_event
from counter_app.services.applications.reference import seed_application_reference
from counter_app.services.node import NodeDatabase

SERVICES = (  # letter, code, 中文, English, standard minutes
    ("A", "payment", "缴费", "Payments", 5),
    ("B", "connection", "报装", "Connections", 15),
    ("C", "inquiry", "咨询", "Inquiries", 5),
    ("D", "transfer", "过户更名", "Ownership transfer", 10),
)
#: window number -> letters it serves, in the order it calls them
WINDOW_SERVICES = {1: "AC", 2: "AC", 3: "AC", 4: "AD", 5: "BD", 6: "BC", 7: "CA", 8: "DB"}
STAFF = (  # staff number, name, role, password (listed in the README)
    ("1001", "李娜", Role.CLERK), ("1002", "王芳", Role.CLERK), ("1003", "张伟", Role.CLERK),
    ("1004", "刘洋", Role.CLERK), ("1005", "陈静", Role.CLERK), ("1006", "杨磊", Role.CLERK),
    ("1007", "赵敏", Role.CLERK), ("1008", "黄强", Role.CLERK), ("1009", "周婷", Role.CLERK),
    ("2001", "吴晓燕", Role.BACKOFFICE), ("8001", "孙建国", Role.MANAGER), ("9001", "系统管理员", Role.ADMIN),
)
DEMO_PASSWORD = "demo1234"

RESIDENTIAL = {
    "period": "annual",
    "tiers": [{"upto_m3": 180, "price_fen": 142}, {"upto_m3": 300, "price_fen": 213}, {"upto_m3": None, "price_fen": 426}],
    "components": [
        {"code": "water", "name_zh": "水费", "name_en": "Water", "tiered": True},
        {"code": "sewage", "name_zh": "污水处理费", "name_en": "Sewage treatment", "price_fen": 142},
        {"code": "resource", "name_zh": "水资源费", "name_en": "Water resource fee", "price_fen": 20},
    ],
}
NON_RESIDENTIAL = {
    "period": "monthly",
    "tiers": [],
    "components": [
        {"code": "water", "name_zh": "水费", "name_en": "Water", "price_fen": 430},
        {"code": "sewage", "name_zh": "污水处理费", "name_en": "Sewage treatment", "price_fen": 160},
        {"code": "resource", "name_zh": "水资源费", "name_en": "Water resource fee", "price_fen": 20},
    ],
}
TARIFF_FROM = date(2025, 1, 1)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧建国平刚桂兰玉霞凤红文辉鹏志春梅海波宇浩鑫晨欣怡佳琳子涵雨轩博文思远嘉欣俊杰"
_ROADS = ("人民路", "解放路", "建设路", "中山路", "和平路", "新华路", "长江路", "滨河路", "文化路", "工业路", "朝阳路", "胜利路")
_COMPANIES = ("示范市第一中学", "城东农贸市场", "鸿运餐饮有限公司", "康宁医院", "星光洗车行", "城东宾馆", "新世纪超市", "华美印染厂")


@dataclass(frozen=True)
class SeedSummary:
    branch_id: str
    accounts: int
    bills: int
    staff: int
    ticket_days: int = 0


def is_seeded(db: NodeDatabase) -> bool:
    with unit_of_work(db.sessions) as session:
        return session.scalar(select(func.count()).select_from(Branch)) > 0


def _month_periods(months: int, today: date) -> list[tuple[date, date]]:
    first = today.replace(day=1)
    periods = []
    for _ in range(months):
        end = first - timedelta(days=1)
        first = end.replace(day=1)
        periods.append((first, end))
    return list(reversed(periods))


def _batched(rows: Iterator[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_demo(db: NodeDatabase, settings: Settings, *, accounts: int = 5000, months: int = 12,
              today: date | None = None, rng_seed: int = 20261123) -> SeedSummary:
    """Fill an empty database with a branch like a real one. Refuses a database with a branch."""
    if is_seeded(db):
        raise RuntimeError("this database already holds a branch; seed only an empty one")
    rng = random.Random(rng_seed)
    today = today or date.today()
    branch_id = new_id()
    with unit_of_work(db.sessions) as session:
        b = settings.branch
        session.add(Branch(id=branch_id, code=b.code, name=b.name, utility_name=b.utility, timezone=b.timezone,
                           query_phone=b.query_phone, address="示范市城东区人民路1号"))
        session.flush()
        service_ids = {}
        for order, (letter, code, zh, en, minutes) in enumerate(SERVICES):
            service = Service(branch_id=branch_id, code=code, letter=letter, name_zh=zh, name_en=en,
                              sort_order=order, standard_minutes=minutes)
            session.add(service)
            session.flush()
            service_ids[letter] = service.id
        for number, letters in WINDOW_SERVICES.items():
            window = Window(branch_id=branch_id, number=number, name=f"{number}号窗口")
            session.add(window)
            session.flush()
            for order, letter in enumerate(letters):
                session.add(WindowService(window_id=window.id, service_id=service_ids[letter], sort_order=order))
        password_hash = {role: hash_password(DEMO_PASSWORD) for role in Role}
        for staff_no, name, role in STAFF:
            session.add(Staff(branch_id=branch_id, staff_no=staff_no, name=name, role=role.value,
                              password_hash=password_hash[role], star_level=rng.randint(3, 5)))
        residential = TariffVersion(code="RES-TIERED", name="居民生活用水（阶梯）", user_type="residential",
                                    valid_from=TARIFF_FROM, definition=RESIDENTIAL)
        business = TariffVersion(code="NONRES-FLAT", name="非居民用水", user_type="non_residential",
                                 valid_from=TARIFF_FROM, definition=NON_RESIDENTIAL)
        session.add_all([residential, business])
        session.flush()
        tariffs = {"residential": (residential.id, TariffDefinition.from_dict(RESIDENTIAL)),
                   "non_residential": (business.id, TariffDefinition.from_dict(NON_RESIDENTIAL))}
        bills = _insert_accounts(session, rng, branch_id, accounts, _month_periods(months, today), tariffs, today)
        seed_application_reference(session)
    return SeedSummary(branch_id, accounts, bills, len(STAFF))


def _insert_accounts(session, rng: random.Random, branch_id: str, count: int, periods, tariffs, today: date) -> int:  # type: ignore[no-untyped-def]
    account_rows, meter_rows, bill_rows = [], [], []
    bill_count = 0
    for index in range(count):
        residential = rng.random() < 0.92
        account_id, meter_id = new_id(), new_id()
        if residential:
            holder = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
            address = (f"示范市城东区{rng.choice(_ROADS)}{rng.randint(1, 300)}号"
                       f"{rng.randint(1, 20)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}{rng.randint(1, 4):02d}室")
        else:
            holder = rng.choice(_COMPANIES) + ("" if index % 3 else f"（{index}）")
            address = f"示范市城东区{rng.choice(_ROADS)}{rng.randint(1, 300)}号"
        user_type = "residential" if residential else "non_residential"
        account_rows.append({"id": account_id, "account_no": f"{1_000_000_000 + index + 1:010d}", "branch_id": branch_id,
                             "holder": holder, "address": address, "phone": f"13{rng.randint(100000000, 999999999)}",
                             "user_type": user_type, "household_size": rng.randint(1, 6), "balance_fen": 0,
                             "status": "active", "hq_version": 1})
        meter_rows.append({"id": meter_id, "account_id": account_id, "meter_no": f"M{index + 1:09d}",
                           "size_dn": 20 if residential else 50, "installed_on": date(2015, 1, 1), "hq_version": 1})
        tariff_id, tariff = tariffs[user_type]
        reading, used_in_year, year = rng.randint(100, 5000), 0, None
        unpaid_from = len(periods) - rng.choice((0, 0, 0, 1, 1, 2))
        for position, (start, end) in enumerate(periods):
            if year != start.year:
                year, used_in_year = start.year, 0
            usage = rng.randint(4, 30) if residential else rng.randint(20, 300)
            breakdown = compute_bill(tariff, usage, used_in_year if tariff.period == "annual" else 0)
            used_in_year += usage
            paid = position < unpaid_from
            bill_rows.append({"id": new_id(), "account_id": account_id, "meter_id": meter_id, "tariff_version_id": tariff_id,
                              "period": start.strftime("%Y-%m"), "period_start": start, "period_end": end,
                              "prev_reading": reading, "curr_reading": reading + usage, "usage_m3": usage,
                              "amount_fen": breakdown.total_fen, "detail": breakdown.to_dict(),
                              "due_date": end + timedelta(days=25), "paid_fen": breakdown.total_fen if paid else 0,
                              "status": "paid" if paid else "open", "hq_version": 1})
            reading += usage
        if len(bill_rows) >= 50_000:
            bill_count += _flush(session, account_rows, meter_rows, bill_rows)
    bill_count += _flush(session, account_rows, meter_rows, bill_rows)
    return bill_count


def _flush(session, accounts: list, meters: list, bills: list) -> int:  # type: ignore[no-untyped-def]
    if accounts:
        session.execute(insert(CustomerAccount), accounts)
        session.execute(insert(Meter), meters)
    count = len(bills)
    if bills:
        session.execute(insert(Bill), bills)
    accounts.clear(), meters.clear(), bills.clear()
    return count


def seed_history(db: NodeDatabase, *, days: int, tickets_per_day: int = 300, today: date | None = None,
                 rng_seed: int = 7) -> int:
    """Past business days of finished tickets with their timed events (issued, called, serving,
    done), as a busy branch would have them. Each day is one transaction with one outbox event
    that is already acknowledged: history is local demo data, not something to send upstream."""
    rng = random.Random(rng_seed)
    today = today or date.today()
    with unit_of_work(db.sessions) as session:
        branch_id = session.scalar(select(Branch.id))
        services = session.execute(select(Service.id, Service.letter, Service.standard_minutes)).all()
        windows = session.execute(select(Window.id)).scalars().all()
        clerks = session.execute(select(Staff.id).where(Staff.role == Role.CLERK.value)).scalars().all()
        next_seq = (session.scalar(select(func.max(TicketEvent.seq))) or 0) + 1
    if branch_id is None:
        raise RuntimeError("seed the branch first")
    zone_offset = timedelta(hours=8)
    total = 0
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        with unit_of_work(db.sessions) as session:
            event = record_event(session, channel="ops", event_type="seed.history", aggregate_type="day",
                                 aggregate_id=day.isoformat(), payload={"day": day.isoformat()}, node=db.node_id,
                                 state="acked")
            tickets, events = [], []
            counters = {letter: 0 for _, letter, _ in services}
            opening = datetime.combine(day, time(8, 30)).replace(tzinfo=utcnow().tzinfo) - zone_offset
            for n in range(tickets_per_day):
                service_id, letter, minutes = rng.choice(services)
                counters[letter] += 1
                issued = opening + timedelta(seconds=n * (8 * 3600 // tickets_per_day))
                called = issued + timedelta(seconds=rng.randint(30, 1800))
                started = called + timedelta(seconds=rng.randint(10, 120))
                done = started + timedelta(seconds=rng.randint(60, minutes * 120))
                outcome = "no_show" if rng.random() < 0.04 else "done"
                ticket_id, window_id, clerk_id = new_id(), rng.choice(windows), rng.choice(clerks)
                tickets.append({"id": ticket_id, "node_id": db.node_id, "outbox_event_id": event.event_id,
                                "branch_id": branch_id, "service_id": service_id, "queue_service_id": service_id,
                                "business_date": day, "recall_count": 0,
                                "seq": counters[letter], "number": f"{letter}{counters[letter]:03d}", "priority": "normal",
                                "state": outcome, "outcome": outcome, "window_id": window_id, "clerk_id": clerk_id,
                                "call_count": 1, "issued_at": issued, "queued_at": issued})
                steps = [("issued", issued), ("called", called)]
                steps += [("no_show", called + timedelta(minutes=3))] if outcome == "no_show" else [("serving", started), ("done", done)]
                for kind, at in steps:
                    events.append({"id": new_id(), "node_id": db.node_id, "outbox_event_id": event.event_id,
                                   "seq": next_seq, "ticket_id": ticket_id, "window_id": None if kind == "issued" else window_id,
                                   "clerk_id": None if kind == "issued" else clerk_id, "kind": kind, "at": at, "data": {}})
                    next_seq += 1
            session.execute(insert(Ticket), tickets)
            session.execute(insert(TicketEvent), events)
            total += len(tickets)
    return total

