"""The counter's main window: the clerk's workplace, with a status bar that always says who is
logged in, at which window, whether the hub and printer answer and how much waits to sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QStatusBar,
    QStyle,
    QStyleOption,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.gui import keymap
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.node import NodeDatabase
from counter_app.domain.timeutil import utcnow
from counter_app.gui.home_page import HomePage
from counter_app.services.clerk_day import clerk_day
from counter_app.services.status import SyncBacklog, sync_backlog, window_info
from counter_app.services.sync import error_words as sync_words


class StatusField(QLabel):
    """One field of the status bar, coloured by state: ok, warn or bad. When the bar is too
    narrow for every field, a field ends in "…" instead of being cut, and says it all in its
    tooltip."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("state", "ok")
        self.setMinimumWidth(72)
        self._auto_tip = ""  # the tooltip this field set itself (the whole text, while cut short)

    MAX_HINT = 230  # no field asks for more than this, so one long message cannot crowd the others out

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.MAX_HINT), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)  # the state's colours
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                                  self.palette(), self.isEnabled(), shown, self.foregroundRole())
        if self.toolTip() in ("", self._auto_tip):  # never over a tooltip of its own (the sync field's)
            self._auto_tip = self.text() if shown != self.text() else ""
            self.setToolTip(self._auto_tip)

    def show_state(self, text: str, state: str = "ok") -> None:
        self.setText(text)
        if self.property("state") != state:
            self.setProperty("state", state)
            self.style().unpolish(self)
            self.style().polish(self)


class SyncStatusField(StatusField):
    """Head office: online or not, last successful sync, what waits, the oldest unsent payment,
    quarantined events; the tooltip says what to do."""

    def __init__(self, alarm_s: float) -> None:
        super().__init__("syncStatus")
        self._alarm_s = alarm_s

    def _age(self, seconds: float) -> str:
        minutes = int(seconds // 60)
        if minutes >= 60:
            return self.tr("{h} h {m} min").format(h=minutes // 60, m=f"{minutes % 60:02d}")
        return self.tr("{m} min").format(m=minutes)

    def show_backlog(self, backlog: SyncBacklog, now: datetime | None = None) -> None:
        now = now or utcnow()
        level, advice = backlog.health(now, self._alarm_s)
        parts = [self.tr("HQ: online") if backlog.online else
                 (self.tr("HQ: not enrolled") if not backlog.enrolled else self.tr("HQ: offline"))]
        parts.append(self.tr("to sync: {n}").format(n=backlog.pending))
        age = backlog.oldest_payment_age_s(now)
        if age is not None:
            parts.append(self.tr("oldest payment: {age}").format(age=self._age(age)))
        if backlog.quarantined:
            parts.append(self.tr("quarantined: {n}").format(n=backlog.quarantined))
        self.show_state(" · ".join(parts), level)
        last = (backlog.last_success_at.astimezone().strftime("%Y-%m-%d %H:%M") if backlog.last_success_at
                else self.tr("never"))
        advice_text = {
            "locked": self.tr("Receipt numbering is locked: this database looks restored from an older copy. "
                              "Ask IT to re-enrol this PC before taking payments."),
            "not_enrolled": self.tr("This PC is not enrolled with head office: everything is kept here. "
                                    "IT enrols it with: counter-app enrol --hq URL --code CODE"),
            "reenrol": self.tr("Head office refused this PC: re-enrolment required. Work goes on and everything is "
                               "kept; ask IT to re-enrol this PC."),
            "upgrade": self.tr("Head office needs a newer version of this program. Work goes on offline; "
                               "ask IT to upgrade."),
            "quarantined": self.tr("Head office could not accept some events (quarantined). They are kept here "
                                   "and at head office; tell head-office support."),
            "late": self.tr("A payment has waited too long to reach head office. Check the network; "
                            "if it lasts, tell IT."),
            "offline": self.tr("Head office cannot be reached. Work goes on; everything is sent automatically "
                               "when the link is back."),
            "sending": self.tr("Sending to head office; nothing to do."),
            "synced": self.tr("Everything is at head office."),
        }[advice]
        lines = [advice_text, self.tr("Last successful sync: {when}").format(when=last)]
        if backlog.last_error and advice not in ("synced", "not_enrolled"):
            lines.append(self.tr("Last error: {error}").format(error=self.error_words(backlog.last_error)))
        self.setToolTip("\n".join(lines))


    def error_words(self, stored: str) -> str:
        """The stored sentence of the last failed sync in this screen's language (by its code)."""
        code = sync_words.code_of(stored)
        detail = stored.split(":", 1)[1].strip() if code else stored
        said = {
            sync_words.UNREACHABLE: self.tr("head office cannot be reached (no answer on the network)."),
            sync_words.STALLED: self.tr("head office did not answer in time; the request is sent again."),
            sync_words.BUSY: self.tr("head office is busy or down; it is tried again."),
            sync_words.AUTH_FAILED: self.tr("head office did not accept this PC's credential; it is tried again."),
            sync_words.NODE_REFUSED: self.tr("head office refused this PC: re-enrolment required."),
            sync_words.UPGRADE: self.tr("head office needs a newer version of this program."),
            sync_words.REFUSED: self.tr("head office refused what was sent ({detail}).").format(detail=detail[:160]),
        }
        return said.get(code, detail[:200]) if code else stored[:200]


class CounterWindow(QMainWindow):
    """``logged_out`` fires once the clerk has handed the window back and the counter closed:
    the login opens again for the next clerk."""

    REFRESH_MS = 5000
    logged_out = Signal()

    def __init__(self, db: NodeDatabase, session: StaffSession, tasks: TaskRunner, *,
                 printer_name: str, hub_probe: Callable[[], bool] | None = None,
                 sync_alarm_s: float = 4 * 3600.0) -> None:
        super().__init__()
        self._db, self._session, self._tasks, self._hub_probe = db, session, tasks, hub_probe
        self.setWindowTitle(self.tr("Counter — window {n}").format(n=session.window or "-"))
        self.call_panel: Any = None  # the CallPanel, when the window is linked to a hub
        self._left = False
        self.leave_note = ""  # what the next login screen says of this clerk's leaving
        self.tabs = QTabWidget()
        self.home = HomePage(session, tasks, lambda: clerk_day(db, session))
        self.tabs.addTab(self.home, self.tr("Home"))
        self.key_strip = QLabel()
        self.key_strip.setObjectName("keyStrip")
        self.key_strip.setWordWrap(True)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.tabs, 1)
        column.addWidget(self.key_strip)
        self.setCentralWidget(central)
        self.tabs.currentChanged.connect(lambda _index: self._show_keys())
        self.clerk_field = StatusField("clerkStatus")
        self.window_field = StatusField("windowStatus")
        self.hub_field = StatusField("hubStatus")
        self.printer_field = StatusField("printerStatus")
        self.sync_field = SyncStatusField(sync_alarm_s)
        self.logout_button = QPushButton(self.tr("Log out / switch clerk   {key}").format(key=keymap.label("log_out")))
        self.logout_button.setObjectName("logout")
        self.logout_button.clicked.connect(self.log_out)
        for key in keymap.keys("log_out"):
            QShortcut(QKeySequence(key), self, activated=self.log_out)
        bar = QStatusBar()
        bar.addWidget(self.logout_button)
        for field in (self.clerk_field, self.window_field, self.hub_field, self.printer_field, self.sync_field):
            bar.addPermanentWidget(field)
        self.setStatusBar(bar)
        self.clerk_field.show_state(self.tr("Clerk: {name} {staff_no}").format(name=session.name, staff_no=session.staff_no))
        self.window_field.show_state(self.tr("Window {n}").format(n=session.window) if session.window else self.tr("No window"),
                                     "ok" if session.window else "warn")
        self.printer_field.show_state(self.tr("Printer: {name}").format(name=printer_name) if printer_name
                                      else self.tr("Printer: none, receipts saved as PDF"), "ok" if printer_name else "warn")
        self.hub_field.show_state(self.tr("Hub: checking…"), "warn")
        self.sync_field.show_state(self.tr("To sync: …"))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(self.REFRESH_MS)
        if session.window:
            tasks.run(lambda: window_info(db, session.window or 0), self.home.show_window, write=False)
        self.refresh()

    def follow_voice(self, problem: str, changed: Any) -> None:
        """A field for the hall's voice calls (this program runs the hall display): what is
        wrong with the speech engine, or that it works. ``changed`` is a signal of the problem."""
        field = StatusField("voiceStatus")
        self.statusBar().addPermanentWidget(field)

        def show(text: str) -> None:
            field.show_state(self.tr("Voice: {problem}").format(problem=text) if text else self.tr("Voice: on"),
                             "bad" if text else "ok")

        show(problem)
        changed.connect(show)
        self.voice_field = field

    def set_call_panel(self, panel: QWidget) -> None:
        """The call panel comes first: it is what the clerk works with all day."""
        self.call_panel = panel
        self.tabs.insertTab(0, panel, self.tr("Call panel"))
        self.tabs.setCurrentIndex(0)
        panel.bind_keys(self)  # F1–F12 call on every tab, not only on this one
        self._show_keys()

    def add_page(self, widget: QWidget, title: str) -> None:
        self.tabs.addTab(widget, title)
        self._show_keys()

    def _show_keys(self) -> None:
        """The key map on screen: the queue's F-keys (every tab), then this tab's own keys."""
        parts: list[tuple[str, str]] = []
        if self.call_panel is not None:
            parts += [(keymap.label(name), text) for name, text in self.call_panel.action_names().items()]
        page = self.tabs.currentWidget()
        help_of = getattr(page, "key_help", None)
        if callable(help_of):
            parts += help_of()
        parts.append((keymap.label("log_out"), self.tr("Log out")))
        self.key_strip.setText("   ".join(f"<b>{key}</b>&nbsp;{text}" for key, text in parts))

    def refresh(self) -> None:
        self._tasks.run(lambda: sync_backlog(self._db), self.sync_field.show_backlog, write=False)
        if self.home.isVisible():
            self.home.refresh()
        if self._hub_probe is not None:
            probe = self._hub_probe
            self._tasks.run(probe, self._show_hub, lambda _error: self._show_hub(False), write=False)
        else:
            self.hub_field.show_state(self.tr("Hub: not configured"), "warn")

    def _show_hub(self, up: bool) -> None:
        self.hub_field.show_state(self.tr("Hub: connected") if up else self.tr("Hub: unreachable"), "ok" if up else "bad")

    def log_out(self) -> None:
        """Hand the window back (a ticket still there is held for it), then close for the next
        clerk; if the hub refuses, stay, with its reason on the call panel."""
        self.logout_button.setEnabled(False)
        if self.call_panel is None:
            self._logged_out(True, "")
        else:
            self.call_panel.leave(self._logged_out)

    def _logged_out(self, ok: bool, message: str) -> None:
        """``message`` with ``ok``: what the next login screen tells the clerk who left (the hub
        was down: the window stays open there)."""
        self.logout_button.setEnabled(True)
        if not ok:
            self.tabs.setCurrentWidget(self.call_panel)
            return
        self.leave_note = message
        self._left = True
        self.close()
        self.logged_out.emit()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Quitting hands the window back too: nothing stays open under a clerk who has gone."""
        self._timer.stop()
        if self.call_panel is not None and not self._left:
            self._left = True
            self.call_panel.leave(at_once=True)
        super().closeEvent(event)
