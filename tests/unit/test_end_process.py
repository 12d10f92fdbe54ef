"""end_process on real child processes: one that ends on SIGTERM, one that ignores it and must be
killed, one told to end by closing its standard input, and one that already ended."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from counter_app.core.serving import end_process

# each child says "ready" once its signal handling is in place, then waits (bounded) for its end
IGNORES_TERM = ("import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "print('ready', flush=True); time.sleep(60)")
PLAIN = "import time; print('ready', flush=True); time.sleep(60)"
READS_STDIN = "import sys; print('ready', flush=True); sys.stdin.read(); print('bye', flush=True)"


def child(code: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def test_a_child_that_ends_on_sigterm_is_not_killed() -> None:
    process = child(PLAIN)
    began = time.monotonic()
    assert end_process(process, timeout=30) == -signal.SIGTERM
    assert time.monotonic() - began < 10  # it did not wait out the timeout
    assert process.stdin is not None and process.stdin.closed and process.stdout is not None and process.stdout.closed


def test_a_child_that_ignores_the_signal_is_killed_after_the_timeout() -> None:
    process = child(IGNORES_TERM)
    began = time.monotonic()
    assert end_process(process, timeout=0.5) == -signal.SIGKILL
    assert time.monotonic() - began >= 0.5  # it had its time to end on its own
    assert process.poll() == -signal.SIGKILL


def test_the_callers_signal_is_the_one_sent() -> None:
    process = child(IGNORES_TERM)
    assert end_process(process, timeout=30, sig=signal.SIGINT) != -signal.SIGKILL  # SIGINT ends it: no kill
    assert process.returncode in (1, -signal.SIGINT)  # KeyboardInterrupt


def test_no_signal_waits_for_the_end_the_caller_asked_for() -> None:
    process = child(READS_STDIN)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()  # its way to end: like the sync worker following its parent
    assert process.stdout.readline() == "bye\n"
    assert end_process(process, timeout=30, sig=None) == 0


def test_a_child_that_already_ended_is_only_reaped() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait(30)
    assert end_process(process, timeout=0.1) == 3
