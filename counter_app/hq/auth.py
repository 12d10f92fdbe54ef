"""Checking a signed request (contract §3): the node's HMAC, the clock window, the nonce not
seen before, the node still active. Runs inside the request's own transaction."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import Connection, delete, select, text

from counter_app.core import syncwire
from counter_app.hq.errors import HQError
from counter_app.hq.models import RequestNonce, SyncNode

#: nonces are remembered at least this long; requests older than the clock window are refused anyway
NONCE_KEEP = timedelta(minutes=15)
_NONCE = re.compile(r"[0-9a-f]{32}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Caller:
    node_id: str
    branch_code: str
    terminal_code: str
    incarnation: int
    last_seen_at: datetime | None = None

    def may_push_for(self, connection: Connection, node_ids: set[str]) -> bool:
        """Its own events, or those of an earlier incarnation of the same terminal (contract §2)."""
        others = node_ids - {self.node_id}
        return not others or self.earlier_incarnations(connection, others) == others

    def earlier_incarnations(self, connection: Connection, node_ids: set[str]) -> set[str]:
        """Those of ``node_ids`` that are earlier incarnations of this node's terminal."""
        if not node_ids:
            return set()
        return set(connection.execute(select(SyncNode.node_id).where(
            SyncNode.node_id.in_(node_ids), SyncNode.branch_code == self.branch_code,
            SyncNode.terminal_code == self.terminal_code, SyncNode.incarnation < self.incarnation)).scalars())


def _refuse(code: str, message: str) -> HQError:
    return HQError(401, code, message)


def authenticate(connection: Connection, method: str, path: str, headers: Mapping[str, str], body: bytes,
                 now: datetime, clock: float | None = None) -> Caller:
    node_id = headers.get(syncwire.H_NODE, "")
    stamp = headers.get(syncwire.H_TIMESTAMP, "")
    nonce = headers.get(syncwire.H_NONCE, "")
    signature = headers.get(syncwire.H_SIGNATURE, "")
    if not (node_id and len(node_id) <= 36 and _NONCE.fullmatch(nonce) and _SIGNATURE.fullmatch(signature)
            and stamp.isdigit()):
        raise _refuse("bad_signature", "missing or malformed signature headers")
    node = connection.execute(select(SyncNode.node_id, SyncNode.secret, SyncNode.status, SyncNode.branch_code,
                                     SyncNode.terminal_code, SyncNode.incarnation, SyncNode.last_seen_at)
                              .where(SyncNode.node_id == node_id)).first()
    if node is None or not syncwire.verify(node.secret, signature, method, path, stamp, nonce, body):
        raise _refuse("bad_signature", "unknown node or wrong signature")
    skew = (time.time() if clock is None else clock) - int(stamp)
    if abs(skew) > syncwire.CLOCK_WINDOW_SECONDS:
        raise HQError(401, "stale_request", "the request's timestamp is outside the clock window; check the clock",
                      skew_seconds=int(skew), window_seconds=syncwire.CLOCK_WINDOW_SECONDS)
    fresh = connection.execute(text(
        "INSERT INTO request_nonce (node_id, nonce, seen_at) VALUES (:node, :nonce, :now) "
        "ON CONFLICT DO NOTHING RETURNING 1"), {"node": node_id, "nonce": nonce, "now": now}).first()
    if fresh is None:
        raise _refuse("replayed_request", "this request was already received")
    if node.status == "revoked":
        raise HQError(403, "node_revoked", "this node was revoked at head office; enrol it again")
    if node.status == "superseded":
        raise HQError(403, "node_superseded", "a newer enrolment of this terminal replaced this node")
    return Caller(node.node_id, node.branch_code, node.terminal_code, node.incarnation, node.last_seen_at)


def forget_old_nonces(connection: Connection, now: datetime) -> int:
    """Spent nonces older than the clock window can never be replayed successfully."""
    return connection.execute(delete(RequestNonce).where(RequestNonce.seen_at < now - NONCE_KEEP)).rowcount
