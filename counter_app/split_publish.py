"""Head office publishes a branch's reference data taken from a seeded branch database file (the
demo data of ``counter-app seed``), through refdata's publisher: the branch, its services and
windows, its staff with their argon2 hashes, the tariffs, application types, holidays, and its
accounts, meters and bills. ``counter-app demo --split`` and the multi-process tests use it, so
that the hub and the counters all receive their reference data from head office as a real
installation does (the same ids on every node: refdata's stable ids)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select

from counter_app.hq.refdata import api
from counter_app.persistence.models import (
    ApplicationType,
    Bill,
    Branch,
    CustomerAccount,
    Holiday,
    Meter,
    Service,
    Staff,
    TariffVersion,
    Window,
    WindowService,
)

BY = "demo --split"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def publish_seeded_branch(hq: Engine, source: Path, staff_valid_until: datetime | None = None) -> int:
    """Publish everything reference of the branch in ``source`` (a SQLite file); returns the last change id."""
    branch_db = create_engine(f"sqlite:///{source}")
    try:
        with branch_db.connect() as c:
            last = _catalog(hq, c)
            last = _staff(hq, c, staff_valid_until) or last
            last = _accounts(hq, c) or last
    finally:
        branch_db.dispose()
    return last


def _catalog(hq: Engine, c: Any) -> int:
    branch = c.execute(select(Branch)).one()
    code = branch.code
    api.upsert_branch(hq, code=code, name=branch.name, utility_name=branch.utility_name, timezone=branch.timezone,
                      query_phone=branch.query_phone, address=branch.address, by=BY)
    services = {s.id: s for s in c.execute(select(Service).order_by(Service.sort_order))}
    for s in services.values():
        api.upsert_service(hq, code, code=s.code, letter=s.letter, name_zh=s.name_zh, name_en=s.name_en,
                           daily_cap=s.daily_cap, sort_order=s.sort_order, active=s.active,
                           standard_minutes=s.standard_minutes, by=BY)
    for w in c.execute(select(Window).order_by(Window.number)).all():
        served = c.execute(select(WindowService.service_id).where(WindowService.window_id == w.id)
                           .order_by(WindowService.sort_order)).scalars()
        api.upsert_window(hq, code, number=w.number, name=w.name, services=[services[i].code for i in served], by=BY)
    for t in c.execute(select(TariffVersion)).all():
        if api.current(hq, "tariff_version", f"{t.code}|{t.valid_from.isoformat()}") is None:
            api.publish_tariff_version(hq, code=t.code, name=t.name, user_type=t.user_type, valid_from=t.valid_from,
                                       valid_to=t.valid_to, definition=t.definition, by=BY)
    for a in c.execute(select(ApplicationType)).all():
        api.upsert_application_type(hq, code=a.code, name_zh=a.name_zh, name_en=a.name_en, definition=a.definition,
                                    active=a.active, by=BY)
    days: dict[int, list[tuple[date, str, str]]] = {}
    for h in c.execute(select(Holiday)).all():
        days.setdefault(h.day.year, []).append((h.day, h.kind, h.name))
    last = 0
    for year, listed in days.items():
        last = api.set_holiday_year(hq, year, listed, by=BY)
    return last


def _staff(hq: Engine, c: Any, valid_until: datetime | None) -> int:
    branch = c.execute(select(Branch.code)).scalar_one()
    last = 0
    for s in c.execute(select(Staff)).all():
        last = api.upsert_staff(hq, staff_no=s.staff_no, name=s.name, role=s.role, password_hash=s.password_hash,
                                branches=[branch], disabled=s.disabled, star_level=s.star_level or 3,
                                offline_valid_until=None if valid_until is None else valid_until.isoformat(), by=BY)
    return last


def _accounts(hq: Engine, c: Any) -> int:
    branch = c.execute(select(Branch.code)).scalar_one()
    numbers = dict(c.execute(select(CustomerAccount.id, CustomerAccount.account_no)).all())
    meters = dict(c.execute(select(Meter.id, Meter.meter_no)).all())
    tariffs = {t.id: t for t in c.execute(select(TariffVersion)).all()}

    def accounts() -> Iterator[dict[str, Any]]:
        for a in c.execute(select(CustomerAccount)):
            yield {"account_no": a.account_no, "holder": a.holder, "address": a.address, "phone": a.phone,
                   "user_type": a.user_type, "household_size": a.household_size, "balance_fen": a.balance_fen,
                   "status": a.status}

    def meter_rows() -> Iterator[dict[str, Any]]:
        for m in c.execute(select(Meter)):
            yield {"meter_no": m.meter_no, "account_no": numbers[m.account_id], "size_dn": m.size_dn,
                   "installed_on": _day(m.installed_on)}

    def bills() -> Iterator[dict[str, Any]]:
        for b in c.execute(select(Bill)):
            tariff = tariffs[b.tariff_version_id]
            yield {"account_no": numbers[b.account_id], "period": b.period, "meter_no": meters[b.meter_id],
                   "tariff_code": tariff.code, "tariff_valid_from": tariff.valid_from.isoformat(),
                   "period_start": b.period_start.isoformat(), "period_end": b.period_end.isoformat(),
                   "prev_reading": b.prev_reading, "curr_reading": b.curr_reading, "usage_m3": b.usage_m3,
                   "amount_fen": b.amount_fen, "detail": b.detail, "due_date": b.due_date.isoformat(),
                   "paid_fen": b.paid_fen, "status": b.status}

    return api.upsert_accounts_and_bills(hq, branch, accounts=list(accounts()), meters=list(meter_rows()),
                                         bills=list(bills()), by=BY)
