"""The branch's download of reference data: for each stream of its branch, a snapshot when it has
none (or head office answers 409 must-resnapshot, or the checksums differ), otherwise the pages of
changes after its cursor, each applied in one SQLite transaction with the cursor (SYNC.md c.7).

``call(path, body) -> Answer`` is the sync engine's signed POST (or any test double of it)."""

from __future__ import annotations

import gc
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core import refstreams as rs
from counter_app.core.syncwire import canonical_json
from counter_app.domain.dated import in_force
from counter_app.persistence.database import unit_of_work
from counter_app.services.sync.refdata import apply as ap
from counter_app.services.sync.transport import Answer

log = logging.getLogger(__name__)

Call = Callable[[str, bytes], Answer]
Progress = Callable[[str, int, int], None]  # (stream id, rows so far, rows in all)

MAX_PAGES = 100_000  # bounds every loop: 50 million changes
#: SQLite page cache of a connection applying pages (KiB, negative as PRAGMA cache_size takes it)
APPLY_CACHE = -65536
#: rows per snapshot page asked for: more than SYNC.md's 2,000 (c.6), few round trips for millions of bills
#: (head office's most, ``serve.SNAPSHOT_PAGE_MAX``; a page of bills is about 25 MB of JSON)
SNAPSHOT_LIMIT = 50_000
#: the snapshot page form asked for (head office's ``serve.PAGE_FORMATS``): accounts, meters and bills
#: as columns, staged into typed tables; "rows" (JSON) and "tsv" are read too
SNAPSHOT_FORMAT = "columns"


class PullStopped(Exception):
    """Head office refused or could not answer: the answer is kept for the worker to classify."""

    def __init__(self, answer: Answer, what: str) -> None:
        super().__init__(f"{what}: HTTP {answer.status} {answer.body.get('code', '')}")
        self.answer = answer


class ChecksumMismatch(Exception):
    pass


@dataclass
class StreamReport:
    stream_id: str
    applied: int = 0
    snapshot: bool = False
    cursor: int = 0
    checksum_ok: bool | None = None
    error: str = ""
    published: bool = True  # False: head office holds nothing for this stream yet (the branch keeps its own)


@dataclass
class PullReport:
    streams: list[StreamReport] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(s.applied for s in self.streams)

    @property
    def ok(self) -> bool:
        return not any(s.error for s in self.streams)


def _post(call: Call, path: str, body: dict[str, Any]) -> Answer:
    answer = call(path, canonical_json(body).encode("utf-8"))
    if answer.status != 200:
        raise PullStopped(answer, path)
    return answer


def _resnapshot(answer: Answer) -> bool:
    return answer.status == 409 and answer.body.get("code") == "must_resnapshot"


def _items(rows: list[list[Any]]) -> list[ap.Item]:
    """Changes as received (``[change_id, entity, key, op, payload]``); snapshot rows are staged as they come."""
    return [ap.Item(r[1], r[2], int(r[0]), r[3], r[4]) for r in rows]


def _page_rows(body: dict[str, Any]) -> list[Any]:
    """A snapshot page's rows as sent: COPY text ("columns", "tsv") or the JSON rows of a head office
    that knows neither form."""
    return rs.copy_rows(body["tsv"]) if "tsv" in body else body["rows"]


def _stage_page(connection: Any, stream_id: str, body: dict[str, Any], rows: list[Any], token: str) -> ap.SnapshotProgress:
    """A snapshot page in whichever form head office sent it: "columns" (one entity, its fields as
    columns), or ``[entity, key, hq_version, payload]`` rows."""
    if "columns" in body:
        return ap.stage_snapshot_columns(connection, stream_id, body["entity"], body["columns"], rows, token)
    return ap.stage_snapshot_rows(connection, stream_id, rows, token)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Millions of rows made and dropped page after page, none of them in a reference cycle: the
    cyclic garbage collector's passes over them would cost more than the staging itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class StreamPuller:
    def __init__(self, sessions: sessionmaker[Session], call: Call, *, progress: Progress | None = None,
                 pull_limit: int = rs.PULL_PAGE, snapshot_limit: int = SNAPSHOT_LIMIT,
                 snapshot_format: str = SNAPSHOT_FORMAT) -> None:
        self.sessions, self.call, self.progress = sessions, call, progress
        self.pull_limit, self.snapshot_limit, self.snapshot_format = pull_limit, snapshot_limit, snapshot_format
        #: per stream: (median-able) seconds of each page apply, for the benchmark
        self.page_seconds: list[float] = []

    # -- deltas ------------------------------------------------------------------------------------

    def _pull_body(self, stream: str, bucket: str, epoch: int, after: int) -> dict[str, Any]:
        return {"stream": stream, "bucket": bucket, "epoch": epoch, "after": after, "limit": self.pull_limit}

    def pull(self, stream: str, bucket: str, report: StreamReport) -> None:
        stream_id = rs.stream_id(stream, bucket)
        with self.sessions() as session:  # a read: no write lock taken
            connection = session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            known = ap.read_cursor(connection, stream_id)
            pending = ap.snapshot_progress(connection, stream_id)
        if known is None or pending is not None:
            self.snapshot(stream, bucket, report)
            return
        epoch, cursor, checksum = known
        for _ in range(MAX_PAGES):
            try:
                answer = _post(self.call, "/v1/sync/pull", self._pull_body(stream, bucket, epoch, cursor))
            except PullStopped as stopped:
                if _resnapshot(stopped.answer):
                    log.warning("%s: head office asks for a new snapshot (%s)", stream_id, stopped.answer.body.get("message"))
                    self.snapshot(stream, bucket, report)
                    return
                raise
            body = answer.body
            if body.get("published") is False:
                report.published = False
                return
            items = _items(body["changes"])
            if items or int(body["next_cursor"]) != cursor:  # nothing new: no write transaction at all
                began = time.perf_counter()
                with unit_of_work(self.sessions) as session:
                    session.connection().exec_driver_sql(f"PRAGMA cache_size = {APPLY_CACHE}")
                    checksum = ap.apply_page(session.connection(), stream, bucket, epoch, items, int(body["next_cursor"]))
                self.page_seconds.append(time.perf_counter() - began)
            cursor = int(body["next_cursor"])
            report.applied += len(items)
            report.cursor = cursor
            if not body.get("has_more"):
                report.checksum_ok = str(checksum) == str(body.get("checksum"))
                if not report.checksum_ok:
                    log.error("%s: checksum differs from head office's at %d: taking a new snapshot", stream_id, cursor)
                    self.snapshot(stream, bucket, report)
                return

    # -- snapshots ---------------------------------------------------------------------------------

    def snapshot(self, stream: str, bucket: str, report: StreamReport) -> None:
        """Fetch every page into staging (resuming a snapshot a crash interrupted), catch up from
        its ``as_of``, verify the checksum, and swap it in, in one transaction."""
        stream_id = rs.stream_id(stream, bucket)
        report.snapshot = True
        with unit_of_work(self.sessions) as session:
            progress = ap.snapshot_progress(session.connection(), stream_id)
        if progress is not None and not progress.token:  # every page staged before a crash: only the swap is left
            self._catch_up_and_swap(stream, bucket, progress, report)
            return
        token = progress.token if progress is not None else ""

        def fetch(page_token: str) -> tuple[dict[str, Any], list[Any]]:
            """A page, and its rows parsed here in the fetch thread (while the previous page is staged)."""
            body = _post(self.call, "/v1/sync/snapshot", {"stream": stream, "bucket": bucket, "page_token": page_token,
                                                          "limit": self.snapshot_limit, "format": self.snapshot_format}).body
            return body, _page_rows(body) if body.get("published") is not False else []

        # the next page is fetched while this one is staged: head office and the branch work at once.
        # Staged pages need not survive a power cut (they would be fetched again): they are committed
        # without waiting for the disk; the swap and every cursor are committed with synchronous=FULL.
        engine = self.sessions.kw["bind"]
        with (ThreadPoolExecutor(1, thread_name_prefix="snapshot-fetch") as pool, engine.connect() as staging,
              _collector_paused()):
            raw = staging.connection.driver_connection
            raw.execute("PRAGMA synchronous = NORMAL")  # type: ignore[union-attr]
            try:
                ahead = pool.submit(fetch, token)
                for _ in range(MAX_PAGES):
                    try:
                        body, rows = ahead.result()
                    except PullStopped as stopped:
                        if _resnapshot(stopped.answer) and token:
                            log.warning("%s: the snapshot's epoch changed: starting it again", stream_id)
                            token, progress = "", None
                            ahead = pool.submit(fetch, token)
                            continue
                        raise
                    if body.get("published") is False:
                        report.published, report.snapshot = False, False
                        return
                    token = body["next_token"]
                    if not body.get("done"):
                        ahead = pool.submit(fetch, token)
                    if progress is None:
                        ap.begin_snapshot(staging, stream_id, int(body["epoch"]), int(body["as_of"]))
                    progress = _stage_page(staging, stream_id, body, rows, token)
                    staging.commit()
                    if self.progress is not None:
                        self.progress(stream_id, progress.rows, int(body.get("total") or progress.rows))
                    if body.get("done"):
                        break
            finally:
                staging.rollback()
                raw.execute("PRAGMA synchronous = FULL")  # type: ignore[union-attr]
        assert progress is not None
        self._catch_up_and_swap(stream, bucket, progress, report)

    def _catch_up_and_swap(self, stream: str, bucket: str, progress: ap.SnapshotProgress, report: StreamReport) -> None:
        stream_id = rs.stream_id(stream, bucket)
        cursor, body = progress.as_of, {}
        for _ in range(MAX_PAGES):
            try:
                body = _post(self.call, "/v1/sync/pull", self._pull_body(stream, bucket, progress.epoch, cursor)).body
            except PullStopped as stopped:
                if _resnapshot(stopped.answer):  # the epoch moved on under the snapshot: start again next cycle
                    with unit_of_work(self.sessions) as session:
                        ap.drop_snapshot(session.connection(), stream_id)
                raise
            items = _items(body["changes"])
            with unit_of_work(self.sessions) as session:
                ap.catch_up_snapshot(session.connection(), stream_id, items, int(body["next_cursor"]))
            cursor = int(body["next_cursor"])
            if not body.get("has_more"):
                break
        engine = self.sessions.kw["bind"]
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB while swapping millions of rows
            try:
                staged, rows, live = ap.swap_snapshot(connection, stream, bucket)
                if str(staged) != str(body.get("checksum")) or rows != int(body.get("count", -1)) or live != rows:
                    raise ChecksumMismatch(f"{stream_id}: staged checksum {staged} / {rows} rows, head office's "
                                           f"{body.get('checksum')} / {body.get('count')}, {live} rows applied")
                began = time.perf_counter()
                connection.commit()
                log.debug("%s swap committed: %.2f s", stream_id, time.perf_counter() - began)
            except ChecksumMismatch as error:
                connection.rollback()
                log.error("snapshot refused, nothing applied: %s", error)
                ap.drop_snapshot(connection, stream_id)
                connection.commit()
                report.checksum_ok, report.error = False, str(error)
                return
            finally:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA cache_size = -2000")
                connection.commit()
        report.applied += rows
        report.cursor, report.checksum_ok = cursor, True


def sweep_staged(sessions: sessionmaker[Session]) -> int:
    """The staged rows of snapshots swapped since (dead: their swap committed without deleting them,
    millions of rows off its critical path) dropped, one snapshot's per transaction."""
    with sessions.kw["bind"].connect() as connection:
        return ap.sweep_dead(connection)


def pull_all(sessions: sessionmaker[Session], call: Call, branch_code: str, *, streams: tuple[str, ...] | None = None,
             progress: Progress | None = None, puller: StreamPuller | None = None) -> PullReport:
    """Pull (or snapshot) each stream of ``branch_code`` in pull order; ``streams`` limits it to
    some names. Raises :class:`PullStopped` when head office refuses or cannot answer (the worker
    classifies it like a push refusal); what was applied before stays applied."""
    puller = puller or StreamPuller(sessions, call, progress=progress)
    sweep_staged(sessions)
    report = PullReport()
    wanted = None if streams is None else set(streams)
    if wanted is not None and "staff" in wanted:  # staff point at the branch row: the catalog comes first
        with sessions() as session:
            if ap.read_cursor(session.connection(execution_options={"sqlite_begin": "DEFERRED"}), rs.stream_id("catalog", branch_code)) is None:
                wanted.add("catalog")
    for stream, bucket in rs.buckets_for(branch_code):
        if wanted is not None and stream not in wanted:
            continue
        entry = StreamReport(rs.stream_id(stream, bucket))
        report.streams.append(entry)
        try:
            puller.pull(stream, bucket, entry)
        except (ap.ApplyRefused, DBAPIError) as refused:  # rolled back: nothing of it applied; the rest goes on
            log.error("%s: not applied: %s", entry.stream_id, refused)
            entry.error = str(refused).splitlines()[0][:300]
    return report


def branch_policy(sessions: sessionmaker[Session], name: str, toml_values: dict[str, Any], day: date) -> dict[str, Any]:
    """A policy table as this branch applies it on the business day ``day``: the TOML file's,
    overlaid key by key by head office's values in force that day (its dated entries, ``domain.dated``)."""
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        row = session.execute(text("SELECT \"values\" FROM ref_policy WHERE name = :n AND hq_version > 0"),
                              {"n": name}).first()
    published = json.loads(row[0]) if row and isinstance(row[0], str) else (row[0] if row else {})
    return {**toml_values, **in_force(published, day)}
