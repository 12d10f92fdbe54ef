"""The services the fee screens call, opened once per counter window, and the way their
documents reach paper: a receipt through :mod:`counter_app.gui.printing` after its commit, the
settlement report likewise. Everything here that touches disk or a printer runs on a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.printing import Delivered, deliver_pdf
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.billing.accounts import AccountService
from counter_app.services.billing.hub_desk import BillReporter
from counter_app.services.billing.payments import PaymentService
from counter_app.services.billing.receipts import Printer, PrintOutcome, ReceiptService
from counter_app.services.billing.settlement import SettlementService
from counter_app.services.node import NodeDatabase


@dataclass(frozen=True)
class FeeServices:
    accounts: AccountService
    payments: PaymentService
    receipts: ReceiptService
    settlement: SettlementService
    auth: AuthService
    printer_name: str
    paths: DataPaths
    zone: ZoneInfo

    @classmethod
    def open(cls, db: NodeDatabase, settings: Settings, paths: DataPaths,
             reporter: BillReporter | None = None) -> "FeeServices":
        return cls(AccountService(db), PaymentService(db, settings, reporter=reporter), ReceiptService(db, paths, settings),
                   SettlementService(db, paths), AuthService(db), settings.printer.name.strip(), paths,
                   settings.branch.zone)

    def _printer(self) -> Printer | None:
        """None without a configured printer: the receipt service then keeps the PDF (``saved``)."""
        if not self.printer_name:
            return None
        name, folder = self.printer_name, self.paths.receipts

        def send(pdf: Path) -> None:
            deliver_pdf(pdf, name, folder, title=pdf.stem)
        return send

    def print_receipt(self, payment_id: str, clerk: StaffSession, *, copy: bool = False) -> PrintOutcome:
        """After the commit: draw, print (or keep) and record; a fault comes back as ``failed``."""
        if copy:
            return self.receipts.reprint(payment_id, clerk, self._printer())
        return self.receipts.render_and_print(payment_id, clerk, self._printer())

    def print_settlement_report(self, clerk_id: str, business_date: date) -> Delivered:
        pdf = self.settlement.render_report(clerk_id, business_date)
        return deliver_pdf(pdf, self.printer_name, pdf.parent, title=pdf.stem)
