"""Reference data from head office at the branch (SYNC.md c.7): pull, snapshot, apply, checksum."""

from counter_app.services.sync.refdata.pull import PullReport, PullStopped, StreamReport, branch_policy, pull_all

__all__ = ["PullReport", "PullStopped", "StreamReport", "branch_policy", "pull_all"]
