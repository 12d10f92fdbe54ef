"""The effect of payment events at head office: a payment row, amounts in fen. A void or refund
is booked only after the payment it reverses (G9); otherwise it waits in quarantine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter_app.hq.auth import Caller

PAYMENT_EVENTS = {"payment.created": "payment", "payment.voided": "void", "payment.refunded": "refund"}
_AMOUNTS = ("amount_fen", "late_fee_fen", "to_balance_fen", "from_balance_fen")


def _bad(field: str, rule: str) -> tuple[None, str, str]:
    return None, "invalid_payload", f"{field}: {rule}"


def payment_row(event: dict[str, Any], caller: Caller, known: set[str],
                now: datetime) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(row, None, None) to book, or (None, code, detail) to quarantine. ``known``: payment ids
    head office holds (booked earlier or earlier in this batch)."""
    payload = event["payload"]
    payment, receipt = payload.get("payment"), payload.get("receipt")
    if not isinstance(payment, dict):
        return _bad("payload.payment", "an object")
    if not isinstance(receipt, dict) or not isinstance(receipt.get("receipt_no"), str) \
            or not 1 <= len(receipt["receipt_no"]) <= 40:
        return _bad("payload.receipt.receipt_no", "the receipt number")
    payment_id = payment.get("id")
    if not isinstance(payment_id, str) or not 1 <= len(payment_id) <= 36:
        return _bad("payload.payment.id", "the payment's id")
    kind = PAYMENT_EVENTS[event["event_type"]]
    if payment.get("kind") != kind:
        return _bad("payload.payment.kind", f"'{kind}' for a {event['event_type']} event")
    for name in _AMOUNTS:
        value = payment.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2 ** 62:
            return _bad(f"payload.payment.{name}", "a whole number of fen")
    reverses = payment.get("reverses_id")
    if kind == "void" and not isinstance(reverses, str):
        return _bad("payload.payment.reverses_id", "the id of the payment this void reverses")
    if payment_id in known:
        return None, "payment_id_conflict", f"payment {payment_id} is already booked by another event"
    if isinstance(reverses, str) and reverses not in known:
        return None, "depends_on_missing", f"payment {reverses} it reverses is not booked at head office (yet)"
    window = payment.get("window_number")
    try:
        created = datetime.fromisoformat(payment["created_at"]) if isinstance(payment.get("created_at"), str) \
            else event["created_at_dt"]
    except ValueError:
        return _bad("payload.payment.created_at", "an ISO 8601 moment")
    if created.tzinfo is None:
        created = event["created_at_dt"]
    business = payment.get("business_date")
    row = {
        "payment_id": payment_id, "event_id": event["event_id"], "node_id": event["node_id"],
        "branch_code": caller.branch_code, "terminal_code": caller.terminal_code, "kind": kind,
        "reverses_id": reverses if isinstance(reverses, str) else None, "receipt_no": receipt["receipt_no"],
        "account_no": str(payment["account_no"])[:40] if payment.get("account_no") is not None else None,
        "business_date": business[:10] if isinstance(business, str) else None,
        **{name: payment.get(name, 0) for name in _AMOUNTS},
        "clerk_no": str(payment["clerk_no"])[:20] if payment.get("clerk_no") is not None else None,
        "window_number": window if isinstance(window, int) and not isinstance(window, bool) else None,
        "created_at": created, "posted_at": now,
    }
    return row, None, None
