"""The branch, its windows, the services they serve, its staff, and this node's identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base, Reference


class NodeIdentity(Base):
    """Who this database is: one row, made at enrolment (SYNC.md c.2)."""

    __tablename__ = "node_identity"

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_code: Mapped[str] = mapped_column(String(10))
    terminal_code: Mapped[str] = mapped_column(String(10))
    incarnation: Mapped[int] = mapped_column(Integer, default=1)
    role: Mapped[str] = mapped_column(String(16))
    enrolled_at: Mapped[datetime]
    receipts_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hq_url: Mapped[str] = mapped_column(String(200), default="")  # '' until enrolled with head office


class Branch(Reference, Base):
    __tablename__ = "branch"

    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    utility_name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    query_phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(200), default="")


class Service(Reference, Base):
    """业务类型: what a customer comes for, with the letter its tickets carry."""

    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("branch_id", "letter"), UniqueConstraint("branch_id", "code"))

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    code: Mapped[str] = mapped_column(String(20))
    letter: Mapped[str] = mapped_column(String(1))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    daily_cap: Mapped[int] = mapped_column(Integer, default=999)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    standard_minutes: Mapped[int] = mapped_column(Integer, default=5)
    #: head office's changes ahead and the day it begins (``domain.dated``); the queue reads them
    in_use_from: Mapped[str | None] = mapped_column(String(10), nullable=True)
    dated: Mapped[list[Any] | None] = mapped_column(nullable=True)


class Window(Reference, Base):
    """A service window (窗口) of the branch."""

    __tablename__ = "window"
    __table_args__ = (UniqueConstraint("branch_id", "number"),)

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    dated: Mapped[list[Any] | None] = mapped_column(nullable=True)  # changes ahead (``domain.dated``)


class WindowService(Base):
    """Which services a window serves, in the order it calls them."""

    __tablename__ = "window_service"

    window_id: Mapped[str] = mapped_column(ForeignKey("window.id"), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    hq_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Staff(Reference, Base):
    __tablename__ = "staff"

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    staff_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    star_level: Mapped[int] = mapped_column(Integer, default=3)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a first password or one reset at head office: a new one is set before anything else
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    offline_valid_until: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
