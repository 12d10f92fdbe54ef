"""A branch node as head office sees it, for tests and the benchmark: enrols, signs requests with
the contract's ``syncwire`` and builds hash-chained events (payments like the branch writes)."""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httpx

from counter_app.core import syncwire


def enrol(client: httpx.Client, code: str, hostname: str = "pc-1", previous: str | None = None) -> dict[str, Any]:
    response = client.post("/v1/enrol", headers={syncwire.H_PROTOCOL: "1"},
                           json={"code": code, "hostname": hostname, "app_version": "test", "schema_version": 1,
                                 "previous_node_id": previous})
    assert response.status_code == 200, response.text
    return response.json()


def signed_headers(node_id: str, secret: bytes, path: str, body: bytes, *, timestamp: int | None = None,
                   nonce: str | None = None, method: str = "POST") -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(16)
    return {syncwire.H_PROTOCOL: "1", syncwire.H_NODE: node_id, syncwire.H_TIMESTAMP: stamp, syncwire.H_NONCE: nonce,
            syncwire.H_SIGNATURE: syncwire.sign(secret, method, path, stamp, nonce, body),
            "Content-Type": "application/json"}


@dataclass
class Node:
    """One enrolled node: its credential and the chain heads of its channels."""

    node_id: str
    secret: bytes
    branch_code: str
    terminal_code: str
    incarnation: int
    seq: dict[str, int] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    receipts: int = 0

    @classmethod
    def from_enrolment(cls, answer: dict[str, Any]) -> "Node":
        return cls(answer["node_id"], base64.b64decode(answer["secret"]), answer["branch_code"],
                   answer["terminal_code"], answer["incarnation"])

    def event(self, channel: str, event_type: str, aggregate_type: str, aggregate_id: str, payload: dict[str, Any],
              node_id: str | None = None) -> dict[str, Any]:
        seq = self.seq.get(channel, 0) + 1
        self.seq[channel] = seq
        event_id = str(uuid.uuid4())
        digest = syncwire.sha256_hex(syncwire.canonical_json(payload).encode("utf-8"))
        prev = self.heads.get(channel, "")
        chain = syncwire.chain_hash(prev, event_id, digest)
        self.heads[channel] = chain
        return {"event_id": event_id, "node_id": node_id or self.node_id, "channel": channel, "channel_seq": seq,
                "event_type": event_type, "aggregate_type": aggregate_type, "aggregate_id": aggregate_id,
                "schema_version": 1, "created_at": datetime.now(timezone.utc).isoformat(), "payload": payload,
                "payload_sha256": digest, "prev_chain": prev, "chain": chain}

    def payment(self, amount_fen: int = 12345, *, kind: str = "payment", reverses_id: str | None = None,
                receipt_no: str | None = None) -> dict[str, Any]:
        self.receipts += 1
        payment_id = str(uuid.uuid4())
        receipt_no = receipt_no or f"{self.branch_code}-{self.terminal_code}A-2026-{self.receipts:07d}"
        payload = {
            "node_id": self.node_id, "branch_code": self.branch_code, "terminal_code": self.terminal_code,
            "payment": {"id": payment_id, "kind": kind, "reverses_id": reverses_id, "account_no": "100200300",
                        "business_date": "2026-12-04", "amount_fen": amount_fen, "late_fee_fen": 0,
                        "to_balance_fen": 0, "from_balance_fen": 0, "clerk_no": "S001", "window_number": 1,
                        "created_at": datetime.now(timezone.utc).isoformat()},
            "parts": [{"method": "cash", "amount_fen": amount_fen}], "allocations": [],
            "receipt": {"receipt_no": receipt_no, "fiscal_year": 2026, "seq": self.receipts},
        }
        event_type = {"payment": "payment.created", "void": "payment.voided", "refund": "payment.refunded"}[kind]
        return self.event("payments", event_type, "payment", reverses_id if kind == "void" else payment_id, payload)

    def request(self, path: str, body: dict[str, Any], **signing: Any) -> tuple[bytes, dict[str, str]]:
        raw = syncwire.canonical_json(body).encode("utf-8")
        return raw, signed_headers(self.node_id, self.secret, path, raw, **signing)

    def push(self, client: httpx.Client, events: list[dict[str, Any]], **signing: Any) -> httpx.Response:
        raw, headers = self.request("/v1/sync/push", {"node_id": self.node_id, "incarnation": self.incarnation,
                                                       "events": events}, **signing)
        return client.post("/v1/sync/push", content=raw, headers=headers)

    def hello(self, client: httpx.Client, acked: dict[str, int] | None = None) -> httpx.Response:
        raw, headers = self.request("/v1/sync/hello", {"node_id": self.node_id, "incarnation": self.incarnation,
                                                        "app_version": "test", "schema_version": 1,
                                                        "acked": acked or {}})
        return client.post("/v1/sync/hello", content=raw, headers=headers)
