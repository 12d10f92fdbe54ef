"""Carrying an application through its stages: results, moves back with a reason, documents
handed in later (the clock starts again) or asked for (the clock stops), attachments.

Every change appends stage events (who, when, result or reason, new due date) and new document
rows; nothing already written is changed except the application's current position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from sqlalchemy.orm import Session

from counter_app.domain.applications import (
    CHARGE_STAGE, DONE, MISSING, OPEN, RECEIVED, WAITING_DOCS, check_can_work, check_move, next_stage,
    resumed_due, stage_due, stopped_working_days,
)
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Application, ApplicationAttachment, ApplicationDocument, ApplicationStageEvent
from counter_app.services.applications.context import (
    BACK_OFFICE_ROLES, ApplicationContext, attachment_path, document_states, load_application, publish, require_role,
)
from counter_app.services.applications.forms import AttachmentRef
from counter_app.services.applications.reference import load_calendar
from counter_app.services.audit import audit
from counter_app.services.auth import StaffSession


@dataclass(frozen=True)
class StageChange:
    """Where the application stands after a change."""

    number: str
    status: str
    stage: str
    due: date | None


def _event(application: Application, who: StaffSession, at, stage: str, action: str, *,  # type: ignore[no-untyped-def]
           result: str = "", reason: str = "", due: date | None = None) -> ApplicationStageEvent:
    return ApplicationStageEvent(id=new_id(), application_id=application.id, stage=stage, action=action,
                                 result=result.strip()[:500], reason=reason.strip()[:500], due_date=due,
                                 staff_id=who.staff_id, at=at)


def _finish(session: Session, ctx: ApplicationContext, application: Application, who: StaffSession,
            event_type: str, rows: list, **detail: object) -> StageChange:
    publish(session, ctx, application, event_type, rows, **detail)
    audit(session, ctx.db.node_id, event_type.replace(".", "_"), actor_id=who.staff_id, actor_label=who.staff_no,
          window=who.window, entity="application", entity_id=application.id, number=application.number, **detail)
    return StageChange(application.number, application.status, application.current_stage, application.stage_due_date)


def record_result(ctx: ApplicationContext, number: str, who: StaffSession, result: str, *, passed: bool = True) -> StageChange:
    """Record the current stage's result. Passed: the stage is complete and the next one starts
    (or the application is finished after the last). Not passed: the result is kept, the stage stays."""
    require_role(who, BACK_OFFICE_ROLES, "recording a stage result")
    return _record(ctx, number, who, result, passed)


def _record(ctx: ApplicationContext, number: str, who: StaffSession, result: str, passed: bool,
            only_stage: str | None = None) -> StageChange:
    with unit_of_work(ctx.db.sessions) as session:
        application, definition = load_application(session, number)
        if only_stage is not None and application.current_stage != only_stage:
            raise NotAllowed(f"the application is not at the {definition.stage(only_stage).name_zh} stage", code="stage_not_here", stage=definition.stage(only_stage).name_zh)
        today, now, current = ctx.today(session), ctx.clock(), application.current_stage
        if not passed:
            check_can_work(application.status)
            if not result.strip():
                raise InvalidInput("result", "say why the stage did not pass", code="stage_not_passed_reason")
            rows = [_event(application, who, now, current, "not_passed", result=result, due=application.stage_due_date)]
            return _finish(session, ctx, application, who, "application.not_passed", rows, stage=current)
        target = next_stage(definition, current)
        check_move(definition, application.status, current, target, result=result)
        rows = [_event(application, who, now, current, "complete", result=result)]
        if target is None:
            application.status, application.finished_on = DONE, today
        else:
            due = stage_due(load_calendar(session), definition, target, today)
            application.current_stage, application.stage_due_date = target, due
            rows.append(_event(application, who, now, target, "enter", due=due))
        return _finish(session, ctx, application, who, "application.stage_completed", rows, stage=current,
                       next=target or "")


def record_fee_paid(ctx: ApplicationContext, number: str, who: StaffSession, receipt_no: str) -> StageChange:
    """The fee collection flow calls this once the 收费 stage's fee is paid at any window: the stage
    is completed with the receipt number as its result and the works stage starts."""
    if not receipt_no.strip():
        raise InvalidInput("receipt_no", "the receipt number of the payment is needed", code="receipt_no_needed")
    return _record(ctx, number, who, f"已缴费，收据号 {receipt_no.strip()}", True, only_stage=CHARGE_STAGE)


def send_back(ctx: ApplicationContext, number: str, who: StaffSession, target: str, reason: str) -> StageChange:
    """Return the application to an earlier stage; the reason is recorded and the stage restarts."""
    require_role(who, BACK_OFFICE_ROLES, "sending an application back")
    with unit_of_work(ctx.db.sessions) as session:
        application, definition = load_application(session, number)
        current = application.current_stage
        if check_move(definition, application.status, current, target, reason=reason) != "back":
            raise NotAllowed("use the stage result to move forward", code="stage_use_result")
        today, now = ctx.today(session), ctx.clock()
        due = stage_due(load_calendar(session), definition, target, today)
        rows = [_event(application, who, now, current, "back", reason=reason),
                _event(application, who, now, target, "enter", reason=reason, due=due)]
        application.current_stage, application.stage_due_date = target, due
        return _finish(session, ctx, application, who, "application.sent_back", rows, stage=current, to=target)


def hand_in_documents(ctx: ApplicationContext, number: str, who: StaffSession, codes: Iterable[str],
                      attachments: Iterable[AttachmentRef] = ()) -> StageChange:
    """Documents brought in later, at any window. When the last missing one is in, the clock
    starts again and the stage's due date moves by the working days it stood still."""
    with unit_of_work(ctx.db.sessions) as session:
        application, definition = load_application(session, number)
        states = document_states(session, application.id)
        codes = list(dict.fromkeys(codes))
        if not codes:
            raise InvalidInput("documents", "tick the documents handed in", code="documents_tick_handed_in")
        for code in codes:
            if states.get(code) != MISSING:
                raise InvalidInput(f"documents.{code}", "this document was not missing", code="document_not_missing")
        today, now = ctx.today(session), ctx.clock()
        rows: list = [ApplicationDocument(id=new_id(), application_id=application.id, doc_code=code, state=RECEIVED, at=now)
                      for code in codes]
        rows += _attachment_rows(ctx, application, list(attachments), now)
        still_missing = [code for code, state in states.items() if state == MISSING and code not in codes]
        names = {d.code: d.name_zh for d in definition.documents}
        rows.append(_event(application, who, now, application.current_stage, "documents",
                           result="补交：" + "、".join(names.get(code, code) for code in codes), due=application.stage_due_date))
        detail: dict[str, object] = {"documents": codes}
        if not still_missing and application.status == WAITING_DOCS:
            calendar = load_calendar(session)
            since = application.clock_stopped_since or today
            stopped = stopped_working_days(calendar, since, today)
            if application.stage_due_date is not None:
                application.stage_due_date = resumed_due(calendar, application.stage_due_date, since, today)
            application.clock_stopped_days += stopped
            application.clock_stopped_since, application.status = None, OPEN
            rows.append(_event(application, who, now, application.current_stage, "resume",
                               reason=f"资料已补齐，停表 {stopped} 个工作日", due=application.stage_due_date))
            detail["stopped_days"] = stopped
        return _finish(session, ctx, application, who, "application.documents_in", rows, **detail)


def request_documents(ctx: ApplicationContext, number: str, who: StaffSession, codes: Iterable[str], reason: str) -> StageChange:
    """The back office finds a document lacking (or unusable): it is asked for, the clock stops."""
    require_role(who, BACK_OFFICE_ROLES, "asking for documents")
    with unit_of_work(ctx.db.sessions) as session:
        application, definition = load_application(session, number)
        check_can_work(application.status)
        applicable = {d.code for d in definition.documents_for(application.applicant_kind)}
        codes = list(dict.fromkeys(codes))
        if not codes or any(code not in applicable for code in codes):
            raise InvalidInput("documents", "tick the documents of this application that are needed", code="documents_tick_needed")
        if not reason.strip():
            raise InvalidInput("reason", "say why the documents are needed", code="documents_reason")
        today, now = ctx.today(session), ctx.clock()
        rows: list = [ApplicationDocument(id=new_id(), application_id=application.id, doc_code=code, state=MISSING, at=now)
                      for code in codes]
        rows.append(_event(application, who, now, application.current_stage, "stop_clock", reason=reason,
                           due=application.stage_due_date))
        application.status, application.clock_stopped_since = WAITING_DOCS, today
        return _finish(session, ctx, application, who, "application.documents_requested", rows, documents=codes)


def attach(ctx: ApplicationContext, number: str, who: StaffSession, attachments: Iterable[AttachmentRef]) -> StageChange:
    """Add scans or photos (a survey report, a drawing) to the application at its current stage."""
    refs = list(attachments)
    if not refs:
        raise InvalidInput("attachments", "choose a file to attach", code="file_choose")
    with unit_of_work(ctx.db.sessions) as session:
        application, _definition = load_application(session, number)
        rows = _attachment_rows(ctx, application, refs, ctx.clock())
        return _finish(session, ctx, application, who, "application.attached", rows, files=[r.filename for r in refs])


def _attachment_rows(ctx: ApplicationContext, application: Application, refs: list[AttachmentRef], at) -> list:  # type: ignore[no-untyped-def]
    for ref in refs:
        if not attachment_path(ctx.paths, ref.sha256).is_file():
            raise InvalidInput("attachments", f"{ref.filename} is no longer stored: add it again", code="file_gone", file=ref.filename)
    return [ApplicationAttachment(id=new_id(), application_id=application.id, filename=r.filename, sha256=r.sha256,
                                  size_bytes=r.size_bytes, added_at=at, stage=application.current_stage) for r in refs]
