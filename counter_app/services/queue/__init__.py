"""The branch queue, owned by the hub: tickets, windows, calls and the event log."""

from counter_app.services.queue.service import QueueService
from counter_app.services.queue.settings import QueueSettings
from counter_app.services.queue.views import (
    IssueResult,
    OpResult,
    QueueEvent,
    ResetResult,
    ServiceView,
    Snapshot,
    TicketResult,
    TicketView,
    WindowView,
)

__all__ = [
    "IssueResult", "OpResult", "QueueEvent", "QueueService", "QueueSettings", "ResetResult", "ServiceView",
    "Snapshot", "TicketResult", "TicketView", "WindowView",
]
