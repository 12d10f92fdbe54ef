"""Backups of a node's SQLite database: online copies through SQLite's backup API, each checked
with ``PRAGMA integrity_check`` before it counts, and a retention that prunes only scheduled copies.

The copy is taken while the program runs (the backup API copies a consistent snapshot, WAL
included); a copy that fails its check is renamed ``*.bad`` and the backup fails loudly. Copies
taken before a migration or a restore are never pruned.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEDULED_PREFIX = "scheduled-"


class BackupFailed(Exception):
    """The copy could not be made or is not sound; the message says which file and why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    pruned: tuple[Path, ...]


def integrity_problems(db_file: Path, *, quick: bool = False) -> list[str]:
    """What ``PRAGMA integrity_check`` (``quick``: ``quick_check``, the start-up's faster one)
    finds wrong in ``db_file`` (empty when it is sound)."""
    if not db_file.is_file():
        return [f"{db_file} does not exist"]
    try:
        connection = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA quick_check(5)" if quick else "PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [f"{db_file} is not a readable SQLite database ({error})"]
    return [] if rows == ["ok"] else rows


def copy_database(source_file: Path, target: Path) -> Path:
    """Copy ``source_file`` to ``target`` through the backup API and check the copy."""
    if not source_file.is_file():
        raise BackupFailed(f"there is no database at {source_file}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"could not copy {source_file} to {target}: {error}") from None
    problems = integrity_problems(partial)
    if problems:
        bad = partial.with_name(target.name + ".bad")
        partial.replace(bad)
        raise BackupFailed(f"the copy {bad} failed its integrity check: {'; '.join(problems[:5])}")
    partial.replace(target)
    return target


def scheduled_backup(db_file: Path, folder: Path, keep: int, now: datetime | None = None) -> BackupResult:
    """Take a scheduled copy into ``folder`` and keep only the newest ``keep`` scheduled copies."""
    if keep < 1:
        raise BackupFailed(f"keep must be at least 1 (got {keep})")
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S%fZ")
    target = copy_database(db_file, folder / f"{SCHEDULED_PREFIX}{db_file.stem}-{stamp}.sqlite3")
    return BackupResult(target, target.stat().st_size, tuple(prune(folder, keep)))


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the scheduled copies beyond the newest ``keep``; other copies are left alone."""
    scheduled = sorted(folder.glob(f"{SCHEDULED_PREFIX}*.sqlite3"), key=lambda path: path.name, reverse=True)
    removed = scheduled[keep:]
    for path in removed:
        path.unlink()
    return removed
