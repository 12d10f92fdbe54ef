"""Talking to the hub from a kiosk, display, window screen or counter (synchronous; the Qt
front-ends call it off the GUI thread).

:class:`HubClient` has one method per command and returns the JSON answers as dicts
(:func:`decode` turns one into its :mod:`counter_app.protocol` model, as the screens read it); a
refusal raises :class:`~counter_app.domain.errors.NotAllowed`, bad input
:class:`~counter_app.domain.errors.InvalidInput`, both rebuilt from the answer's code, params
and field (never from its English text), an unreachable hub :class:`HubUnavailable`. Each device
has its own token from the hub (``hub-admin device-add``); a counter then logs its clerk in at the
hub (:meth:`HubClient.login`) and every window command carries that staff session.
:class:`EventStream` follows ``/v1/stream`` in a
thread, reconnecting forever and resuming after the last sequence it delivered."""

from __future__ import annotations

import json
import logging
import queue
import threading
from datetime import datetime
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ValidationError
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import connect

from counter_app.domain.errors import NotAllowed, UserError, from_wire
from counter_app.domain.staff_rules import LoginRefused
from counter_app.protocol.bills import BILLS_PROTOCOL, BILLS_PROTOCOL_HEADER
from counter_app.protocol import (
    Event,
    EventsPage,
    Health,
    IssueAnswer,
    OpAnswer,
    ResetAnswer,
    State,
    Ticket,
    TicketAnswer,
)

log = logging.getLogger(__name__)

AHEAD_OF_LOG = 4409  # the hub's close code when a client is beyond its event log


class HubUnavailable(UserError):
    """The hub cannot be reached or failed; nothing is known to have changed."""

    code = "hub_unavailable"


class HubAuthError(UserError):
    """The hub refused this device's token (401): check hub.token in the configuration."""

    code = "hub_auth"


class SessionEnded(HubAuthError):
    """The staff session is missing, ended or revoked (401): log in again."""

    code = "session_ended"


class HubUpgradeRequired(HubUnavailable):
    """The hub speaks another protocol version (426): this PC works on its own data until upgraded."""

    code = "hub_upgrade_required"


def queue_needs_hub() -> NotAllowed:
    """What a queue action (calling, serving, opening the window) says while the hub cannot be
    reached: what it needs, and what the window can do meanwhile."""
    return NotAllowed("calling numbers needs the queue server (hub), which cannot be reached now", code="queue_needs_hub")


def ticket_finished_here(number: str) -> NotAllowed:
    """What the call panel says when the clerk finishes the ticket at the window while the hub
    cannot be reached: finished here, the hub told when it is back."""
    return NotAllowed(f"{number} is finished at this window; the hub is told when it is back", code="ticket_finished_here",
                      number=number)


def window_left_open(window: int) -> NotAllowed:
    """What a clerk who logs out while the hub cannot be reached is told: logged out at this PC,
    the window still open under him at the hub."""
    return NotAllowed(f"logged out here; window {window} stays open at the hub until it is back", code="window_left_open",
                      n=window)


class HubForbidden(NotAllowed):
    """This device or staff session may not do that (403)."""

    code = "hub_forbidden"

SESSION_HEADER = "X-Staff-Session"


class HubClient:
    #: an idle connection is dropped well before the hub's server drops it (uvicorn: 5 s), so
    #: no request goes out on a connection the hub is closing at that moment
    KEEPALIVE_SECONDS = 2.0

    def __init__(self, url: str, token: str, *, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.url, timeout=timeout,
                                  limits=httpx.Limits(keepalive_expiry=self.KEEPALIVE_SECONDS),
                                  headers={"Authorization": f"Bearer {token}"})
        self.sessions: dict[int | None, str] = {}  # window -> staff-session token opened here
        self.bills_protocol = BILLS_PROTOCOL

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "HubClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session_for(self, window: int | None) -> dict[str, str]:
        token = self.sessions.get(window)
        if token is None and window is None and self.sessions:
            token = next(iter(self.sessions.values()))
        return {SESSION_HEADER: token} if token else {}

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, Any] | None = None, session: int | None | bool = False,
              extra: dict[str, str] | None = None) -> Any:
        headers = self._session_for(session) if session is not False else None  # type: ignore[arg-type]
        if extra:
            headers = {**(headers or {}), **extra}
        try:
            try:
                response = self._http.request(method, path, json=body, params=params, headers=headers)
            except httpx.RemoteProtocolError:
                if method != "GET":
                    raise
                # a kept-alive connection closed under the request: a read is safe to send again
                response = self._http.request(method, path, json=body, params=params, headers=headers)
        except httpx.HTTPError as error:
            raise HubUnavailable(f"hub {self.url} unreachable: {error}") from error
        if response.status_code == 204:
            return None
        if response.status_code < 300:
            return response.json()
        try:
            detail = response.json()
        except ValueError:
            detail = {"message": response.text}
        message = detail.get("message", response.reason_phrase) if isinstance(detail, dict) else str(detail)
        if response.status_code == 401 and isinstance(detail, dict) and detail.get("rule") == "login":
            until = detail.get("locked_until")
            raise LoginRefused(detail.get("reason") or "wrong", datetime.fromisoformat(until) if until else None,
                               detail.get("tries_left"), message)
        if response.status_code == 401 and isinstance(detail, dict) and detail.get("field") == "session":
            raise SessionEnded(message)
        if response.status_code == 401:
            raise HubAuthError(message)
        if response.status_code == 403:
            raise HubForbidden(message)
        if response.status_code == 426:
            raise HubUpgradeRequired(message)
        refusal = from_wire(response.status_code, detail) if isinstance(detail, dict) else None
        if refusal is not None:
            raise refusal
        raise HubUnavailable(f"hub answered {response.status_code}: {message}")

    # --- kiosk -----------------------------------------------------------------------------

    def issue_ticket(self, service: str, priority: str = "normal", priority_reason: str = "") -> dict[str, Any]:
        return self._call("POST", "/v1/tickets", {"service": service, "priority": priority,
                                                 "priority_reason": priority_reason})

    def ticket(self, reference: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/tickets/{reference}")

    # --- staff sessions ------------------------------------------------------------------------

    def login(self, staff_no: str, password: str, window: int | None = None) -> dict[str, Any]:
        """Log a staff member in at the hub for ``window``; later window commands carry the
        session (raises ``LoginRefused`` with the tries left, or the lock's end)."""
        answer = self._call("POST", "/v1/sessions", {"staff_no": staff_no, "password": password, "window": window})
        self.sessions[window] = answer.pop("session")
        return answer

    def change_password(self, staff_no: str, password: str, new_password: str, window: int | None = None) -> dict[str, Any]:
        """Set a new password (the current one with it) and log in, as :meth:`login`."""
        answer = self._call("POST", "/v1/sessions/password", {"staff_no": staff_no, "password": password,
                                                              "new_password": new_password, "window": window})
        self.sessions[window] = answer.pop("session")
        return answer

    def logout(self, window: int | None = None) -> None:
        if window in self.sessions or (window is None and self.sessions):
            try:
                self._call("DELETE", "/v1/sessions/current", session=window)
            finally:
                self.sessions.pop(window if window in self.sessions else next(iter(self.sessions)), None)

    # --- counter -------------------------------------------------------------------------------

    def _window(self, window: int, path: str, clerk_id: str | None, **extra: Any) -> dict[str, Any]:
        body = {"clerk_id": clerk_id, **extra} if clerk_id else extra
        return self._call("POST", f"/v1/windows/{window}/{path}", body, session=window)

    def open_window(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "open", clerk_id)

    def pause_window(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "pause", clerk_id)

    def resume_window(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "resume", clerk_id)

    def close_window(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "close", clerk_id)

    def force_close_window(self, window: int, manager_id: str, reason: str,
                           from_window: int | None = None) -> dict[str, Any]:
        """A manager closes ``window``, left open by another clerk, with the staff session opened
        at ``from_window`` (the manager's own counter; ``None``: the manager console's session
        when there is one here, else the target window's)."""
        here = from_window if from_window is not None else (None if None in self.sessions else window)
        return self._call("POST", f"/v1/windows/{window}/force-close", {"clerk_id": manager_id, "reason": reason},
                          session=here)

    def call_next(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "call-next", clerk_id)

    def recall(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "recall", clerk_id)

    def start_service(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "start", clerk_id)

    def finish(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "finish", clerk_id)

    def no_show(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "no-show", clerk_id)

    def hold(self, window: int, clerk_id: str) -> dict[str, Any]:
        return self._window(window, "hold", clerk_id)

    def recycle(self, window: int, clerk_id: str, ticket: str | None = None) -> dict[str, Any]:
        return self._window(window, "recycle", clerk_id, ticket=ticket)

    def call_back(self, window: int, clerk_id: str, ticket: str) -> dict[str, Any]:
        return self._window(window, "call-back", clerk_id, ticket=ticket)

    def call_specific(self, window: int, clerk_id: str, ticket: str) -> dict[str, Any]:
        return self._window(window, "call-specific", clerk_id, ticket=ticket)

    def transfer(self, window: int, clerk_id: str, to_service: str | None = None,
                 to_window: int | None = None) -> dict[str, Any]:
        return self._window(window, "transfer", clerk_id, to_service=to_service, to_window=to_window)

    def cancel(self, ticket: str, clerk_id: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/tickets/{ticket}/cancel", {"clerk_id": clerk_id}, session=None)

    # --- manager, display ----------------------------------------------------------------------

    def end_of_day_reset(self, clerk_id: str) -> dict[str, Any]:
        return self._call("POST", "/v1/day/reset", {"clerk_id": clerk_id}, session=None)

    def waiting_counts(self) -> dict[str, int]:
        return self._call("GET", "/v1/waiting-counts")

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/v1/state")

    def events(self, after: int = 0, limit: int = 1000) -> dict[str, Any]:
        return self._call("GET", "/v1/events", params={"after": after, "limit": limit})

    # --- evaluator ---------------------------------------------------------------------------------

    def ask_rating(self, window: int, ticket_id: str, kind: str = "screen") -> dict[str, Any]:
        return self._call("POST", f"/v1/windows/{window}/ratings", {"ticket": ticket_id, "kind": kind})

    def pending_rating(self, window: int) -> dict[str, Any] | None:
        return self._call("GET", f"/v1/windows/{window}/ratings/pending")

    def answer_rating(self, window: int, request_id: str, level: int, reasons: list[str] | tuple[str, ...] = (),
                      kind: str = "screen") -> dict[str, Any]:
        return self._call("POST", f"/v1/windows/{window}/ratings/{request_id}/answer",
                          {"level": level, "reasons": list(reasons), "kind": kind})

    def decline_rating(self, window: int, request_id: str, kind: str = "screen") -> dict[str, Any]:
        return self._call("POST", f"/v1/windows/{window}/ratings/{request_id}/decline", {"kind": kind})

    def rated_at_counter(self, window: int, request_id: str, rating_id: str, kind: str = "screen") -> dict[str, Any]:
        return self._call("POST", f"/v1/windows/{window}/ratings/{request_id}/at-counter",
                          {"rating_id": rating_id, "kind": kind})

    # --- bills paid at the branch's windows (protocol.bills) ------------------------------------

    def check_bills(self, bill_ids: list[str], terminal_code: str) -> dict[str, Any]:
        return self._call("POST", "/v1/bills/check", {"bill_ids": bill_ids, "terminal_code": terminal_code},
                          extra={BILLS_PROTOCOL_HEADER: str(self.bills_protocol)})

    def report_bills_paid(self, report: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/bills/paid", report, extra={BILLS_PROTOCOL_HEADER: str(self.bills_protocol)})

    def report_walk_ins(self, report: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/walk-ins", report)

    def ticket_rated_here(self, window: int, ticket_id: str, request_id: str) -> dict[str, Any]:
        return self._call("POST", "/v1/walk-ins/rated-ticket",
                          {"window": window, "ticket_id": ticket_id, "request_id": request_id})

    def bill_incidents(self) -> list[dict[str, Any]]:
        return self._call("GET", "/v1/bills/incidents")

    # --- applications seen at every window (protocol.applications) ------------------------------

    def report_application(self, copy: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/applications/copies", copy)

    def find_applications(self, question: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/applications/find", question)

    def hand_in_elsewhere(self, action: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/applications/actions", action)

    def actions_waiting(self, owner: str) -> dict[str, Any]:
        return self._call("GET", "/v1/applications/actions", params={"owner": owner})

    def action_done(self, action_id: str, applied: bool, result: str = "") -> dict[str, Any]:
        return self._call("POST", f"/v1/applications/actions/{action_id}/done", {"applied": applied, "result": result})

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/v1/health")

    def stream(self, after: int = 0, on_event: Callable[[dict[str, Any]], None] | None = None,
               on_reset: Callable[[], None] | None = None) -> "EventStream":
        return EventStream(self.url, self.token, after=after, on_event=on_event, on_reset=on_reset)


#: The protocol model of each command's answer (commands not listed answer plain JSON).
ANSWERS: dict[Callable[..., Any], type[BaseModel]] = {
    HubClient.issue_ticket: IssueAnswer, HubClient.ticket: Ticket, HubClient.cancel: TicketAnswer,
    HubClient.end_of_day_reset: ResetAnswer, HubClient.state: State, HubClient.events: EventsPage,
    HubClient.health: Health,
    **{command: OpAnswer for command in (
        HubClient.open_window, HubClient.pause_window, HubClient.resume_window, HubClient.close_window,
        HubClient.call_next, HubClient.recall, HubClient.start_service, HubClient.finish, HubClient.no_show,
        HubClient.hold, HubClient.recycle, HubClient.call_back, HubClient.call_specific, HubClient.transfer)},
}


def decode(command: Callable[..., Any], answer: Any) -> Any:
    """A command's JSON answer as its protocol model (e.g. ``HubClient.state`` -> :class:`State`);
    an answer that does not fit its model raises :class:`HubUnavailable` naming what is wrong."""
    model = ANSWERS.get(command)
    if model is None:
        return answer
    try:
        return model.model_validate(answer)
    except ValidationError as error:
        raise HubUnavailable(f"the hub's answer to {command.__name__} does not fit the protocol: {error}") from error


def decode_event(event: dict[str, Any]) -> Event | None:
    """An event of the stream as :class:`Event`; ``None`` (logged) for one this version cannot read."""
    try:
        return Event.model_validate(event)
    except ValidationError as error:
        log.warning("event %s of the hub not understood, skipped: %s", event.get("seq"), error)
        return None


class EventStream:
    """Follows the hub's event stream in a background thread.

    Events arrive in ``seq`` order, each once, through ``on_event`` (called on the stream's
    thread) or, without it, through :meth:`get`. After any disconnect it reconnects with
    ``after=last_seq``, so nothing is missed; :attr:`connected` says whether it is live."""

    def __init__(self, url: str, token: str, after: int = 0, on_event: Callable[[dict[str, Any]], None] | None = None,
                 *, on_reset: Callable[[], None] | None = None, retry_min: float = 0.1, retry_max: float = 5.0,
                 open_timeout: float = 5.0) -> None:
        parts = urlsplit(url)
        self._ws_url = urlunsplit(("wss" if parts.scheme == "https" else "ws", parts.netloc, "/v1/stream", "", ""))
        self._token = token
        self.last_seq = after
        self._on_event = on_event
        self._on_reset = on_reset
        self.resets = 0
        self.log_id: str | None = None  # the hub log followed (its database's node id)
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._retry = (retry_min, retry_max)
        self._open_timeout = open_timeout
        self.connected = threading.Event()
        self.connections = 0
        self._thread = threading.Thread(target=self._run, name="hub-event-stream", daemon=True)

    def start(self) -> "EventStream":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def __enter__(self) -> "EventStream":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def get(self, timeout: float | None = None) -> dict[str, Any]:
        """The next event (raises :class:`queue.Empty` after ``timeout``)."""
        return self._events.get(timeout=timeout)

    def _deliver(self, event: dict[str, Any]) -> None:
        if event["seq"] <= self.last_seq:
            return
        self.last_seq = event["seq"]
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("event handler failed on event %s", event["seq"])
        else:
            self._events.put(event)

    def _reset(self) -> None:
        """The hub's log is not the one we followed (its database was replaced or restored):
        start again from its beginning, after telling the owner to reload the state."""
        log.warning("hub event log is behind sequence %s: following it again from the start", self.last_seq)
        self.last_seq = 0
        self.resets += 1
        if self._on_reset is not None:
            try:
                self._on_reset()
            except Exception:
                log.exception("reset handler failed")

    def _run(self) -> None:
        delay = self._retry[0]
        while not self._stop.is_set():
            try:
                with connect(f"{self._ws_url}?after={self.last_seq}", open_timeout=self._open_timeout,
                             additional_headers={"Authorization": f"Bearer {self._token}"},
                             max_size=2**22) as websocket:
                    log_id = websocket.response.headers.get("x-hub-log") if websocket.response else None
                    if log_id and self.log_id and log_id != self.log_id and self.last_seq:
                        self.log_id = log_id
                        self._reset()
                        continue
                    self.log_id = log_id or self.log_id
                    self.connections += 1
                    self.connected.set()
                    delay = self._retry[0]
                    while not self._stop.is_set():
                        try:
                            message = websocket.recv(timeout=0.25)
                        except TimeoutError:
                            continue
                        received = json.loads(message)
                        for event in received if isinstance(received, list) else [received]:
                            self._deliver(event)
            except ConnectionClosed as error:
                if error.rcvd is not None and error.rcvd.code == AHEAD_OF_LOG:
                    self.connected.clear()
                    self._reset()
                    continue
                log.debug("event stream disconnected: %s", error)
            except (OSError, WebSocketException, TimeoutError) as error:
                log.debug("event stream disconnected: %s", error)
            self.connected.clear()
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self._retry[1])
