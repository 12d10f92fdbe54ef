"""Counters on their own databases for tests: each a fresh node database (its own identity and
terminal code T0N) whose reference data is copied from the hub's seeded file, with the fee
services of a counter whose payments the hub hears of (:class:`BillDesk`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.hub.client import HubClient
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.billing.hub_desk import BillDesk, BillReporter
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.reference_copy import copy_reference
from counter_app.services.seed import DEMO_PASSWORD


@dataclass
class SplitCounter:
    db: NodeDatabase
    window: int
    client: HubClient
    desk: BillDesk
    payments: PaymentService

    def clerk(self, staff_no: str = "1001") -> StaffSession:
        return AuthService(self.db).login(staff_no, DEMO_PASSWORD, self.window)

    def close(self) -> None:
        self.client.close()
        self.db.dispose()


def counter_settings(window: int) -> Settings:
    return replace(Settings(), role="counter", window=window)


def open_counter(folder: Path, window: int, hub_file: Path, hub_url: str, token: str) -> SplitCounter:
    db = open_node_database(DataPaths(folder).ensure(), counter_settings(window))
    copy_reference(hub_file, db)
    client = HubClient(hub_url, token, timeout=2.0)
    desk = BillDesk(db, client)
    reporter = BillReporter(desk, interval=3600)  # not started: the tests report when they choose
    return SplitCounter(db, window, client, desk, PaymentService(db, counter_settings(window), reporter=reporter))
