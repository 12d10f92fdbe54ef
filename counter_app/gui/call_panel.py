"""The counter's call panel (叫号面板): keyboard first, every action on an F-key and a button.

The panel shows the window's current ticket, the waiting counts of every service and the
waiting and held lists; it sends commands to the hub and redraws from the hub's answers and
its event stream, never from its own guesses.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.domain.staff_rules import Role
from counter_app.domain.window_seat import Seat
from counter_app.gui import keymap
from counter_app.gui.hub_link import HubLink
from counter_app.hub.client import (HubClient, HubUnavailable, HubUpgradeRequired, SessionEnded, decode, queue_needs_hub,
                                     ticket_finished_here, window_left_open)
from counter_app.protocol import Event, OpAnswer, ResetAnswer, Service, State, Ticket, Window
from counter_app.gui.rule_words import rule_text
from counter_app.gui.widgets import list_table
from counter_app.services.auth import StaffSession
from counter_app.services.queue.finished_here import FinishedHere

log = logging.getLogger(__name__)


class CallPanel(QWidget):
    """One window's call panel. ``ticket`` holds the current ticket as the hub last said;
    ``seat_changed(Seat)`` whenever who holds the window changes."""

    seat_changed = Signal(object)
    finished_here = Signal(str)  # the id of the ticket the clerk finished while the hub was down

    def __init__(self, link: HubLink, session: StaffSession, window: int, finished: FinishedHere | None = None) -> None:
        super().__init__()
        self.link, self.session, self.window = link, session, window
        self.ticket: Ticket | None = None
        self.window_state = "closed"
        self.seat = Seat("closed", None, session.staff_id)
        self.windows: list[Window] = []  # every window as the hub last said
        self.services: dict[str, Service] = {}
        self.other_windows: list[int] = []  # open windows a ticket can be sent to
        self.hub_away = False  # the hub's event stream dropped and has not come back
        self.finished = finished  # the counter's record of finishes the hub has not been told (restarts too)
        self.untold: dict[str, str] = {}  # ticket id -> number: finished here while the hub was down
        self._telling: set[str] = set()
        if finished is not None:
            self.untold = {row.ticket_id: row.number for row in finished.untold(window)}
            for ticket_id in self.untold:  # the evaluator (connected after this) asks nobody to rate them
                QTimer.singleShot(0, lambda t=ticket_id: self.finished_here.emit(t))
        self._build()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(120)
        self._refresh_timer.timeout.connect(self.refresh)
        link.event.connect(self._on_event)
        link.online_changed.connect(self._on_online)
        self.refresh()

    # --- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.number = QLabel("—")
        self.number.setObjectName("currentNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.window_label = QLabel()
        self.window_label.setObjectName("windowState")
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for index, (name, text) in enumerate(self.action_names().items()):
            button = QPushButton(f"{text}\n{keymap.label(name)}")
            button.setObjectName(f"action_{name}")
            button.setMinimumHeight(64)
            button.clicked.connect(getattr(self, f"do_{name}"))
            grid.addWidget(button, index // 4, index % 4)
            self.buttons[name] = button
        self._shortcuts: list[QShortcut] = []
        self.bind_keys(self)
        left = QVBoxLayout()
        left.addWidget(self.window_label)
        left.addWidget(self.number)
        left.addWidget(self.detail)
        left.addLayout(grid)
        left.addWidget(self.message)
        left.addStretch(1)
        self.reset_button: QPushButton | None = None
        if self.session.role in (Role.MANAGER, Role.ADMIN):
            self.reset_button = QPushButton(self.tr("End-of-day reset (日终清号)…"))
            self.reset_button.setObjectName("endOfDayReset")
            self.reset_button.clicked.connect(self.do_end_of_day_reset)
            left.addWidget(self.reset_button)
        self.force_close_button: QPushButton | None = None
        if self.session.role in (Role.MANAGER, Role.ADMIN):
            self.force_close_button = QPushButton(self.tr("Force-close a window (强制关窗)…"))
            self.force_close_button.setObjectName("forceClose")
            self.force_close_button.clicked.connect(lambda: self.do_force_close())
            left.addWidget(self.force_close_button)
        self.count_tiles: dict[str, QLabel] = {}
        self.counts_row = QHBoxLayout()
        self.waiting = list_table([self.tr("Number"), self.tr("Service"), self.tr("Priority"), self.tr("Waited")], fit_columns=False)
        self.held = list_table([self.tr("Number"), self.tr("Service")], fit_columns=False)
        right = QVBoxLayout()
        right.addLayout(self.counts_row)
        right.addWidget(QLabel(self.tr("Waiting")))
        right.addWidget(self.waiting, 3)
        right.addWidget(QLabel(self.tr("Held")))
        right.addWidget(self.held, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def action_names(self) -> dict[str, str]:
        """The panel's actions as the clerk reads them, in the order of the F-keys."""
        names = {
            "call_next": self.tr("Call next"), "recall": self.tr("Recall"), "start_service": self.tr("Start service"),
            "finish": self.tr("Finish"), "no_show": self.tr("No-show"), "hold": self.tr("Hold"),
            "transfer": self.tr("Transfer"), "recycle": self.tr("Back to queue"), "pause": self.tr("Pause / resume"),
            "open_close": self.tr("Open / close window"), "call_selected": self.tr("Call selected"),
            "call_back": self.tr("Call back held"),
        }
        return {name: names[name] for name in keymap.QUEUE_KEYS}

    def bind_keys(self, host: QWidget) -> None:
        """Put the F-keys on ``host`` (the counter window: they then work on every tab)."""
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        for name, key in keymap.QUEUE_KEYS.items():
            shortcut = QShortcut(QKeySequence(key), host, activated=self.buttons[name].click,
                                 context=Qt.ShortcutContext.WindowShortcut)
            shortcut.setObjectName(name)
            self._shortcuts.append(shortcut)

    # --- commands ------------------------------------------------------------------------------

    def _send(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Send a window command (a :class:`HubClient` method) for this window and clerk."""
        self.message.clear()
        self.link.command(operation, self.window, self.session.staff_id, *args,
                          on_done=lambda answer: self._answered(operation, answer), on_error=self._refused, **kwargs)

    def do_call_next(self) -> None:
        self._send(HubClient.call_next)

    def do_recall(self) -> None:
        self._send(HubClient.recall)

    def do_start_service(self) -> None:
        self._send(HubClient.start_service)

    def do_finish(self) -> None:
        if self.hub_away and self.ticket is not None:
            self._finish_here(self.ticket)
        else:
            self._send(HubClient.finish)

    def _finish_here(self, ticket: Ticket) -> None:
        """The hub is down and the customer of ``ticket`` has been served: the window is free for
        the next customer (served without a ticket: a walk-in); the hub is told when it is back,
        and no rating of ``ticket`` is asked then (its customer has gone)."""
        if self.finished is not None:  # a local commit: a restart before the hub is back forgets nothing
            self.finished.record(ticket.id, ticket.number, self.window, self.session.staff_id)
        self.untold[ticket.id] = ticket.number
        self.ticket = None
        self.number.setText("—")
        self.detail.setText(self.tr("No customer at the window"))
        self.buttons["finish"].setEnabled(False)
        self.message.setText(rule_text(ticket_finished_here(ticket.number)))
        self.finished_here.emit(ticket.id)

    def do_no_show(self) -> None:
        self._send(HubClient.no_show)

    def do_hold(self) -> None:
        self._send(HubClient.hold)

    def do_recycle(self) -> None:
        self._send(HubClient.recycle)

    def do_pause(self) -> None:
        self._send(HubClient.resume_window if self.window_state == "paused" else HubClient.pause_window)

    def do_open_close(self) -> None:
        self._send(HubClient.close_window if self.window_state in ("open", "paused") else HubClient.open_window)

    def take_window(self) -> None:
        """Open the window under the clerk who just logged in. Refused (open under somebody
        else): the hub's state then says by whom, which says more than the refusal."""
        self.link.command(HubClient.open_window, self.window, self.session.staff_id,
                          on_done=lambda answer: self._answered(HubClient.open_window, answer), on_error=lambda _e: self.refresh())

    def leave(self, on_done: Callable[[bool, str], None] | None = None, *, at_once: bool = False) -> None:
        """Hand the window back before the clerk goes (log out, switch clerk, quit): a ticket
        still at the window is held for it, then the window closes, then the clerk's staff
        session at the hub ends (``HubClient.logout``). ``on_done(ok, message)``.
        ``at_once`` (the program is quitting, no answer will be read): send every step now, in
        order on the command queue, instead of one after the other's answer."""
        steps = [getattr(HubClient, step) for step in self.seat.leaving(self.ticket.state if self.ticket else None)]
        steps.append(HubClient.logout)
        if at_once:
            for step in steps:
                self.link.command(step, *self._leave_args(step),
                                  on_error=lambda error: log.warning("window %d not handed back: %s", self.window, error))
            return

        def next_step(_answer: Any = None) -> None:
            if not steps:
                if on_done is not None:
                    on_done(True, "")
                return
            step = steps.pop(0)
            self.link.command(step, *self._leave_args(step), on_done=next_step, on_error=failed)

        def failed(error: Exception) -> None:
            if isinstance(error, SessionEnded) and not steps:  # refused the logout, the last step:
                next_step()  # the hub had already ended the session, logged out all the same
                return
            if isinstance(error, HubUnavailable) and not isinstance(error, HubUpgradeRequired):
                # the hub is down: the clerk still leaves this PC (nobody works on under his name);
                # the window stays open under him at the hub, and he is told so
                log.warning("window %d left while the hub cannot be reached (still open there): %s", self.window, error)
                if on_done is not None:
                    on_done(True, rule_text(window_left_open(self.window)))
                return
            log.warning("window %d not handed back: %s", self.window, error)
            self._refused(error)
            if on_done is not None:
                on_done(False, self.message.text())

        next_step()

    def _leave_args(self, step: Callable[..., Any]) -> tuple[Any, ...]:
        return (self.window,) if step is HubClient.logout else (self.window, self.session.staff_id)

    def do_force_close(self, window: int | None = None, reason: str | None = None) -> None:
        """A manager closes a window someone else left open, saying why (asks for both when
        not given)."""
        if window is None:
            taken = [w for w in self.windows if w.state != "closed" and w.clerk_id != self.session.staff_id]
            if not taken:
                self.message.setText(self.tr("No window is open under another clerk."))
                return
            labels = [self.tr("Window {n}: {name} {staff_no}").format(
                n=w.number, name=w.clerk_name or "", staff_no=w.staff_no or "") for w in taken]
            choice, ok = QInputDialog.getItem(self, self.tr("Force-close a window"), self.tr("Window to close:"),
                                              labels, 0, False)
            if not ok:
                return
            window = taken[labels.index(choice)].number
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Force-close a window"),
                                              self.tr("Why is window {n} closed? (kept in the log)").format(n=window))
            if not ok:
                return
        self.message.clear()
        self.link.command(HubClient.force_close_window, window, self.session.staff_id, reason, self.window,
                          on_done=lambda _answer: self._force_closed(int(window or 0)), on_error=self._refused)

    def _force_closed(self, window: int) -> None:
        self.message.setText(self.tr("Window {n} closed; a ticket still there is held for it.").format(n=window))
        self.refresh_soon()

    def do_call_selected(self) -> None:
        number = self._selected(self.waiting)
        if number:
            self._send(HubClient.call_specific, number)
        else:
            self.message.setText(self.tr("Select a ticket in the waiting list first."))

    def do_call_back(self) -> None:
        number = self._selected(self.held)
        if number:
            self._send(HubClient.call_back, number)
        else:
            self.message.setText(self.tr("Select a held ticket first."))

    def do_transfer(self) -> None:
        """To another service's queue, or to one window (keeping the original arrival time)."""
        targets: list[tuple[str, dict[str, Any]]] = [
            (self.tr("Service {letter} {name}").format(letter=letter, name=s.name_zh), {"to_service": letter})
            for letter, s in self.services.items()]
        targets += [(self.tr("Window {n}").format(n=number), {"to_window": number})
                    for number in self.other_windows]
        choice, ok = QInputDialog.getItem(self, self.tr("Transfer"), self.tr("Transfer the ticket to:"),
                                          [label for label, _ in targets], 0, False)
        if ok and choice:
            self._send(HubClient.transfer, **dict(targets)[choice])

    def do_end_of_day_reset(self, confirmed: bool = False) -> None:
        """A manager closes today's open tickets as cleared (asks first); numbering starts again
        with the next business day, never repeating a number within one."""
        if not confirmed:
            answer = QMessageBox.question(
                self, self.tr("End-of-day reset"),
                self.tr("Close every open ticket of today as cleared?\n"
                        "Customers still waiting will need a new ticket."))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.message.clear()
        self.link.command(HubClient.end_of_day_reset, self.session.staff_id, on_done=self._reset_done, on_error=self._refused)

    def _reset_done(self, answer: ResetAnswer) -> None:
        self.message.setText(self.tr("End-of-day reset done: {n} open tickets cleared.").format(n=answer.cleared))
        self.refresh_soon()

    def _selected(self, table: QTableWidget) -> str | None:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    # --- answers and events ----------------------------------------------------------------------

    def _answered(self, operation: Callable[..., Any], answer: OpAnswer) -> None:
        self._show_window(answer.window)
        if operation is HubClient.call_next and answer.window.current is None:
            self.message.setText(self.tr("Nobody is waiting for this window's services."))
        self.refresh_soon()

    def _refused(self, error: Exception) -> None:
        if isinstance(error, HubUnavailable) and not isinstance(error, HubUpgradeRequired):
            log.warning("window %d: the hub cannot be reached: %s", self.window, error)
            error = queue_needs_hub()  # what calling needs and what the window still does, not the client's words
        if isinstance(error, UserError):
            self.message.setText(rule_text(error))
        else:
            self.message.setText(self.tr("The queue server did not answer: {error}").format(error=error))

    def _on_online(self, online: bool) -> None:
        """The hub's event stream dropped or came back: while it is away the queue keys are off
        and the panel says what calling needs; back, the hub's state redraws it."""
        self.hub_away = not online
        if online:
            if self.message.text() == rule_text(queue_needs_hub()):
                self.message.clear()
            self.refresh()
            return
        for name, button in self.buttons.items():  # only the customer at the window can still be finished (here)
            button.setEnabled(name == "finish" and self.ticket is not None)
        self._refused(HubUnavailable("the hub's event stream dropped"))

    def _on_event(self, event: Event) -> None:
        self.refresh_soon()

    def refresh_soon(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        self.link.read(HubClient.state, on_done=self.show_state, on_error=self._refused)

    def show_state(self, state: State) -> None:
        self.services = {s.letter: s for s in state.services}
        self.windows = list(state.windows)
        mine = next((w for w in state.windows if w.number == self.window), None)
        self.other_windows = [w.number for w in state.windows if w.number != self.window and w.state in ("open", "paused")]
        if mine is not None:
            current = mine.current.id if mine.current is not None else None
            if current in self.untold:  # finished here while the hub was down: not shown, the hub told once
                self._tell_finish(current)
                mine = mine.model_copy(update={"current": None})
            self._show_window(mine)
            for ticket_id in [t for t in self.untold if t != current and t not in self._telling]:
                self._told(ticket_id)  # the hub moved it on meanwhile: nothing to tell
        served = set(mine.services) if mine else set(self.services)
        for service in state.services:
            self._count_tile(service.letter).setText(
                self.tr("{letter} {name}\n{n} waiting").format(letter=service.letter, name=service.name_zh,
                                                              n=service.waiting))
        now = datetime.now(timezone.utc)
        self._fill(self.waiting, [
            (t.number, self._service_name(t.queue_service, t.queue_service),
             self.tr("Green channel") if t.priority == "green" else "", self._minutes(now, t.queued_at))
            for t in state.waiting if t.queue_service in served or t.target_window == self.window])
        self._fill(self.held, [(t.number, self._service_name(t.service, "")) for t in state.held if t.window == self.window])

    def _tell_finish(self, ticket_id: str) -> None:
        if ticket_id in self._telling:
            return
        self._telling.add(ticket_id)

        def failed(error: Exception) -> None:
            self._telling.discard(ticket_id)
            self._refused(error)

        finished = self.finished

        def tell(client: HubClient, window: int, clerk_id: str) -> Any:
            answer = finished.tell(client, window, clerk_id, ticket_id) if finished else client.finish(window, clerk_id)
            return decode(HubClient.finish, answer)

        self.link.command(tell, self.window, self.session.staff_id,
                          on_done=lambda answer: (self._told(ticket_id), self._answered(HubClient.finish, answer)),
                          on_error=failed)

    def _told(self, ticket_id: str) -> None:
        self._telling.discard(ticket_id)
        self.untold.pop(ticket_id, None)
        if self.finished is not None:
            self.finished.told(ticket_id)

    def _service_name(self, letter: str, otherwise: str) -> str:
        service = self.services.get(letter)
        return service.name_zh if service else otherwise

    def _count_tile(self, letter: str) -> QLabel:
        tile = self.count_tiles.get(letter)
        if tile is None:
            tile = QLabel()
            tile.setObjectName("countTile")
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.counts_row.addWidget(tile)
            self.count_tiles[letter] = tile
        return tile

    def _minutes(self, now: datetime, since: datetime) -> str:
        waited = (now - since).total_seconds() // 60
        return self.tr("{n} min").format(n=int(max(waited, 0)))

    def _fill(self, table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        selected = self._selected(table)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))
            if row[0] == selected:
                table.selectRow(r)

    def _show_window(self, window: Window) -> None:
        self.window_state = window.state
        seat = Seat(self.window_state, window.clerk_id, self.session.staff_id)
        if seat != self.seat:
            self.seat = seat
            self.seat_changed.emit(seat)
        names = {"open": self.tr("Window open"), "paused": self.tr("Paused (暂停服务)"), "closed": self.tr("Window closed")}
        if self.seat.taken:
            holder = " ".join(part for part in (window.clerk_name, window.staff_no) if part)
            self.window_label.setText(self.tr("Open under another clerk: {holder}").format(holder=holder or "?"))
            self.message.setText(self.tr("Window {n} is open under {holder}. They must log out there, or the "
                                         "branch manager force-closes it.").format(n=self.window, holder=holder or "?"))
        else:
            self.window_label.setText(names.get(self.window_state, self.window_state))
        self.window_label.setProperty("state", "taken" if self.seat.taken else self.window_state)
        self.window_label.style().unpolish(self.window_label)
        self.window_label.style().polish(self.window_label)
        self.ticket = window.current
        if self.ticket:
            self.number.setText(self.ticket.number)
            states = {"called": self.tr("Called ({n}×)").format(n=self.ticket.call_count),
                      "serving": self.tr("Serving")}
            self.detail.setText(states.get(self.ticket.state, self.ticket.state))
        else:
            self.number.setText("—")
            self.detail.setText(self.tr("No customer at the window"))
        for name, on in self.seat.enabled(self.ticket.state if self.ticket else None).items():
            self.buttons[name].setEnabled(on)
