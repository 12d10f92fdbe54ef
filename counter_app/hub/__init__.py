"""The branch hub: queue authority of one hall, over HTTP and WebSocket.

``create_hub_app`` (``counter_app.hub.app``) builds the server; ``counter_app.hub.client`` is
what kiosks, displays and counters use, and importing it does not load the server side."""

from __future__ import annotations

from typing import Any

__all__ = ["create_hub_app"]


def __getattr__(name: str) -> Any:
    if name == "create_hub_app":
        from counter_app.hub.app import create_hub_app

        return create_hub_app
    raise AttributeError(name)
