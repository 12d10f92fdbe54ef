"""The shape of a push (contract §5), checked before anything is stored: limits first (413), then
every field of every event (422 naming it). A batch that fails here changes nothing."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from counter_app.core import syncwire
from counter_app.hq.errors import HQError, invalid

CHANNELS = ("payments", "applications", "ops")
#: a hello names at most this many earlier incarnations whose events the node's database holds
MAX_EARLIER_NODES = 50
_HEX64 = re.compile(r"[0-9a-f]{64}")


def too_large() -> HQError:
    return HQError(413, "batch_too_large", "send at most max_events events and max_bytes bytes per push",
                   max_events=syncwire.MAX_BATCH_EVENTS, max_bytes=syncwire.MAX_BATCH_BYTES)


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise invalid("body", "UTF-8 JSON") from None


def _text(value: Any, name: str, limit: int, empty: bool = False) -> str:
    if not isinstance(value, str) or len(value) > limit or (not empty and not value):
        raise invalid(name, f"text of {0 if empty else 1} to {limit} characters")
    return value


def _whole(value: Any, name: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise invalid(name, f"a whole number from {low}")
    return value


def _event(raw: Any, index: int) -> dict[str, Any]:
    where = f"events[{index}]"
    if not isinstance(raw, dict):
        raise invalid(where, "an event object")
    event = dict(raw)
    for name, limit in (("event_id", 36), ("node_id", 36), ("event_type", 64), ("aggregate_type", 64),
                        ("aggregate_id", 64)):
        _text(event.get(name), f"{where}.{name}", limit)
    if event.get("channel") not in CHANNELS:
        raise invalid(f"{where}.channel", "one of " + ", ".join(CHANNELS))
    _whole(event.get("channel_seq"), f"{where}.channel_seq", 1)
    _whole(event.get("schema_version"), f"{where}.schema_version")
    if not isinstance(event.get("payload"), dict):
        raise invalid(f"{where}.payload", "a JSON object")
    for name in ("payload_sha256", "chain"):
        if not isinstance(event.get(name), str) or not _HEX64.fullmatch(event[name]):
            raise invalid(f"{where}.{name}", "64 lower-case hex digits (SHA-256)")
    prev = event.get("prev_chain")
    if not isinstance(prev, str) or (prev and not _HEX64.fullmatch(prev)):
        raise invalid(f"{where}.prev_chain", "64 lower-case hex digits, or empty for a channel's first event")
    try:
        created = datetime.fromisoformat(_text(event.get("created_at"), f"{where}.created_at", 40))
    except ValueError:
        raise invalid(f"{where}.created_at", "an ISO 8601 moment with its UTC offset") from None
    if created.tzinfo is None:
        raise invalid(f"{where}.created_at", "an ISO 8601 moment with its UTC offset")
    event["created_at_dt"] = created
    return event


def parse_backlog(data: dict[str, Any]) -> dict[str, Any] | None:
    """The optional ``backlog`` a node reports of itself: {pending, quarantined,
    oldest_unsent_payment_at (ISO 8601 or null)}; None when absent."""
    backlog = data.get("backlog")
    if backlog is None:
        return None
    if not isinstance(backlog, dict):
        raise invalid("backlog", "an object {pending, quarantined, oldest_unsent_payment_at}")
    oldest = backlog.get("oldest_unsent_payment_at")
    moment = None
    if oldest is not None:
        try:
            moment = datetime.fromisoformat(_text(oldest, "backlog.oldest_unsent_payment_at", 40))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise invalid("backlog.oldest_unsent_payment_at", "an ISO 8601 moment with its UTC offset, or null")
    return {"reported_pending": _whole(backlog.get("pending"), "backlog.pending"),
            "reported_quarantined": _whole(backlog.get("quarantined"), "backlog.quarantined"),
            "oldest_unsent_payment_at": moment}


def parse_push(body: bytes) -> dict[str, Any]:
    if len(body) > syncwire.MAX_BATCH_BYTES:
        raise too_large()
    data = parse_json(body)
    if not isinstance(data, dict):
        raise invalid("body", "a JSON object")
    events = data.get("events")
    if not isinstance(events, list):
        raise invalid("events", "a list of events")
    if len(events) > syncwire.MAX_BATCH_EVENTS:
        raise too_large()
    _text(data.get("node_id"), "node_id", 36)
    _whole(data.get("incarnation"), "incarnation", 1)
    data["events"] = [_event(raw, i) for i, raw in enumerate(events)]
    data["backlog"] = parse_backlog(data)
    last: dict[str, int] = {}
    for i, event in enumerate(data["events"]):
        key = f"{event['node_id']}/{event['channel']}"
        if event["channel_seq"] < last.get(key, 0):
            raise invalid(f"events[{i}].channel_seq", "events of one channel in channel_seq order")
        last[key] = event["channel_seq"]
    return data


def parse_hello(body: bytes) -> dict[str, Any]:
    data = parse_json(body)
    if not isinstance(data, dict):
        raise invalid("body", "a JSON object")
    _text(data.get("node_id"), "node_id", 36)
    _whole(data.get("incarnation"), "incarnation", 1)
    _text(data.get("app_version"), "app_version", 40)
    _whole(data.get("schema_version"), "schema_version")
    acked = data.get("acked", {})
    if not isinstance(acked, dict) or any(k not in CHANNELS for k in acked):
        raise invalid("acked", "an object of channel → highest acknowledged channel_seq")
    for channel, seq in acked.items():
        _whole(seq, f"acked.{channel}")
    earlier = data.get("acked_earlier", {})
    if not isinstance(earlier, dict) or len(earlier) > MAX_EARLIER_NODES:
        raise invalid("acked_earlier", f"an object of at most {MAX_EARLIER_NODES} earlier node ids → acked")
    for node, seqs in earlier.items():
        _text(node, "acked_earlier", 36)
        if not isinstance(seqs, dict) or any(k not in CHANNELS for k in seqs):
            raise invalid(f"acked_earlier.{node}", "an object of channel → highest acknowledged channel_seq")
        for channel, seq in seqs.items():
            _whole(seq, f"acked_earlier.{node}.{channel}")
    data["acked_earlier"] = earlier
    data["backlog"] = parse_backlog(data)
    return data
