"""Make a database of every released schema, written by the program of that release.

    python scripts/make_schema_fixtures.py        adds the fixtures that are missing, keeps the others

For each migration that was the newest one in some commit (a release of that schema), the source of
the last such commit is exported from git into a scratch folder, and that version of the program
opens a database and fills it with its own demo data (``seed_demo`` and ``seed_history`` where they
existed then). The file is stored gzipped as ``tests/fixtures/schemas/<revision>.sqlite3.gz``.
Existing fixtures are never regenerated: they stand for what is out in the field, as wallet files of
every version do for Electrum. tests/integration/test_upgrade_fixtures.py upgrades each one.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "schemas"

MAKE = r"""
import random, sys
from pathlib import Path
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.services.node import open_node_database
settings = Settings(role="demo")
db = open_node_database(DataPaths(Path(sys.argv[1])), settings)
try:
    from counter_app.services import seed
except ImportError:
    seed = None
if seed is not None:
    seed.seed_demo(db, settings, accounts=40, months=3)
    if hasattr(seed, "seed_history"):
        seed.seed_history(db, days=3, tickets_per_day=30)
db.dispose()
"""


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def releases() -> dict[str, str]:
    """Revision -> the last commit whose newest migration it is."""
    newest: dict[str, str] = {}
    for commit in reversed(git("rev-list", "HEAD", "--", "db/versions").split()):
        names = git("ls-tree", "--name-only", f"{commit}:db/versions").split()
        revisions = sorted(m.group(1) for name in names if (m := re.match(r"(\d{4})_.*\.py$", name)))
        if revisions:
            newest[revisions[-1]] = commit
    head = sorted(m.group(1) for p in (ROOT / "db" / "versions").glob("*.py") if (m := re.match(r"(\d{4})_", p.name)))
    if head and head[-1] not in newest:
        newest[head[-1]] = "WORKTREE"  # the schema being released now
    return newest


def last_commit_at(revision: str, first: str) -> str:
    """The last commit (on HEAD's history) whose newest migration is still ``revision``."""
    for commit in git("rev-list", "HEAD").split():  # newest first
        names = git("ls-tree", "--name-only", f"{commit}:db/versions").split()
        revisions = sorted(m.group(1) for name in names if (m := re.match(r"(\d{4})_.*\.py$", name)))
        if revisions and revisions[-1] == revision:
            return commit
    return first


def make(revision: str, commit: str) -> Path:
    target = FIXTURES / f"{revision}.sqlite3.gz"
    with tempfile.TemporaryDirectory() as scratch:
        source = ROOT if commit == "WORKTREE" else Path(scratch) / "src"
        if commit != "WORKTREE":
            tarfile.open(fileobj=BytesIO(subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                                                        capture_output=True).stdout)).extractall(source)
        data = Path(scratch) / "data"
        subprocess.run([sys.executable, "-c", MAKE, str(data)], cwd=source, check=True,
                       env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"})
        database = data / "counter_app.sqlite3"
        import sqlite3

        connection = sqlite3.connect(database)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        connection.close()
        if found != revision:
            raise SystemExit(f"{commit} wrote schema {found}, expected {revision}")
        target.write_bytes(gzip.compress(database.read_bytes(), 9, mtime=0))
    return target


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for revision, commit in sorted(releases().items()):
        target = FIXTURES / f"{revision}.sqlite3.gz"
        if target.exists():
            print(f"{revision}: kept {target.name}")
            continue
        commit = commit if commit == "WORKTREE" else last_commit_at(revision, commit)
        print(f"{revision}: made {make(revision, commit).relative_to(ROOT)} with the program of {commit[:10]}")


if __name__ == "__main__":
    main()
