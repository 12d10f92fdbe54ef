"""The fee collection screens (issue 4): find the account, see what is owed and why, collect by
cash, card, QR or a split, print the receipt after the commit; void, reprint, unprinted
receipts and the daily settlement (日结). Only the services are called; no amount is worked out here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.serving import current_ticket_id
from counter_app.gui.fees.page import FeePage
from counter_app.gui.fees.services import FeeServices
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.billing.hub_desk import BillReporter
from counter_app.services.node import NodeDatabase


def install_fee_page(window: QWidget, db: NodeDatabase, who: StaffSession, tasks: TaskRunner, settings: Settings,
                     paths: DataPaths | None = None, reporter: BillReporter | None = None) -> FeePage | None:
    """Add the fee page to a window with ``add_page(widget, title)`` (the CounterWindow) for staff
    who work a counter; ``paths`` defaults to the data folder of ``db``."""
    if "counter" not in who.opens:
        return None
    services = FeeServices.open(db, settings, paths or DataPaths(db.path.parent), reporter)
    page = FeePage(services, who, tasks, current_ticket=lambda: current_ticket_id(window))
    window.add_page(page, QCoreApplication.translate("FeePage", "Fees (收费)"))  # type: ignore[attr-defined]
    return page


__all__ = ["FeePage", "FeeServices", "current_ticket_id", "install_fee_page"]
