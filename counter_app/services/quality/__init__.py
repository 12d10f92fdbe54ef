"""Service quality: honest ratings from the evaluator, follow-up of negative ratings, the
first-responder log of inquiries and complaints, and satisfaction statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from dataclasses import replace

from counter_app.core.config import Settings, options_from_table
from counter_app.domain.ratings import RatingPolicy
from counter_app.domain.timeutil import branch_zone, utcnow
from counter_app.services.node import NodeDatabase
from counter_app.services.quality.context import QualityContext
from counter_app.services.quality.finished import CALL_KINDS, FinishedService
from counter_app.services.quality.followups import FollowUpIncomplete, FollowUps
from counter_app.services.quality.inquiries import Inquiries
from counter_app.services.quality.offline import OfflineAnswer, OfflineRatings
from counter_app.services.quality.ratings import RatingDesk, RatingTimedOut
from counter_app.services.quality.stats import QualityStats
from counter_app.services.quality.views import (
    FollowUpStepView,
    FollowUpView,
    InquiryEventView,
    InquiryView,
    RatingNotice,
    RatingRequestView,
    RatingResult,
    RatingView,
    SatisfactionRow,
    StaffCard,
)


def rating_policy(settings: Settings) -> RatingPolicy:
    """The ``[quality]`` table as a policy; its answer time defaults to ``evaluator.timeout_seconds``.
    The same for the hub, which takes the ratings, and the evaluator, which counts down."""
    policy = options_from_table(RatingPolicy, settings, "quality")
    if "timeout_seconds" not in settings.table("quality"):
        policy = replace(policy, timeout_seconds=settings.evaluator.timeout_seconds)
    return policy


def evaluator_device(settings: Settings, window: int | None = None) -> str | None:
    """The device name ratings of ``window`` (default: this node's) are accepted from, as the
    configuration chooses: ``screen:W03`` for the on-screen evaluator, ``pad:W03`` for a serial
    pad, ``None`` when the window has no evaluator (no rating is asked for)."""
    kind = {"screen": "screen", "serial": "pad"}.get(settings.evaluator.mode)
    return f"{kind}:W{window or settings.window:02d}" if kind else None


class QualityService:
    """The parts over one node database: ``ratings`` (``offline``: those taken while the hub is down),
    ``followups``, ``inquiries``, ``stats``."""

    def __init__(self, db: NodeDatabase, settings: Settings, policy: RatingPolicy | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        policy = policy or RatingPolicy(timeout_seconds=settings.evaluator.timeout_seconds)
        self.context = QualityContext(db.sessions, db.node_id, branch_zone(settings.branch.timezone), policy, clock)
        self.ratings = RatingDesk(self.context)
        self.offline = OfflineRatings(self.ratings)
        self.followups = FollowUps(self.context)
        self.inquiries = Inquiries(self.context)
        self.stats = QualityStats(self.context)

    @property
    def policy(self) -> RatingPolicy:
        return self.context.policy


__all__ = [
    "CALL_KINDS", "FinishedService", "FollowUpIncomplete", "FollowUpStepView", "FollowUpView", "FollowUps",
    "Inquiries", "InquiryEventView", "InquiryView", "OfflineAnswer", "OfflineRatings", "QualityService", "QualityStats", "RatingDesk", "RatingNotice",
    "RatingRequestView", "RatingResult", "RatingTimedOut", "RatingView", "SatisfactionRow", "StaffCard",
    "evaluator_device", "rating_policy",
]
