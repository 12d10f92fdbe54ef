"""``counter-app hq-console``: head office's console for its operators, on any IT PC. It talks to
head office over HTTP only (``/v1/console``, :class:`counter_app.hq.console_client.ConsoleClient`),
never to the database: log in, then branches and nodes, enrolment codes, quarantine, reference
data and the audit log. The rules it shows by live in Qt-free modules (``hq.console_view``)."""

from __future__ import annotations

import argparse
import logging
from typing import Callable

from PySide6.QtCore import QObject

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.hq_console.common import ConsoleLink
from counter_app.gui.hq_console.login import ConsoleLoginDialog
from counter_app.gui.hq_console.window import ConsoleWindow
from counter_app.gui.tasks import TaskRunner
from counter_app.hq.console_client import ConsoleClient

__all__ = ["ConsoleLoginDialog", "ConsoleWindow", "HQConsole", "run_hq_console"]

log = logging.getLogger("counter_app.gui.hq_console")


class HQConsole(QObject):
    """The login, then the window of the operator who logged in; the login again after a log-out."""

    def __init__(self, tasks: TaskRunner, url: str, *, make_client: Callable[[str], ConsoleClient] = ConsoleClient,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.login = ConsoleLoginDialog(tasks, url, make_client=make_client)
        self.login.logged_in.connect(self.open)
        self.window: ConsoleWindow | None = None

    def open(self, client: ConsoleClient) -> ConsoleWindow:
        link = ConsoleLink(client, self.tasks, parent=self)
        window = ConsoleWindow(link)
        window.logged_out.connect(lambda why: self._again(why, link))
        window.resize(1280, 800)
        window.show()
        window.start()
        self.window = window
        log.info("operator %s logged in at %s", client.operator.get("name"), client.url)
        return window

    def _again(self, why: str, link: ConsoleLink) -> None:
        if self.window is not None:
            self.window.deleteLater()
            self.window = None
        self.tasks.run(link.client.close, write=True)  # after its log-out, which runs first on the same queue
        self.login.again(why)


def run_hq_console(args: argparse.Namespace, settings: Settings, paths: DataPaths) -> int:
    from counter_app.gui.qtapp import install_crash_dialog, make_application, route_qt_messages

    app = make_application(settings.language)
    route_qt_messages()
    install_crash_dialog(paths.log_file)
    tasks = TaskRunner(app)
    console = HQConsole(tasks, getattr(args, "hq", None) or settings.hq.url)
    console.login.show()
    code = app.exec()
    tasks.wait()
    return code
