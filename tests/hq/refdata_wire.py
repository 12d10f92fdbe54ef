"""A branch's signed POST to the real head office over loopback, as the sync engine makes it."""

from __future__ import annotations

import httpx

from counter_app.services.sync.transport import Answer
from tests.hq.wire import Node, signed_headers


def node_call(client: httpx.Client, node: Node):  # type: ignore[no-untyped-def]
    def call(path: str, body: bytes) -> Answer:
        response = client.post(path, content=body, headers=signed_headers(node.node_id, node.secret, path, body))
        return Answer(response.status_code, response.json(), dict(response.headers))

    return call
