"""The helpers the soaks and benchmarks share: one percentile whose empty answer the caller
chooses, one CPU reading, and the soak's head-office stop that kills a process ignoring SIGTERM
without closing the pipe under the thread that drains it."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading

from tests.hq.soak_world import stop_with_reader
from tests.perf.stats_util import cpu_seconds, cpu_seconds_or_none, percentile

DEAF = ("import signal, sys, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('up', flush=True)\nwhile True:\n    print('x' * 200, flush=True)\n    time.sleep(0.001)\n")


def test_percentile_by_nearest_rank_and_the_empty_answer_is_the_callers() -> None:
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 99) == 99.0
    assert math.isnan(percentile([], 50))
    assert percentile([], 99, empty=0.0) == 0.0


def test_cpu_seconds_of_this_process_and_of_one_gone() -> None:
    assert cpu_seconds(os.getpid()) > 0
    assert cpu_seconds(os.getpid(), children=True) >= cpu_seconds(os.getpid())
    assert cpu_seconds_or_none(2**22 + 7) is None  # above the kernel's pid limit: never a process


def test_a_process_deaf_to_sigterm_is_killed_while_its_output_is_drained() -> None:
    process = subprocess.Popen([sys.executable, "-c", DEAF], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "up\n"
    stdout, failures = process.stdout, []

    def drain() -> None:
        try:
            for _line in stdout:
                pass
        except (ValueError, OSError) as error:  # a read on a pipe closed under it
            failures.append(error)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    code = stop_with_reader(process, reader, timeout=0.5, name="deaf child")
    assert code == -9  # SIGTERM ignored: killed after the timeout
    assert not reader.is_alive() and failures == []
    assert stdout.closed
