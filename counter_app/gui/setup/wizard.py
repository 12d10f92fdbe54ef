"""The first-run set-up wizard (``counter-app setup``, or any screen role started without a
configuration): role, branch and window, hub or head-office address, enrolment code, printer with
a test page, evaluator (second screen or serial port with a test key), voice test. It writes the
TOML file through :func:`counter_app.core.config_file.write_config` (the rules that read it) and
refuses a bad value at its field, naming the rule, before the next page.

Enrolment: if this program has the ``enrol`` command (head-office enrolment), it is run with the
code when the wizard finishes; otherwise the code is kept in ``[hq].enrolment_code`` for it.
"""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QIODevice
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtSerialPort import QSerialPort, QSerialPortInfo
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget, QWizard,
                               QWizardPage)

from counter_app.core.config import ConfigError, check_setting
from counter_app.core.config_file import write_config
from counter_app.gui.setup.rule_texts import rule_text

log = logging.getLogger(__name__)
ROLES = ("counter", "kiosk", "display", "evaluator", "manager", "hub")
NO_PRINTER = ""


@dataclass(frozen=True)
class Written:
    path: Path
    role: str


class Page(QWizardPage):
    """A page of fields, each checked by the configuration's own rule when Next is pressed."""

    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(hint)
        self.form = QFormLayout(self)
        self.checks: dict[str, tuple[QWidget, Any]] = {}
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

    def field_row(self, label: str, widget: QWidget, key: str | None = None, read: Any = None) -> QWidget:
        self.form.addRow(label, widget)
        if key is not None:
            self.checks[key] = (widget, read or (lambda w=widget: w.text().strip()))
        return widget

    def finish_form(self) -> None:
        self.form.addRow(self.error)

    def applies(self, key: str) -> bool:
        return True

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        for key, (widget, read) in self.checks.items():
            widget.setStyleSheet("")
            if not self.applies(key):
                continue
            try:
                check_setting(key, read())
            except ConfigError as error:
                widget.setStyleSheet("border: 2px solid #b00020;")
                widget.setFocus()
                self.error.setText(self.tr("{key}: expected {rule}").format(key=key, rule=rule_text(error.expected)))
                return False
        self.error.clear()
        return True


class SetupWizard(QWizard):
    def __init__(self, target: Path, data_root: Path, preset_role: str | None = None) -> None:
        super().__init__()
        self.target, self.data_root = target, data_root
        self.setWindowTitle(self.tr("counter-app set-up"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.written: Written | None = None
        self._build_role_page(preset_role)
        self._build_network_page()
        self._build_devices_page()
        for page in (self.role_page, self.network_page, self.devices_page):
            self.addPage(page)
        self.resize(720, 560)

    # --- pages -----------------------------------------------------------------------------------------

    def _build_role_page(self, preset: str | None) -> None:
        page = self.role_page = Page(self.tr("This PC's role and branch"), self.tr("What this PC does in the hall, and where."))
        self.role = QComboBox()
        names = {"counter": self.tr("Counter (窗口)"), "kiosk": self.tr("Ticket kiosk"), "display": self.tr("Hall display"),
                 "evaluator": self.tr("Evaluator screen"), "manager": self.tr("Manager console"), "hub": self.tr("Branch hub (server)")}
        for role in ROLES:
            self.role.addItem(names[role], role)
        if preset in ROLES:
            self.role.setCurrentIndex(ROLES.index(preset))
        page.field_row(self.tr("Role"), self.role)
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        page.field_row(self.tr("Language"), self.language)
        self.branch_code = page.field_row(self.tr("Branch code"), QLineEdit(), "branch.code")
        self.branch_name = page.field_row(self.tr("Branch name"), QLineEdit(), "branch.name")
        self.utility = page.field_row(self.tr("Utility"), QLineEdit(), "branch.utility")
        self.window = QSpinBox()
        self.window.setRange(0, 999)
        self.window.setSpecialValueText(self.tr("(choose)"))
        page.field_row(self.tr("Window number"), self.window, "window", lambda: self.window.value())
        page.applies = lambda key: key != "window" or self.role_name() in ("counter", "evaluator")  # type: ignore[method-assign]
        page.finish_form()

    def _build_network_page(self) -> None:
        page = self.network_page = Page(self.tr("Hub and head office"),
                                        self.tr("The hub's address and this branch's device token; head office's "
                                            "address and the enrolment code it gave you."))
        self.hub_url = page.field_row(self.tr("Hub address"), QLineEdit("http://192.168.1.10:8765"), "hub.url")
        self.token = page.field_row(self.tr("Device token"), QLineEdit(), "hub.token")
        self.new_token = QPushButton(self.tr("New random token (hub)"))
        self.new_token.clicked.connect(lambda: self.token.setText(secrets.token_urlsafe(18)))
        page.field_row("", self.new_token)
        self.hq_url = page.field_row(self.tr("Head office address"), QLineEdit(), "hq.url")
        self.code = page.field_row(self.tr("Enrolment code"), QLineEdit(), "hq.enrolment_code")
        page.finish_form()

    def _build_devices_page(self) -> None:
        page = self.devices_page = Page(self.tr("Printer, evaluator and voice"),
                                        self.tr("Try each device here: a test page, a key on the pad, a spoken call."))
        self.printer = QComboBox()
        self.printer.addItem(self.tr("(none: save PDF files)"), NO_PRINTER)
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        page.field_row(self.tr("Printer"), self.printer)
        self.layout_choice = QComboBox()
        self.layout_choice.addItems(["80mm", "a5"])
        page.field_row(self.tr("Receipt paper"), self.layout_choice)
        self.test_page = page.field_row("", QPushButton(self.tr("Print a test page")))
        self.test_page.clicked.connect(self.print_test_page)
        self.evaluator = QComboBox()
        screens = len(QGuiApplication.screens())
        self.evaluator.addItem(self.tr("Second screen ({count} screens found)").format(count=screens), "screen")
        self.evaluator.addItem(self.tr("Serial rating pad"), "serial")
        self.evaluator.addItem(self.tr("No evaluator"), "none")
        page.field_row(self.tr("Evaluator"), self.evaluator)
        self.port = QComboBox()
        self.port.setEditable(True)
        for info in QSerialPortInfo.availablePorts():
            self.port.addItem(info.systemLocation(), info.systemLocation())
        page.field_row(self.tr("Serial port"), self.port, "evaluator.port", lambda: self.port.currentText().strip())
        self.test_key = page.field_row("", QPushButton(self.tr("Test a key on the pad")))
        self.test_key.clicked.connect(self.listen_for_key)
        self.test_voice = page.field_row("", QPushButton(self.tr("Voice test")))
        self.test_voice.clicked.connect(self.say_test_call)
        self.device_status = QLabel()
        self.device_status.setWordWrap(True)
        page.field_row(self.tr("Result"), self.device_status)
        page.finish_form()

    # --- device tests ------------------------------------------------------------------------------

    def print_test_page(self) -> None:
        name = self.printer.currentData()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if name:
            printer.setPrinterName(name)
        else:
            out = self.data_root / "receipts" / "setup-test-page.pdf"
            out.parent.mkdir(parents=True, exist_ok=True)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
        painter = QPainter()
        if not painter.begin(printer):
            self.device_status.setText(self.tr("The printer {name} cannot print.").format(name=name or "PDF"))
            return
        painter.drawText(200, 400, self.tr("counter-app test page — 测试页 {branch}").format(branch=self.branch_name.text()))
        painter.end()
        self.device_status.setText(self.tr("Test page sent to {name}.").format(name=name or printer.outputFileName()))

    def listen_for_key(self) -> None:
        port = QSerialPort(self.port.currentText().strip(), self)
        if not port.open(QIODevice.OpenModeFlag.ReadOnly):
            self.device_status.setText(self.tr("Cannot open {port}: {error}").format(port=port.portName(), error=port.errorString()))
            return
        self.device_status.setText(self.tr("Press a key on the pad…"))
        port.readyRead.connect(lambda: self.device_status.setText(
            self.tr("Key received: {data}").format(data=bytes(port.readAll().data()).hex(" "))))

    def say_test_call(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        speech = QTextToSpeech(self)
        speech.say("请A零零一号到一号窗口办理" if self.language.currentData() == "zh_CN" else "Number A001, please go to window 1.")
        self.device_status.setText(self.tr("Speaking through {engine}.").format(engine=speech.engine() or "?"))

    # --- result ----------------------------------------------------------------------------------------

    def role_name(self) -> str:
        return str(self.role.currentData())

    def answers(self) -> dict[str, Any]:
        role = self.role_name()
        data: dict[str, Any] = {"role": role, "language": self.language.currentData()}
        if role in ("counter", "evaluator") or self.window.value():
            data["window"] = self.window.value()
        data["branch"] = {"code": self.branch_code.text().strip(), "name": self.branch_name.text().strip(),
                          "utility": self.utility.text().strip()}
        hub = {"url": self.hub_url.text().strip(), "token": self.token.text().strip()}
        if role == "hub":
            port = hub["url"].rsplit(":", 1)[-1].split("/")[0]
            hub.update(listen_host="0.0.0.0", listen_port=int(port) if port.isdigit() else 8765)
        data["hub"] = hub
        hq = {key: value for key, value in (("url", self.hq_url.text().strip()), ("enrolment_code", self.code.text().strip())) if value}
        if hq:
            data["hq"] = hq
        if role in ("counter", "kiosk", "manager"):
            data["printer"] = {"name": self.printer.currentData(), "receipt_layout": self.layout_choice.currentText()}
        if role in ("counter", "evaluator"):
            data["evaluator"] = {"mode": self.evaluator.currentData(), "port": self.port.currentText().strip()}
        return data

    def accept(self) -> None:
        try:
            settings = write_config(self.answers(), self.target)
        except ConfigError as error:
            self.devices_page.error.setText(self.tr("{key}: expected {rule}").format(key=error.key, rule=rule_text(error.expected)))
            return
        log.info("configuration written to %s for role %s", self.target, settings.role)
        self.written = Written(self.target, settings.role)
        enrol(settings.hq.url, settings.hq.enrolment_code, self.data_root, self.target)
        super().accept()


def enrol(hq_url: str, code: str, data_root: Path, config: Path) -> int | None:
    """Run ``counter-app enrol`` with the code when this program has that command; None otherwise."""
    if not (hq_url and code):
        return None
    program = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "counter_app"]
    known = subprocess.run([*program, "enrol", "--help"], capture_output=True, timeout=60, check=False)
    if known.returncode != 0:  # this version has no enrolment yet: the code waits in [hq].enrolment_code
        return None
    done = subprocess.run([*program, "enrol", "--hq", hq_url, "--code", code, "--config", str(config),
                           "--data-dir", str(data_root)], capture_output=True, text=True, timeout=120, check=False)
    log.info("enrol exited %s: %s %s", done.returncode, done.stdout.strip(), done.stderr.strip())
    return done.returncode


def run_setup(target: Path, data_root: Path, preset_role: str | None = None) -> Written | None:
    from counter_app.gui.qtapp import make_application

    app = make_application("zh_CN")
    if app.platformName() in ("offscreen", "minimal"):  # nobody could answer it: say so instead of waiting
        log.error("no configuration at %s and no screen for the set-up wizard", target)
        return None
    wizard = SetupWizard(target, data_root, preset_role)
    wizard.show()
    wizard.exec()
    del app
    return wizard.written
