"""A first password (or one reset at head office) at the login screen (pytest-qt, offscreen): the
right password opens no counter but the change-password dialog; two entries that differ, and a new
password the service refuses, are said in the dialog; a good one logs in and clears the flag. In
Chinese (the default) and English. Screenshot for the README (COUNTER_APP_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select, text

from counter_app.domain.staff_rules import verify_password
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.password_change import ChangePasswordDialog
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Staff
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.conftest import hall_look  # noqa: F401
from tests.gui.test_login_and_counter import front, type_login  # noqa: F401  (front: the login in Chinese)


def must_change(db, staff_no: str) -> bool:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        return session.scalars(select(Staff.must_change_password).where(Staff.staff_no == staff_no)).one()


def flagged(db, staff_no: str) -> None:  # type: ignore[no-untyped-def]
    """His password a first one (as head office publishes a new staff member's)."""
    with unit_of_work(db.sessions) as session:
        session.execute(text("UPDATE staff SET must_change_password = 1 WHERE staff_no = :n"), {"n": staff_no})


def twice(qtbot, dialog, password: str) -> None:  # type: ignore[no-untyped-def]
    for box in (dialog.new, dialog.again):
        box.clear()
        qtbot.keyClicks(box, password)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)


def test_a_first_password_is_changed_before_the_counter_opens(qtbot, hall_look, front, seeded_db,  # type: ignore[no-untyped-def]  # noqa: F811
                                                              tmp_path) -> None:
    flagged(seeded_db, "1001")
    type_login(qtbot, front, "1001", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: front.login.change_dialog is not None and front.login.change_dialog.isVisible(),
                    timeout=5000)
    dialog = front.login.change_dialog
    assert dialog.windowTitle() == "设置新密码" and not any(isinstance(w, CounterWindow) for w in front.windows)
    for box in (dialog.new, dialog.again):
        qtbot.keyClicks(box, "new-pass-1")
    dialog.again.setText("new-pass-2")
    dialog.button.click()
    assert dialog.error.text() == "两次输入不一致：请把新密码输入两遍。" and must_change(seeded_db, "1001")
    twice(qtbot, dialog, "abc")  # the service's rule
    qtbot.waitUntil(lambda: "6" in dialog.error.text() and dialog.button.isEnabled(), timeout=10000)
    assert dialog.new.text() == "" and must_change(seeded_db, "1001")
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    dialog.resize(520, dialog.sizeHint().height())
    assert dialog.grab().save(str(folder / "login-change-password.png"))
    with qtbot.waitSignal(front.login.logged_in, timeout=10000):
        twice(qtbot, dialog, "mine-pw-42")
    assert front.login.change_dialog is None and not must_change(seeded_db, "1001")
    with unit_of_work(seeded_db.sessions) as session:
        stored = session.scalars(select(Staff.password_hash).where(Staff.staff_no == "1001")).one()
    assert verify_password(stored, "mine-pw-42") and stored.startswith("$argon2id$")
    assert any(isinstance(w, CounterWindow) for w in front.windows)


def test_given_up_opens_nothing(qtbot, front, seeded_db) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    flagged(seeded_db, "1001")
    type_login(qtbot, front, "1001", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: front.login.change_dialog is not None and front.login.change_dialog.isVisible(),
                    timeout=5000)
    front.login.change_dialog.reject()  # closed without a new password: back to the login, nothing opened
    assert front.login.error.text() == "须先设置新密码才能开始工作。"
    assert front.login.button.isEnabled() and front.login.password.text() == ""
    assert must_change(seeded_db, "1001") and not any(isinstance(w, CounterWindow) for w in front.windows)


def test_the_dialog_in_english(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ChangePasswordDialog("1001")  # no translation installed: the English source
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Set a new password" and dialog.button.text() == "Set the new password and log in"
    with qtbot.waitSignal(dialog.chosen, timeout=2000) as chosen:
        for box in (dialog.new, dialog.again):
            box.setText("mine-pw-42")
        dialog.button.click()
    assert chosen.args == ["mine-pw-42"] and not dialog.button.isEnabled()
    dialog.refused("at least 6 characters.")
    assert dialog.error.text() == "at least 6 characters." and dialog.new.text() == "" and dialog.button.isEnabled()
