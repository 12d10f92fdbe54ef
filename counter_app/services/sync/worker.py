"""The sync worker (SYNC.md c.6): ``hello``, then push the outbox channel by channel (payments →
applications → ops), at most 200 events and 256 KiB a request, one request in flight, each
event acknowledged only from head office's answer; retries with full-jitter backoff, forever for
what is transient; a watchdog that tears down a request no answer comes to.

Qt-free: the program runs :class:`SyncThread` in a process of its own (``counter-app sync
--follow-parent``, :mod:`.process`) or, with ``[sync] own_process = false``, in a thread;
``counter-app sync --once`` calls :meth:`SyncEngine.drain`.
What is sent and how time passes go through :class:`Transport` and :class:`Clock`, so tests inject
faults deterministically."""

from __future__ import annotations

import concurrent.futures
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from counter_app import __version__
from counter_app.core.crashpoints import crash_point
from counter_app.core.syncwire import MAX_BATCH_BYTES, MAX_BATCH_EVENTS, canonical_json
from counter_app.domain.errors import InvalidInput
from counter_app.persistence import outbox
from counter_app.persistence.outbox import CHANNELS
from counter_app.services.billing.ledger import read_session
from counter_app.services.sync import outbox_store as store
from counter_app.services.sync.enrolment import SCHEMA_VERSION
from counter_app.services.sync.files import Credential, NodeFileError, read_credential
from counter_app.services.sync.refdata import PullStopped, pull_all
from counter_app.services.sync import error_words as words
from counter_app.services.sync.transport import Answer, Clock, HttpxTransport, SystemClock, Transport, TransportError, signed_headers

log = logging.getLogger(__name__)


#: while a backlog drains, a push tells head office the node's backlog this often (and at each channel's end)
REPORT_EVERY_S = 10.0


@dataclass(frozen=True)
class SyncOptions:
    """``[sync]`` in the installation's TOML: how often and how patiently the node syncs.

    - ``interval_s``: a cycle this often while nothing else wakes the worker (the timer is what
      guarantees progress); ``stall_factor``: the watchdog tears down a request unanswered for
      this many intervals; ``connect_timeout_s`` / ``read_timeout_s``: httpx timeouts;
      ``backoff_base_s`` / ``backoff_cap_s``: retry ``n`` sleeps ``random(0, min(cap, base × 2^n))``;
      ``alarm_oldest_payment_s``: the status bar turns red when an unsent payment is older;
      ``ack_every_s``: head office's answers are written to the outbox at most this often while a
      backlog drains (and always at the end of a cycle) — each write takes SQLite's one write lock
      a payment at the window may be waiting for; an answer not yet written when the program
      dies only means those events are sent again and answered ``duplicate``;
      ``debounce_s``: a cycle starts this long after a local commit woke the worker;
      ``own_process``: the program runs the worker as a process of its own (``counter-app sync
      --follow-parent``), not as a thread sharing the interpreter lock with the window's work."""

    interval_s: float = 30.0
    stall_factor: float = 3.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 300.0
    alarm_oldest_payment_s: float = 4 * 3600.0
    ack_every_s: float = 1.0
    debounce_s: float = 2.0
    own_process: bool = True

    def __post_init__(self) -> None:
        for name in ("interval_s", "stall_factor", "connect_timeout_s", "read_timeout_s", "backoff_base_s",
                     "backoff_cap_s", "alarm_oldest_payment_s", "ack_every_s", "debounce_s"):
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
        self._cursor: dict[str, int] = {}  # per channel: the last seq answered this cycle
        self._unwritten: list[store.Answers] = []
        self._written_at = self._reported_at = self.clock.monotonic()

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
        store.save_state(self.sessions, status="stalled", last_error=words.stalled(self.watchdog.limit_s))

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
        log.warning("sync: %s: HTTP %s %s: %s", what, answer.status, code, answer.body.get("message") or "")
        text = words.refused(what, answer.status, code, str(answer.body.get("message") or ""))
        if answer.status >= 500 or answer.status in (408, 429):
            return StepResult("offline", True, text, answer.retry_after())
        if answer.status == 401:  # the credential is read again before the retry
            return StepResult("auth_failed", True, text, answer.retry_after())
        if answer.status == 403:
            return StepResult("reenrol_required", False, text)
        if answer.status == 426:
            return StepResult("upgrade_required", False, text)
        return StepResult("error", True, text, answer.retry_after())

    # -- the cycle ----------------------------------------------------------------------------

    def step(self) -> StepResult:
        """``hello`` and push until nothing is pending or something stops it; status saved."""
        now = self.clock.now()
        try:
            result = self._step()
        except _Stop as stop:
            result = stop.result
        except TransportError as error:  # the raw text (class, errno, address) for the log; a sentence stored
            log.warning("sync: no answer from head office: %s", error)
            stalled = str(error).startswith("stalled")
            result = StepResult("stalled" if stalled else "offline", True,
                                words.stalled(self.watchdog.limit_s) if stalled else words.unreachable())
        finally:
            self._write_answers()
            self._cursor = {}
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
        crash_point("after_hello_before_push")
        self._pull(credential, ("staff",))  # revocations before anything else (G17)
        acked = quarantined = 0
        for channel in CHANNELS:
            while True:
                batch = store.next_batch(self.sessions, credential.node_id, credential.incarnation, channel,
                                         self.max_events, self.max_bytes, self._cursor.get(channel, 0))
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
            refused = self._refusal(stopped.answer, "pull")
            if stopped.answer.status == 404:
                return
            if streams is not None and refused.retryable and refused.status != "auth_failed":
                log.warning("sync: %s; pushing all the same", refused.error)  # the payments go up regardless
                return
            raise _Stop(refused) from None
        except (KeyError, TypeError, ValueError):  # a malformed page must not stop the payments going up
            log.exception("sync: reference data pull failed")

    def _hello(self, credential: Credential) -> None:
        """Say what was acknowledged — of this node, and of the earlier incarnations whose events
        this database holds (pushed before a re-enrolment) — and send again what head office says
        it no longer holds (restored from a backup)."""
        by_node = store.acked_by_node(self.sessions)
        zero = {channel: 0 for channel in CHANNELS}
        acked = by_node.pop(credential.node_id, None) or zero
        request: dict[str, Any] = {"node_id": credential.node_id, "incarnation": credential.incarnation,
                                   "app_version": __version__, "schema_version": SCHEMA_VERSION, "acked": acked,
                                   "backlog": store.backlog_report(self.sessions)}
        if by_node:
            request["acked_earlier"] = by_node
        self._reported_at = self.clock.monotonic()
        answer = self._call(credential, "/v1/sync/hello", canonical_json(request).encode("utf-8"))
        if answer.status != 200:
            raise _Stop(self._refusal(answer, "hello"))
        store.save_state(self.sessions, last_hello_at=self.clock.now(), acked_through=acked)
        hq_max: dict[str, Any] = answer.body.get("hq_max_seq") or {}
        self._send_again(credential.node_id, acked, hq_max)
        earlier = answer.body.get("hq_max_seq_earlier")
        for node, seqs in (earlier.items() if isinstance(earlier, dict) else ()):
            if node in by_node and isinstance(seqs, dict):
                self._send_again(node, by_node[node], seqs)
        local = store.local_max(self.sessions, credential.node_id)
        for channel in CHANNELS:
            theirs = hq_max.get(channel)
            if isinstance(theirs, int) and theirs > local[channel]:
                store.lock_receipts(self.sessions)
                log.error("head office holds %s events up to %d, this database only %d: restored database; "
                          "receipt numbering locked until re-enrolment", channel, theirs, local[channel])
        events, size = answer.body.get("max_batch_events"), answer.body.get("max_batch_bytes")
        if isinstance(events, int) and events > 0:  # head office may ask for smaller batches, never larger
            self.max_events = min(self.max_events, events, MAX_BATCH_EVENTS)
        if isinstance(size, int) and size > 0:
            self.max_bytes = min(self.max_bytes, size, MAX_BATCH_BYTES)

    def _send_again(self, node_id: str, acked: dict[str, int], hq_max: dict[str, Any]) -> None:
        for channel in CHANNELS:
            theirs = hq_max.get(channel)
            if isinstance(theirs, int) and theirs < acked.get(channel, 0):
                count = store.rewind(self.sessions, node_id, channel, theirs)
                log.warning("head office holds %s events of node %s up to %d, we had %d acknowledged: %d sent again",
                            channel, node_id, theirs, acked[channel], count)

    def _push(self, credential: Credential, batch: store.Batch) -> dict[str, int]:
        body = batch.body
        if len(batch.events) < self.max_events or self.clock.monotonic() - self._reported_at >= REPORT_EVERY_S:
            # the backlog as it will be once this batch is stored: at a channel's end, and now and then
            sent = {**self._cursor, batch.channel: batch.seqs[-1]}
            body = store.push_body(credential.node_id, credential.incarnation, batch.events,
                                   store.backlog_report(self.sessions, sent), batch.encoded)
            self._reported_at = self.clock.monotonic()
        answer = self._call(credential, "/v1/sync/push", body)
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
        crash_point("after_response_before_ack")
        answers = store.read_results(batch, results if isinstance(results, list) else [])
        self._cursor[batch.channel] = max(self._cursor.get(batch.channel, 0), answers.through)
        self._unwritten.append(answers)
        if self.clock.monotonic() - self._written_at >= self.options.ack_every_s:
            self._write_answers()
        return answers.counts

    def _write_answers(self) -> None:
        """Head office's answers so far, in one short write transaction (G6: all of them came
        from answers to requests head office had committed)."""
        unwritten, self._unwritten = self._unwritten, []
        self._written_at = self.clock.monotonic()
        if unwritten:
            store.write_answers(self.sessions, unwritten, self.clock.now())

    def drain(self, max_cycles: int = 50) -> StepResult:
        """``--once``: cycles until nothing is pending or a cycle fails (no sleeping)."""
        result = StepResult("ok", False)
        for _ in range(max_cycles):
            result = self.step()
            if result.status != "ok" or not store.has_pending(self.sessions):
                break
        return result


class SyncThread:
    """The worker in the app: a daemon thread cycling every ``interval_s`` (the timer guarantees
    progress), and ``debounce_s`` after a local commit wrote outbox events (SYNC.md c.6): a commit
    of this process calls :meth:`committed`; one of another process (a hub, a ``counter-app
    sync`` beside the program) shows as a higher outbox ``seq``, read every ``outbox_poll_s``.
    After a transient failure it backs off with full jitter and commits do not cut the wait short;
    after a refusal (403/426) it idles until the next interval re-reads the credential."""

    def __init__(self, engine: SyncEngine, *, outbox_poll_s: float = 1.0, in_process: bool = True) -> None:
        self.engine = engine
        self._stop, self._wake, self._commit = threading.Event(), threading.Event(), threading.Event()
        self._now = False
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._poll_s, self._polled_at, self._seen_seq = outbox_poll_s, 0.0, 0
        self._forget = outbox.on_commit(self.committed) if in_process else None
        self.last: StepResult | None = None
        self.cycles = 0

    def start(self) -> "SyncThread":
        self._thread.start()
        return self

    def wake(self) -> None:
        """Cycle now."""
        self._now = True
        self._wake.set()

    def committed(self) -> None:
        """Outbox events were committed: cycle ``debounce_s`` from now (unless backing off)."""
        self._commit.set()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        if self._forget is not None:
            self._forget()
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self.engine.close()

    def _outbox_grew(self) -> bool:
        now = time.monotonic()
        if now - self._polled_at < self._poll_s:
            return False
        self._polled_at = now
        with read_session(self.engine.sessions) as session:
            seq = outbox.highest_seq(session)
        grew, self._seen_seq = seq > self._seen_seq, max(seq, self._seen_seq)
        return grew

    def _sleep(self, delay: float, commits_wake: bool) -> None:
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            if self._now:
                self._now = False
                return
            woken = self._commit.is_set()
            self._commit.clear()
            if commits_wake and (woken or self._outbox_grew()):
                deadline = min(deadline, time.monotonic() + self.engine.options.debounce_s)
                commits_wake = False  # the cycle is due: later commits ride along
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._wake.wait(min(remaining, self._poll_s))
            self._wake.clear()

    def _run(self) -> None:
        options, attempt = self.engine.options, 0
        while not self._stop.is_set():
            self._commit.clear()
            self._polled_at = 0.0
            try:
                self._outbox_grew()  # what this cycle sees; anything newer wakes the next one
                self.last = result = self.engine.step()
            except Exception:  # a bug must not kill the timer that guarantees progress
                log.exception("sync cycle failed")
                result = StepResult("error", True, "internal error, see the log")
            self.cycles += 1
            if result.retryable:
                delay = result.retry_after if result.retry_after is not None else backoff_delay(
                    attempt, self.engine.rng, options.backoff_base_s, options.backoff_cap_s)
                attempt += 1
            else:
                delay, attempt = options.interval_s, 0
            self._sleep(delay, commits_wake=not result.retryable)
