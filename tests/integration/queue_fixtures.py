"""A small hall for the queue tests: branch B001, services A 缴费 / B 报装 / C 咨询 / D 过户更名,
eight windows with their services in calling order, eight clerks and a manager.

The first call per process migrates and seeds a template database; every later call copies
it (SQLite's backup API), so a test gets a fresh real database in milliseconds."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from typing import Any

from counter_app.core.config import BranchSettings, HubSettings, Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.staff_rules import hash_password
from counter_app.domain.timeutil import utcnow
from counter_app.hub.client import HubClient
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Branch, HubDevice, Service, Staff, Window, WindowService
from counter_app.services.devices import token_hash
from counter_app.services.node import NodeDatabase, open_node_database

#: Devices enrolled in the template with known tokens (a real hub issues random ones).
TOKEN = "test-device-token-0001"  # the manager's console, not bound to a window
KIOSK_TOKEN = "test-kiosk-token-0001"
DISPLAY_TOKEN = "test-display-token-0001"
TEST_PASSWORD = "test-pass-1"  # every staff member's password in these tests


def counter_token(window: int) -> str:
    return f"test-counter-token-W{window:03d}"


def evaluator_token(window: int) -> str:
    return f"test-evaluator-token-W{window:03d}"


_hash: list[str] = []


def staff_password_hash() -> str:
    if not _hash:
        _hash.append(hash_password(TEST_PASSWORD))
    return _hash[0]


def enrol_known(node: NodeDatabase, role: str, token: str, window: int | None = None) -> None:
    """A device with a token of the test's choosing, written as ``hub-admin device-add`` would."""
    with unit_of_work(node.sessions) as session:
        session.add(HubDevice(name=f"test-{role}-{window or 0}-{token[-4:]}", role=role, window_number=window,
                              token_hash=token_hash(token), created_at=utcnow(), created_by="tests"))
BRANCH_CODE = "B001"

SERVICES = (  # letter, code, zh, en, daily cap, standard minutes
    ("A", "PAY", "缴费", "Payment", 999, 5),
    ("B", "CONNECT", "报装", "Connection", 999, 15),
    ("C", "INQUIRY", "咨询", "Inquiry", 999, 8),
    ("D", "TRANSFER", "过户更名", "Change of owner", 999, 10),
)
WINDOW_SERVICES = {1: "AC", 2: "AC", 3: "AD", 4: "AB", 5: "BA", 6: "BD", 7: "CA", 8: "DB"}
CLERKS = tuple(f"10{n:02d}" for n in range(1, 9))
MANAGER = "9001"


def clerk_no(window: int) -> str:
    return CLERKS[window - 1] if window <= len(CLERKS) else f"2{window:04d}"


@dataclass
class Hall:
    branch_id: str
    services: dict[str, str] = field(default_factory=dict)  # letter -> id
    windows: dict[int, str] = field(default_factory=dict)  # number -> id
    staff: dict[str, str] = field(default_factory=dict)  # staff_no -> id

    def clerk(self, window: int) -> str:
        """The clerk who works window ``window`` in the tests (1001 at window 1 ...)."""
        return self.staff[clerk_no(window)]

    @property
    def manager(self) -> str:
        return self.staff[MANAGER]


def hub_settings(token: str = TOKEN, port: int = 8765) -> Settings:
    return Settings(role="hub", branch=BranchSettings(code=BRANCH_CODE),
                    hub=HubSettings(url=f"http://127.0.0.1:{port}", listen_port=port, token=token))


def seed_hall(node: NodeDatabase) -> Hall:
    with unit_of_work(node.sessions) as session:
        branch = Branch(code=BRANCH_CODE, name="城东营业厅", utility_name="示范市自来水有限公司",
                        timezone="Asia/Shanghai")
        session.add(branch)
        session.flush()
        hall = Hall(branch.id)
        for order, (letter, code, zh, en, cap, minutes) in enumerate(SERVICES):
            service = Service(branch_id=branch.id, code=code, letter=letter, name_zh=zh, name_en=en, daily_cap=cap,
                              sort_order=order, active=True, standard_minutes=minutes)
            session.add(service)
            session.flush()
            hall.services[letter] = service.id
        for number, letters in WINDOW_SERVICES.items():
            window = Window(branch_id=branch.id, number=number, name=f"{number}号窗口", active=True)
            session.add(window)
            session.flush()
            hall.windows[number] = window.id
            for order, letter in enumerate(letters):
                session.add(WindowService(window_id=window.id, service_id=hall.services[letter], sort_order=order))
        for number, staff_no in enumerate((*CLERKS, MANAGER), start=1):
            role = "manager" if staff_no == MANAGER else "clerk"
            staff = Staff(branch_id=branch.id, staff_no=staff_no, name=f"营业员{number}" if role == "clerk" else "主任",
                          role=role, password_hash=staff_password_hash(), star_level=3, disabled=False)
            session.add(staff)
            session.flush()
            hall.staff[staff_no] = staff.id
    return hall


def add_windows(node: NodeDatabase, hall: Hall, upto: int) -> Hall:
    """More windows (9 .. ``upto``), serving services in the same patterns, each with a clerk."""
    with unit_of_work(node.sessions) as session:
        for number in range(len(hall.windows) + 1, upto + 1):
            window = Window(branch_id=hall.branch_id, number=number, name=f"{number}号窗口", active=True)
            session.add(window)
            session.flush()
            hall.windows[number] = window.id
            for order, letter in enumerate(WINDOW_SERVICES[(number - 1) % 8 + 1]):
                session.add(WindowService(window_id=window.id, service_id=hall.services[letter], sort_order=order))
            staff = Staff(branch_id=hall.branch_id, staff_no=clerk_no(number), name=f"营业员{number}", role="clerk",
                          password_hash=staff_password_hash(), star_level=3, disabled=False)
            session.add(staff)
            session.flush()
            hall.staff[staff.staff_no] = staff.id
    return hall


_template: tuple[Path, Hall] | None = None


def _make_template() -> tuple[Path, Hall]:
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="queue-template-"))
        atexit.register(shutil.rmtree, folder, True)
        node = open_node_database(DataPaths(folder), hub_settings())
        hall = seed_hall(node)
        enrol_known(node, "manager", TOKEN)
        enrol_known(node, "kiosk", KIOSK_TOKEN)
        enrol_known(node, "display", DISPLAY_TOKEN)
        for number in WINDOW_SERVICES:
            enrol_known(node, "counter", counter_token(number), number)
            enrol_known(node, "evaluator", evaluator_token(number), number)
        node.dispose()
        _template = (DataPaths(folder).database, hall)
    return _template


def hall_database(root: Path, settings: Settings | None = None) -> tuple[NodeDatabase, Hall]:
    """A fresh seeded hub database under ``root``, opened (migrations are already at head)."""
    source, template_hall = _make_template()
    hall = Hall(template_hall.branch_id, dict(template_hall.services), dict(template_hall.windows),
                dict(template_hall.staff))
    paths = DataPaths(root).ensure()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(paths.database)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return open_node_database(paths, settings or hub_settings()), hall


class HallClient(HubClient):
    """The tests' stand-in for a whole hall over one object: tickets through the kiosk's
    credential, window commands through the manager console's, each window's clerk logged in
    at the hub on first use (by the clerk id the test names), the reset under the manager."""

    def __init__(self, url: str, hall: Hall, **kwargs: Any) -> None:
        super().__init__(url, TOKEN, **kwargs)
        self.hall = hall
        self.kiosk = HubClient(url, KIOSK_TOKEN, **kwargs)
        self._numbers = {staff_id: staff_no for staff_no, staff_id in hall.staff.items()}
        self._clerks: dict[int | None, str] = {}

    def close(self) -> None:
        self.kiosk.close()
        super().close()

    def issue_ticket(self, service: str, priority: str = "normal", priority_reason: str = "") -> dict[str, Any]:
        return self.kiosk.issue_ticket(service, priority, priority_reason)

    def as_clerk(self, window: int | None, clerk_id: str) -> None:
        if self._clerks.get(window) != clerk_id:
            self.login(self._numbers[clerk_id], TEST_PASSWORD, window)
            self._clerks[window] = clerk_id

    def _window(self, window: int, path: str, clerk_id: str | None, **extra: Any) -> dict[str, Any]:
        if clerk_id is not None:
            self.as_clerk(window, clerk_id)
        return super()._window(window, path, clerk_id, **extra)

    def force_close_window(self, window: int, manager_id: str, reason: str,
                           from_window: int | None = None) -> dict[str, Any]:
        self.as_clerk(from_window, manager_id)  # the manager logged in at the console (or at from_window)
        return super().force_close_window(window, manager_id, reason, from_window)

    def cancel(self, ticket: str, clerk_id: str) -> dict[str, Any]:
        self.as_clerk(None, clerk_id)
        return super().cancel(ticket, clerk_id)

    def end_of_day_reset(self, clerk_id: str) -> dict[str, Any]:
        self.as_clerk(None, clerk_id)
        return super().end_of_day_reset(clerk_id)
