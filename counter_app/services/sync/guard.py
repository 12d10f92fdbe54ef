"""Checks at start, before a node's database is trusted with money.

* A **damaged** file (``PRAGMA quick_check`` not ``ok``, or SQLite cannot even read it) is
  refused: a corrupt database once took payments while ``integrity_check`` called it malformed.
* A **missing or zero-byte** file of a node that existed (its credential or receipt high-water
  file is there) is refused: it was once silently recreated with a new node identity.
* A **restored** file (its receipt sequence behind the high-water mark written after every
  payment, or another node's identity than the mark's) keeps working, but its receipt numbering is
  locked (``node_identity.receipts_locked``) until it is re-enrolled: a restored database once
  issued receipt ``…-0000488`` to two payments.

Each refusal is a :class:`DatabaseRefused` with one paragraph saying what is wrong and the way
out, shown to IT without a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.persistence.backup import integrity_problems
from counter_app.persistence.database import DatabaseUnavailable
from counter_app.persistence.models import NodeIdentity, ReceiptSequence
from counter_app.services.sync.files import HighWater, credential_path, highwater_path

log = logging.getLogger(__name__)


class DatabaseRefused(DatabaseUnavailable):
    """The database file must not be used as it is; the message says why and what to do."""


def _way_out(path: Path) -> str:
    return (f"Nothing was changed. Stop this program, restore the newest good copy of {path.name} "
            f"(the backups/ folder beside it holds the copies taken before each migration), or move the "
            "file aside and re-enrol this PC with head office (counter-app enrol --hq URL --code CODE): "
            "a re-enrolled node gets a new receipt series and head office sends back nothing is lost.")


def node_existed(data_dir: Path) -> bool:
    return credential_path(data_dir).exists() or highwater_path(data_dir).exists()


def check_file(path: Path, *, allow_fresh: bool = False) -> None:
    """Refuse a missing/zero-byte file of a node that existed (unless ``allow_fresh``: enrolment
    starting a new database on purpose), and a file that fails quick_check."""
    data_dir = path.parent
    missing = not path.exists() or path.stat().st_size == 0
    if missing:
        if node_existed(data_dir) and not allow_fresh:
            state = "is missing" if not path.exists() else "is empty (0 bytes)"
            raise DatabaseRefused(
                f"The database {path} {state}, but this PC was already a node: its {credential_path(data_dir).name} "
                f"or {highwater_path(data_dir).name} is there. Starting on a new, empty database would give it a new "
                "identity and re-issue receipt numbers. " + _way_out(path))
        return
    rows = integrity_problems(path, quick=True)
    if rows:
        raise DatabaseRefused(
            f"The database {path} is damaged: SQLite's check reports \"{'; '.join(rows)[:300]}\". A damaged "
            "database can lose or garble payments, so it is not opened. " + _way_out(path))


def restore_suspected(session: Session, mark: HighWater | None) -> str | None:
    """Why this database looks restored from an older copy, or None."""
    if mark is None:
        return None
    identity = session.scalars(select(NodeIdentity)).first()
    if identity is None:
        return "the database has no node identity but this PC's receipt high-water file names a node"
    if identity.node_id != mark.node_id:
        return f"the high-water file belongs to node {mark.node_id}, the database is node {identity.node_id}"
    for row in session.scalars(select(ReceiptSequence)):
        key = HighWater.key(row.terminal_code, row.incarnation, row.fiscal_year)
        issued = row.next_value - 1
        if mark.seqs.get(key, 0) > issued:
            return (f"receipt {key} seq {mark.seqs[key]} was issued on this PC but the database's sequence "
                    f"only reaches {issued}")
    known = {HighWater.key(r.terminal_code, r.incarnation, r.fiscal_year) for r in session.scalars(select(ReceiptSequence))}
    lost = [key for key, seq in mark.seqs.items() if seq > 0 and key not in known]
    if lost:
        return f"receipts {', '.join(sorted(lost))} were issued on this PC but the database has no such series"
    return None


def lock_if_restored(session: Session, mark: HighWater | None) -> str | None:
    """At start: lock receipt numbering of a database that looks restored. Returns the reason."""
    reason = restore_suspected(session, mark)
    if reason is None:
        return None
    identity = session.scalars(select(NodeIdentity)).first()
    if identity is not None and not identity.receipts_locked:
        identity.receipts_locked = True
        log.error("receipt numbering locked: database looks restored (%s); re-enrol this node", reason)
    return reason
