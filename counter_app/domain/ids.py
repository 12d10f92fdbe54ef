"""Record ids: a UUIDv7 made where the record is created, stored with the id of that node."""

from __future__ import annotations

import uuid

from uuid6 import uuid7


def new_id() -> str:
    """A new time-ordered UUIDv7 as its canonical 36-character text."""
    return str(uuid7())


def is_record_id(value: str) -> bool:
    """True for the canonical text of a version-7 UUID."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return parsed.version == 7 and str(parsed) == value
