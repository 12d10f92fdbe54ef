"""Reference data head office publishes ahead of its day (issue 10: "new dated versions"): a value
or a change in force from a business day ``from`` on, kept at every branch before that day, so a
branch offline at midnight still changes on the day.

One rule for every dated thing: a record's undated fields hold from the start; each entry of its
``dated`` list (``{"from": "2027-01-01", field: value, ...}``) changes the fields it names from its
day on, until a later entry names them again (:func:`in_force`). A local policy table
(``services.branch_policy``), a service and a window (the queue's reference) all read this way.
A service may also begin on a day (``in_use_from``): before it the branch shows no trace of it."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from counter_app.domain.errors import InvalidInput

DATED = "dated"
FROM = "from"
#: what a dated entry may change: of a service, of a window (``services``: codes, calling order)
SERVICE_DATED_FIELDS = ("active", "name_zh", "name_en", "daily_cap", "standard_minutes", "sort_order")
WINDOW_DATED_FIELDS = ("active", "name", "services")


def in_force(values: Mapping[str, Any], day: date) -> dict[str, Any]:
    """The fields of ``values`` in force on ``day``: the undated ones, each overlaid by the latest
    dated entry on or before ``day`` that names it."""
    current = {key: value for key, value in values.items() if key != DATED}
    entries = values.get(DATED) or []
    dated = sorted((e for e in entries if isinstance(e, Mapping) and isinstance(e.get(FROM), str)),
                   key=lambda e: e[FROM])
    for entry in dated:
        if entry[FROM] <= day.isoformat():
            current.update({key: value for key, value in entry.items() if key != FROM})
    return current


def begun(in_use_from: str | None, day: date) -> bool:
    """A service with no start day, or whose start day has come."""
    return not in_use_from or in_use_from <= day.isoformat()


def check_from(valid_from: date | str | None, today: date) -> date | None:
    """The day a change takes effect: None or today means now (None returned); a later day is
    kept; a day already past is refused, naming the field."""
    if valid_from is None or valid_from == "":
        return None
    try:
        day = valid_from if isinstance(valid_from, date) else date.fromisoformat(str(valid_from))
    except ValueError:
        raise InvalidInput("valid_from", "a day such as 2027-01-01", code="ref_field_rule", name="valid_from",
                           expected="a day such as 2027-01-01") from None
    if day < today:
        raise InvalidInput("valid_from", "today or a later day", code="ref_from_past", day=day.isoformat(),
                           today=today.isoformat())
    return None if day == today else day


def add_entry(dated: list[dict[str, Any]] | None, day: date, changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``dated`` with ``changes`` from ``day`` (merged into an entry of the same day), sorted by day."""
    entries = [dict(e) for e in dated or []]
    same = next((e for e in entries if e.get(FROM) == day.isoformat()), None)
    if same is None:
        entries.append({FROM: day.isoformat(), **changes})
    else:
        same.update(changes)
    return sorted(entries, key=lambda e: e[FROM])


def ahead(dated: list[dict[str, Any]] | None, today: date) -> list[dict[str, Any]]:
    """The entries still to come after ``today`` (what the console lists as "changes ahead")."""
    return [e for e in dated or [] if isinstance(e, Mapping) and str(e.get(FROM, "")) > today.isoformat()]
