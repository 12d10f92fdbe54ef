"""In-process fan-out of committed queue events to the WebSocket clients.

The queue service calls :meth:`EventBroadcaster.publish_threadsafe` from its writer thread
right after each commit, in log order; the event loop then hands each event, encoded once
(and not at all while nobody subscribes), to every subscriber's bounded queue. A subscriber that falls too far behind is marked as
lagging and catches up from the database instead, so nobody ever misses an event."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

from counter_app.services.queue import QueueEvent

log = logging.getLogger(__name__)

SUBSCRIBER_QUEUE = 5000


@dataclass(frozen=True)
class Encoded:
    seq: int
    text: str


def encode(event: QueueEvent) -> Encoded:
    return Encoded(event.seq, json.dumps(event.to_json(), ensure_ascii=False, separators=(",", ":")))


class Subscriber:
    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[Encoded | None] = asyncio.Queue(maxsize=size + 1)
        self.size = size
        self.lagging = False
        self.closed = False

    def offer(self, item: Encoded) -> None:
        if self.lagging or self.closed:
            return
        if self.queue.qsize() < self.size:
            self.queue.put_nowait(item)
        else:
            self.lagging = True  # the stream re-reads from the database and clears this
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)

    def close(self) -> None:
        self.closed = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class EventBroadcaster:
    def __init__(self, queue_size: int = SUBSCRIBER_QUEUE) -> None:
        self._subscribers: set[Subscriber] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._size = queue_size
        self.last_seq = 0

    def bind(self, loop: asyncio.AbstractEventLoop, last_seq: int) -> None:
        self._loop = loop
        self.last_seq = last_seq

    def unbind(self) -> None:
        self._loop = None
        for subscriber in list(self._subscribers):
            subscriber.close()

    def publish_threadsafe(self, events: tuple[QueueEvent, ...]) -> None:
        """For the queue service's listener: called after commit, from its thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._publish, events)
        except RuntimeError:  # the loop closed meanwhile: the server is stopping
            log.debug("event loop closed; %d events not pushed (clients replay them)", len(events))

    def _publish(self, events: tuple[QueueEvent, ...]) -> None:
        if events:
            self.last_seq = max(self.last_seq, events[-1].seq)
        if not self._subscribers:  # encoded only when somebody listens
            return
        encoded = [encode(event) for event in events]
        for subscriber in self._subscribers:
            for item in encoded:
                subscriber.offer(item)

    def subscribe(self) -> Subscriber:
        subscriber = Subscriber(self._size)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)
