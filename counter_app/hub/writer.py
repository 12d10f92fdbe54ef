"""The hub's write path: queue operations run on the event loop itself, in batches, and only
the commit (the fsync) goes to a thread.

Running the operations on worker threads costs more than the operations: the CPU-bound
worker and the I/O-bound event loop fight over the GIL, and every socket call of the loop
waits for a switch. Here the loop does all Python work; the commit thread spends its time in
fsync with the GIL released. Operations that arrive while a commit is in flight form the next
batch (group commit), so the batch size follows the load."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from counter_app.services.queue import QueueService
from counter_app.services.queue.runner import BatchFailed, BatchRun, Job

log = logging.getLogger(__name__)


class LoopWriter:
    def __init__(self, queue: QueueService, max_batch: int) -> None:
        self._queue = queue
        self._max_batch = max_batch
        self._pending: deque[tuple[Job, asyncio.Future[Any]]] = deque()
        self._busy = False
        self._scheduled = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._commits = ThreadPoolExecutor(1, thread_name_prefix="hub-commit")

    def close(self) -> None:
        self._commits.shutdown(wait=True)
        self._queue.close()

    async def submit(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``operation(*args)`` of the queue service; its result once committed."""
        work = self._queue.prepare(operation, *args, **kwargs)
        loop = asyncio.get_running_loop()
        self._loop = loop
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append((Job(work), future))
        self._schedule()
        return await future

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
        commit = self._loop.run_in_executor(self._commits, run.commit)
        commit.add_done_callback(lambda done: self._committed(run, items, done))

    def _committed(self, run: BatchRun, items: list[tuple[Job, asyncio.Future[Any]]], done: asyncio.Future[None]) -> None:
        error = done.exception()
        if error is not None:
            self._fail(items, error)
            return
        self._queue.committed(run)
        for job, future in items:
            _settle(future, job.result, job.error)
        self._busy = False
        self._schedule()

    def _fail(self, items: list[tuple[Job, asyncio.Future[Any]]], error: BaseException) -> None:
        for _, future in items:
            _settle(future, None, error)
        self._busy = False
        self._schedule()


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the request went away; the operation stands
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
