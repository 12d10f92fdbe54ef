"""Counter ↔ hub messages about bills paid at the windows of a branch whose counters each keep
their own database (issue 10 item 3): before a payment the counter asks the hub whether another
window has settled the chosen bills (:class:`BillsCheckIn` → :class:`BillsCheckAnswer`); after
the commit it reports the payment (:class:`BillsPaidIn`, idempotent by ``payment_id``), at once
or, when the hub was down, as soon as it is back. A bill two windows settled while they could not
ask comes back as a :class:`BillConflict` (an incident at the hub, never a silent loss).

Both requests carry :data:`BILLS_PROTOCOL_HEADER`; a hub that speaks another version answers 426
``upgrade_required`` and the counter keeps working on its own data."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from counter_app.protocol.queue import Message

BILLS_PROTOCOL = 1
ACCEPTED_BILLS_PROTOCOLS = frozenset({1})
BILLS_PROTOCOL_HEADER = "X-Counter-Protocol"


class BillPaidLine(Message):
    bill_id: str = Field(min_length=1, max_length=36)
    period: str = Field("", max_length=7, description="yyyy-mm")
    principal_fen: int = Field(description="principal this payment put on the bill (negative for a void)")
    settled: bool = Field(description="the bill owed nothing after this payment")


class BillsPaidIn(Message):
    payment_id: str = Field(min_length=1, max_length=36)
    kind: Literal["payment", "void"]
    reverses_id: str | None = Field(None, max_length=36, description="a void: the payment it reverses")
    window: int | None = Field(None, ge=1, le=999)
    terminal_code: str = Field(min_length=1, max_length=10)
    receipt_no: str = Field("", max_length=40)
    taken_offline: bool = Field(False, description="taken while the hub could not be asked")
    bills: list[BillPaidLine] = Field(default_factory=list, max_length=200)


class BillConflict(Message):
    """A bill settled twice: the payment reported now and the one that had settled it first."""

    bill_id: str
    period: str
    payment_id: str
    other_payment_id: str
    window: int | None
    other_window: int | None


class BillsPaidAnswer(Message):
    recorded: bool = Field(description="false: this payment was reported before (nothing changed)")
    conflicts: list[BillConflict] = Field(default_factory=list)


class BillsCheckIn(Message):
    bill_ids: list[str] = Field(max_length=200)
    terminal_code: str = Field(min_length=1, max_length=10, description="the asking counter: its own payments are not 'elsewhere'")


class BillPaidElsewhere(Message):
    bill_id: str
    period: str
    payment_id: str
    window: int | None
    terminal_code: str
    receipt_no: str


class BillsCheckAnswer(Message):
    paid: list[BillPaidElsewhere] = Field(default_factory=list)
