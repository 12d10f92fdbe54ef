"""Reading applications: the back-office work list, the status lookup at any window, one
application's full picture, and the fee items the fee collection flow charges."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Iterator, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.domain.applications import (
    ACTIVE_STATUSES, CHARGE_STAGE, MISSING, OPEN, STANDARD_STAGES, WAITING_DOCS, FeeItem, NextStep, PromisedStage,
    due_state, elapsed_working_days, is_application_number, next_stage, next_step, promised_schedule, resumed_due,
)
from counter_app.domain.errors import InvalidInput
from counter_app.domain.identity_codes import validate_mobile
from counter_app.domain.typed import is_ascii_digits, typed_number
from counter_app.domain.timeutil import format_local
from counter_app.domain.workdays import WorkCalendar
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Application, ApplicationAttachment, ApplicationStageEvent, ApplicationType, CustomerAccount, Staff, Window,
)
from counter_app.services.applications.context import ApplicationContext, document_states, load_application
from counter_app.services.applications.forms import AttachmentRef
from counter_app.services.applications.reference import definition_of, load_calendar

LOOKUP_LIMIT = 50


class WorkItem(NamedTuple):
    """One line of the back-office list (a named tuple: 50,000 of them are made in milliseconds)."""

    number: str
    type_zh: str
    type_en: str
    applicant_name: str
    site_address: str
    phone: str
    stage: str
    stage_zh: str
    stage_en: str
    status: str
    due: date | None
    due_state: str
    elapsed_days: int


@dataclass(frozen=True)
class WorkList:
    today: date
    items: list[WorkItem]


def _names(session: Session) -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    types, stages = {}, {}
    for row in session.scalars(select(ApplicationType)):
        definition = definition_of(row)
        types[row.id] = (row.name_zh, row.name_en)
        for stage in definition.stages:
            stages[(row.id, stage.code)] = (stage.name_zh, stage.name_en)
    return types, stages


def work_list(ctx: ApplicationContext, stage: str | None = None, *, late_only: bool = False,
              window: int | None = None) -> WorkList:
    """Applications in progress, optionally at one stage or taken at one window, the earliest due
    first, with their due state (green / amber / red / stopped) and elapsed working days."""
    with _collector_paused(), unit_of_work(ctx.db.sessions) as session:
        today, calendar = ctx.today(session), load_calendar(session)
        type_names, stage_names = _names(session)
        a = Application
        query = (select(a.number, a.type_id, a.applicant_name, a.site_address, a.phone, a.current_stage, a.status,
                        a.stage_due_date, a.accepted_on, a.clock_stopped_days, a.clock_stopped_since)
                 .where(a.status.in_(ACTIVE_STATUSES)).order_by(a.stage_due_date, a.number))
        if stage:
            query = query.where(a.current_stage == stage)
        if window is not None:
            query = query.join(Window, Window.id == a.window_id).where(Window.number == window)
        return _work_items(session.connection().execute(query).all(), calendar, today, type_names, stage_names, late_only)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building tens of thousands of small tuples would set off the cyclic garbage collector again
    and again (each pass walks the whole heap); none of them can form a cycle, so it waits."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _work_items(rows, calendar: WorkCalendar, today: date, type_names, stage_names, late_only: bool) -> WorkList:  # type: ignore[no-untyped-def]
    # Thousands of rows share a few dozen dates: each distinct combination is worked out once.
    states: dict[tuple[date | None, str], str] = {}
    spent: dict[tuple[date | None, int, date | None], int] = {}
    items = []
    for number, type_id, name, address, phone, code, status, due, accepted, stopped_days, stopped_since in rows:
        state = states.get((due, status))
        if state is None:
            state = states[(due, status)] = due_state(calendar, due, today, status)
        if late_only and state not in ("amber", "red"):
            continue
        elapsed = spent.get((accepted, stopped_days, stopped_since))
        if elapsed is None:
            elapsed = spent[(accepted, stopped_days, stopped_since)] = elapsed_working_days(
                calendar, accepted or today, today, stopped_days=stopped_days or 0, stopped_since=stopped_since)
        type_zh, type_en = type_names.get(type_id, ("", ""))
        stage_zh, stage_en = stage_names.get((type_id, code)) or STANDARD_STAGES.get(code, (code, code))
        items.append(WorkItem(number, type_zh, type_en, name, address, phone, code, stage_zh, stage_en, status, due,
                              state, elapsed))
    return WorkList(today, items)


@dataclass(frozen=True)
class LookupHit:
    number: str
    type_zh: str
    type_en: str
    applicant_name: str
    status: str
    stage_zh: str
    stage_en: str
    due_state: str
    accepted_on: date | None
    window: int | None = None
    elsewhere: bool = False  # another window's, from the hub's branch-wide read copy


def lookup_key(text: str) -> tuple[str, str]:
    """What a lookup looks for: ("number" | "id_number" | "phone", the value as stored)."""
    query_text = "".join(typed_number(text).split()).upper()
    digits = query_text.replace("-", "")
    if is_application_number(query_text):
        return "number", query_text
    if len(digits) == 18:
        return "id_number", digits
    if is_ascii_digits(digits.lstrip("+")) and len(digits) >= 11:
        return "phone", validate_mobile(digits, field="query")
    raise InvalidInput("query", "enter an application number, an 18-character ID number or credit code, or a mobile number", code="application_query")


def lookup(ctx: ApplicationContext, text: str) -> list[LookupHit]:
    """Find applications by application number, resident ID / credit code, or mobile number."""
    kind, value = lookup_key(text)
    a = Application
    if kind == "number":
        condition = a.number == value
    elif kind == "id_number":
        condition = (a.id_number == value) | (a.credit_code == value)
    else:
        condition = a.phone == value
    with unit_of_work(ctx.db.sessions) as session:
        today, calendar = ctx.today(session), load_calendar(session)
        type_names, stage_names = _names(session)
        rows = session.execute(select(a.number, a.type_id, a.applicant_name, a.status, a.current_stage, a.stage_due_date,
                                      a.accepted_on).where(condition).order_by(a.created_at.desc()).limit(LOOKUP_LIMIT))
        hits = []
        for number, type_id, name, status, code, due, accepted in rows:
            stage_zh, stage_en = stage_names.get((type_id, code)) or STANDARD_STAGES.get(code, (code, code))
            hits.append(LookupHit(number, *type_names.get(type_id, ("", "")), name, status, stage_zh, stage_en,
                                  due_state(calendar, due, today, status), accepted))
        return hits


@dataclass(frozen=True)
class HistoryEntry:
    stage: str
    stage_zh: str
    stage_en: str
    action: str  # enter | complete | not_passed | back | stop_clock | resume
    result: str
    reason: str
    due: date | None
    staff_name: str
    at_local: str


@dataclass(frozen=True)
class DocumentLine:
    code: str
    name_zh: str
    name_en: str
    state: str


@dataclass(frozen=True)
class ApplicationDetail:
    number: str
    type_code: str
    type_zh: str
    type_en: str
    applicant_kind: str
    applicant_name: str
    id_number: str
    credit_code: str
    phone: str
    contact: str
    site_address: str
    account_no: str
    requested_size: str
    notes: str
    status: str
    stage: str
    stage_zh: str
    stage_en: str
    stages: tuple[tuple[str, str, str], ...]  # (code, 中文, English) in order
    due: date | None
    due_state: str
    elapsed_days: int
    stopped_days: int
    accepted_on: date | None
    finished_on: date | None
    accepted_at_local: str
    documents: tuple[DocumentLine, ...]
    history: tuple[HistoryEntry, ...]
    schedule: tuple[PromisedStage, ...]  # the stages still ahead, with their promised dates
    next_step: NextStep
    fee_items: tuple[FeeItem, ...]
    attachments: tuple[AttachmentRef, ...]
    clerk_name: str
    clerk_no: str
    window_number: int | None
    today: date
    copy_as_of_local: str = ""  # another window's, from the hub's read copy as its owner last changed it

    @property
    def missing(self) -> tuple[DocumentLine, ...]:
        return tuple(d for d in self.documents if d.state == MISSING)


def remaining_schedule(calendar: WorkCalendar, definition, application: Application, today: date) -> tuple[PromisedStage, ...]:  # type: ignore[no-untyped-def]
    """The current stage at its due date (moved on as if documents came today while the clock
    is stopped) and the later stages one after the other."""
    if application.status not in ACTIVE_STATUSES or application.stage_due_date is None:
        return ()
    due = application.stage_due_date
    if application.status == WAITING_DOCS and application.clock_stopped_since is not None:
        due = resumed_due(calendar, due, application.clock_stopped_since, today)
    stage = definition.stage(application.current_stage)
    current = PromisedStage(stage.code, stage.name_zh, stage.name_en, stage.limit_days, due)
    following = next_stage(definition, stage.code)
    return (current,) + (promised_schedule(definition, calendar, due, following) if following else ())


def detail(ctx: ApplicationContext, number: str) -> ApplicationDetail:
    with unit_of_work(ctx.db.sessions) as session:
        application, definition = load_application(session, number)
        today, calendar, zone = ctx.today(session), load_calendar(session), ctx.zone(session)
        states = document_states(session, application.id)
        documents = tuple(DocumentLine(d.code, d.name_zh, d.name_en, states.get(d.code, MISSING))
                          for d in definition.documents_for(application.applicant_kind))
        staff = {staff_id: name for staff_id, name in session.execute(select(Staff.id, Staff.name))}
        history = []
        for event in session.scalars(select(ApplicationStageEvent).where(ApplicationStageEvent.application_id == application.id)
                                     .order_by(ApplicationStageEvent.at)):
            zh, en = _stage_names(definition, event.stage)
            history.append(HistoryEntry(event.stage, zh, en, event.action, event.result, event.reason, event.due_date,
                                        staff.get(event.staff_id, ""), format_local(event.at, zone, "%Y-%m-%d %H:%M")))
        attachments = tuple(AttachmentRef(r.filename, r.sha256, r.size_bytes) for r in session.scalars(
            select(ApplicationAttachment).where(ApplicationAttachment.application_id == application.id)
            .order_by(ApplicationAttachment.added_at)))
        clerk = session.get(Staff, application.clerk_id)
        window = session.get(Window, application.window_id) if application.window_id else None
        account = session.get(CustomerAccount, application.account_id) if application.account_id else None
        stage_zh, stage_en = _stage_names(definition, application.current_stage)
        return ApplicationDetail(
            application.number, definition.code, definition.name_zh, definition.name_en, application.applicant_kind,
            application.applicant_name, application.id_number, application.credit_code, application.phone,
            application.contact, application.site_address, account.account_no if account else "",
            application.requested_size, application.notes, application.status, application.current_stage, stage_zh,
            stage_en, tuple((s.code, s.name_zh, s.name_en) for s in definition.stages), application.stage_due_date,
            due_state(calendar, application.stage_due_date, today, application.status),
            elapsed_working_days(calendar, application.accepted_on or today, today,
                                 stopped_days=application.clock_stopped_days, stopped_since=application.clock_stopped_since,
                                 finished_on=application.finished_on),
            application.clock_stopped_days, application.accepted_on, application.finished_on,
            format_local(application.created_at, zone, "%Y-%m-%d %H:%M"), documents, tuple(history),
            remaining_schedule(calendar, definition, application, today),
            next_step(definition, application.status, application.current_stage,
                      [d for d in definition.documents_for(application.applicant_kind) if states.get(d.code) == MISSING]),
            definition.fee_items, attachments, clerk.name if clerk else "", clerk.staff_no if clerk else "",
            window.number if window else None, today)


def _stage_names(definition, code: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    if code in definition.stage_codes:
        stage = definition.stage(code)
        return stage.name_zh, stage.name_en
    return STANDARD_STAGES.get(code, (code, code))


@dataclass(frozen=True)
class FeeDue:
    """What the fee collection flow charges for an application's 收费 stage."""

    application_id: str
    number: str
    applicant_name: str
    account_id: str | None
    items: tuple[FeeItem, ...]
    total_fen: int
    payable: bool  # True while the application is open at its 收费 stage


def fee_due(ctx: ApplicationContext, number: str) -> FeeDue:
    with unit_of_work(ctx.db.sessions) as session:
        application, definition = load_application(session, number)
        payable = application.status == OPEN and application.current_stage == CHARGE_STAGE
        return FeeDue(application.id, application.number, application.applicant_name, application.account_id,
                      definition.fee_items, definition.fee_total_fen, payable)
