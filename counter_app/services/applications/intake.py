"""Intake at the window: save a half-filled form as a draft, resume it, and accept the application.

Accepting writes the application, its documents checklist, its attachments and its first stage
event in one transaction with one outbox event. With documents missing it is accepted all the
same (the customer is told everything still needed, once) and waits in 待补件 with its clock stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.domain.applications import (
    FIRST_STAGE, OPEN, WAITING_DOCS, application_number, number_prefix, stage_due,
)
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Application, ApplicationAttachment, ApplicationDocument, ApplicationDraft, ApplicationStageEvent, ApplicationType,
    Branch, CustomerAccount, Window,
)
from counter_app.services.applications.context import ApplicationContext, attachment_path, publish
from counter_app.services.applications.forms import IntakeForm, validate_intake
from counter_app.services.applications.reference import definition_of, load_calendar
from counter_app.services.audit import audit
from counter_app.services.auth import StaffSession


@dataclass(frozen=True)
class Accepted:
    number: str
    status: str  # open, or waiting_docs when documents are missing
    missing: tuple[str, ...]  # names of the missing documents, in checklist order


@dataclass(frozen=True)
class DraftInfo:
    id: str
    type_code: str
    applicant_name: str
    saved_at: datetime


def _next_number(session: Session, ctx: ApplicationContext, today) -> str:  # type: ignore[no-untyped-def]
    prefix = number_prefix(ctx.db.branch_code, ctx.db.terminal_code, today)
    last = session.scalar(select(func.max(Application.number)).where(Application.number.like(prefix + "%")))
    seq = int(last[len(prefix):]) + 1 if last else 1
    return application_number(ctx.db.branch_code, ctx.db.terminal_code, today, seq)


def submit(ctx: ApplicationContext, form: IntakeForm, who: StaffSession, *, draft_id: str | None = None,
           ticket_id: str | None = None) -> Accepted:
    """Validate and accept an application; the first broken rule raises InvalidInput and nothing is written.
    ``ticket_id``: the hub's ticket the clerk is serving, if any; the application is part of that
    service (rated at the ticket's finish, counted with it); without one it is a walk-in."""
    if ticket_id is not None and (not isinstance(ticket_id, str) or not 1 <= len(ticket_id) <= 36):
        raise InvalidInput("ticket_id", "the id of the ticket being served (1 to 36 characters), or none", code="ticket_id_form")
    with unit_of_work(ctx.db.sessions) as session:
        type_row = session.scalars(select(ApplicationType).where(ApplicationType.code == form.type_code,
                                                                 ApplicationType.active.is_(True))).first()
        if type_row is None:
            raise InvalidInput("type_code", "choose an application type", code="application_type_needed")
        definition = definition_of(type_row)
        today, now = ctx.today(session), ctx.clock()
        cleaned, checklist = validate_intake(form, definition, today)
        account_id = None
        if cleaned.account_no:
            account_id = session.scalar(select(CustomerAccount.id).where(CustomerAccount.account_no == cleaned.account_no))
            if account_id is None:
                raise InvalidInput("account_no", "no account has this number: check the 户号 on a bill", code="account_not_found_apply")
        for attachment in cleaned.attachments:
            if not attachment_path(ctx.paths, attachment.sha256).is_file():
                raise InvalidInput("attachments", f"{attachment.filename} is no longer stored: add it again", code="file_gone", file=attachment.filename)
        branch_id = session.scalar(select(Branch.id).where(Branch.code == ctx.db.branch_code))
        if branch_id is None:
            raise NotAllowed("this database has no branch: run the set-up first", code="no_branch")
        window_id = None
        if who.window:
            window_id = session.scalar(select(Window.id).where(Window.branch_id == branch_id, Window.number == who.window))
        waiting = not checklist.complete
        due = stage_due(load_calendar(session), definition, FIRST_STAGE, today)
        application = Application(
            id=new_id(), number=_next_number(session, ctx, today), type_id=type_row.id, branch_id=branch_id,
            applicant_kind=cleaned.applicant_kind, applicant_name=cleaned.applicant_name, id_number=cleaned.id_number,
            credit_code=cleaned.credit_code, phone=cleaned.phone, contact=cleaned.contact, site_address=cleaned.site_address,
            account_id=account_id, requested_size=cleaned.requested_size, status=WAITING_DOCS if waiting else OPEN,
            current_stage=FIRST_STAGE, stage_due_date=due, notes=cleaned.notes, clerk_id=who.staff_id, window_id=window_id,
            created_at=now, accepted_on=today, ticket_id=ticket_id, finished_on=None, clock_stopped_days=0,
            clock_stopped_since=today if waiting else None, type_definition=definition.to_dict())
        rows: list = [ApplicationDocument(id=new_id(), application_id=application.id, doc_code=code, state=state, at=now)
                      for code, state in cleaned.documents.items()]
        rows += [ApplicationAttachment(id=new_id(), application_id=application.id, filename=a.filename, sha256=a.sha256,
                                       size_bytes=a.size_bytes, added_at=now, stage=FIRST_STAGE) for a in cleaned.attachments]
        rows.append(ApplicationStageEvent(id=new_id(), application_id=application.id, stage=FIRST_STAGE, action="enter",
                                          result="", reason="", due_date=due, staff_id=who.staff_id, at=now))
        missing = tuple(d.name_zh for d in checklist.missing)
        if waiting:
            rows.append(ApplicationStageEvent(id=new_id(), application_id=application.id, stage=FIRST_STAGE,
                                              action="stop_clock", result="", reason="待补件：" + "、".join(missing),
                                              due_date=due, staff_id=who.staff_id, at=now))
        publish(session, ctx, application, "application.accepted", rows, missing=[d.code for d in checklist.missing])
        if draft_id:
            _drop_draft(session, draft_id, who)
        audit(session, ctx.db.node_id, "application_accepted", actor_id=who.staff_id, actor_label=who.staff_no,
              window=who.window, entity="application", entity_id=application.id, number=application.number,
              type=definition.code, missing=len(missing))
        return Accepted(application.number, application.status, missing)


def save_draft(ctx: ApplicationContext, form: IntakeForm, who: StaffSession, draft_id: str | None = None) -> DraftInfo:
    """Keep a half-filled form at this counter, unchecked; saving again with its id replaces it."""
    with unit_of_work(ctx.db.sessions) as session:
        draft = _own_draft(session, draft_id, who) if draft_id else None
        if draft is None:
            draft = ApplicationDraft(id=new_id(), clerk_id=who.staff_id)
            session.add(draft)
        draft.type_code = form.type_code[:20]
        draft.applicant_name = (form.applicant_name or "").strip()[:100]
        draft.saved_at = ctx.clock()
        draft.payload = form.to_dict()
        return DraftInfo(draft.id, draft.type_code, draft.applicant_name, draft.saved_at)


def list_drafts(ctx: ApplicationContext, who: StaffSession) -> list[DraftInfo]:
    with unit_of_work(ctx.db.sessions) as session:
        rows = session.scalars(select(ApplicationDraft).where(ApplicationDraft.clerk_id == who.staff_id)
                               .order_by(ApplicationDraft.saved_at.desc()))
        return [DraftInfo(r.id, r.type_code, r.applicant_name, r.saved_at) for r in rows]


def load_draft(ctx: ApplicationContext, draft_id: str, who: StaffSession) -> IntakeForm:
    with unit_of_work(ctx.db.sessions) as session:
        draft = _own_draft(session, draft_id, who)
        if draft is None:
            raise NotAllowed("this draft is gone: it was accepted or discarded", code="draft_gone")
        return IntakeForm.from_dict(draft.payload)


def discard_draft(ctx: ApplicationContext, draft_id: str, who: StaffSession) -> None:
    with unit_of_work(ctx.db.sessions) as session:
        _drop_draft(session, draft_id, who)


def _own_draft(session: Session, draft_id: str | None, who: StaffSession) -> ApplicationDraft | None:
    draft = session.get(ApplicationDraft, draft_id) if draft_id else None
    return draft if draft is not None and draft.clerk_id == who.staff_id else None


def _drop_draft(session: Session, draft_id: str, who: StaffSession) -> None:
    draft = _own_draft(session, draft_id, who)
    if draft is not None:
        session.delete(draft)
