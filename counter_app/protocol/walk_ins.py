"""Counter → hub: the services a window did without a ticket (walk-ins: a payment without a
ticket, a connection application), so the branch manager's statistics at the hub count them.
A counter sends its rows in the background (:class:`WalkInsIn`), again until the hub answers;
the hub keeps each once by its id (the payment's or application's own id) and takes its rating
once, when the counter first knows it. The same row sent twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from counter_app.protocol.queue import Message


class WalkIn(Message):
    id: str = Field(min_length=1, max_length=36, description="the payment's or application's id")
    kind: Literal["payment", "application"]
    branch_id: str = Field(min_length=1, max_length=36)
    window_id: str | None = Field(None, max_length=36)
    clerk_id: str = Field(min_length=1, max_length=36)
    business_date: date
    at: datetime
    rating_id: str | None = Field(None, max_length=36, description="the customer was asked (rated or not)")
    rating_level: int | None = Field(None, ge=1, le=5)


class WalkInsIn(Message):
    node_id: str = Field(min_length=1, max_length=36, description="the counter that recorded them")
    window: int | None = Field(None, ge=1, le=999)
    services: list[WalkIn] = Field(max_length=500)


class WalkInsAnswer(Message):
    recorded: int = Field(description="new rows")
    rated: int = Field(description="rows whose rating the hub took now")


class RatedTicketIn(Message):
    """The customer of a ticket the counter finished at the window while the hub was down was
    asked to rate it there (the counter's request id): the hub opens no rating of that ticket."""

    window: int = Field(ge=1, le=999)
    ticket_id: str = Field(min_length=1, max_length=36)
    request_id: str = Field(min_length=1, max_length=36)


class RatedTicketAnswer(Message):
    state: str = Field(description="at_counter, or the state of the hub's own request already there")
