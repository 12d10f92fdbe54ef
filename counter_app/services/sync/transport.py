"""How the sync worker talks and tells time, as interfaces a test can replace: :class:`Transport`
(one signed POST, answered or raising :class:`TransportError`) and :class:`Clock`."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from counter_app.core.syncwire import H_NODE, H_NONCE, H_PROTOCOL, H_SIGNATURE, H_TIMESTAMP, PROTOCOL_VERSION, sign
from counter_app.domain.timeutil import utcnow


class TransportError(Exception):
    """No answer: connection refused or reset, timeout, a client torn down by the watchdog."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def retry_after(self) -> float | None:
        value = self.headers.get("retry-after")
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None


class Transport(Protocol):
    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer: ...

    def reset(self) -> None:
        """Drop every connection (and abort a request in flight): the watchdog's remedy."""

    def close(self) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return utcnow()

    def monotonic(self) -> float:
        return time.monotonic()


def signed_headers(node_id: str, secret_b64: str, method: str, path: str, body: bytes, unix_time: int) -> dict[str, str]:
    timestamp, nonce = str(unix_time), secrets.token_hex(16)
    signature = sign(base64.b64decode(secret_b64), method, path, timestamp, nonce, body)
    return {H_PROTOCOL: str(PROTOCOL_VERSION), H_NODE: node_id, H_TIMESTAMP: timestamp, H_NONCE: nonce,
            H_SIGNATURE: signature, "Content-Type": "application/json"}


class HttpxTransport:
    """``httpx.Client`` with explicit timeouts (connect 10 s, read 60 s by default)."""

    def __init__(self, base_url: str, *, connect_timeout: float = 10.0, read_timeout: float = 60.0) -> None:
        import httpx

        self._httpx = httpx
        self._base_url = base_url.rstrip("/")
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._lock = threading.Lock()
        self._client = self._new_client()

    def _new_client(self):  # type: ignore[no-untyped-def]
        return self._httpx.Client(base_url=self._base_url, timeout=self._timeout)

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        with self._lock:
            client = self._client
        try:
            response = client.post(path, content=body, headers=headers)
        except (self._httpx.HTTPError, RuntimeError, OSError) as error:  # RuntimeError: client closed under us
            raise TransportError(f"{type(error).__name__}: {error}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {"code": "not_json", "message": response.text[:200]}
        return Answer(response.status_code, answer if isinstance(answer, dict) else {},
                      {k.lower(): v for k, v in response.headers.items()})

    def reset(self) -> None:
        with self._lock:
            old, self._client = self._client, self._new_client()
        old.close()

    def close(self) -> None:
        with self._lock:
            self._client.close()
