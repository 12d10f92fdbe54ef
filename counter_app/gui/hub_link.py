"""The front-ends' line to the hub: commands off the GUI thread, events as Qt signals.

Every hall screen (counter call panel, kiosk, display, window screen) holds one ``HubLink``.
Commands run on the task runner and answer through callbacks on the GUI thread; the hub's event
stream runs in its own thread, replays from the last sequence after any reconnect, and arrives
here as the ``event`` signal, decoded into :class:`counter_app.protocol.Event`. ``online`` says whether the stream is live.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.gui.tasks import TaskRunner
from counter_app.hub.client import EventStream, HubClient, decode, decode_event


class HubLink(QObject):
    event = Signal(object)  # a protocol Event
    online_changed = Signal(bool)

    def __init__(self, url: str, token: str, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = HubClient(url, token)
        self._tasks = tasks
        self._stream: EventStream | None = None
        self.online = False
        self._watch = QTimer(self)
        self._watch.setInterval(500)
        self._watch.timeout.connect(self._check_online)

    def start_stream(self, after: int = 0) -> None:
        """Follow the event log from ``after`` (0: the whole of today's log)."""
        if self._stream is None:
            self._stream = self.client.stream(after=after, on_event=self._arrived).start()
            self._watch.start()

    def _arrived(self, raw: dict[str, Any]) -> None:
        event = decode_event(raw)
        if event is not None:
            self.event.emit(event)

    @property
    def last_seq(self) -> int:
        return self._stream.last_seq if self._stream else 0

    def command(self, operation: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[Exception], None] | None = None, **kwargs: Any) -> None:
        """Run ``operation(client, *args, **kwargs)`` (a :class:`HubClient` method, e.g.
        ``HubClient.call_next``) in order with the other commands; ``on_done`` gets the answer
        as its protocol model."""
        client = self.client
        self._tasks.run(lambda: decode(operation, operation(client, *args, **kwargs)), on_done, on_error, write=True)

    def read(self, operation: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None:
        """Run the read ``operation(client, *args)`` (e.g. ``HubClient.state``) on a worker;
        ``on_done`` gets the answer as its protocol model."""
        client = self.client
        self._tasks.run(lambda: decode(operation, operation(client, *args)), on_done, on_error, write=False)

    def probe(self) -> bool:
        """For the status bar: does the hub answer? (called off the GUI thread)"""
        try:
            self.client.health()
        except Exception:
            return False
        return True

    def _check_online(self) -> None:
        live = bool(self._stream and self._stream.connected.is_set())
        if live != self.online:
            self.online = live
            self.online_changed.emit(live)

    def close(self) -> None:
        self._watch.stop()
        if self._stream is not None:
            self._stream.stop(timeout=2)
            self._stream = None
        self.client.close()
