"""The hub's write path: queue operations run on the event loop itself, in batches, and only
the commit (the fsync) goes to a thread.

Running the operations on worker threads costs more than the operations: the CPU-bound
worker and the I/O-bound event loop fight over the GIL, and every socket call of the loop
waits for a switch. Here the loop does all Python work; the commit thread spends its time in
fsync with the GIL released. Operations that arrive while a commit is in flight form the next
batch (group commit), so the batch size follows the load.

Under a steady load the callers split into cohorts: those answered by one commit send again
while the next batch (the others) commits, and batches stay half the size they could be.
After a commit of several operations the writer therefore *lingers*: it waits for the callers
it just answered to send again (as many operations as it answered, or ``max_batch``), so both
cohorts share a batch and its per-transaction cost; but once they have begun to arrive, no
longer than until none came for ``gap`` seconds, and never more than ``linger`` seconds in
all. A commit of a single operation (one caller, a quiet hall) is followed by no wait.

A lone operation (a batch of one, nothing else pending) is committed on the loop itself: with
nothing to overlap, the hand-off to the thread and back (two wake-ups, ~0.1 ms) is only delay,
and a quiet hall's kiosk gets its ticket ~8% sooner. The loop then waits for that one fsync, as
the operation's caller does anyway."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from typing import Any, Callable

from counter_app.services.queue import QueueService
from counter_app.services.queue.runner import BatchFailed, BatchRun, Job

log = logging.getLogger(__name__)

LINGER = 0.005  # at most this long a batch waits for the callers the last commit answered (see above)
GAP = 0.001  # ... and, once they have begun to send, until none came for this long


class LoopWriter:
    def __init__(self, queue: QueueService, max_batch: int, linger: float = LINGER, gap: float = GAP) -> None:
        self._queue = queue
        self._max_batch = max_batch
        self._linger = linger
        self._gap = gap
        self._awaited = 0  # lingering: start once this many operations are pending
        self._linger_timer: asyncio.TimerHandle | None = None
        self._linger_began = 0.0
        self._arrived: float | None = None  # lingering: when the last operation came
        self._pending: deque[tuple[Job, asyncio.Future[Any]]] = deque()
        self._busy = False
        self._scheduled = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._commits = _Committer()

    def close(self) -> None:
        self._commits.close()
        self._queue.close()

    async def submit(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``operation(*args)`` of the queue service; its result once committed."""
        return await self.enqueue(operation, *args, **kwargs)

    def enqueue(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        """:meth:`submit` for a caller on the loop that wants no coroutine: the future of the
        result once committed (checks of the arguments alone raise now)."""
        work = self._queue.prepare(operation, *args, **kwargs)
        loop = asyncio.get_running_loop()
        self._loop = loop
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append((Job(work), future))
        if self._linger_timer is None:
            self._schedule()
        elif len(self._pending) >= self._awaited:
            self._linger_over()
        else:
            first = self._arrived is None
            self._arrived = loop.time()
            if first:  # from now on, also until a gap
                self._linger_timer.cancel()
                self._linger_timer = loop.call_at(min(self._arrived + self._gap, self._linger_began + self._linger),
                                                  self._linger_check)
        return future

    def _linger_check(self) -> None:
        assert self._loop is not None and self._arrived is not None
        due = min(self._arrived + self._gap, self._linger_began + self._linger)
        if self._loop.time() >= due - 1e-4:
            self._linger_timer = None
            self._schedule()
        else:
            self._linger_timer = self._loop.call_at(due, self._linger_check)

    def _linger_over(self) -> None:
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        self._schedule()

    def _gather(self, answered: int) -> None:
        """After a commit that answered ``answered`` operations: the next batch, at once or
        after lingering for those callers (see the module's doc)."""
        awaited = min(self._max_batch, len(self._pending) + answered)
        if answered < 2 or self._linger <= 0 or len(self._pending) >= awaited or self._loop is None:
            self._schedule()
            return
        self._awaited = awaited
        self._arrived = None
        self._linger_began = self._loop.time()
        self._linger_timer = self._loop.call_at(self._linger_began + self._linger, self._linger_over)

    def _schedule(self) -> None:
        if not self._busy and not self._scheduled and self._pending and self._loop is not None:
            self._scheduled = True
            self._loop.call_soon(self._start)

    def _start(self) -> None:
        self._scheduled = False
        if self._busy or not self._pending:
            return
        self._busy = True
        items = [self._pending.popleft() for _ in range(min(self._max_batch, len(self._pending)))]
        try:
            run = self._queue.open_batch()
        except Exception as error:
            self._fail(items, error)
            return
        for index, (job, future) in enumerate(items):
            try:
                run.run(job)
            except BatchFailed:
                run.abandon()
                log.warning("queue batch rolled back by %r; the others run again", job.error)
                _settle(future, None, job.error)
                self._pending.extendleft(reversed([(Job(j.work), f) for j, f in items if j is not job]))
                self._busy = False
                self._schedule()
                return
        try:
            run.seal()
        except Exception as error:
            run.abandon()
            self._fail(items, error)
            return
        assert self._loop is not None
        if len(items) == 1 and not self._pending and not self._commits.closed:  # a lone operation: see the module's doc
            error: BaseException | None = None
            try:
                run.commit()
            except BaseException as failed:  # handed to its caller
                error = failed
            self._committed(run, items, error)
            return
        try:
            self._commits.submit(self._loop, run, lambda error: self._committed(run, items, error))
        except RuntimeError as error:  # closed: the hub is stopping
            run.abandon()
            self._fail(items, error)

    def _committed(self, run: BatchRun, items: list[tuple[Job, asyncio.Future[Any]]], error: BaseException | None) -> None:
        if error is not None:
            self._fail(items, error)
            return
        self._queue.committed(run)
        for job, future in items:
            _settle(future, job.result, job.error)
        self._busy = False
        self._gather(len(items))

    def _fail(self, items: list[tuple[Job, asyncio.Future[Any]]], error: BaseException) -> None:
        for _, future in items:
            _settle(future, None, error)
        self._busy = False
        self._schedule()


class _Committer:
    """The thread that commits: one batch at a time, each handed back to the loop with
    ``call_soon_threadsafe`` (a plain queue and one wake-up of the loop, where an executor's
    futures cost twice the CPU of that on the loop)."""

    def __init__(self) -> None:
        self._work: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="hub-commit", daemon=True)
        self._thread.start()

    def submit(self, loop: asyncio.AbstractEventLoop, run: BatchRun,
               done: Callable[[BaseException | None], None]) -> None:
        if self._closed:
            raise RuntimeError("the hub's writer is closed")
        self._work.put((loop, run, done))

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        if self._thread.is_alive():
            self._work.put(None)
            self._thread.join()

    def _serve(self) -> None:
        while (item := self._work.get()) is not None:
            loop, run, done = item
            error: BaseException | None = None
            try:
                run.commit()
            except BaseException as failed:  # handed to the batch's callers
                error = failed
            try:
                loop.call_soon_threadsafe(done, error)
            except RuntimeError:  # the loop is closed: nobody is waiting for the answer
                log.warning("a commit finished after the event loop closed")


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the request went away; the operation stands
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
