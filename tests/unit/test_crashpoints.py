"""The crash-point hook: inert without the variable, SIGKILL at the n-th pass of the named point."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from counter_app.core.crashpoints import ENV, crash_point
from counter_app.core.paths import install_root

LOOP = "from counter_app.core.crashpoints import crash_point\nfor i in range(5):\n    crash_point('x')\n    print(i, flush=True)\n"


@pytest.mark.parametrize(("wanted", "printed", "code"), [("x:3", "0\n1\n", -9), ("x", "", -9), ("y", "0\n1\n2\n3\n4\n", 0)])
def test_the_process_dies_at_the_named_point_and_pass(wanted: str, printed: str, code: int) -> None:
    env = {**os.environ, ENV: wanted, "PYTHONPATH": str(install_root())}
    child = subprocess.run([sys.executable, "-c", LOOP], env=env, capture_output=True, text=True, timeout=60)
    assert (child.returncode, child.stdout) == (code, printed), child.stderr


def test_unset_it_does_nothing() -> None:
    assert ENV not in os.environ
    crash_point("before_commit")  # still here
