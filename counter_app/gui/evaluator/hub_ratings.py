"""The evaluator's ratings through the hub: the hub, not this PC, decides what may be rated.

The controller (``EvaluatorController``) talks to a rating desk; where the hall has a hub, this
is that desk. It holds the evaluator device's own credential; the hub accepts a rating only
from the evaluator enrolled for that window, for a ticket its own queue finished there (the
``done`` event only tells which ticket to ask about). Who the idle screen shows (name, photo,
stars) is still read from this PC's database.

When the hub cannot be reached, the customer's answer to a request this evaluator was shown is
recorded in this PC's database (``services.quality.offline``) and the customer is thanked as
usual; the hub is told at its next poll, once it answers again.

A walk-in service (a payment or an application taken at this counter without a ticket, as every
one is while the hub is down) is this PC's own fact: its rating is asked for, answered and closed
in this PC's database (``RatingDesk.request_for_walk_in``), hub or no hub, and reaches head
office through this PC's sync."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

import httpx

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hub.client import HubClient, HubUnavailable, HubUpgradeRequired
from counter_app.services.quality import QualityService, RatingNotice, RatingRequestView, RatingResult, StaffCard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HubRatingAnswer:
    """What the hub answered to a rating or a decline (the level is never sent back)."""

    notice: RatingNotice
    offline: bool = False  # recorded at this counter: the hub could not be reached


def _never_reached(error: HubUnavailable) -> bool:
    """The request cannot have reached the hub (no connection): recording the answer here cannot
    double one the hub took. A lost answer after sending is not this: the hub may have it."""
    return not isinstance(error, HubUpgradeRequired) and isinstance(
        error.__cause__, (httpx.ConnectError, httpx.ConnectTimeout))


def _request(data: Mapping[str, Any] | None) -> RatingRequestView | None:
    if data is None:
        return None
    return RatingRequestView(data["id"], data["window"], data["clerk_id"], data["ticket_id"], data["service_record"],
                             data["ticket_number"], data["device"], datetime.fromisoformat(data["requested_at"]),
                             datetime.fromisoformat(data["expires_at"]), data["state"])


def _notice(data: Mapping[str, Any]) -> HubRatingAnswer:
    return HubRatingAnswer(RatingNotice(data["request_id"], data["window"], data["ticket_number"], data["rated"],
                                        datetime.fromisoformat(data["at"])))


class HubRatings:
    """The rating desk of an evaluator device, over its own hub client (called off the GUI thread)."""

    SEEN = 32  # the requests this evaluator was shown, kept for an answer while the hub is down

    def __init__(self, client: HubClient, quality: QualityService) -> None:
        """``quality``: this PC's (the idle screen's staff card; the answers taken while the hub is down)."""
        self.client = client
        self._local = quality.ratings
        self._offline = quality.offline
        self._seen: OrderedDict[str, RatingRequestView] = OrderedDict()
        self._walk_ins: set[str] = set()  # the requests opened in this PC's database (walk-in services)

    @staticmethod
    def _kind(device: str) -> str:
        return "pad" if device.startswith("pad:") else "screen"

    def _keep(self, request: RatingRequestView | None) -> RatingRequestView | None:
        if request is not None:
            self._seen[request.id] = request
            while len(self._seen) > self.SEEN:
                self._seen.popitem(last=False)
        return request

    def request_for_finish(self, event: Mapping[str, Any], window: int, device: str, clerk_id: str | None = None,
                           call: Mapping[str, Any] | None = None) -> RatingRequestView | None:
        return self._keep(_request(self.client.ask_rating(window, str(event.get("ticket_id") or ""), self._kind(device))))

    def request_for_walk_in(self, service_record: str, window: int, clerk_id: str, device: str) -> RatingRequestView:
        """Ask the customer to rate a service this PC recorded without a ticket (its own fact)."""
        request = self._local.request_for_walk_in(service_record, window, clerk_id, device)
        self._walk_ins.add(request.id)
        return request

    def request_for_finished_here(self, ticket_id: str, window: int, device: str) -> RatingRequestView:
        """Ask the customer of the ticket finished at this window while the hub was down (this
        PC's fact, told to the hub before its finish)."""
        request = self._local.request_for_finished_here(ticket_id, window, device)
        self._walk_ins.add(request.id)
        return request

    def pending(self, window: int) -> RatingRequestView | None:
        here = self._local.pending(window)  # a walk-in service's rating first: the customer is at the window now
        if here is not None:
            self._walk_ins.add(here.id)
            return here
        self.report(window)
        return self._keep(_request(self.client.pending_rating(window)))

    def report(self, window: int) -> int:
        """Tell the hub of the answers taken here while it was down; how many it was told."""
        told = 0
        for answer in self._offline.unreported(window):
            try:
                self.client.rated_at_counter(window, answer.request_id, answer.rating_id, self._kind(answer.device))
                told += 1
            except (NotAllowed, InvalidInput) as refused:  # closed at the hub meanwhile: nothing more to tell
                log.warning("the hub refused the rating %s taken at this counter: %s", answer.rating_id, refused)
            self._offline.reported(answer.request_id)
        return told

    def submit(self, request_id: str, level: int, reasons: Sequence[str], device: str) -> HubRatingAnswer | RatingResult:
        if request_id in self._walk_ins:
            return self._local.submit(request_id, level, reasons, device)
        try:
            return _notice(self.client.answer_rating(self._window_of(device), request_id, level, tuple(reasons),
                                                     self._kind(device)))
        except HubUnavailable as error:
            request = self._seen.get(request_id)
            if request is None or not _never_reached(error):
                raise
            log.warning("hub unreachable: the rating of %s is recorded at this counter", request.ticket_number)
            return HubRatingAnswer(self._offline.record(request, level, reasons, device).notice, offline=True)

    def decline(self, request_id: str, device: str) -> HubRatingAnswer | RatingResult:
        if request_id in self._walk_ins:
            return self._local.decline(request_id, device)
        try:
            return _notice(self.client.decline_rating(self._window_of(device), request_id, self._kind(device)))
        except HubUnavailable as error:
            request = self._seen.get(request_id)
            if request is None or not _never_reached(error):
                raise
            # nothing to record: the hub records "not rated" itself once it is back
            return HubRatingAnswer(RatingNotice(request_id, request.window, request.ticket_number, False,
                                                self._offline.now()), offline=True)

    def expire_due(self) -> list[RatingNotice]:
        """The walk-in requests of this PC that ran out; the hub closes its own itself."""
        return self._local.expire_due()

    def staff_card(self, window: int, clerk_id: str | None = None) -> StaffCard | None:
        return self._local.staff_card(window, clerk_id)

    @staticmethod
    def _window_of(device: str) -> int:
        return int(device.rsplit(":W", 1)[1])
