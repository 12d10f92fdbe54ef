"""Finding the account: results as the clerk types (debounced, stale answers dropped), a scanned
bill barcode works like typing, arrow keys move through the results, Enter takes the chosen one
(the first by default) and, when nothing matches, says why at the field."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from counter_app.domain.errors import InvalidInput
from counter_app.gui.fees.fields import FieldErrors
from counter_app.gui.fees.words import FeeWords
from counter_app.gui.tasks import TaskRunner
from counter_app.services.billing.accounts import AccountHit, AccountService, account_no_from_scan, normalise_query
from counter_app.gui import keymap

log = logging.getLogger(__name__)

_MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


def find_accounts(accounts: AccountService, text: str) -> list[AccountHit]:
    """The hits for ``text``; when there are none, the InvalidInput that says why (runs on a worker)."""
    hits = accounts.search(text)
    if hits:
        return hits
    compact = normalise_query(text).replace(" ", "")
    if compact.isdigit() or account_no_from_scan(text):
        accounts.lookup_account_no(text)  # raises: malformed, or no such account
    raise InvalidInput("query", "nothing found", code="nothing_found")


class AccountSearch(QWidget):
    picked = Signal(object)  # AccountHit
    searching = Signal()  # the clerk is typing a new search
    escaped = Signal()

    DEBOUNCE_MS = 180

    def __init__(self, accounts: AccountService, tasks: TaskRunner, words: FeeWords, errors: FieldErrors,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts, self._tasks, self._words, self._errors = accounts, tasks, words, errors
        self._generation = 0
        self._results_for: str | None = None
        self.edit = QLineEdit(self)
        self.edit.setObjectName("searchEdit")
        self.edit.setMaxLength(200)
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(self.tr("Account number, meter number, name or address, or scan the bill"))
        label = QLabel(self.tr("&Find account ({key}):").format(key=keymap.label("find")))
        label.setBuddy(self.edit)
        self.count = QLabel()
        self.count.setObjectName("caption")
        self.count.setMinimumWidth(130)
        self.results = QListWidget()  # laid out by the page
        self.results.setObjectName("searchResults")
        self.results.itemActivated.connect(lambda item: self._emit(item.data(Qt.ItemDataRole.UserRole)))
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.edit, 1)
        row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(errors.add("query", self.edit, "account_no"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._search_now)
        self.edit.textEdited.connect(self._typed)
        self.edit.returnPressed.connect(self.pick_current)
        self.edit.installEventFilter(self)

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in _MOVE_KEYS and self.results.count():
                QApplication.sendEvent(self.results, event)
                return True
            if key == Qt.Key.Key_Escape:
                self.escaped.emit()
                return True
        return super().eventFilter(watched, event)

    # -- typing: results as the clerk types ---------------------------------------------------------

    def _typed(self, _text: str) -> None:
        self._results_for = None
        self.searching.emit()
        self._timer.start()

    def _search_now(self) -> None:
        text = self.edit.text()
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self._show([], text)
            return
        self.count.setText(self.tr("searching…"))
        self._tasks.run(lambda: self._accounts.search(text), lambda hits: generation == self._generation and self._show(hits, text),
                        lambda error: log.info("search %r: %s", text, error), write=False)

    def _show(self, hits: list[AccountHit], text: str) -> None:
        self.results.clear()
        for hit in hits:
            meters = " ".join(hit.meter_nos)
            item = QListWidgetItem(f"{hit.account_no}    {hit.holder}    {hit.address}    {meters}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setToolTip(f"{hit.account_no} {hit.holder}\n{hit.address}\n{meters}")
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        self._results_for = text
        self.count.setText(self.tr("{n} found").format(n=len(hits)) if text.strip() else "")

    # -- Enter: take the chosen hit, or search now and say why nothing matched ------------------------

    def pick_current(self) -> None:
        text = self.edit.text()
        if not text.strip():
            return
        if self._results_for == text and self.results.count():
            item = self.results.currentItem() or self.results.item(0)
            self._emit(item.data(Qt.ItemDataRole.UserRole))
            return
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self.count.setText(self.tr("searching…"))

        def found(hits: list[AccountHit]) -> None:
            if generation == self._generation:
                self._show(hits, text)
                self._emit(hits[0])

        def failed(error: Exception) -> None:
            if generation != self._generation:
                return
            self._show([], text)
            if not isinstance(error, InvalidInput):
                raise error
            self._errors.show("query", self._words.explain(error))

        self._tasks.run(lambda: find_accounts(self._accounts, text), found, failed, write=False)

    def _emit(self, hit: AccountHit) -> None:
        self._errors.clear("query")
        self.picked.emit(hit)

