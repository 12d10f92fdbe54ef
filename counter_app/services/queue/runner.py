"""How queue operations reach the database: each is a function of a :class:`QueueTx`, run
inside a transaction (BEGIN IMMEDIATE) that may be shared with operations that arrived at the
same moment (group commit: one fsync for all of them). Each operation still runs alone, in
order, against the state its predecessors left; one that is refused (a :class:`UserError`
before it wrote anything) changes nothing; if anything else goes wrong the transaction is
rolled back and its operations are run again one by one, so only the faulty one fails.

Two ways to drive it: :meth:`QueueRunner._run` for callers that block (threads group-commit
through a leader), and :meth:`QueueRunner.open_batch` for a caller that batches itself (the
hub runs operations on its event loop and commits on a thread)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import UserError
from counter_app.domain.timeutil import business_day
from counter_app.persistence.database import DatabaseUnavailable, is_environment_error
from counter_app.persistence.outbox import node_id as read_node_id
from counter_app.services.queue.reference import BranchRef, ReferenceCache
from counter_app.services.queue.settings import QueueSettings
from counter_app.services.queue.store import Batch, PoolCounts, QueueTx, RowCache
from counter_app.services.queue.views import QueueEvent

log = logging.getLogger(__name__)

Work = Callable[[QueueTx], Any]
Listener = Callable[[tuple[QueueEvent, ...]], None]
T = TypeVar("T")

_capture: ContextVar[list[Work] | None] = ContextVar("queue_capture", default=None)


class Job:
    __slots__ = ("work", "result", "error", "done")

    def __init__(self, work: Work) -> None:
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False


class BatchFailed(Exception):
    """A job failed in a way that spoils the shared transaction (not a refusal)."""


class BatchRun:
    """One open transaction and the jobs run in it so far: BEGIN IMMEDIATE on a connection of
    the engine's pool, used directly (the session layer cost more CPU than the operations)."""

    def __init__(self, runner: "QueueRunner") -> None:
        self.runner = runner
        self.jobs: list[Job] = []
        self.written: list[QueueEvent] = []
        self._connection: Any = None
        try:
            self.ref = runner._reference()
            self._connection = runner._checkout()
            self.raw: sqlite3.Connection = self._connection.driver_connection
            self.raw.execute("BEGIN IMMEDIATE")
            self.batch = Batch(self.raw, runner._node_id or "", runner._pool, runner._rows)
        except BaseException as error:
            self._release()
            if is_environment_error(error):
                raise DatabaseUnavailable(f"database unavailable: {getattr(error, 'orig', error)}") from error
            raise

    def run(self, job: Job) -> None:
        """Run one job; a refusal is recorded on the job, anything else raises BatchFailed."""
        self.jobs.append(job)
        now = self.runner._clock()
        tx = QueueTx(self.batch, self.ref, now, business_day(now, self.ref.zone))
        try:
            job.result = job.work(tx)
        except UserError as error:
            if tx.writing:
                job.error = error
                raise BatchFailed(str(error)) from error
            job.error = error
            return
        except Exception as error:
            job.error = error
            raise BatchFailed(str(error)) from error
        self.written.extend(tx.written)

    def seal(self) -> None:
        """Write the outbox event that carries the batch (CPU work: stays on the caller's thread)."""
        self.batch.finish()

    def commit(self) -> None:
        """Commit (blocks on fsync; may run on another thread). :meth:`seal` first."""
        try:
            self.raw.commit()  # the connection's commit: its after-commit hooks run (persistence.outbox)
        except BaseException as error:
            self.runner.forget()
            try:
                self._rollback()
            finally:
                self._release(broken=True)
            if isinstance(error, sqlite3.Error) and is_environment_error(error):
                raise DatabaseUnavailable(f"database unavailable: {error}") from error
            raise
        self._release()

    def abandon(self) -> None:
        self.runner.forget()
        try:
            self._rollback()
        finally:
            self._release(broken=True)

    def _rollback(self) -> None:
        if self._connection is not None:
            self.raw.rollback()  # nothing when no transaction is open; drops the after-commit hooks

    def _release(self, broken: bool = False) -> None:
        if self._connection is not None:
            self.runner._checkin(self._connection, broken)
            self._connection = None


class QueueRunner:
    def __init__(self, sessions: sessionmaker[Session], ref: ReferenceCache, settings: QueueSettings,
                 clock: Callable[[], datetime], node_id: str | None) -> None:
        self._sessions = sessions
        self._engine = sessions.kw["bind"]
        self._pool = PoolCounts()  # tickets waiting per pool, kept by the batches (see store.PoolCounts)
        self._rows = RowCache()  # window states and their tickets, kept by the batches (see store.RowCache)
        self._ref = ref
        self._settings = settings
        self._clock = clock
        self._node_id = node_id
        self._listeners: list[Listener] = []
        self._batch_cv = threading.Condition()
        self._pending: list[Job] = []
        self._leading = False
        self.committed_batches = 0  # operations / batches = mean group size
        self.committed_operations = 0
        # The connection batches run on, kept between them rather than given back to the pool:
        # SQLite empties a connection's page cache when another connection wrote since its last
        # transaction, so batches taking turns with the pool's connections read every page anew.
        self._kept: Any = None
        self._kept_free = threading.Lock()  # held while a batch uses it (released on any thread)

    def forget(self) -> None:
        """Drop what the batches keep in memory (a batch was rolled back: its writes are gone)."""
        self._pool.invalidate()
        self._rows.invalidate()

    def _checkout(self) -> Any:
        """The kept connection, or one of the pool's while another batch has it (a thread's and
        the event loop's at once: SQLite's write lock orders them)."""
        if not self._kept_free.acquire(blocking=False):
            return self._engine.raw_connection()
        try:
            if self._kept is None:
                self._kept = self._engine.raw_connection()
        except BaseException:
            self._kept_free.release()
            raise
        return self._kept

    def _checkin(self, connection: Any, broken: bool) -> None:
        if connection is not self._kept:
            connection.close()  # back to the pool
            return
        if broken:  # after a failed commit or a rollback: back to the pool, a fresh one next time
            self._kept = None
            connection.close()
        self._kept_free.release()

    def close(self) -> None:
        """Give the kept connection back to the pool (before the engine is disposed); left to
        the batch still using it, if one does after a few seconds."""
        if not self._kept_free.acquire(timeout=5.0):
            log.warning("a queue batch still holds the writer's connection at close")
            return
        try:
            if self._kept is not None:
                self._kept.close()
                self._kept = None
        finally:
            self._kept_free.release()

    def add_listener(self, listener: Listener) -> None:
        """Called with the events of every committed transaction, in log order, after commit,
        on the committing thread. A listener must not run queue operations itself."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def prepare(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Work:
        """The work of ``operation(*args)`` without running it (checks of the arguments alone
        raise now), for :meth:`open_batch`."""
        sink: list[Work] = []
        token = _capture.set(sink)
        try:
            operation(*args, **kwargs)
        finally:
            _capture.reset(token)
        if len(sink) != 1:
            raise TypeError(f"{operation!r} is not a queue operation")
        return sink[0]

    def open_batch(self) -> BatchRun:
        return BatchRun(self)

    def _reference(self) -> BranchRef:
        """The branch's reference data (and this node's id), from a short session of their own
        when the cache is stale: the operations' transaction itself uses plain SQL."""
        ref = self._ref.fresh()
        if ref is None or self._node_id is None:
            with self._sessions() as session:
                if self._node_id is None:
                    self._node_id = read_node_id(session)
                ref = self._ref.get(session)
        return ref

    def committed(self, run: BatchRun) -> None:
        """Tell the listeners about a committed batch."""
        self.committed_batches += 1
        self.committed_operations += len(run.jobs)
        if run.written:
            events = tuple(run.written)
            for listener in list(self._listeners):
                try:
                    listener(events)
                except Exception:  # a listener's bug must not undo a committed operation
                    log.exception("queue listener failed")

    def _run(self, work: Callable[[QueueTx], T]) -> T:
        sink = _capture.get()
        if sink is not None:
            sink.append(work)
            return None  # type: ignore[return-value]  # prepare() only wants the work
        job = Job(work)
        with self._batch_cv:
            self._pending.append(job)
            while not job.done:
                if self._leading:
                    self._batch_cv.wait()
                    continue
                self._leading = True
                batch = self._pending[: self._settings.max_batch]
                del self._pending[: self._settings.max_batch]
                self._batch_cv.release()
                try:
                    self.execute(batch)
                finally:
                    self._batch_cv.acquire()
                    self._leading = False
                    self._batch_cv.notify_all()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def execute(self, jobs: list[Job]) -> None:
        """Run and commit ``jobs`` together, on this thread; every job ends done."""
        try:
            run = self.open_batch()
        except Exception as error:
            for job in jobs:
                job.error, job.done = error, True
            return
        try:
            for job in jobs:
                run.run(job)
            run.seal()
            run.commit()
        except Exception as error:
            if not isinstance(error, BatchFailed):
                run.abandon()  # commit failed: nothing of the batch is written
                for job in jobs:
                    job.error, job.done = error, True
                return
            run.abandon()
            self.retry_alone(run.jobs, jobs)
            return
        self.committed(run)
        for job in jobs:
            job.done = True

    def retry_alone(self, tried: list[Job], jobs: list[Job]) -> None:
        """After a spoiled batch: keep the culprit's error, run every other job on its own."""
        culprit = tried[-1]
        log.warning("queue batch of %d rolled back (%s); running the others one by one", len(jobs), culprit.error)
        for job in jobs:
            if job is culprit:
                job.done = True
                continue
            job.result, job.error = None, None
            self.execute([job])
