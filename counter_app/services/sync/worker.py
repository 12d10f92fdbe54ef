"""The sync worker (SYNC.md c.6): ``hello``, then push the outbox channel by channel (payments →
applications → ops), at most 200 events and 256 KiB a request, one request in flight, each
event acknowledged only from head office's answer; retries with full-jitter backoff, forever for
what is transient; a watchdog that tears down a request no answer comes to.

Qt-free: the app runs :class:`SyncThread`; ``counter-app sync --once`` calls :meth:`SyncEngine.drain`.
What is sent and how time passes go through :class:`Transport` and :class:`Clock`, so tests inject
faults deterministically."""

from __future__ import annotations

import concurrent.futures
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from counter_app import __version__
from counter_app.core.syncwire import MAX_BATCH_BYTES, MAX_BATCH_EVENTS, canonical_json
from counter_app.domain.errors import InvalidInput
from counter_app.persistence.outbox import CHANNELS
from counter_app.services.billing.failpoints import failpoint
from counter_app.services.sync import outbox_store as store
from counter_app.services.sync.enrolment import SCHEMA_VERSION
from counter_app.services.sync.files import Credential, NodeFileError, read_credential
from counter_app.services.sync.refdata import PullStopped, pull_all
from counter_app.services.sync.transport import Answer, Clock, HttpxTransport, SystemClock, Transport, TransportError, signed_headers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncOptions:
    """``[sync]`` in the installation's TOML: how often and how patiently the node syncs.

    - ``interval_s``: a cycle this often while nothing else wakes the worker (the timer is what
      guarantees progress); ``stall_factor``: the watchdog tears down a request unanswered for
      this many intervals; ``connect_timeout_s`` / ``read_timeout_s``: httpx timeouts;
      ``backoff_base_s`` / ``backoff_cap_s``: retry ``n`` sleeps ``random(0, min(cap, base × 2^n))``;
      ``alarm_oldest_payment_s``: the status bar turns red when an unsent payment is older."""

    interval_s: float = 30.0
    stall_factor: float = 3.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 300.0
    alarm_oldest_payment_s: float = 4 * 3600.0

    def __post_init__(self) -> None:
        for name in ("interval_s", "stall_factor", "connect_timeout_s", "read_timeout_s", "backoff_base_s",
                     "backoff_cap_s", "alarm_oldest_payment_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise InvalidInput(name, f"a positive number of seconds, got {value!r}", code="positive_seconds", got=repr(value))


def backoff_delay(attempt: int, rng: random.Random, base: float = 2.0, cap: float = 300.0) -> float:
    """Full jitter: ``random(0, min(cap, base × 2^attempt))``."""
    return rng.uniform(0.0, min(cap, base * 2 ** min(attempt, 30)))


@dataclass(frozen=True)
class StepResult:
    """How one cycle ended. ``retryable``: something transient is left (retry after backoff)."""

    status: str  # ok | offline | auth_failed | reenrol_required | upgrade_required | not_enrolled | error | stalled
    retryable: bool
    error: str = ""
    retry_after: float | None = None
    acked: int = 0
    quarantined: int = 0


class Watchdog:
    """Fires when a request has waited longer than ``limit_s`` with no answer since the later of
    its start and the last answer (a half-open link: connected, never answered)."""

    def __init__(self, clock: Clock, limit_s: float) -> None:
        self._clock, self.limit_s = clock, limit_s
        self._last_answer = clock.monotonic()
        self.fired = 0

    def answered(self) -> None:
        self._last_answer = self._clock.monotonic()

    def stalled(self, started: float) -> bool:
        return self._clock.monotonic() - max(self._last_answer, started) > self.limit_s


class _Stop(Exception):
    def __init__(self, result: StepResult) -> None:
        super().__init__(result.status)
        self.result = result


class SyncEngine:
    def __init__(self, sessions: sessionmaker[Session], data_dir: Path, *, options: SyncOptions | None = None,
                 clock: Clock | None = None, transport_factory: Callable[[str], Transport] | None = None,
                 rng: random.Random | None = None, poll_s: float = 0.05,
                 on_close: Callable[[], None] | None = None) -> None:
        self.sessions, self.data_dir = sessions, data_dir
        self.options = options or SyncOptions()
        self.clock = clock or SystemClock()
        self._factory = transport_factory or (lambda url: HttpxTransport(
            url, connect_timeout=self.options.connect_timeout_s, read_timeout=self.options.read_timeout_s))
        self.rng = rng or random.Random()
        self.watchdog = Watchdog(self.clock, self.options.interval_s * self.options.stall_factor)
        self._poll_s, self._on_close = poll_s, on_close
        self._transport: Transport | None = None
        self._transport_url = ""
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="sync-http")
        self.max_events, self.max_bytes = MAX_BATCH_EVENTS, MAX_BATCH_BYTES
        self._good_pushes = 0

    # -- one request -------------------------------------------------------------------------

    def _transport_for(self, credential: Credential) -> Transport:
        if self._transport is None or self._transport_url != credential.hq_url:
            if self._transport is not None:
                self._transport.close()
            self._transport, self._transport_url = self._factory(credential.hq_url), credential.hq_url
        return self._transport

    def _call(self, credential: Credential, path: str, body: bytes) -> Answer:
        """One signed POST, run on the helper thread while this one watches the watchdog."""
        transport = self._transport_for(credential)
        headers = signed_headers(credential.node_id, credential.secret, "POST", path, body,
                                 int(self.clock.now().timestamp()))
        started = self.clock.monotonic()
        future = self._executor.submit(transport.post, path, body, headers)
        while True:
            try:
                answer = future.result(timeout=self._poll_s)
                break
            except concurrent.futures.TimeoutError:
                if self.watchdog.stalled(started):
                    self._tear_down()
                    raise TransportError(f"stalled: no answer to {path} for {self.watchdog.limit_s:g} s; "
                                         "the connection was torn down") from None
        self.watchdog.answered()
        return answer

    def _tear_down(self) -> None:
        self.watchdog.fired += 1
        log.error("sync watchdog: request unanswered for %g s, tearing the HTTP client down", self.watchdog.limit_s)
        self._executor.shutdown(wait=False)  # the stuck request ends at its read timeout, on its own
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="sync-http")
        if self._transport is not None:
            self._transport.reset()
        store.save_state(self.sessions, status="stalled", last_error="watchdog: request unanswered, client torn down")

    def close(self) -> None:
        self._executor.shutdown(wait=False)
        if self._transport is not None:
            self._transport.close()
        if self._on_close is not None:
            self._on_close()

    # -- what an answer means ------------------------------------------------------------------

    @staticmethod
    def _refusal(answer: Answer, what: str) -> StepResult:
        code = str(answer.body.get("code") or f"http_{answer.status}")
        text = f"{what}: HTTP {answer.status} {code}: {answer.body.get('message') or ''}".strip()
        if answer.status >= 500 or answer.status in (408, 429):
            return StepResult("offline", True, text, answer.retry_after())
        if answer.status == 401:  # the credential is read again before the retry
            return StepResult("auth_failed", True, text, answer.retry_after())
        if answer.status == 403:
            return StepResult("reenrol_required", False, text + " — re-enrolment required")
        if answer.status == 426:
            return StepResult("upgrade_required", False, text + " — upgrade required; working offline")
        return StepResult("error", True, text, answer.retry_after())

    # -- the cycle ----------------------------------------------------------------------------

    def step(self) -> StepResult:
        """``hello`` and push until nothing is pending or something stops it; status saved."""
        now = self.clock.now()
        try:
            result = self._step()
        except _Stop as stop:
            result = stop.result
        except TransportError as error:
            result = StepResult("stalled" if str(error).startswith("stalled") else "offline", True, str(error))
        if result.status == "ok":
            store.save_state(self.sessions, status="ok", last_success_at=now, last_error="")
        else:
            log.warning("sync: %s (%s)", result.status, result.error)
            store.save_state(self.sessions, status=result.status, last_error=result.error)
        return result

    def _step(self) -> StepResult:
        try:
            credential = read_credential(self.data_dir)
        except NodeFileError as error:
            return StepResult("not_enrolled", False, str(error))
        if credential is None:
            return StepResult("not_enrolled", False, "this node is not enrolled with head office")
        node = store.identity(self.sessions)
        if node.node_id != credential.node_id:
            return StepResult("reenrol_required", False, "the credential belongs to another database; re-enrol")
        self._hello(credential)
        self._pull(credential, ("staff",))  # revocations before anything else (G17)
        acked = quarantined = 0
        for channel in CHANNELS:
            while True:
                batch = store.next_batch(self.sessions, credential.node_id, credential.incarnation, channel,
                                         self.max_events, self.max_bytes)
                if batch is None:
                    break
                if batch.oversized:
                    log.error("outbox event %s exceeds %d bytes alone: quarantined locally", batch.oversized, self.max_bytes)
                    store.quarantine_locally(self.sessions, batch.oversized, "event_too_large", self.clock.now())
                    quarantined += len(batch.oversized)
                    continue
                counts = self._push(credential, batch)
                acked, quarantined = acked + counts["acked"], quarantined + counts["quarantined"]
                if counts["unanswered"]:
                    return StepResult("error", True, f"head office did not answer for {counts['unanswered']} events",
                                      None, acked, quarantined)
        self._pull(credential, None)
        return StepResult("ok", False, "", None, acked, quarantined)

    def _pull(self, credential: Credential, streams: tuple[str, ...] | None) -> None:
        """Reference data down (SYNC.md c.7); a head office without it (404) is no error."""
        try:
            pull_all(self.sessions, lambda path, body: self._call(credential, path, body), credential.branch_code,
                     streams=streams)
        except PullStopped as stopped:
            if stopped.answer.status != 404:
                raise _Stop(self._refusal(stopped.answer, "pull")) from None

    def _hello(self, credential: Credential) -> None:
        acked = store.acked_through(self.sessions, credential.node_id)
        body = canonical_json({"node_id": credential.node_id, "incarnation": credential.incarnation,
                               "app_version": __version__, "schema_version": SCHEMA_VERSION, "acked": acked})
        answer = self._call(credential, "/v1/sync/hello", body.encode("utf-8"))
        if answer.status != 200:
            raise _Stop(self._refusal(answer, "hello"))
        store.save_state(self.sessions, last_hello_at=self.clock.now(), acked_through=acked)
        hq_max: dict[str, Any] = answer.body.get("hq_max_seq") or {}
        local = store.local_max(self.sessions, credential.node_id)
        for channel in CHANNELS:
            theirs = hq_max.get(channel)
            if not isinstance(theirs, int):
                continue
            if theirs < acked[channel]:
                count = store.rewind(self.sessions, credential.node_id, channel, theirs)
                log.warning("head office holds %s events up to %d, we had %d acknowledged: %d sent again",
                            channel, theirs, acked[channel], count)
            if theirs > local[channel]:
                store.lock_receipts(self.sessions)
                log.error("head office holds %s events up to %d, this database only %d: restored database; "
                          "receipt numbering locked until re-enrolment", channel, theirs, local[channel])
        events, size = answer.body.get("max_batch_events"), answer.body.get("max_batch_bytes")
        if isinstance(events, int) and events > 0:  # head office may ask for smaller batches, never larger
            self.max_events = min(self.max_events, events, MAX_BATCH_EVENTS)
        if isinstance(size, int) and size > 0:
            self.max_bytes = min(self.max_bytes, size, MAX_BATCH_BYTES)

    def _push(self, credential: Credential, batch: store.Batch) -> dict[str, int]:
        answer = self._call(credential, "/v1/sync/push", batch.body)
        if answer.status == 413 and len(batch.events) > 1:  # halve; doubled back after 5 good pushes
            self.max_events = max(1, len(batch.events) // 2)
            self.max_bytes = max(1024, min(self.max_bytes, len(batch.body) // 2))
            self._good_pushes = 0
            return {"acked": 0, "quarantined": 0, "unanswered": 0}
        if answer.status != 200:
            raise _Stop(self._refusal(answer, f"push {batch.channel}"))
        self._good_pushes += 1
        if self._good_pushes >= 5:
            self._good_pushes = 0
            self.max_events = min(MAX_BATCH_EVENTS, self.max_events * 2)
            self.max_bytes = min(MAX_BATCH_BYTES, self.max_bytes * 2)
        results = answer.body.get("results")
        failpoint("after_response_before_ack")
        return store.store_results(self.sessions, batch, results if isinstance(results, list) else [], self.clock.now())

    def drain(self, max_cycles: int = 50) -> StepResult:
        """``--once``: cycles until nothing is pending or a cycle fails (no sleeping)."""
        result = StepResult("ok", False)
        for _ in range(max_cycles):
            result = self.step()
            if result.status != "ok" or not store.has_pending(self.sessions):
                break
        return result


class SyncThread:
    """The worker in the app: a daemon thread cycling every ``interval_s`` (sooner when woken),
    backing off with full jitter after a transient failure, idling after a refusal (403/426)
    until the next interval re-reads the credential."""

    def __init__(self, engine: SyncEngine) -> None:
        self.engine = engine
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self.last: StepResult | None = None

    def start(self) -> "SyncThread":
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self.engine.close()

    def _run(self) -> None:
        options, attempt = self.engine.options, 0
        while not self._stop.is_set():
            try:
                self.last = result = self.engine.step()
            except Exception:  # a bug must not kill the timer that guarantees progress
                log.exception("sync cycle failed")
                result = StepResult("error", True, "internal error, see the log")
            if result.retryable:
                delay = result.retry_after if result.retry_after is not None else backoff_delay(
                    attempt, self.engine.rng, options.backoff_base_s, options.backoff_cap_s)
                attempt += 1
            else:
                delay, attempt = options.interval_s, 0
            self._wake.wait(delay)
            self._wake.clear()
