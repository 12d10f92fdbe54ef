"""What a failed sync cycle stores and shows (``sync_state.last_error``, ``counter-app sync --once``,
the counter's status field): a stable code, a colon, and a sentence a clerk or IT can act on. The
raw transport text (the exception's class, errno, host and port) goes to the log only.

The codes (the part before the first colon) are what a screen translates (``counter_window``)."""

from __future__ import annotations

UNREACHABLE = "hq_unreachable"
STALLED = "hq_stalled"
BUSY = "hq_busy"
AUTH_FAILED = "hq_auth_failed"
NODE_REFUSED = "hq_node_refused"
UPGRADE = "hq_upgrade"
REFUSED = "hq_refused"
CODES = (UNREACHABLE, STALLED, BUSY, AUTH_FAILED, NODE_REFUSED, UPGRADE, REFUSED)


def unreachable() -> str:
    return (f"{UNREACHABLE}: head office cannot be reached (no answer on the network); everything is kept here "
            "and sent when it answers")


def stalled(seconds: float) -> str:
    return f"{STALLED}: head office did not answer within {seconds:g} s; the request was dropped and is sent again"


def refused(what: str, status: int, code: str, message: str) -> str:
    """Head office answered ``status`` to the ``what`` (push, hello, pull) with its ``code`` and words."""
    if status >= 500 or status in (408, 429):
        return f"{BUSY}: head office is busy or down (HTTP {status}); the {what} is tried again"
    if status == 401:
        return (f"{AUTH_FAILED}: head office did not accept this PC's credential (HTTP 401 {code}); "
                "it is read again before the next try")
    if status == 403:
        return f"{NODE_REFUSED}: head office refused this PC (HTTP 403 {code}) — re-enrolment required"
    if status == 426:
        return f"{UPGRADE}: head office needs a newer version of this program (HTTP 426) — upgrade required; working offline"
    words = " ".join(str(message).split())[:200]
    return f"{REFUSED}: head office refused the {what} (HTTP {status} {code})" + (f": {words}" if words else "")


def code_of(stored: str) -> str | None:
    """The code of a stored sentence (None for one written before the codes, or another text)."""
    head = stored.split(":", 1)[0]
    return head if head in CODES else None
