"""Words the manager's quality screens share: levels, steps, outcomes, ages and times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from counter_app.domain.ratings import RatingPolicy
from counter_app.domain.timeutil import format_local


#: The colour of a follow-up or inquiry past its deadline, in every quality list.
OVERDUE = QColor("#b00020")


class QualityWords(QObject):
    """Translated names of the quality screens' codes (one per screen, owned by it)."""

    def level(self, level: int | None) -> str:
        names = {5: self.tr("Very satisfied"), 4: self.tr("Satisfied"), 3: self.tr("Acceptable"),
                 2: self.tr("Dissatisfied"), 1: self.tr("Very dissatisfied")}
        return names.get(level or 0, self.tr("Not rated"))

    def step(self, step: str) -> str:
        return {"verification": self.tr("Verification"), "action": self.tr("Corrective action"),
                "callback": self.tr("Call-back"), "outcome": self.tr("Outcome")}.get(step, step)

    def resolution(self, code: str) -> str:
        return {"fixed": self.tr("Corrected"), "explained": self.tr("Explained to the customer"),
                "mistaken": self.tr("Mistaken rating (appeal upheld)")}.get(code, code)

    def kind(self, kind: str) -> str:
        return {"inquiry": self.tr("Inquiry"), "complaint": self.tr("Complaint")}.get(kind, kind)

    def happening(self, kind: str) -> str:
        return {"logged": self.tr("Logged"), "handover": self.tr("Handed over"), "answer": self.tr("Answered"),
                "link": self.tr("Linked to a follow-up")}.get(kind, kind)

    def age(self, age: timedelta) -> str:
        minutes = int(age.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return self.tr("{days} d {hours} h").format(days=days, hours=hours)
        return self.tr("{hours} h {minutes} min").format(hours=hours, minutes=minutes)


def reason_names(codes: tuple[str, ...], policy: RatingPolicy, language: str) -> str:
    """The configured reasons' own labels (reference data, not program text)."""
    labels = []
    for code in codes:
        reason = policy.reason(code)
        labels.append(code if reason is None else (reason.zh if language.startswith("zh") else reason.en))
    return "、".join(labels)


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    return format_local(moment, zone, "%m-%d %H:%M") if moment is not None else ""
