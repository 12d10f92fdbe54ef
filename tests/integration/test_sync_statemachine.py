"""A short run of the sync state machine (the long one: ``python -m tests.perf.sim_sync``)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.integration.sync_machine import SyncMachine


def test_sync_survives_faults_crashes_and_restores(_seeded_template) -> None:  # type: ignore[no-untyped-def]
    SyncMachine.template = _seeded_template
    run_state_machine_as_test(SyncMachine, settings=settings(
        max_examples=6, stateful_step_count=20, deadline=None, database=None,
        suppress_health_check=list(HealthCheck)))
