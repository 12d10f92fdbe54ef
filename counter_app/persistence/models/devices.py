"""The hub's own credentials: each LAN device enrolled at the hub, and each staff session
opened at the hub from a counter. Only SHA-256 hashes of the (random, 256-bit) tokens are kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.domain.ids import new_id
from counter_app.persistence.models.base import Base


class HubDevice(Base):
    """A kiosk, display, window screen, counter, evaluator or manager console of this branch."""

    __tablename__ = "hub_device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))  # kiosk | display | counter | evaluator | manager
    window_number: Mapped[int | None] = mapped_column(Integer)  # the window it serves; None: the hall
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(50), default="")
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str] = mapped_column(String(50), default="")


class HubStaffSession(Base):
    """A staff login at the hub, from one counter device, for one window."""

    __tablename__ = "hub_staff_session"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("hub_device.id"), index=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    window_number: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str] = mapped_column(String(20), default="")  # logout | revoked | device_revoked
