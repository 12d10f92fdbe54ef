"""Record ids: a UUIDv7 made where the record is created, stored with the id of that node.

The layout is RFC 9562's version 7 with its "fixed-length dedicated counter" (method 1): 48
bits of Unix milliseconds, the version, 12 bits of counter (``rand_a``), the variant and 62
random bits. Within one millisecond the counter goes up from a random start below 1024, so
the ids a process makes are strictly increasing as text too; past 4095 the next millisecond is
borrowed. Made directly as text: this runs several times for every queue operation, and
``uuid6.uuid7`` (a ``UUID`` object, ``secrets``) cost four times as much."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0
_COUNTER_MAX = 0xFFF
_RANDOM_MASK = (1 << 62) - 1
_VERSION_AND_VARIANT = (0x7 << 76) | (0b10 << 62)


def new_id() -> str:
    """A new time-ordered UUIDv7 as its canonical 36-character text."""
    global _last_ms, _counter
    now = time.time_ns() // 1_000_000
    entropy = int.from_bytes(os.urandom(10), "big")
    with _lock:
        if now > _last_ms:
            _last_ms, _counter = now, entropy >> 70  # 10 random bits: room for 3,000 more this millisecond
        elif _counter < _COUNTER_MAX:
            _counter += 1
        else:  # 4,096 ids in one millisecond: borrow the next
            _last_ms, _counter = _last_ms + 1, 0
        value = (_last_ms << 80) | _VERSION_AND_VARIANT | (_counter << 64) | (entropy & _RANDOM_MASK)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def is_record_id(value: str) -> bool:
    """True for the canonical text of a version-7 UUID."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return parsed.version == 7 and str(parsed) == value
