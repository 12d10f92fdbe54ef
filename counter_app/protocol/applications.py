"""Counter ↔ hub messages about connection applications (报装) of a branch whose counters each
keep their own database: after every change the counter that owns an application (the one
that took it) reports its current picture (:class:`ApplicationCopyIn`, idempotent: a copy no
newer than the hub's changes nothing); any window asks the hub for the copies matching a
lookup (:class:`ApplicationFindIn` → :class:`ApplicationFindAnswer`). The hub's copy is a read
copy: the owner's database is the only place an application changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from counter_app.protocol.queue import Message


class ApplicationCopyIn(Message):
    application_id: str = Field(min_length=1, max_length=36)
    number: str = Field(min_length=1, max_length=30)
    report_id: str = Field(min_length=1, max_length=36, description="the owner's last outbox event of it")
    as_of: datetime = Field(description="when the owner last changed it (UTC): an older copy never replaces a newer")
    window: int | None = Field(None, ge=1, le=999)
    terminal_code: str = Field(min_length=1, max_length=10)
    id_number: str = Field("", max_length=18)
    credit_code: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    account_no: str = Field("", max_length=30)
    detail: dict[str, Any] = Field(description="services.applications.wire: the status as the owner shows it")


class ApplicationCopyAnswer(Message):
    recorded: bool = Field(description="false: the hub's copy was as new already (nothing changed)")


class ApplicationFindIn(Message):
    """One of the lookup's keys (the application number, an ID number / credit code, a mobile)."""

    number: str = Field("", max_length=30)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    terminal_code: str = Field(min_length=1, max_length=10, description="the asking counter: its own are left out")


class ApplicationFindAnswer(Message):
    copies: list[ApplicationCopyIn] = Field(default_factory=list)


class DocumentsHandedIn(Message):
    """Documents a customer handed in at a window that does not keep the application: the hub
    holds the action until the owner (``owner_terminal``) records it in its own database."""

    action_id: str = Field(min_length=1, max_length=36)
    application_id: str = Field(min_length=1, max_length=36)
    number: str = Field(min_length=1, max_length=30)
    owner_terminal: str = Field(min_length=1, max_length=10)
    codes: list[str] = Field(min_length=1, max_length=50)
    staff_id: str = Field(min_length=1, max_length=36)
    staff_no: str = Field(min_length=1, max_length=20)
    staff_name: str = Field("", max_length=60)
    role: str = Field(min_length=1, max_length=20)
    window: int | None = Field(None, ge=1, le=999)
    terminal_code: str = Field(min_length=1, max_length=10)
    at: datetime


class ActionRecorded(Message):
    recorded: bool = Field(description="false: this action id was sent before (nothing changed)")


class PendingActions(Message):
    actions: list[DocumentsHandedIn] = Field(default_factory=list)


class ActionDone(Message):
    applied: bool = Field(description="true: recorded at the owner; false: refused there (result says why)")
    result: str = Field("", max_length=200)
