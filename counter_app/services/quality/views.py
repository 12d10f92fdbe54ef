"""What the quality services return: plain, frozen data, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from counter_app.domain.ratings import Anomaly, Satisfaction


@dataclass(frozen=True)
class RatingRequestView:
    """An open time window for the rating of one finished service at one window."""

    id: str
    window: int
    clerk_id: str
    ticket_id: str | None
    service_record: str | None
    ticket_number: str
    device: str
    requested_at: datetime
    expires_at: datetime
    state: str  # pending | rated | not_rated

    def seconds_left(self, now: datetime) -> float:
        return max(0.0, (self.expires_at - now).total_seconds())


@dataclass(frozen=True)
class RatingNotice:
    """What the counter may show the clerk: a rating arrived, or not; never the level."""

    request_id: str
    window: int
    ticket_number: str
    rated: bool
    at: datetime


@dataclass(frozen=True)
class RatingView:
    """A stored rating as the manager sees it."""

    id: str
    window: int
    clerk_id: str
    clerk_name: str
    staff_no: str
    ticket_id: str | None
    ticket_number: str
    service_record: str | None
    level: int | None
    reasons: tuple[str, ...]
    device: str
    requested_at: datetime
    rated_at: datetime | None


@dataclass(frozen=True)
class RatingResult:
    notice: RatingNotice
    rating: RatingView
    followup_id: str | None  # opened for a negative rating


@dataclass(frozen=True)
class StaffCard:
    """What the evaluator shows while idle."""

    window: int
    clerk_id: str
    name: str
    staff_no: str
    stars: int
    photo: bytes | None


@dataclass(frozen=True)
class FollowUpStepView:
    step: str  # verification | action | callback | outcome
    text: str
    staff_name: str
    at: datetime


@dataclass(frozen=True)
class FollowUpView:
    id: str
    rating: RatingView
    opened_at: datetime
    deadline: date
    status: str  # open | closed
    overdue: bool
    steps: tuple[FollowUpStepView, ...]
    missing: tuple[str, ...]  # of verification, action, callback
    resolution: str
    closed_at: datetime | None


@dataclass(frozen=True)
class InquiryEventView:
    kind: str  # logged | handover | answer | link
    note: str
    from_name: str
    to_name: str
    at: datetime


@dataclass(frozen=True)
class InquiryView:
    id: str
    kind: str  # inquiry | complaint
    customer: str
    contact: str
    topic: str
    text: str
    owner_id: str
    owner_name: str
    received_by_name: str
    window: int | None
    status: str  # open | answered
    followup_id: str | None
    created_at: datetime
    closed_at: datetime | None
    age: timedelta  # until answered, or until now while open
    answer_due: date
    overdue: bool
    events: tuple[InquiryEventView, ...] = ()


@dataclass(frozen=True)
class SatisfactionRow:
    """满意率 of one clerk, window or the whole branch over a period."""

    key: str  # clerk id, window number as text, or "branch"
    label: str  # "李娜 1001", "3号窗口", branch name
    satisfaction: Satisfaction
    anomalies: tuple[Anomaly, ...] = ()
