"""Devices for tests that run a hub over the demo data: enrolled as ``hub-admin device-add``
does, and waited for where the hub is already running (it re-reads its devices twice a second)."""

from __future__ import annotations

import time

import httpx

from counter_app.services.devices import DeviceRegistry
from counter_app.services.node import NodeDatabase


def enrol(db: NodeDatabase, role: str, window: int | None = None, hub_url: str | None = None) -> str:
    """A new device's token; with ``hub_url``, once that running hub accepts it."""
    token = DeviceRegistry(db).add(role, window, by="tests").token
    if hub_url is not None:
        deadline = time.monotonic() + 5
        with httpx.Client(base_url=hub_url, headers={"Authorization": f"Bearer {token}"}) as client:
            while client.get("/v1/health").status_code == 401:
                assert time.monotonic() < deadline, "the hub did not take up the new device"
                time.sleep(0.05)
    return token
