"""One-stop connection applications (报装): types as data, applications, stages, documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.domain.ids import new_id
from counter_app.persistence.models.base import Base, Reference, Replicated


class Holiday(Base):
    """Calendar exceptions: a public holiday, or a make-up working day (调休) on a weekend."""

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # holiday | workday
    name: Mapped[str] = mapped_column(String(50), default="")
    hq_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ApplicationType(Reference, Base):
    """用水报装, 户表改造 ...: required documents, stages with working-day limits, fee items."""

    __tablename__ = "application_type"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    definition: Mapped[dict[str, Any]]
    active: Mapped[bool] = mapped_column(default=True)


class Application(Replicated, Base):
    __tablename__ = "application"
    #: The back office's list (by stage, earliest due first) is read from this index alone.
    __table_args__ = (Index("ix_application_work_list", "current_stage", "stage_due_date", "number", "status", "type_id",
                            "accepted_on", "clock_stopped_days", "clock_stopped_since", "applicant_name", "site_address",
                            "phone"),)

    number: Mapped[str] = mapped_column(String(30), unique=True)
    type_id: Mapped[str] = mapped_column(ForeignKey("application_type.id"))
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    applicant_kind: Mapped[str] = mapped_column(String(10))  # person | company
    applicant_name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18), default="", index=True)
    credit_code: Mapped[str] = mapped_column(String(18), default="", index=True)
    phone: Mapped[str] = mapped_column(String(20), default="", index=True)
    contact: Mapped[str] = mapped_column(String(50), default="")
    site_address: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("customer_account.id"))
    requested_size: Mapped[str] = mapped_column(String(30), default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | open | waiting_docs | done | withdrawn
    current_stage: Mapped[str] = mapped_column(String(20), default="")
    stage_due_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(String(1000), default="")
    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))
    created_at: Mapped[datetime]
    accepted_on: Mapped[date | None]  # the branch's business day of acceptance: elapsed days count from it
    finished_on: Mapped[date | None]
    clock_stopped_days: Mapped[int] = mapped_column(Integer, default=0)  # working days spent in 待补件, closed stops
    clock_stopped_since: Mapped[date | None]  # set while documents are missing
    type_definition: Mapped[dict[str, Any] | None]  # the type as it was at acceptance; later edits do not move it
    # the hub's ticket being served at intake (no foreign key: the hub owns tickets); none: a walk-in
    ticket_id: Mapped[str | None] = mapped_column(String(36), index=True)


class ApplicationDraft(Base):
    """An intake form saved half-filled at one counter, to be resumed there; local, not replicated."""

    __tablename__ = "application_draft"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    type_code: Mapped[str] = mapped_column(String(20), default="")
    applicant_name: Mapped[str] = mapped_column(String(100), default="")
    saved_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]


class ApplicationDocument(Replicated, Base):
    __tablename__ = "application_document"

    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    doc_code: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(12))  # received | missing | not_applicable
    at: Mapped[datetime]


class ApplicationAttachment(Replicated, Base):
    __tablename__ = "application_attachment"

    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime]
    stage: Mapped[str] = mapped_column(String(20), default="")


class ApplicationStageEvent(Replicated, Base):
    """Every stage change with who, when, result and reason; nothing is overwritten."""

    __tablename__ = "application_stage_event"

    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))  # enter | complete | not_passed | back | stop_clock | resume | documents
    result: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    due_date: Mapped[date | None]
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime]
