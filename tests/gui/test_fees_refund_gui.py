"""退费 at the fee page (pytest-qt, offscreen): after the day is settled only a refund from the
prepaid balance can hand money back, with a manager's credentials, and never more than the balance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from counter_app.domain.allocation import MethodPart
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import CustomerAccount, Payment
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.fees_fixtures import find_account, places, press, type_text  # noqa: F401 - fixtures
from tests.integration.billing_fixtures import account_with_bills, clerk, counter


def test_refund_from_the_prepaid_balance_with_a_manager(qtbot, places, seeded_db, data_paths, settings) -> None:  # type: ignore[no-untyped-def]
    services = counter(seeded_db, data_paths)
    view = account_with_bills(services)
    services.payments.take_payment(clerk(services), view.account_id, [MethodPart("cash", 10_000, tendered_fen=10_000)],
                                   bill_ids=[])  # ¥100 prepaid
    page = places(seeded_db, data_paths, settings).page
    find_account(qtbot, page, view.account_no)
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = page.void_dialog
    assert dialog.account is not None and dialog.account.balance_fen == 10_000
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.amount, timeout=5000)
    type_text(qtbot, "150")  # more than the balance
    press(qtbot, Qt.Key.Key_Return)
    dialog.reason.insert("客户销户退预存")
    dialog.staff_no.setFocus()
    type_text(qtbot, "8001")
    dialog.password.setFocus()
    type_text(qtbot, DEMO_PASSWORD)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "预存余额" in dialog.outcome.text(), timeout=5000)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.scalars(select(Payment).where(Payment.kind == "refund")).all() == []

    dialog.amount.clear()
    dialog.amount.setFocus()
    type_text(qtbot, "60")
    dialog.password.setFocus()
    type_text(qtbot, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.voided, timeout=10_000) as done:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    refund = done.args[0]
    assert refund.kind == "refund" and refund.balance_after_fen == 4_000
    qtbot.waitUntil(lambda: "已退费" in dialog.outcome.text(), timeout=5000)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(CustomerAccount, view.account_id).balance_fen == 4_000
        row = session.get(Payment, refund.payment_id)
        assert (row.kind, row.amount_fen, row.reason) == ("refund", -6_000, "客户销户退预存")
        assert row.authorised_by is not None
