"""Who is asking the hub, and may they: the one authorisation function of every ``/v1`` route,
the FastAPI ones, the WebSocket stream and the command fast path (``fastpath``) alike.

A request carries its device's token (``Authorization: Bearer``; the stream may use
``?token=``) and, for what a clerk does, the staff session opened at the hub
(``X-Staff-Session``). The hub keeps the active devices and sessions in memory by token hash
(one SHA-256 and two dict look-ups per request), changes them at once when it opens or ends a
session, and re-reads them from the database every ``REFRESH_SECONDS`` for what the
``hub-admin`` command changed; a revoked device's or session's open event streams are closed.

What each device role may do (``ALLOWED``), and the further rules:

* a window-bound device (counter, evaluator, window screen) acts only for its own window;
* window commands, cancel and logout need a staff session opened from the same device, for
  that window, and act as that session's clerk;
* the end-of-day reset needs a manager device and a manager's session."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import parse_qs

from counter_app.domain.staff_rules import Role
from counter_app.services.devices import DeviceRegistry, DeviceView, SessionView, token_hash

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5

HEALTH = "health"
ISSUE = "issue"  # take a ticket
READ_TICKET = "read_ticket"
READ_COUNTS = "read_counts"
READ_STATE = "read_state"  # state, events, stream
SESSION_OPEN = "session_open"
SESSION_END = "session_end"
WINDOW = "window"  # a window command
CANCEL = "cancel"
RESET = "reset"
FORCE_CLOSE = "force_close"  # a manager closes a window another clerk left open (any window)
RATE = "rate"  # rating requests and answers of a window
BILLS = "bills"  # bills paid at this branch's windows: ask before a payment, report after it
APPLICATIONS = "applications"  # connection applications: the owner reports them, any window finds them

_READ = frozenset({HEALTH, READ_TICKET, READ_COUNTS, READ_STATE})
_COUNTER = _READ | {SESSION_OPEN, SESSION_END, WINDOW, CANCEL, FORCE_CLOSE, BILLS, APPLICATIONS}
ALLOWED: dict[str, frozenset[str]] = {
    "kiosk": frozenset({HEALTH, ISSUE, READ_TICKET, READ_COUNTS, READ_STATE}),
    "display": _READ,
    "counter": _COUNTER,
    "evaluator": frozenset({HEALTH, READ_STATE, RATE}),
    "manager": _COUNTER | {RESET},
}
OPERATIONS = tuple(sorted({op for ops in ALLOWED.values() for op in ops}))
NEEDS_SESSION = frozenset({WINDOW, CANCEL, RESET, SESSION_END, FORCE_CLOSE})
FOR_A_WINDOW = frozenset({WINDOW, SESSION_OPEN, RATE})  # the target window must be the device's
MANAGER_ROLES = frozenset({Role.MANAGER.value, Role.ADMIN.value})
SESSION_HEADER = b"x-staff-session"


class Denied(Exception):
    """The request may not run: ``status`` 401 (who are you?) or 403 (not you); ``field`` names
    what was missing or wrong (``device``, ``session``, ``window``)."""

    def __init__(self, status: int, field: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.field = field

    @property
    def code(self) -> str:
        if self.status == 403:
            return "hub_forbidden"
        return "session_ended" if self.field == "session" else "hub_auth"

    def body(self) -> dict[str, Any]:
        """The hub's one error shape (:mod:`counter_app.hub.wire`), with the field that was wrong."""
        return {"code": self.code, "message": str(self), "params": {}, "field": self.field, "rule": "authorisation"}


@dataclass(frozen=True)
class Caller:
    device: DeviceView
    session: SessionView | None = None

    @property
    def clerk_id(self) -> str:
        assert self.session is not None
        return self.session.staff_id


def presented(scope: dict[str, Any]) -> tuple[bytes | None, bytes | None]:
    """The device token and the staff-session token a request carries, as given."""
    device = session = None
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            device = value[7:].strip()
        elif name == SESSION_HEADER:
            session = value.strip()
    if scope.get("type") == "websocket" and (device is None or session is None):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if device is None and query.get("token"):
            device = query["token"][0].encode("utf-8")
    return device, session


class HubAuth:
    def __init__(self, registry: DeviceRegistry) -> None:
        self.registry = registry
        self._devices: dict[str, DeviceView] = {}
        self._sessions: dict[str, SessionView] = {}
        self._watchers: dict[str, set[Any]] = {}  # device id -> open streams' subscribers
        # sessions opened or ended here lately: a database read begun before them must not undo them
        self._opened: dict[str, tuple[SessionView, float]] = {}
        self._ended: dict[str, float] = {}

    # --- the one check ---------------------------------------------------------------------

    def authorise(self, scope: dict[str, Any], operation: str, window: int | None = None) -> Caller:
        """The caller of ``scope`` if it may run ``operation`` (at ``window``); else :class:`Denied`."""
        device = self.authenticate(scope)
        if operation not in ALLOWED.get(device.role, ()):
            raise Denied(403, "device", f"a {device.role} device may not do this ({operation})")
        if operation in FOR_A_WINDOW and device.window is not None and window != device.window:
            raise Denied(403, "window", f"this {device.role} device acts only for window {device.window}")
        if operation not in NEEDS_SESSION:
            return Caller(device)
        session_token = presented(scope)[1]
        session = self._sessions.get(token_hash(session_token)) if session_token else None
        if session is None:
            raise Denied(401, "session", "log in first: no staff session, or it has ended")
        if session.device_id != device.id:
            raise Denied(403, "session", "this staff session was opened on another device")
        if operation == WINDOW and session.window != window:
            raise Denied(403, "window", f"this staff session is for window {session.window}")
        if operation in (RESET, FORCE_CLOSE) and session.role not in MANAGER_ROLES:
            raise Denied(403, "session", "only a manager's session may do this")
        return Caller(device, session)

    def authenticate(self, scope: dict[str, Any]) -> DeviceView:
        """The enrolled, unrevoked device of the request's token (the first step of :meth:`authorise`)."""
        device_token = presented(scope)[0]
        device = self._devices.get(token_hash(device_token)) if device_token else None
        if device is None:
            raise Denied(401, "device", "missing, unknown or revoked device token")
        return device

    # --- what changes it -------------------------------------------------------------------------

    def load(self) -> None:
        """Read the active devices and sessions (blocking: call it off the event loop)."""
        self.apply(*self.read())

    def read(self) -> tuple[list[tuple[str, DeviceView]], list[tuple[str, SessionView]], float]:
        """What the database says now, and when the read began (blocking)."""
        began = time.monotonic()
        return self.registry.active(), self.registry.active_sessions(), began

    def apply(self, devices: Iterable[tuple[str, DeviceView]], sessions: Iterable[tuple[str, SessionView]],
              began: float = 0.0) -> None:
        """Take the database's view (read from ``began``), keeping what this hub did meanwhile."""
        new_devices = dict(devices)
        new_sessions = dict(sessions)
        for digest, (session, at) in self._opened.items():
            if at >= began:
                new_sessions.setdefault(digest, session)
        new_sessions = {h: s for h, s in new_sessions.items() if self._ended.get(s.id, -1.0) < began}
        self._opened = {h: (s, at) for h, (s, at) in self._opened.items() if at >= began}
        self._ended = {i: at for i, at in self._ended.items() if at >= began}
        gone = {d.id for d in self._devices.values()} - {d.id for d in new_devices.values()}
        ended = {s.id for s in self._sessions.values()} - {s.id for s in new_sessions.values()}
        self._devices, self._sessions = new_devices, new_sessions
        for device_id in gone:
            log.warning("device %s revoked: its requests and streams stop", device_id)
            self._close_streams(device_id)
        if ended:
            log.info("%d staff sessions ended", len(ended))

    def add_session(self, token: str, session: SessionView) -> None:
        """A session just opened; it replaces any other of its device at its window."""
        now = time.monotonic()
        for replaced in [s for s in self._sessions.values()
                         if s.device_id == session.device_id and s.window == session.window]:
            self.end_session(replaced)
        self._sessions[token_hash(token)] = session
        self._opened[token_hash(token)] = (session, now)

    def end_session(self, session: SessionView) -> None:
        self._sessions = {h: s for h, s in self._sessions.items() if s.id != session.id}
        self._ended[session.id] = time.monotonic()

    def watch(self, device: DeviceView, subscriber: Any) -> None:
        self._watchers.setdefault(device.id, set()).add(subscriber)

    def unwatch(self, device: DeviceView, subscriber: Any) -> None:
        self._watchers.get(device.id, set()).discard(subscriber)

    def _close_streams(self, device_id: str) -> None:
        for subscriber in self._watchers.pop(device_id, set()):
            subscriber.close()
