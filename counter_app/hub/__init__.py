"""The branch hub: queue authority of one hall, over HTTP and WebSocket."""

from counter_app.hub.app import create_hub_app

__all__ = ["create_hub_app"]
