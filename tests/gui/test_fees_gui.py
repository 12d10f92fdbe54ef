"""Fee collection as a clerk does it (pytest-qt, offscreen): the keyboard alone from the account
number to the printed receipt, bad input refused at its field with nothing changed, a bill paid
at another window meanwhile, a void with a manager's credentials, the receipts a restart left
unprinted, and the daily settlement that locks the day. Receipts are read back from their PDFs
and rendered to PNG."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pypdf import PdfReader
from sqlalchemy import select, text

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.domain.money import amount_in_words, format_fen
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.fees import FeePage, install_fee_page
from counter_app.gui.qtapp import install_translations, load_cjk_font, style_sheet
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, DailySettlement, Payment, Receipt, ReceiptPrint
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.queue.service import QueueService
from counter_app.services.seed import DEMO_PASSWORD
from tests.integration.billing_fixtures import account_with_bills, counter, fingerprint

LATE_FEE = {"daily_rate": 5, "rate_unit": "per_ten_thousand", "cap": "bill"}  # 万分之五 a day, never above the bill


@dataclass
class Workplace:
    window: CounterWindow
    page: FeePage
    clerk: StaffSession
    tasks: TaskRunner


def open_workplace(qtbot, db, data_paths: DataPaths, settings: Settings, staff_no: str = "1001",
                   window_no: int = 1, ticket: dict | None = None) -> Workplace:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    clerk = AuthService(db).login(staff_no, DEMO_PASSWORD, window_no)
    window = CounterWindow(db, clerk, tasks, printer_name=settings.printer.name)
    qtbot.addWidget(window)
    if ticket is not None:
        window.call_panel = SimpleNamespace(ticket=ticket)  # what the hub-linked call panel holds
    page = install_fee_page(window, db, clerk, tasks, settings, data_paths)
    assert page is not None
    window.tabs.setCurrentWidget(page)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return Workplace(window, page, clerk, tasks)


@pytest.fixture
def zh(qapp):  # type: ignore[no-untyped-def]
    translators = install_translations(qapp, "zh_CN")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


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
        import json

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
    press(qtbot, Qt.Key.Key_F2)
    assert QApplication.focusWidget() is page.search.edit
    type_text(qtbot, account_no)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.panel.view is not None and page.panel.view.account_no == account_no, timeout=5000)
    qtbot.waitUntil(lambda: page.form.quote is not None, timeout=5000)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(path)).pages)


# ---- the keyboard alone, from the account number to the receipt --------------------------------------


def test_a_payment_by_keyboard_alone_commits_then_prints(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    with_late_fees(seeded_db)
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    ticket = QueueService(seeded_db.sessions, seeded_db.branch_code).issue_ticket("A").ticket
    place = places(seeded_db, data_paths, settings, ticket={"id": ticket.id, "number": ticket.number})
    page = place.page

    find_account(qtbot, page, view.account_no)
    bills = page.panel.bills
    assert bills.topLevelItemCount() == 2
    assert [bills.topLevelItem(i).text(0) for i in range(2)] == sorted(b.period for b in view.bills)  # oldest first
    assert all(bills.topLevelItem(i).checkState(0) == Qt.CheckState.Checked for i in range(2))
    first = bills.topLevelItem(0)
    assert "第1阶梯" in first.child(0).text(0) and "m³" in first.text(2)
    assert any("违约金" in first.child(i).text(0) and "天" in first.child(i).text(0) for i in range(first.childCount()))
    quote = page.form.quote
    assert quote.due_fen == services.payments.quote(view.account_id).due_fen and quote.late_fee_fen > 0
    assert page.form.due.text() == format_fen(quote.due_fen)
    assert amount_in_words(quote.due_fen) in page.form.in_words.text()

    assert QApplication.focusWidget() is page.form.tendered  # cash by default: the clerk types what was handed over
    tendered = (quote.due_fen // 10000 + 1) * 100  # the next 100 yuan note
    type_text(qtbot, str(tendered))
    change = tendered * 100 - quote.due_fen
    assert page.form.change.text() == format_fen(change)
    with qtbot.waitSignal(page.printed, timeout=10_000) as printed:
        with qtbot.waitSignal(page.paid, timeout=10_000) as paid:
            press(qtbot, Qt.Key.Key_F12)
    result, outcome = paid.args[0], printed.args[0]
    assert (result.total_fen, result.tendered_fen, result.change_fen) == (quote.due_fen, tendered * 100, change)
    assert outcome.status == "saved" and outcome.receipt_no == result.receipt_no
    assert result.receipt_no in page.outcome.text() and format_fen(change) in page.outcome.text()
    assert QApplication.focusWidget() is page.search.edit  # ready for the next customer

    with unit_of_work(seeded_db.sessions) as session:
        payment = session.get(Payment, result.payment_id)
        assert payment.clerk_id == place.clerk.staff_id and payment.ticket_id == ticket.id
        assert payment.amount_fen == quote.due_fen and payment.late_fee_fen == quote.late_fee_fen
        receipt = session.scalars(select(Receipt).where(Receipt.payment_id == payment.id)).one()
        assert receipt.receipt_no == result.receipt_no
        prints = session.scalars(select(ReceiptPrint).where(ReceiptPrint.receipt_id == receipt.id)).all()
        assert [(p.status, p.is_copy) for p in prints] == [("saved", False)]
        assert all(session.get(Bill, b.bill_id).status == "paid" for b in view.bills)

    pdf = outcome.path
    assert pdf is not None and pdf.exists() and pdf.parent == data_paths.receipts
    words = pdf_text(pdf)
    assert result.receipt_no in words and amount_in_words(quote.due_fen) in words
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(pdf), str(png)], check=True)
    assert png.with_suffix(".png").stat().st_size > 5000

    qtbot.waitUntil(lambda: page.panel.view is not None and not page.panel.view.bills, timeout=5000)
    assert page.panel.selected_payment().payment_id == result.payment_id  # ready for F5 / F6


def test_arrow_keys_choose_among_the_results(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    page = places(seeded_db, data_paths, settings).page
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "M00000001")  # meter numbers M000000010 to M000000019
    qtbot.waitUntil(lambda: page.search.results.count() >= 3, timeout=5000)
    assert page.stack.currentWidget() is page.search.results
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    wanted = page.search.results.item(2).data(Qt.ItemDataRole.UserRole)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.panel.view is not None, timeout=5000)
    assert page.panel.view.account_id == wanted.account_id
    assert page.stack.currentWidget() is page.panel


def test_a_scanned_bill_finds_its_account(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    page = places(seeded_db, data_paths, settings).page
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "WB|acct=1000000007|2026-10|6384")  # a keyboard-wedge scanner types ASCII
    press(qtbot, Qt.Key.Key_Return)  # a scanner sends Enter at once, before any debounced search
    qtbot.waitUntil(lambda: page.panel.view is not None, timeout=5000)
    assert page.panel.view.account_no == "1000000007"



# ---- bad input: a message at the field, nothing changed -----------------------------------------------


def test_bad_input_is_refused_at_its_field_and_changes_nothing(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 1)
    page = places(seeded_db, data_paths, settings).page
    before = fingerprint(seeded_db)

    for typed, words in (("12345", "10 位数字"), ("1999999999", "没有户号 1999999999"), ("zz", "没有匹配的用户")):
        press(qtbot, Qt.Key.Key_F2)
        type_text(qtbot, typed)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.errors.text("query") != "", timeout=5000)
        message = page.errors.text("query")
        assert words in message, message
        assert QApplication.focusWidget() is page.search.edit and page.panel.view is None
        type_text(qtbot, "1")  # typing again clears the message
        assert page.errors.text("query") == ""

    page.search.edit.clear()
    find_account(qtbot, page, view.account_no)
    due = page.form.quote.due_fen
    short = format_fen(due - 1, symbol="").replace(",", "")
    for field, typed, words in (("tendered", "12.345", "最多两位小数"), ("tendered", "-5", "不能为负数"),
                                ("tendered", "0", "必须大于零"), ("tendered", "abc", "不是金额"),
                                ("tendered", short, "少于应收现金 " + format_fen(due)),
                                ("prepay", "0.001", "最多两位小数"), ("prepay", "-1", "不能为负数")):
        edit = page.form.tendered if field == "tendered" else page.form.prepay
        edit.setFocus()
        edit.selectAll()
        type_text(qtbot, typed)
        press(qtbot, Qt.Key.Key_F12)
        message = page.errors.text(field)
        assert words in message and message.startswith(page.words.field(field)), (typed, message)
        assert QApplication.focusWidget() is edit and bool(edit.property("invalid"))
        edit.clear()
    page.form.tendered.clear()
    assert page.form.change.text() == format_fen(0)  # nothing typed: the exact amount, no change

    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # 银行卡(&K)
    qtbot.waitUntil(lambda: page.form.mode() == "card", timeout=2000)  # a mnemonic clicks like a short press
    assert not page.form.tendered.isVisibleTo(page)
    press(qtbot, Qt.Key.Key_F12)
    assert "交易参考号" in page.errors.text("reference") and QApplication.focusWidget() is page.form.reference

    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # 组合支付(&S)
    qtbot.waitUntil(lambda: page.form.mode() == "split", timeout=2000)
    page.form.split_amount.setFocus()
    type_text(qtbot, format_fen(due, symbol="").replace(",", ""))
    page.form.reference.setFocus()
    type_text(qtbot, "POS123")
    press(qtbot, Qt.Key.Key_F12)
    assert "必须小于应收金额" in page.errors.text("split_amount")

    qtbot.wait(300)  # nothing went to a worker
    assert page.last_result is None
    assert fingerprint(seeded_db) == before


def test_a_bill_paid_at_another_window_meanwhile_takes_nothing(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    page = places(seeded_db, data_paths, settings).page
    find_account(qtbot, page, view.account_no)
    type_text(qtbot, "200")

    oldest = view.bills[0]  # window 2 takes the oldest bill a second ago
    other = services.auth.login("1002", DEMO_PASSWORD, 2)
    services.payments.take_payment(other, view.account_id, [MethodPart("cash", oldest.owed_fen)], bill_ids=[oldest.bill_id],
                                   expected_due_fen=oldest.owed_fen)
    before = fingerprint(seeded_db)
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: page.errors.text("bills") != "", timeout=5000)
    assert f"{oldest.period} 账单刚刚已缴" in page.errors.text("bills") and "本次未收款" in page.errors.text("bills")
    assert page.last_result is None and fingerprint(seeded_db) == before
    qtbot.waitUntil(lambda: page.panel.bills.topLevelItemCount() == 1 and page.form.quote is not None, timeout=5000)
    assert page.panel.bills.topLevelItem(0).text(0) == view.bills[1].period  # shown as it stands now
    assert page.form.quote.due_fen == view.bills[1].owed_fen
    assert "刚刚已缴" in page.errors.text("bills")  # the message stays until the clerk acts


# ---- void, reprint, unprinted, settlement --------------------------------------------------------------


def pay_cash(qtbot, page: FeePage, account_no: str):  # type: ignore[no-untyped-def]
    find_account(qtbot, page, account_no)
    with qtbot.waitSignal(page.printed, timeout=10_000):
        with qtbot.waitSignal(page.paid, timeout=10_000) as paid:
            press(qtbot, Qt.Key.Key_F12)
    return paid.args[0]


def test_void_needs_a_manager_and_prints_the_void_slip(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    page = places(seeded_db, data_paths, settings).page
    result = pay_cash(qtbot, page, view.account_no)
    qtbot.waitUntil(lambda: page.panel.selected_payment() is not None, timeout=5000)

    press(qtbot, Qt.Key.Key_F5)
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
    press(qtbot, Qt.Key.Key_F7)
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
        press(qtbot, Qt.Key.Key_F6)
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

    press(qtbot, Qt.Key.Key_F9)
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
    press(qtbot, Qt.Key.Key_F5)  # the settled day's payment can no longer be voided
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


@pytest.fixture
def hall_look(qapp):  # type: ignore[no-untyped-def]
    """The real program's font and style sheet, put back afterwards."""
    font, sheet = qapp.font(), qapp.styleSheet()
    family = load_cjk_font()
    qapp.setFont(QFont(family or font.family(), 12))
    qapp.setStyleSheet(style_sheet())
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


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
        press(qtbot, Qt.Key.Key_F12)
    press(qtbot, Qt.Key.Key_F9)
    dialog = page.settlement_dialog
    qtbot.waitUntil(lambda: dialog.summary is not None and QApplication.focusWidget() is dialog.counted, timeout=5000)
    type_text(qtbot, format_fen(dialog.summary.expected_cash_fen, symbol="").replace(",", ""))
    qtbot.wait(200)
    assert dialog.grab().save(str(folder / "settlement.png"))
