"""The console's "in force from" field (issue 10: reference data as new dated versions): a day,
today by default, on which a branch applies what is published — today means at the branch's next
sync; a later day is held at every branch and applied on that business day. A day already past is
refused here, naming the field, before anything goes to head office (and again there)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDateEdit

from counter_app.domain.dated import ahead, check_from


class FromDay(QDateEdit):
    """``valid_from()``: None for today, else the later day (ISO); a past day raises ``InvalidInput``."""

    def __init__(self) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumHeight(38)
        self.setObjectName("validFrom")
        self.reset()

    def reset(self) -> None:
        self.setDate(QDate.currentDate())

    def day(self) -> date:
        chosen = self.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def valid_from(self) -> str | None:
        day = check_from(self.day(), date.today())
        return None if day is None else day.isoformat()


def changes_ahead(record: dict[str, Any], today: date | None = None) -> str:
    """A service's, a window's or a policy table's changes still to come, in words ("from
    2027-01-01: retired; …"), or "" when none."""
    today = today or date.today()
    words = []
    begins = record.get("in_use_from")
    if begins and begins > today.isoformat():
        words.append(QCoreApplication.translate("FromDay", "in use from {day}").format(day=begins))
    for entry in ahead(record.get("dated"), today):
        parts = []
        for key, value in entry.items():
            if key == "from":
                continue
            if key == "active":
                parts.append(QCoreApplication.translate("FromDay", "in use") if value
                             else QCoreApplication.translate("FromDay", "retired"))
            elif key == "services":
                parts.append(QCoreApplication.translate("FromDay", "serves {codes}").format(codes="、".join(value)))
            else:
                parts.append(f"{key} = {value}")
        words.append(QCoreApplication.translate("FromDay", "from {day}: {changes}").format(
            day=entry["from"], changes=QCoreApplication.translate("FromDay", ", ").join(parts)))
    return joined(*words)


def joined(*parts: str) -> str:
    """Parts of a table cell in a row, the empty ones left out ("in use; from …" / "在用；自 …")."""
    return QCoreApplication.translate("FromDay", "; ").join(part for part in parts if part)
