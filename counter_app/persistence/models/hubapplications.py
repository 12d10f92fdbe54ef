"""Connection applications of a branch whose counters each keep their own database.

At the hub: ``hub_application``, the branch-wide read copy of every application a counter
took, one row per application, replaced only by a newer copy from its owner (the counter that
took it), and ``hub_application_action``, documents handed in at another window waiting for the
owner to record them. At a counter: ``hub_report_cursor``, how far its outbox has been reported to the hub
(one row per stream, ``applications``). Neither is replicated; head office receives the
applications themselves through each counter's own sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base


class HubApplication(Base):
    __tablename__ = "hub_application"

    application_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(30), index=True)
    id_number: Mapped[str] = mapped_column(String(18), default="", index=True)
    credit_code: Mapped[str] = mapped_column(String(18), default="", index=True)
    phone: Mapped[str] = mapped_column(String(20), default="", index=True)
    account_no: Mapped[str] = mapped_column(String(30), default="")
    window: Mapped[int | None] = mapped_column(Integer)
    terminal_code: Mapped[str] = mapped_column(String(10))
    report_id: Mapped[str] = mapped_column(String(36))
    as_of: Mapped[datetime]
    received_at: Mapped[datetime]
    copy: Mapped[dict[str, Any]]  # the protocol.applications.ApplicationCopyIn as last received


class HubApplicationAction(Base):
    """Documents handed in at a window that does not keep the application, until its owner has them."""

    __tablename__ = "hub_application_action"

    action_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_terminal: Mapped[str] = mapped_column(String(10), index=True)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | applied | refused
    payload: Mapped[dict[str, Any]]  # the protocol.applications.DocumentsHandedIn
    received_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(String(200), default="")


class HubReportCursor(Base):
    __tablename__ = "hub_report_cursor"

    stream: Mapped[str] = mapped_column(String(20), primary_key=True)
    through_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
