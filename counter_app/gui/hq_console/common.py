"""What the console's pages share: the line to head office off the GUI thread (a call that finds
the session ended says so once, for the window to ask for the login again), times and ages in
words, the names of fields in refusals, and the colours of a node's health."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from counter_app.domain.errors import UserError
from counter_app.gui.hq_console.ref_words import field_rule_text
from counter_app.gui.rule_words import explain, rule_text
from counter_app.gui.tasks import TaskRunner
from counter_app.hq.console_client import ConsoleClient
from counter_app.hq.console_view import age_parts
from counter_app.hq.errors import ConsoleSessionEnded

log = logging.getLogger(__name__)

HEALTH_COLOURS = {"ok": "#1b5e20", "warn": "#8d6e00", "bad": "#b00020", "inactive": "#78909c"}
HEALTH_BACKGROUNDS = {"ok": "#ffffff", "warn": "#fff8e1", "bad": "#ffebee", "inactive": "#f5f5f5"}


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def when(moment: datetime | None) -> str:
    """A moment in this PC's local time, or — when there is none."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def age_text(since: datetime | None, now: datetime, never: str = "") -> str:
    parts = age_parts(since, now)
    if parts is None:
        return never or QCoreApplication.translate("HQConsole", "never")
    number, unit = parts
    if unit == "s":
        return QCoreApplication.translate("HQConsole", "{n} s ago").format(n=number)
    if unit == "min":
        return QCoreApplication.translate("HQConsole", "{n} min ago").format(n=number)
    if unit == "h":
        return QCoreApplication.translate("HQConsole", "{n} h ago").format(n=number)
    return QCoreApplication.translate("HQConsole", "{n} days ago").format(n=number)


def seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 120:
        return QCoreApplication.translate("HQConsole", "{n} s").format(n=round(seconds))
    if seconds < 7200:
        return QCoreApplication.translate("HQConsole", "{n} min").format(n=round(seconds / 60))
    return QCoreApplication.translate("HQConsole", "{n} h").format(n=round(seconds / 3600))


def field_name(field: str) -> str:
    names = {
        "name": QCoreApplication.translate("HQConsole", "Operator"),
        "password": QCoreApplication.translate("HQConsole", "Password"),
        "branch": QCoreApplication.translate("HQConsole", "Branch"),
        "role": QCoreApplication.translate("HQConsole", "Node role"),
        "window": QCoreApplication.translate("HQConsole", "Window"),
        "days": QCoreApplication.translate("HQConsole", "Valid for (days)"),
        "reason": QCoreApplication.translate("HQConsole", "Reason"),
        "event_id": QCoreApplication.translate("HQConsole", "Event"),
        "node_id": QCoreApplication.translate("HQConsole", "Node"),
        "valid_from": QCoreApplication.translate("HQConsole", "In force from"),
        "year": QCoreApplication.translate("HQConsole", "Year"),
        "calendar": QCoreApplication.translate("HQConsole", "Calendar"),
        "staff_no": QCoreApplication.translate("HQConsole", "Staff no."),
        "code": QCoreApplication.translate("HQConsole", "Code"),
        "letter": QCoreApplication.translate("HQConsole", "Ticket letter"),
        "services": QCoreApplication.translate("HQConsole", "Services"),
        "policy": QCoreApplication.translate("HQConsole", "Policy table"),
        "values": QCoreApplication.translate("HQConsole", "Values"),
        "offline_valid_until": QCoreApplication.translate("HQConsole", "Offline login until"),
        "branches": QCoreApplication.translate("HQConsole", "Branches"),
    }
    return names.get(field, field)


def refusal_text(error: Exception) -> str:
    """"<field>: <rule>" for bad input, "Not possible: …" for a refusal; head office's reference-data
    refusals name their field in their own words already."""
    if isinstance(error, UserError) and error.code == "ref_field_rule":
        return field_rule_text(error.params)
    if isinstance(error, UserError) and error.code.startswith("ref_"):
        return rule_text(error)
    return explain(error, field_name)


def colour(name: str) -> QColor:
    return QColor(name)


class ConsoleLink(QObject):
    """The console's client and task runner; ``session_ended`` when head office says log in again."""

    session_ended = Signal()

    def __init__(self, client: ConsoleClient, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks

    def run(self, work: Callable[[ConsoleClient], Any], on_done: Callable[[Any], None],
            on_error: Callable[[Exception], None], *, write: bool = False) -> None:
        client = self.client

        def failed(error: Exception) -> None:
            if isinstance(error, ConsoleSessionEnded):
                self.session_ended.emit()
            owner = getattr(on_error, "__self__", None)
            if isinstance(owner, QObject) and not shiboken6.isValid(owner):
                return
            on_error(error)

        self.tasks.run(lambda: work(client), on_done, failed, write=write)


class MessageLabel(QLabel):
    """A page's line of news: an outcome, or a refusal in the error style."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def say(self, text: str, bad: bool = False) -> None:
        self.setObjectName("fieldError" if bad else "")
        self.style().unpolish(self)  # the style follows the new name
        self.style().polish(self)
        self.setText(text)
