"""The fee page at a counter for pytest-qt: a counter window with the fee page on a seeded branch,
keys sent to whatever has the focus (as a clerk's keyboard does), and a tariff with late fees."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader
from sqlalchemy import text

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.fees import FeePage, install_fee_page
from counter_app.gui.tasks import TaskRunner
from counter_app.protocol.queue import Ticket
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.seed import DEMO_PASSWORD

LATE_FEE = {"daily_rate": 5, "rate_unit": "per_ten_thousand", "cap": "bill"}  # 万分之五 a day, never above the bill


@dataclass
class Workplace:
    window: CounterWindow
    page: FeePage
    clerk: StaffSession
    tasks: TaskRunner


def open_workplace(qtbot, db, data_paths: DataPaths, settings: Settings, staff_no: str = "1001",
                   window_no: int = 1, ticket: Ticket | None = None) -> Workplace:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    clerk = AuthService(db).login(staff_no, DEMO_PASSWORD, window_no)
    window = CounterWindow(db, clerk, tasks, printer_name=settings.printer.name)
    qtbot.addWidget(window)
    if ticket is not None:
        # what the hub-linked call panel holds, and what the window asks of it (keys, leaving)
        window.call_panel = SimpleNamespace(ticket=ticket, action_names=dict, leave=lambda on_done=None, at_once=False: None)
    page = install_fee_page(window, db, clerk, tasks, settings, data_paths)
    assert page is not None
    window.tabs.setCurrentWidget(page)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return Workplace(window, page, clerk, tasks)



@pytest.fixture
def places(qtbot, zh):  # type: ignore[no-untyped-def]
    opened: list[Workplace] = []

    def open_(*args, **kwargs) -> Workplace:  # type: ignore[no-untyped-def]
        place = open_workplace(qtbot, *args, **kwargs)
        opened.append(place)
        return place

    yield open_
    for place in opened:
        place.tasks.wait(10_000)
        for dialog in (place.page.void_dialog, place.page.unprinted_dialog, place.page.settlement_dialog):
            if dialog is not None:
                dialog.close()
        place.window.close()


def with_late_fees(db) -> None:  # type: ignore[no-untyped-def]
    """The residential tariff with a late-fee rule, so overdue bills carry 违约金."""
    with db.engine.begin() as connection:
        definition = connection.execute(text("SELECT definition FROM tariff_version WHERE code = 'RES-TIERED'")).scalar_one()
        data = json.loads(definition) if isinstance(definition, str) else dict(definition)
        data["late_fee"] = LATE_FEE
        connection.execute(text("UPDATE tariff_version SET definition = :d WHERE code = 'RES-TIERED'"), {"d": json.dumps(data)})


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key as the clerk presses it: to whatever has the focus (once a window is active again)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def type_text(qtbot, keys: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    qtbot.keyClicks(QApplication.focusWidget(), keys)


def find_account(qtbot, page: FeePage, account_no: str) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search.edit
    type_text(qtbot, account_no)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.panel.view is not None and page.panel.view.account_no == account_no, timeout=5000)
    qtbot.waitUntil(lambda: page.form.quote is not None, timeout=5000)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(path)).pages)


def pay_cash(qtbot, page: FeePage, account_no: str):  # type: ignore[no-untyped-def]
    find_account(qtbot, page, account_no)
    with qtbot.waitSignal(page.printed, timeout=10_000):
        with qtbot.waitSignal(page.paid, timeout=10_000) as paid:
            press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return paid.args[0]
