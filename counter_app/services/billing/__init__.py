"""Fee collection at the window (issue 4): account search and view, payments with receipts,
voids and refunds, the clerk's daily settlement. No Qt here; every call is one unit of work.

What the counter screen calls, in the order of a visit:

* :class:`~.accounts.AccountService` ``search(text, kind="auto", limit=20)`` as the clerk types
  or scans; ``lookup_account_no(text)``; ``account_view(account_id, as_of=None)``.
* :class:`~.payments.PaymentService` ``quote(account_id, bill_ids, use_balance)``, then
  ``take_payment(clerk, account_id, parts, bill_ids=..., use_balance=..., ticket_id=...,
  expected_due_fen=...)``; ``void_payment(payment_id, clerk, manager, reason)`` and
  ``refund(account_id, amount_fen, clerk, manager, reason, ...)`` with ``manager`` from
  ``AuthService.verify_manager``.
* :class:`~.receipts.ReceiptService` after the commit: ``render_and_print(payment_id, clerk,
  printer)`` (``printer`` takes the PDF path and raises on a fault), ``reprint`` (补打),
  ``unprinted_receipts()`` at start-up, ``receipt_data`` / ``slip_data`` for a preview.
* :class:`~.settlement.SettlementService` ``day_summary(clerk_id)``, ``settle_day(clerk,
  counted_cash_fen)``, ``render_report(clerk_id, business_date)``.

Errors a clerk can fix are :class:`~counter_app.domain.errors.InvalidInput` (``field`` names
the field) or :class:`~counter_app.domain.errors.NotAllowed`; either way nothing was changed.
"""
