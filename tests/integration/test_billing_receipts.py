"""Receipts after the commit: saved or printed, a printer fault recorded and never fatal, the
unprinted list, 补打 copies audited, settlement locking and its report."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog, DailySettlement, OutboxEvent, ReceiptPrint
from counter_app.services.documents.fonts import cjk_postscript_name
from counter_app.services.documents.receipt import receipt_check_value
from tests.integration.billing_fixtures import account_with_bills, account_without_bills, clerk, counter, manager


def _fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(str(path)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_receipt_data_explains_the_payment(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    c.payments.take_payment(who, view.account_id, [MethodPart("cash", 2000)], bill_ids=[])
    result = c.payments.take_payment(who, view.account_id, [MethodPart("qr", view.owed_fen - 2000, reference="WX88")],
                                     bill_ids=[b.bill_id for b in view.bills], use_balance=True)
    data = c.receipts.receipt_data(result.payment_id)
    assert (data.receipt_no, data.account_no, data.holder) == (result.receipt_no, view.account_no, view.holder)
    assert data.total_fen == view.owed_fen and sum(amount for _, amount, _ in data.methods) == data.total_fen
    assert ("预存抵扣", 2000, "") in data.methods and ("扫码支付", view.owed_fen - 2000, "WX88") in data.methods
    assert sum(line.amount_fen for line in data.lines) == sum(b.amount_fen for b in view.bills)
    assert {line.period for line in data.lines} == {b.period for b in view.bills}
    assert data.balance_after_fen == 0 and data.window_number == 1 and data.clerk_no == "1001"
    assert data.check_value == receipt_check_value(result.receipt_no, data.total_fen, seeded_db.node_id)
    assert not data.is_copy and c.receipts.receipt_data(result.payment_id, is_copy=True).is_copy
    with pytest.raises(InvalidInput):
        c.receipts.receipt_data("no-such-payment")


def test_saved_without_a_printer_and_the_font_is_embedded(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    result = c.payments.take_payment(who, view.account_id, [MethodPart("cash", view.owed_fen)])
    assert [r.receipt_no for r in c.receipts.unprinted_receipts()] == [result.receipt_no]
    outcome = c.receipts.render_and_print(result.payment_id, who)
    assert outcome.status == "saved" and outcome.path == data_paths.receipts / f"{result.receipt_no}.pdf"
    assert any(cjk_postscript_name() in name for name in _fonts(outcome.path))
    assert c.receipts.unprinted_receipts() == []


def test_a_printer_fault_loses_nothing_and_a_reprint_is_a_copy(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    result = c.payments.take_payment(who, view.account_id, [MethodPart("cash", view.owed_fen)])
    printed: list[Path] = []

    def jammed(path: Path) -> None:
        raise OSError("paper jam")

    failed = c.receipts.render_and_print(result.payment_id, who, printer=jammed)
    assert failed.status == "failed" and "paper jam" in failed.detail
    [pending] = c.receipts.unprinted_receipts()
    assert (pending.receipt_no, pending.failed_attempts, pending.total_fen) == (result.receipt_no, 1, view.owed_fen)
    copy = c.receipts.reprint(result.payment_id, who, printer=printed.append)
    assert copy.status == "printed" and copy.is_copy and printed == [copy.path]
    assert copy.path is not None and copy.path.name.endswith("-copy1.pdf")
    assert c.receipts.unprinted_receipts() == []
    with unit_of_work(seeded_db.sessions) as session:
        prints = session.scalars(select(ReceiptPrint).order_by(ReceiptPrint.at)).all()
        assert [(p.status, p.is_copy) for p in prints] == [("failed", False), ("printed", True)]
        actions = set(session.scalars(select(AuditLog.action)))
        assert {"receipt_print_failed", "receipt_reprint"} <= actions
        events = session.scalars(select(OutboxEvent.event_type).where(OutboxEvent.channel == "payments")).all()
        assert events.count("payment.created") == 1 and events.count("receipt.printed") == 2


def test_settlement_counts_the_day_and_locks_it(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_without_bills(c)
    cash = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 12_000, tendered_fen=15_000)], bill_ids=[])
    c.payments.take_payment(who, view.account_id, [MethodPart("card", 3_000, reference="P1"),
                                                  MethodPart("cash", 500)], bill_ids=[])
    voided = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 700)], bill_ids=[])
    c.payments.void_payment(voided.payment_id, who, manager(c, who), "重复收费")
    c.payments.take_payment(clerk(c, "1002", 2), view.account_id, [MethodPart("cash", 999)], bill_ids=[])  # not hers
    summary = c.settlement.day_summary(who.staff_id)
    assert (summary.payments.count, summary.payments.amount_fen) == (3, 16_200)
    assert summary.payments.by_method == {"cash": 13_200, "card": 3_000, "qr": 0}
    assert (summary.voids.count, summary.voids.amount_fen) == (1, 700)
    assert summary.expected_cash_fen == 12_500 and summary.first_receipt_no == cash.receipt_no
    with pytest.raises(InvalidInput) as negative:
        c.settlement.settle_day(who, -1)
    assert negative.value.field == "counted_cash"
    record = c.settlement.settle_day(who, 12_400)
    assert (record.expected_cash_fen, record.counted_cash_fen, record.difference_fen) == (12_500, 12_400, -100)
    with pytest.raises(NotAllowed, match="already settled"):
        c.settlement.settle_day(who, 12_400)
    assert c.settlement.current_day(who.staff_id) > summary.business_date
    with unit_of_work(seeded_db.sessions) as session:
        row = session.get(DailySettlement, record.settlement_id)
        assert row.totals["net_by_method"]["cash"] == 12_500
        assert session.scalars(select(OutboxEvent).where(OutboxEvent.event_id == row.outbox_event_id)).one()
    report = c.settlement.render_report(who.staff_id, record.business_date)
    assert report.exists() and any(cjk_postscript_name() in name for name in _fonts(report))
