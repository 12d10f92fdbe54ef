"""The evaluator's ratings through the hub: the hub, not this PC, decides what may be rated.

The controller (``EvaluatorController``) talks to a rating desk; where the hall has a hub, this
is that desk. It holds the evaluator device's own credential; the hub accepts a rating only
from the evaluator enrolled for that window, for a ticket its own queue finished there (the
``done`` event only tells which ticket to ask about). Who the idle screen shows (name, photo,
stars) is still read from this PC's database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from counter_app.hub.client import HubClient
from counter_app.services.quality import RatingDesk, RatingNotice, RatingRequestView, StaffCard


@dataclass(frozen=True)
class HubRatingAnswer:
    """What the hub answered to a rating or a decline (the level is never sent back)."""

    notice: RatingNotice


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

    def __init__(self, client: HubClient, local: RatingDesk) -> None:
        self.client = client
        self._local = local

    @staticmethod
    def _kind(device: str) -> str:
        return "pad" if device.startswith("pad:") else "screen"

    def request_for_finish(self, event: Mapping[str, Any], window: int, device: str, clerk_id: str | None = None,
                           call: Mapping[str, Any] | None = None) -> RatingRequestView | None:
        return _request(self.client.ask_rating(window, str(event.get("ticket_id") or ""), self._kind(device)))

    def pending(self, window: int) -> RatingRequestView | None:
        return _request(self.client.pending_rating(window))

    def submit(self, request_id: str, level: int, reasons: Sequence[str], device: str) -> HubRatingAnswer:
        return _notice(self.client.answer_rating(self._window_of(device), request_id, level, tuple(reasons),
                                                 self._kind(device)))

    def decline(self, request_id: str, device: str) -> HubRatingAnswer:
        return _notice(self.client.decline_rating(self._window_of(device), request_id, self._kind(device)))

    def expire_due(self) -> list[RatingNotice]:
        return []  # the hub closes what ran out itself

    def staff_card(self, window: int, clerk_id: str | None = None) -> StaffCard | None:
        return self._local.staff_card(window, clerk_id)

    @staticmethod
    def _window_of(device: str) -> int:
        return int(device.rsplit(":W", 1)[1])
