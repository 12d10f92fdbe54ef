"""The connection-application screens: intake at the counter, the status lookup every window
has, and the back office's work list."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from counter_app.gui.applications.backoffice import BackOfficePage
from counter_app.gui.serving import current_ticket_id
from counter_app.gui.applications.intake import IntakePage
from counter_app.gui.applications.lookup import StatusLookupPage
from counter_app.gui.applications.paper import PaperOutput
from counter_app.gui.tasks import TaskRunner
from counter_app.services.applications import ApplicationService
from counter_app.services.auth import StaffSession
from counter_app.services.node import NodeDatabase


@dataclass
class ApplicationPages:
    service: ApplicationService
    lookup: StatusLookupPage
    intake: IntakePage | None = None
    backoffice: BackOfficePage | None = None


def install_application_pages(window: QWidget, db: NodeDatabase, who: StaffSession, tasks: TaskRunner, *,
                              printer_name: str = "", service: ApplicationService | None = None) -> ApplicationPages:
    """Add the pages this staff member may use to a window with ``add_page(widget, title)``
    (the CounterWindow): intake for counter roles, back office for back office and managers,
    the status lookup for everyone."""
    service = service or ApplicationService(db)
    paper = PaperOutput(tasks, printer_name, window)
    translate = QCoreApplication.translate
    pages = ApplicationPages(service, StatusLookupPage(service, who, tasks, paper))
    if "counter" in who.opens:
        pages.intake = IntakePage(service, who, tasks, paper, current_ticket=lambda: current_ticket_id(window))
        window.add_page(pages.intake, translate("ApplicationPages", "Connection application"))  # type: ignore[attr-defined]
    window.add_page(pages.lookup, translate("ApplicationPages", "Application status"))  # type: ignore[attr-defined]
    if "backoffice" in who.opens:
        pages.backoffice = BackOfficePage(service, who, tasks)
        window.add_page(pages.backoffice, translate("ApplicationPages", "Back office"))  # type: ignore[attr-defined]
    return pages


__all__ = ["ApplicationPages", "BackOfficePage", "IntakePage", "StatusLookupPage", "install_application_pages"]
