"""The hub's command-line queue flags (``--widen-numbers``, ``--no-reset``, ``--max-batch``) hold
on every business day: the hub reads the ``[queue]`` table again each new day (head office's
dated values over the installation's), and flags passed beside that table were dropped at the
first reading — a benchmark's hub refused ticket 1,000 a few seconds after its start."""

from __future__ import annotations

from pathlib import Path

from counter_app.hub.app import create_hub_app
from counter_app.hub.server import main_parser, with_queue_flags
from tests.integration.queue_fixtures import hall_database, hub_settings


def test_flags_hold_after_the_day_s_policy_is_read_again(tmp_path: Path) -> None:
    node, _ = hall_database(tmp_path)
    try:
        args = main_parser().parse_args(["--data-dir", str(tmp_path), "--widen-numbers", "--no-reset", "--max-batch", "7"])
        app = create_hub_app(node, with_queue_flags(hub_settings(), args), follow_policy=True)
        queue = app.state.hub.queue
        held = (True, False, 7)
        assert (queue.settings.widen_numbers, queue.settings.reset_enabled, queue.settings.max_batch) == held
        assert queue.follow_policy()  # the first check reads the day's table (as the hub's timer does)
        assert (queue.settings.widen_numbers, queue.settings.reset_enabled, queue.settings.max_batch) == held
    finally:
        node.dispose()


def test_without_flags_the_installation_s_table_holds(tmp_path: Path) -> None:
    node, _ = hall_database(tmp_path)
    try:
        args = main_parser().parse_args(["--data-dir", str(tmp_path)])
        settings = hub_settings()
        assert with_queue_flags(settings, args) is settings
    finally:
        node.dispose()
