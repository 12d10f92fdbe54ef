"""Fee collection as a clerk does it (pytest-qt, offscreen): the keyboard alone from the account
number to the printed receipt (read back from its PDF and rendered to PNG), the search by
arrows and by scanner, bad input refused at its field with nothing changed, a bill paid at
another window meanwhile, and a printer that fails after the money is taken."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from counter_app.core.config import PrinterSettings, Settings
from counter_app.domain.allocation import MethodPart
from counter_app.domain.money import amount_in_words, format_fen
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, Payment, Receipt, ReceiptPrint
from counter_app.services.queue.service import QueueService
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.fees_fixtures import find_account, pdf_text, places, press, type_text, with_late_fees  # noqa: F401
from tests.integration.billing_fixtures import account_with_bills, counter, fingerprint


# ---- the keyboard alone, from the account number to the receipt --------------------------------------


def test_a_payment_by_keyboard_alone_commits_then_prints(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    with_late_fees(seeded_db)
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    ticket = QueueService(seeded_db.sessions, seeded_db.branch_code).issue_ticket("A").ticket
    place = places(seeded_db, data_paths, settings, ticket=ticket)
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
            press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
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
    assert page.panel.selected_payment().payment_id == result.payment_id  # ready for void / reprint (Ctrl+D / Ctrl+P)


def test_arrow_keys_choose_among_the_results(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    page = places(seeded_db, data_paths, settings).page
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
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
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
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
        press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
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
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        message = page.errors.text(field)
        assert words in message and message.startswith(page.words.field(field)), (typed, message)
        assert QApplication.focusWidget() is edit and bool(edit.property("invalid"))
        edit.clear()
    page.form.tendered.clear()
    assert page.form.change.text() == format_fen(0)  # nothing typed: the exact amount, no change

    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # 银行卡(&K)
    qtbot.waitUntil(lambda: page.form.mode() == "card", timeout=2000)  # a mnemonic clicks like a short press
    assert not page.form.tendered.isVisibleTo(page)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "交易参考号" in page.errors.text("reference") and QApplication.focusWidget() is page.form.reference

    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # 组合支付(&S)
    qtbot.waitUntil(lambda: page.form.mode() == "split", timeout=2000)
    page.form.split_amount.setFocus()
    type_text(qtbot, format_fen(due, symbol="").replace(",", ""))
    page.form.reference.setFocus()
    type_text(qtbot, "POS123")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
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
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.errors.text("bills") != "", timeout=5000)
    assert f"{oldest.period} 账单刚刚已缴" in page.errors.text("bills") and "本次未收款" in page.errors.text("bills")
    assert page.last_result is None and fingerprint(seeded_db) == before
    qtbot.waitUntil(lambda: page.panel.bills.topLevelItemCount() == 1 and page.form.quote is not None, timeout=5000)
    assert page.panel.bills.topLevelItem(0).text(0) == view.bills[1].period  # shown as it stands now
    assert page.form.quote.due_fen == view.bills[1].owed_fen
    assert "刚刚已缴" in page.errors.text("bills")  # the message stays until the clerk acts



def test_the_keyboard_chooses_bills_and_the_balance(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 2)
    clerk = services.auth.login("1002", DEMO_PASSWORD, 2)
    services.payments.take_payment(clerk, view.account_id, [MethodPart("cash", 1000)], bill_ids=[], expected_due_fen=0)
    page = places(seeded_db, data_paths, settings).page
    find_account(qtbot, page, view.account_no)
    assert page.form.quote.due_fen == view.owed_fen

    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # 欠费账单(&I): the oldest bill is current
    assert QApplication.focusWidget() is page.panel.bills
    press(qtbot, Qt.Key.Key_Down)  # past its four lines to the newer bill
    while page.panel.bills.currentItem().parent() is not None:
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.form.quote is not None and page.form.quote.bill_ids == (view.bills[0].bill_id,), timeout=5000)
    assert page.form.quote.due_fen == view.bills[0].owed_fen

    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # 从预存余额抵扣(&B)
    qtbot.waitUntil(lambda: page.form.quote is not None and page.form.quote.from_balance_fen == 1000, timeout=5000)
    assert page.form.due.text() == format_fen(view.bills[0].owed_fen - 1000)
    assert "预存抵扣 −¥10.00" in page.form.breakdown.text()


def test_a_printer_fault_keeps_the_payment_and_offers_the_receipt(qtbot, places, seeded_db, data_paths) -> None:  # type: ignore[no-untyped-def]
    broken = Settings(printer=PrinterSettings(name="NoSuchPrinter-at-window-1"))
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services, 1)
    page = places(seeded_db, data_paths, broken).page
    find_account(qtbot, page, view.account_no)
    with qtbot.waitSignal(page.printed, timeout=10_000) as printed:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    outcome = printed.args[0]
    assert outcome.status == "failed" and "NoSuchPrinter-at-window-1" in outcome.detail
    assert "收据未打印" in page.outcome.text() and "Ctrl+U" in page.outcome.text()
    qtbot.waitUntil(page.unprinted_button.isVisible, timeout=5000)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(Payment, page.last_result.payment_id) is not None  # the money is taken all the same
