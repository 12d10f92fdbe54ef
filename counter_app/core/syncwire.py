"""The branch ↔ head-office wire: versions, limits, canonical JSON, the event hash chain and
request signatures. Plain Python, shared by the head-office server and the branch's sync client."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

PROTOCOL_VERSION = 1
ACCEPTED_PROTOCOLS = frozenset({1})
ACCEPTED_SCHEMA_VERSIONS = frozenset({1})
MAX_BATCH_EVENTS = 200
MAX_BATCH_BYTES = 256 * 1024
CLOCK_WINDOW_SECONDS = 300

H_PROTOCOL = "X-Protocol"
H_NODE = "X-Node-Id"
H_TIMESTAMP = "X-Timestamp"
H_NONCE = "X-Nonce"
H_SIGNATURE = "X-Signature"


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chain_hash(previous: str, event_id: str, payload_sha256: str) -> str:
    """Each node's events form one chain per channel: an edited or removed event breaks it."""
    return sha256_hex(f"{previous}{event_id}{payload_sha256}".encode("utf-8"))


def signing_text(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join((method.upper(), path, timestamp, nonce, sha256_hex(body))).encode("utf-8")


def sign(secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret, signing_text(method, path, timestamp, nonce, body), hashlib.sha256).hexdigest()


def verify(secret: bytes, signature: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bool:
    return hmac.compare_digest(sign(secret, method, path, timestamp, nonce, body), signature)
