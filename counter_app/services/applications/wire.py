"""An application's status as plain JSON and back (:class:`ApplicationDetail`), for the hub's
branch-wide read copy: what the window that took it shows is what any other window shows."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from typing import Any

from counter_app.domain.applications import FeeItem, NextStep, PromisedStage
from counter_app.services.applications.forms import AttachmentRef
from counter_app.services.applications.queries import ApplicationDetail, DocumentLine, HistoryEntry

_DATES = ("due", "accepted_on", "finished_on", "today")
_NESTED: dict[str, type] = {"documents": DocumentLine, "history": HistoryEntry, "schedule": PromisedStage,
                            "fee_items": FeeItem, "attachments": AttachmentRef}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if text else None


def detail_to_wire(detail: ApplicationDetail) -> dict[str, Any]:
    return _plain(asdict(detail))


def detail_from_wire(data: dict[str, Any], **changes: Any) -> ApplicationDetail:
    """The detail a copy carries (fields a newer owner added are ignored); ``changes`` replace fields."""
    known = {f.name for f in fields(ApplicationDetail)}
    values = {k: v for k, v in data.items() if k in known}
    for name in _DATES:
        values[name] = _day(values.get(name))
    for name, kind in _NESTED.items():
        rows = []
        for row in values.get(name) or ():
            if kind is HistoryEntry or kind is PromisedStage:
                row = {**row, "due": _day(row.get("due"))}
            rows.append(kind(**row))
        values[name] = tuple(rows)
    values["stages"] = tuple(tuple(s) for s in values.get("stages") or ())
    values["next_step"] = NextStep(**values["next_step"])
    values.update(changes)
    return ApplicationDetail(**values)
