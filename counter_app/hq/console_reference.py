"""The console's reference-data routes (under ``/v1/console/reference``): tariffs published as new
dated versions, a holiday year, a staff member disabled or enabled, or his password reset. Each edit goes through head
office's publisher (:mod:`counter_app.hq.refdata.api`) and is audited with the operator's id in the
same transaction: the edit and the record of who made it commit together or not at all."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from counter_app.core import refstreams
from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import hash_password
from counter_app.hq.operators import record
from counter_app.hq.reference_edits import staff_rows
from counter_app.hq.refdata import api


class TariffBody(BaseModel):
    code: str = Field(max_length=30)
    name: str = Field(max_length=100)
    user_type: str
    valid_from: date
    valid_to: date | None = None
    definition: dict[str, Any]


class HolidayDay(BaseModel):
    day: date
    kind: str
    name: str = Field(default="", max_length=50)


class HolidaysBody(BaseModel):
    days: list[HolidayDay] = Field(max_length=400)


class PasswordResetBody(BaseModel):
    password: str = Field(max_length=200)


class StaffDisabledBody(BaseModel):
    disabled: bool


def add_reference_routes(router: APIRouter, console: Any) -> None:
    """``console``: the :class:`counter_app.hq.console_api.Console` (engine, operator check)."""
    engine = console.engine

    @router.get("/reference/tariffs")
    def tariffs(request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return api.list_current(engine, "tariff_version", refstreams.GLOBAL_BUCKET)

    @router.post("/reference/tariffs")
    def publish_tariff(body: TariffBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        with engine.begin() as connection:
            change = api.publish_tariff_version(connection, code=body.code, name=body.name, user_type=body.user_type,
                                                valid_from=body.valid_from, valid_to=body.valid_to,
                                                definition=body.definition, by=operator.name)
            record(connection, operator, "tariff_published", entity="tariff_version",
                   entity_id=f"{body.code}|{body.valid_from.isoformat()}", change_id=change)
        return {"change_id": change, "key": f"{body.code}|{body.valid_from.isoformat()}"}

    @router.get("/reference/holidays/{year}")
    def holidays(year: int, request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return [d for d in api.list_current(engine, "holiday", refstreams.GLOBAL_BUCKET)
                if d["day"].startswith(f"{year:04d}-")]

    @router.put("/reference/holidays/{year}")
    def set_holidays(year: int, body: HolidaysBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        if not 2000 <= year <= 2100:
            raise InvalidInput("year", "2000 to 2100", code="whole_number_range", min=2000, max=2100)
        with engine.begin() as connection:
            change = api.set_holiday_year(connection, year, [(d.day, d.kind, d.name) for d in body.days],
                                          by=operator.name)
            record(connection, operator, "holidays_published", entity="holiday_year", entity_id=str(year),
                   change_id=change, days=len(body.days))
        return {"change_id": change, "year": year, "days": len(body.days)}

    @router.get("/reference/staff")
    def staff(request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return staff_rows(api.list_current(engine, "staff"))

    @router.post("/reference/staff/{staff_no}/disabled")
    def staff_disabled(staff_no: str, body: StaffDisabledBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        with engine.begin() as connection:
            change = api.set_staff_disabled(connection, staff_no, body.disabled, by=operator.name)
            record(connection, operator, "staff_disabled" if body.disabled else "staff_enabled", entity="staff",
                   entity_id=staff_no, change_id=change)
        return {"change_id": change, "staff_no": staff_no, "disabled": body.disabled}

    @router.post("/reference/staff/{staff_no}/password")
    def staff_password_reset(staff_no: str, body: PasswordResetBody, request: Request) -> dict[str, Any]:
        """A new first password (hashed here, argon2id): he sets his own at his next login."""
        operator = console.operator(request)
        password_hash = hash_password(body.password)  # refuses a short password: nothing written
        with engine.begin() as connection:
            change = api.reset_staff_password(connection, staff_no, password_hash, by=operator.name)
            record(connection, operator, "staff_password_reset", entity="staff", entity_id=staff_no, change_id=change)
        return {"change_id": change, "staff_no": staff_no}
