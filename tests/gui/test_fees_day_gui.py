"""The rest of a clerk's day at the fee page (pytest-qt, offscreen): a void with a manager's
credentials and its slip, a reprint (补打) and the receipts a restart left unprinted, the daily
settlement (日结) that locks the day, and the README's screenshots."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from counter_app.domain.allocation import MethodPart
from counter_app.domain.money import format_fen
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, DailySettlement, Payment
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.fees_fixtures import (  # noqa: F401 - fixtures
    find_account, pay_cash, pdf_text, places, press, type_text, with_late_fees,
)
from tests.integration.billing_fixtures import account_with_bills, counter


def test_void_needs_a_manager_and_prints_the_void_slip(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    page = places(seeded_db, data_paths, settings).page
    result = pay_cash(qtbot, page, view.account_no)
    qtbot.waitUntil(lambda: page.panel.selected_payment() is not None, timeout=5000)

    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = page.void_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason, timeout=5000)
    press(qtbot, Qt.Key.Key_Return)  # no reason: said at the field, no manager login spent
    press(qtbot, Qt.Key.Key_Return)
    dialog.password.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors.text("reason") != "", timeout=5000)
    assert "请写明原因" in dialog.errors.text("reason")

    dialog.reason.setFocus()
    dialog.reason.insert("金额录错")  # Chinese comes through the input method
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "1001")  # a clerk cannot authorise
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, DEMO_PASSWORD)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors.text("staff_no") != "", timeout=5000)
    assert "只有主任才能授权" in dialog.errors.text("staff_no")

    dialog.staff_no.clear()
    type_text(qtbot, "8001")
    dialog.password.setFocus()
    type_text(qtbot, "wrong-one")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors.text("password") != "", timeout=5000)
    assert "工号或密码错误" in dialog.errors.text("password")
    with unit_of_work(seeded_db.sessions) as session:
        assert session.scalars(select(Payment).where(Payment.kind == "void")).all() == []

    type_text(qtbot, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.voided, timeout=10_000) as voided:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    void = voided.args[0]
    qtbot.waitUntil(lambda: "冲正单已保存为" in dialog.outcome.text(), timeout=10_000)
    assert void.receipt_no in dialog.outcome.text() and format_fen(result.received_fen) in dialog.outcome.text()
    slip = data_paths.receipts / f"{void.receipt_no}.pdf"
    assert slip.exists() and result.receipt_no in pdf_text(slip)
    with unit_of_work(seeded_db.sessions) as session:
        row = session.get(Payment, void.payment_id)
        assert row.kind == "void" and row.reverses_id == result.payment_id and row.reason == "金额录错"
        assert all(session.get(Bill, b.bill_id).status == "open" for b in view.bills)  # restored
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.panel.view is not None and len(page.panel.view.bills) == 2, timeout=5000)


def test_reprint_and_the_receipts_a_restart_left_unprinted(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 1)
    clerk = services.auth.login("1001", DEMO_PASSWORD, 1)
    lost = services.payments.take_payment(clerk, view.account_id, [MethodPart("cash", view.owed_fen)],
                                          bill_ids=[b.bill_id for b in view.bills], expected_due_fen=view.owed_fen)
    # ... and the PC stopped before the printer: the next start offers the receipt
    page = places(seeded_db, data_paths, settings).page
    qtbot.waitUntil(page.unprinted_button.isVisible, timeout=5000)
    assert "1 张收据未打印" in page.unprinted_button.text()
    press(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = page.unprinted_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert dialog.table.item(0, 0).text() == lost.receipt_no
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table, timeout=5000)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # 全部打印(&A)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0 and "已存为 PDF" in dialog.outcome.text(), timeout=10_000)
    assert (data_paths.receipts / f"{lost.receipt_no}-copy1.pdf").exists()
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.unprinted_button.isVisible(), timeout=5000)

    find_account(qtbot, page, view.account_no)
    qtbot.waitUntil(lambda: page.panel.payments.rowCount() == 1, timeout=5000)
    assert page.panel.selected_payment().payment_id == lost.payment_id  # the newest is chosen
    with qtbot.waitSignal(page.printed, timeout=10_000) as printed:
        press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.args[0].is_copy and printed.args[0].receipt_no == lost.receipt_no
    assert "补打" in page.outcome.text()
    copy = data_paths.receipts / f"{lost.receipt_no}-copy2.pdf"
    assert copy.exists() and "补打" in pdf_text(copy)


def test_settlement_locks_the_day(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    first = account_with_bills(services, 2)
    with unit_of_work(seeded_db.sessions) as session:
        other_id = session.scalars(select(Bill.account_id).where(Bill.status == "open", Bill.account_id != first.account_id)
                                   .order_by(Bill.account_id)).first()
    second = services.accounts.account_view(other_id)
    place = places(seeded_db, data_paths, settings)
    page = place.page
    result = pay_cash(qtbot, page, first.account_no)
    today = result.business_date

    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = page.settlement_dialog
    qtbot.waitUntil(lambda: dialog.summary is not None and QApplication.focusWidget() is dialog.counted, timeout=5000)
    assert dialog.expected.text() == format_fen(result.received_fen)
    assert dialog.cells[(1, 1)].text() == format_fen(result.received_fen) and dialog.cells[(4, 1)].text() == "1"
    type_text(qtbot, "12.345")
    press(qtbot, Qt.Key.Key_Return)
    assert "最多两位小数" in dialog.errors.text("counted_cash")
    dialog.counted.clear()
    counted = result.received_fen - 100  # one yuan short
    type_text(qtbot, format_fen(counted, symbol="").replace(",", ""))
    assert dialog.difference.text() == "短款 ¥1.00"
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # asks once more
    with unit_of_work(seeded_db.sessions) as session:
        assert session.scalars(select(DailySettlement)).all() == []
    assert "再按一次" in dialog.settle_button.text()
    with qtbot.waitSignal(dialog.settled, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    report = data_paths.root / "reports" / f"settlement-{today.isoformat()}-1001.pdf"
    qtbot.waitUntil(lambda: f"文件已保存为 {report}" in dialog.outcome.text(), timeout=10_000)
    assert "短款" in pdf_text(report)
    with unit_of_work(seeded_db.sessions) as session:
        row = session.scalars(select(DailySettlement)).one()
        assert (row.business_date, row.counted_cash_fen, row.difference_fen) == (today, counted, -100)
    qtbot.waitUntil(lambda: not dialog.counted.isEnabled(), timeout=5000)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(page.day_state.isVisible, timeout=5000)
    assert "已日结" in page.day_state.text()

    later = pay_cash(qtbot, page, second.account_no)  # the next payment counts towards the next day
    assert later.business_date > today
    qtbot.waitUntil(lambda: page.panel.selected_payment() is not None, timeout=5000)
    page.search.edit.clear()
    find_account(qtbot, page, first.account_no)
    qtbot.waitUntil(lambda: page.panel.payments.rowCount() == 1, timeout=5000)
    page.panel.select_payment(result.payment_id)
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # the settled day's payment can no longer be voided
    dialog = page.void_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason, timeout=5000)
    dialog.reason.insert("金额录错")
    for keys in ("8001", DEMO_PASSWORD):
        press(qtbot, Qt.Key.Key_Return)
        type_text(qtbot, keys)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已日结" in dialog.outcome.text(), timeout=5000)
    assert "退费" in dialog.outcome.text()


# ---- screenshots for the README ----------------------------------------------------------------------


def test_screenshots(qtbot, hall_look, places, seeded_db, data_paths, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The fee page with an account of two overdue bills and cash typed, and the settlement dialog
    (COUNTER_APP_SCREENSHOTS=docs/screenshots writes them for the README)."""
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    with_late_fees(seeded_db)
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    place = places(seeded_db, data_paths, settings)
    earlier = services.auth.login("1001", DEMO_PASSWORD, 1)
    services.payments.take_payment(earlier, view.account_id, [MethodPart("qr", 5000, "QR20261124093015")], bill_ids=[],
                                   expected_due_fen=0)  # a prepayment earlier today: a balance and a last payment
    page = place.page
    find_account(qtbot, page, view.account_no)
    due = page.form.quote.due_fen
    type_text(qtbot, str((due // 10000 + 1) * 100))
    qtbot.wait(200)
    assert place.window.grab().save(str(folder / "fees.png"))

    with qtbot.waitSignal(page.printed, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = page.settlement_dialog
    qtbot.waitUntil(lambda: dialog.summary is not None and QApplication.focusWidget() is dialog.counted, timeout=5000)
    type_text(qtbot, format_fen(dialog.summary.expected_cash_fen, symbol="").replace(",", ""))
    qtbot.wait(200)
    assert dialog.grab().save(str(folder / "settlement.png"))
