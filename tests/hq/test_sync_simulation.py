"""A short run of the sync simulation against the real head office on a real PostgreSQL (the long
one: ``python -m tests.perf.sim_sync --examples 200``)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.hq.sim_machine import SyncSimulation


def test_sync_survives_faults_and_crashes_at_both_ends(_seeded_template: Path, pg_server: str) -> None:
    SyncSimulation.template, SyncSimulation.pg_uri = _seeded_template, pg_server
    run_state_machine_as_test(SyncSimulation, settings=settings(
        max_examples=4, stateful_step_count=20, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))


def test_a_poison_event_whose_answer_was_lost_stays_quarantined_at_the_branch(_seeded_template: Path,
                                                                               pg_server: str) -> None:
    """Head office quarantined it and the answer was lost; sent again, head office answers
    "duplicate" with the quarantine's code: the branch must show it quarantined, not acknowledged
    as applied (G10: shown at both ends)."""
    SyncSimulation.template, SyncSimulation.pg_uri = _seeded_template, pg_server
    machine = SyncSimulation()
    try:
        machine.sync_step(0, [])  # the seed's history first, so the next push holds the poison alone
        machine.write_poison(0)
        machine.sync_step(0, [("drop_response", None)])  # stored there, answer lost
        machine.sync_step(0, [])  # sent again: "duplicate"
        machine.safety()
    finally:
        machine.teardown()
