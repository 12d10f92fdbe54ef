"""Enrolling branch nodes: one-time codes (stored hashed, single use, expiring), redeeming them
for a node id and HMAC secret, superseding earlier incarnations, revoking, listing."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text, update

from counter_app.core import syncwire
from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.hq.admin_args import ROLES
from counter_app.hq.errors import HQError, invalid, upgrade_required
from counter_app.hq.models import EnrolCode, InboundEvent, SyncNode

_ROLE_LETTER = {"counter": "T", "kiosk": "K", "display": "D", "evaluator": "E"}
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed by hand
_BRANCH = re.compile(r"[A-Z][A-Z0-9]{1,9}")


def terminal_code(role: str, window: int | None) -> str:
    """Head office's terminal numbering (contract §2): T03 is window 3's counter, H01 the hub."""
    if role not in ROLES:
        raise invalid("role", "one of " + ", ".join(ROLES))
    if role == "hub":
        if window not in (None, 1):
            raise invalid("window", "a branch has one hub: give no --window")
        return "H01"
    if role in ("counter", "evaluator") and window is None:
        raise invalid("window", f"the window number this {role} serves, e.g. --window 3")
    number = 1 if window is None else window
    if not 1 <= number <= 99:
        raise invalid("window", "a whole number from 1 to 99")
    return f"{_ROLE_LETTER[role]}{number:02d}"


def normalise_code(code: str) -> str:
    return re.sub(r"[\s\-]", "", code).upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, to the IT person; head office keeps only its hash
    branch_code: str
    role: str
    window: int | None
    terminal_code: str
    expires_at: datetime


def issue_code(engine: Engine, branch_code: str, role: str, window: int | None, valid_days: int,
               now: datetime | None = None) -> IssuedCode:
    if not _BRANCH.fullmatch(branch_code or ""):
        raise invalid("branch", "a branch code of 2-10 capital letters and digits, e.g. B017")
    if not 1 <= valid_days <= 90:
        raise invalid("enrol_code_days", "a whole number of days from 1 to 90")
    terminal = terminal_code(role, window)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    code = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
    now = now or utcnow()
    issued = IssuedCode(code, branch_code, role, window, terminal, now + timedelta(days=valid_days))
    with engine.begin() as connection:
        connection.execute(insert(EnrolCode).values(
            code_sha256=code_hash(code), branch_code=branch_code, role=role, window=window, terminal_code=terminal,
            created_at=now, expires_at=issued.expires_at))
    return issued


def _enrol_request(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid("body", "a JSON object")
    for name, limit in (("code", 64), ("hostname", 255), ("app_version", 40)):
        value = body.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise invalid(name, f"text of 1 to {limit} characters")
    version = body.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise invalid("schema_version", "a whole number")
    if version not in syncwire.ACCEPTED_SCHEMA_VERSIONS:
        raise upgrade_required()
    previous = body.get("previous_node_id")
    if previous is not None and (not isinstance(previous, str) or len(previous) > 36):
        raise invalid("previous_node_id", "a node id or null")
    return body


def redeem(engine: Engine, body: Any, now: datetime | None = None) -> dict[str, Any]:
    """``POST /v1/enrol``: spend the code, create the node, supersede its predecessor."""
    request = _enrol_request(body)
    now = now or utcnow()
    with engine.begin() as connection:
        code = connection.execute(select(EnrolCode).where(EnrolCode.code_sha256 == code_hash(request["code"]))
                                  .with_for_update()).first()
        if code is None:
            raise HQError(403, "enrol_code_unknown", "no such enrolment code")
        if code.used_at is not None:
            raise HQError(403, "enrol_code_used", "this enrolment code was already used")
        if code.expires_at <= now:
            raise HQError(403, "enrol_code_expired", "this enrolment code has expired; ask head office for a new one",
                          expired_at=code.expires_at.isoformat())
        # one enrolment at a time per (branch, terminal): incarnations stay 1, 2, 3 ...
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                           {"key": f"terminal:{code.branch_code}/{code.terminal_code}"})
        earlier = connection.execute(
            select(SyncNode.node_id, SyncNode.incarnation).where(
                SyncNode.branch_code == code.branch_code, SyncNode.terminal_code == code.terminal_code)
            .order_by(SyncNode.incarnation.desc())).all()
        node_id, secret = new_id(), secrets.token_bytes(32)
        incarnation = (earlier[0].incarnation if earlier else 0) + 1
        connection.execute(
            update(SyncNode).where(SyncNode.branch_code == code.branch_code,
                                   SyncNode.terminal_code == code.terminal_code, SyncNode.status == "active")
            .values(status="superseded", status_changed_at=now, status_reason=f"re-enrolled as {node_id}"))
        connection.execute(insert(SyncNode).values(
            node_id=node_id, branch_code=code.branch_code, terminal_code=code.terminal_code, role=code.role,
            window=code.window, incarnation=incarnation, secret=secret, status="active",
            predecessor_id=earlier[0].node_id if earlier else None, reported_previous_id=request.get("previous_node_id"),
            hostname=request["hostname"], app_version=request["app_version"],
            schema_version=request["schema_version"], enrolled_at=now))
        connection.execute(update(EnrolCode).where(EnrolCode.code_sha256 == code.code_sha256)
                           .values(used_at=now, used_by_node=node_id))
    return {"node_id": node_id, "branch_code": code.branch_code, "terminal_code": code.terminal_code,
            "incarnation": incarnation, "role": code.role, "window": code.window,
            "secret": base64.b64encode(secret).decode("ascii"), "server_time": now.isoformat()}


def revoke(engine: Engine, node_id: str, reason: str, now: datetime | None = None) -> bool:
    """Refuse every later request of this node; its events stay. False if no such node."""
    with engine.begin() as connection:
        done = connection.execute(update(SyncNode).where(SyncNode.node_id == node_id)
                                  .values(status="revoked", status_changed_at=now or utcnow(), status_reason=reason)
                                  .returning(SyncNode.node_id)).first()
    return done is not None


@dataclass(frozen=True)
class NodeSummary:
    node_id: str
    branch_code: str
    terminal_code: str
    incarnation: int
    role: str
    status: str
    hostname: str
    last_seen_at: datetime | None
    lag_seconds: float | None
    events: int
    gaps: int  # events head office knows it is missing (below the highest channel_seq it saw)
    quarantined: int  # unresolved
    #: as the node last reported them (None: it never did): its unsent events, its oldest unsent
    #: payment, and when head office received that report
    pending: int | None = None
    oldest_unsent_payment_at: datetime | None = None
    reported_at: datetime | None = None


def list_nodes(engine: Engine) -> list[NodeSummary]:
    events = (select(InboundEvent.node_id, func.count().label("events"),
                     func.count().filter(InboundEvent.apply_status == "quarantined").label("quarantined"))
              .group_by(InboundEvent.node_id).subquery())
    streams = (select(InboundEvent.node_id, (func.max(InboundEvent.channel_seq)
                                             - func.count(InboundEvent.channel_seq.distinct())).label("missing"))
               .group_by(InboundEvent.node_id, InboundEvent.channel).subquery())
    gaps = (select(streams.c.node_id, func.sum(streams.c.missing).label("gaps"))
            .group_by(streams.c.node_id).subquery())
    query = (select(SyncNode, func.coalesce(events.c.events, 0), func.coalesce(events.c.quarantined, 0),
                    func.coalesce(gaps.c.gaps, 0))
             .outerjoin(events, events.c.node_id == SyncNode.node_id)
             .outerjoin(gaps, gaps.c.node_id == SyncNode.node_id)
             .order_by(SyncNode.branch_code, SyncNode.terminal_code, SyncNode.incarnation))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [NodeSummary(r.node_id, r.branch_code, r.terminal_code, r.incarnation, r.role, r.status, r.hostname,
                        r.last_seen_at, r.last_lag_seconds, int(r[-3]), int(r[-1]), int(r[-2]), r.reported_pending,
                        r.oldest_unsent_payment_at, r.reported_at) for r in rows]
