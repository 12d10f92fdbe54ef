"""Open this node's database: migrate it (copy first), make sure it knows who it is."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import make_engine, make_session_factory, unit_of_work
from counter_app.persistence.migrate import upgrade
from counter_app.persistence.models import Branch, NodeIdentity
from counter_app.services.sync.enrolment import finish_enrolment
from counter_app.services.sync.files import NodeFileError, read_credential, read_highwater
from counter_app.services.sync.guard import DatabaseRefused, check_file, lock_if_restored

log = logging.getLogger(__name__)


@dataclass
class NodeDatabase:
    """The open database of this node, and who the node is."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    node_id: str
    branch_code: str
    terminal_code: str
    backup_made: str | None = None
    restore_suspected: str | None = None  # why receipt numbering was locked at this start, if it was

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    def dispose(self) -> None:
        self.engine.dispose()


def terminal_code_for(settings: Settings) -> str:
    if settings.role in ("hub", "demo"):
        return "H00"
    return f"T{settings.window:02d}"


def open_node_database(paths: DataPaths, settings: Settings, *, allow_fresh: bool = False) -> NodeDatabase:
    """Open (and migrate) the node's database; refuse a damaged one, or a missing or empty one
    of a node that existed (:class:`~counter_app.services.sync.guard.DatabaseRefused`); lock
    receipt numbering of one that looks restored from an older copy. ``allow_fresh``: enrolment
    may start a new database where the old one was moved aside."""
    paths.ensure()
    check_file(paths.database, allow_fresh=allow_fresh)
    try:
        credential, mark = read_credential(paths.root), read_highwater(paths.root)
    except NodeFileError as error:
        raise DatabaseRefused(f"{error}. This PC's head-office credential or receipt high-water file cannot be "
                              "read; nothing was opened. Restore the file from a backup, or move it aside and "
                              "re-enrol this PC (counter-app enrol --hq URL --code CODE).") from None
    engine = make_engine(paths.database)
    backup = upgrade(engine, paths.database, paths.backups)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as session:
        identity = session.scalars(select(NodeIdentity)).first()
        if identity is None:
            identity = NodeIdentity(
                node_id=new_id(),
                branch_code=settings.branch.code,
                terminal_code=terminal_code_for(settings),
                incarnation=1,
                role=settings.role,
                enrolled_at=utcnow(),
            )
            session.add(identity)
            log.info("new node %s (%s %s)", identity.node_id, identity.branch_code, identity.terminal_code)
        if credential is not None:
            finish_enrolment(session, credential, mark)
        session.flush()
        restored = lock_if_restored(session, mark)
        identity = session.scalars(select(NodeIdentity)).one()
        node = NodeDatabase(paths.database, engine, sessions, identity.node_id, identity.branch_code,
                            identity.terminal_code, backup, restored)
    return node


def branch_loaded(db: NodeDatabase, code: str) -> bool:
    """Whether the branch ``code``'s reference data (delivered by enrolment or seeding) is here."""
    with unit_of_work(db.sessions) as session:
        return session.scalar(select(Branch.id).where(Branch.code == code)) is not None
