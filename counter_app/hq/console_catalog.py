"""The console's routes for a branch's catalogue, its local policy tables and new staff members
(under ``/v1/console/reference``): a service added, changed, retired or restored (never deleted); a
window with the services it serves; a policy table published as a new version for one branch or for
all; a staff member created with his first password hashed (argon2id) here at head office.

Each edit is checked by :mod:`counter_app.hq.console_rules`, published through head office's
publisher (:mod:`counter_app.hq.refdata.api`) and audited with the operator in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import hash_password
from counter_app.domain.timeutil import utcnow
from counter_app.hq import console_dated as dated
from counter_app.hq import console_rules as rules
from counter_app.hq.operators import record
from counter_app.hq.refdata import api


class ServiceBody(BaseModel):
    code: str = Field(max_length=20)
    letter: str = Field(max_length=1)
    name_zh: str = Field(max_length=50)
    name_en: str = Field(max_length=50)
    daily_cap: int = 999
    standard_minutes: int = 5
    sort_order: int = 0
    new: bool = False
    valid_from: str | None = Field(default=None, max_length=10)  # the business day it takes effect; None: now


class ActiveBody(BaseModel):
    active: bool
    valid_from: str | None = Field(default=None, max_length=10)


class WindowBody(BaseModel):
    name: str = Field(default="", max_length=50)
    active: bool = True
    services: list[str] = Field(default_factory=list, max_length=50)
    valid_from: str | None = Field(default=None, max_length=10)


class PolicyBody(BaseModel):
    branch: str = Field(max_length=10)  # a branch code, or "*" for every branch
    name: str = Field(max_length=30)
    values: dict[str, Any]
    valid_from: str | None = Field(default=None, max_length=10)


class NewStaffBody(BaseModel):
    staff_no: str = Field(max_length=20)
    name: str = Field(max_length=50)
    role: str
    branches: list[str] = Field(max_length=50)
    password: str = Field(max_length=200)
    offline_valid_until: date | None = None  # the last day he may log in offline; None: no own limit


def _branch_codes(engine: Any) -> list[str]:
    return [b["code"] for b in api.list_current(engine, "branch")]


def _require(engine: Any, branch: str) -> None:
    rules.policy_targets(branch, _branch_codes(engine))


def _from(connection: Any, branch: str, valid_from: str | None) -> date | None:
    """The later business day of the branch a change waits for (None: now); a past day refused."""
    zone = (api.current(connection, "branch", branch, branch) or {}).get("timezone")
    return dated.effective_day(valid_from, dated.branch_today(zone, utcnow()))


def _bare(published: dict[str, Any] | None) -> dict[str, Any] | None:
    """A published payload without what ``list_current`` adds."""
    return None if published is None else {k: v for k, v in published.items() if k not in ("hq_version", "bucket")}


def _day_words(day: date | None) -> dict[str, str]:
    return {"valid_from": day.isoformat()} if day else {}


def add_catalog_routes(router: APIRouter, console: Any) -> None:
    """``console``: the :class:`counter_app.hq.console_api.Console` (engine, operator check)."""
    engine = console.engine

    @router.get("/reference/branches")
    def branches(request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return [{"code": b["code"], "name": b["name"], "timezone": b.get("timezone", "Asia/Shanghai")}
                for b in api.list_current(engine, "branch")]

    @router.get("/reference/services/{branch}")
    def services(branch: str, request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return sorted(api.list_current(engine, "service", branch), key=lambda s: (s.get("sort_order", 0), s["code"]))

    @router.post("/reference/services/{branch}")
    def save_service(branch: str, body: ServiceBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        _require(engine, branch)
        with engine.begin() as connection:
            day = _from(connection, branch, body.valid_from)
            published = api.list_current(connection, "service", branch)
            checked = rules.check_new_service(body.model_dump(exclude={"valid_from"}), published, new=body.new)
            existing = None if body.new else next(s for s in published if s["code"] == checked["code"])
            payload = dated.service_payload(checked, _bare(existing), day)
            change = api.upsert_service(connection, branch, **payload, by=operator.name)
            record(connection, operator, "service_added" if body.new else "service_changed", entity="service",
                   entity_id=f"{branch}/{payload['code']}", change_id=change, letter=payload["letter"], **_day_words(day))
        return {"change_id": change, "branch": branch, "code": payload["code"], "new": body.new, **_day_words(day)}

    @router.post("/reference/services/{branch}/{code}/active")
    def service_active(branch: str, code: str, body: ActiveBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        _require(engine, branch)
        with engine.begin() as connection:
            day = _from(connection, branch, body.valid_from)
            published = api.list_current(connection, "service", branch)
            existing = next((s for s in published if s["code"] == code), {"code": code})
            rules.check_new_service(existing, published, new=False)
            payload = dated.service_active_payload(_bare(existing), body.active, day)
            change = api.upsert_service(connection, branch, **payload, by=operator.name)
            record(connection, operator, "service_restored" if body.active else "service_retired", entity="service",
                   entity_id=f"{branch}/{code}", change_id=change, **_day_words(day))
        return {"change_id": change, "branch": branch, "code": code, "active": body.active, **_day_words(day)}

    @router.get("/reference/windows/{branch}")
    def windows(branch: str, request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return rules.windows_with_services(api.list_current(engine, "window", branch),
                                           api.list_current(engine, "window_service", branch))

    @router.put("/reference/windows/{branch}/{number}")
    def save_window(branch: str, number: int, body: WindowBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        _require(engine, branch)
        with engine.begin() as connection:
            zone = (api.current(connection, "branch", branch, branch) or {}).get("timezone")
            today = dated.branch_today(zone, utcnow())
            day = dated.effective_day(body.valid_from, today)
            existing = next((w for w in api.list_current(connection, "window", branch) if w["number"] == number), None)
            fields, links = dated.window_payload(existing, name=body.name, active=body.active, services=body.services,
                                                 published=api.list_current(connection, "service", branch),
                                                 today=today, day=day)
            change = api.upsert_window(connection, branch, number=number, services=links, **fields, by=operator.name)
            record(connection, operator, "window_saved", entity="window", entity_id=f"{branch}/{number}",
                   change_id=change, services=",".join(body.services), active=body.active, **_day_words(day))
        return {"change_id": change, "branch": branch, "number": number, "services": links, **_day_words(day)}

    @router.get("/reference/policy/{branch}")
    def policies(branch: str, request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return api.list_current(engine, "policy", branch)

    @router.get("/reference/policy/{branch}/{name}/history")
    def policy_history(branch: str, name: str, request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return api.change_history(engine, "policy", name, branch)

    @router.put("/reference/policy")
    def publish_policy(body: PolicyBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        values = rules.check_policy(body.name, body.values)
        with engine.begin() as connection:
            targets = rules.policy_targets(body.branch, _branch_codes(connection))
            change, days = 0, set()
            for branch in targets:  # one transaction: every branch gets the new version, or none does
                day = _from(connection, branch, body.valid_from)
                days.add(day)
                if day is None:
                    table = dated.policy_values(values, api.current(connection, "policy", body.name, branch))
                    change = api.set_policy(connection, branch, body.name, table, by=operator.name)
                else:
                    change = api.set_policy_from(connection, branch, body.name, day, values, by=operator.name)
            day = max((d for d in days if d), default=None)
            record(connection, operator, "policy_published", entity="policy", entity_id=f"{body.branch}/{body.name}",
                   change_id=change, branches=",".join(targets), keys=",".join(sorted(values)), **_day_words(day))
        return {"change_id": change, "name": body.name, "branches": targets, **_day_words(day)}

    @router.post("/reference/staff")
    def create_staff(body: NewStaffBody, request: Request) -> dict[str, Any]:
        operator = console.operator(request)
        if not body.branches:  # else nothing would be published, to no branch
            raise InvalidInput("branches", "a non-empty list of branch codes", code="ref_field_rule",
                               name="staff.branches", expected="a non-empty list of branch codes")
        password_hash = hash_password(body.password)  # argon2id; refuses a short password (nothing written)
        with engine.begin() as connection:
            known = {p["staff_no"] for p in api.list_current(connection, "staff")}
            known_branches = _branch_codes(connection)
            for branch in body.branches:
                rules.policy_targets(branch, known_branches)
            zone = (api.current(connection, "branch", body.branches[0]) or {}).get("timezone") if body.branches else None
            until = rules.check_new_staff(body.staff_no, known, body.offline_valid_until, zone or "Asia/Shanghai",
                                          utcnow().date())
            change = api.upsert_staff(connection, staff_no=body.staff_no, name=body.name, role=body.role,
                                      password_hash=password_hash, branches=body.branches,
                                      offline_valid_until=until, must_change_password=True, by=operator.name)
            record(connection, operator, "staff_created", entity="staff", entity_id=body.staff_no, change_id=change,
                   role=body.role, branches=",".join(body.branches))
        return {"change_id": change, "staff_no": body.staff_no, "offline_valid_until": until}
