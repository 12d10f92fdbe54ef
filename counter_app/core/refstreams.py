"""Reference data downstream (SYNC.md c.7): the streams, their buckets, each entity's natural key
and the per-stream checksum. Plain Python, shared by head office's publisher and the branch's apply.

A stream is identified on the wire by ``(stream, bucket)``: ``bucket`` is a branch code for a
branch's own data, ``*`` for what every branch gets. Every entity is known by a natural key
(``staff_no``, ``account_no|period`` ...), never by a database id: a branch database made before it
was enrolled keeps its own row ids and a head-office version simply updates the row with that key.
``hq_version`` of an entity is the ``change_id`` of the head-office change that last wrote it.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Mapping

GLOBAL_BUCKET = "*"

#: stream -> (bucket kind, entities in apply order); "branch" streams have one bucket per branch
STREAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "catalog": ("branch", ("branch", "service", "window", "window_service")),
    "staff": ("branch", ("staff",)),
    "tariffs": ("global", ("tariff_version",)),
    "common": ("global", ("holiday", "application_type")),
    "policy": ("branch", ("policy",)),
    "accounts_bills": ("branch", ("customer_account", "meter", "bill")),
}

#: the order a full pull takes: the branch row before staff (staff point at it), tariffs before
#: bills; the worker pulls ``staff`` alone first in every cycle (revocations, G17)
PULL_ORDER = ("catalog", "staff", "tariffs", "common", "policy", "accounts_bills")
PRIORITY_STREAMS = ("staff",)

#: entity -> the payload fields that make its natural key, joined with "|"
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "branch": ("code",),
    "service": ("code",),
    "window": ("number",),
    "window_service": ("window_number", "service_code"),
    "staff": ("staff_no",),
    "tariff_version": ("code", "valid_from"),
    "holiday": ("day",),
    "application_type": ("code",),
    "policy": ("name",),
    "customer_account": ("account_no",),
    "meter": ("meter_no",),
    "bill": ("account_no", "period"),
}

ENTITY_STREAM: dict[str, str] = {entity: stream for stream, (_, entities) in STREAMS.items() for entity in entities}

#: entities a snapshot page may carry as columns (format "columns"): head office sends each of these
#: payload fields as a column of its own instead of the payload's JSON text (fewer bytes, and the
#: branch stages them into a typed table: nothing to extract from JSON at the swap). Fields that hold
#: JSON (an object) travel as JSON text (``JSON_FIELDS``), the others as their text (``->>``); none of
#: these fields is a JSON boolean (true/false would travel as text, not as 1/0). Both ends read this
#: table for format "columns": a change to it is a new format name, negotiated like "columns" was
COLUMNS: dict[str, tuple[str, ...]] = {
    "customer_account": ("holder", "address", "phone", "user_type", "household_size", "balance_fen", "status"),
    "meter": ("account_no", "size_dn", "installed_on"),
    "bill": ("meter_no", "tariff_code", "tariff_valid_from", "period_start", "period_end", "prev_reading",
             "curr_reading", "usage_m3", "amount_fen", "detail", "due_date", "paid_fen", "status"),
}
JSON_FIELDS = frozenset({"detail"})

#: sums of item hashes are kept modulo this (fits a signed 64-bit column at both ends)
CHECKSUM_MODULUS = 2 ** 63

#: pages (SYNC.md c.6): a pull page is at most this many changes, a snapshot page this many rows
PULL_PAGE = 500
SNAPSHOT_PAGE = 2000


def buckets_for(branch_code: str) -> list[tuple[str, str]]:
    """Every (stream, bucket) a node of ``branch_code`` holds, in pull order."""
    return [(s, branch_code if STREAMS[s][0] == "branch" else GLOBAL_BUCKET) for s in PULL_ORDER]


def stream_id(stream: str, bucket: str) -> str:
    """The name a branch keeps its cursor under: ``accounts_bills/B001``, ``tariffs/*``."""
    return f"{stream}/{bucket}"


def entity_key(entity: str, payload: Mapping[str, Any]) -> str:
    return "|".join(str(payload[name]) for name in KEY_FIELDS[entity])


def item_hash(entity: str, key: str, hq_version: int) -> int:
    """63 bits of BLAKE2b over one live entity's identity and version."""
    digest = hashlib.blake2b(f"{entity}:{key}:{hq_version}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def add_hash(checksum: int, value: int) -> int:
    return (checksum + value) % CHECKSUM_MODULUS


def remove_hash(checksum: int, value: int) -> int:
    return (checksum - value) % CHECKSUM_MODULUS


_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def copy_unescape(field: str) -> str:
    r"""A field of PostgreSQL's COPY text format as it was (a snapshot page in "tsv" form): COPY TO
    writes a backslash, tab, newline ... as ``\\``, ``\t``, ``\n`` ... and nothing else escaped."""
    if "\\" not in field:
        return field
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), field)


def _copy_field(field: str) -> str | None:
    return None if field == "\\N" else copy_unescape(field)


def copy_rows(tsv: str) -> list[tuple[str | None, ...]]:
    r"""The rows of a COPY text (one line each, fields split at tabs, escapes undone, ``\N`` None).
    Tuples: a tuple of strings is no work for the garbage collector (a list is, millions of them)."""
    lines = tsv.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    if "\\" not in tsv:
        return [tuple(line.split("\t")) for line in lines]
    return [tuple(map(_copy_field, line.split("\t"))) if "\\" in line else tuple(line.split("\t"))
            for line in lines]
