"""A hardware evaluator pad on a serial port (QtSerialPort), speaking docs/evaluator-protocol.md.

The reader never blocks the GUI thread and never dies of what comes down the line: bytes go
through :class:`~counter_app.domain.evaluator_protocol.FrameParser`; bad frames are logged
and counted; a key press becomes ``key_pressed(level)``. The port is reopened after it fails,
and the pad is pinged so a dead pad on a live port is noticed too: ``connection_changed``
tells the status bar.
"""

from __future__ import annotations

import logging
import time
from typing import Mapping

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtSerialPort import QSerialPort

from counter_app.domain import evaluator_protocol as protocol
from counter_app.domain.evaluator_protocol import Frame, FrameError, FrameParser, Func

log = logging.getLogger(__name__)


class SerialPad(QObject):
    key_pressed = Signal(int)  # the level 1..5 the customer pressed
    connection_changed = Signal(bool, str)  # connected, what is wrong when not
    frame_rejected = Signal(str)  # kind of a malformed frame that was skipped

    QUIET_MS = 60  # the line is quiet this long: a partial frame is truncated
    PING_MS = 3000
    SILENCE_MS = 8000  # no answer for this long: the pad is not answering
    RETRY_MS = 3000

    def __init__(self, port: str, baud: int = 9600, addr: int = 1,
                 key_codes: Mapping[int, int] = protocol.FIVE_KEY_CODES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.port_name, self.baud, self.addr, self.key_codes = port, baud, addr, key_codes
        self.connected = False
        self.problem = ""
        self.rejected = 0
        self._parser = FrameParser()
        self._heard = 0.0
        self._serial = QSerialPort(self)
        self._serial.readyRead.connect(self._read)
        self._serial.errorOccurred.connect(self._failed)
        self._quiet = QTimer(self, singleShot=True, interval=self.QUIET_MS)
        self._quiet.timeout.connect(self._line_quiet)
        self._ping = QTimer(self, interval=self.PING_MS)
        self._ping.timeout.connect(self._heartbeat)
        self._retry = QTimer(self, singleShot=True, interval=self.RETRY_MS)
        self._retry.timeout.connect(self.start)

    # --- the line ----------------------------------------------------------------------------

    def start(self) -> None:
        """Open the port (and keep trying every few seconds until it opens)."""
        if self._serial.isOpen():
            return
        if not self.port_name:
            self._set_connected(False, "no serial port configured")
            return
        self._serial.setPortName(self.port_name)
        self._serial.setBaudRate(self.baud)
        self._serial.setDataBits(QSerialPort.DataBits.Data8)
        self._serial.setParity(QSerialPort.Parity.NoParity)
        self._serial.setStopBits(QSerialPort.StopBits.OneStop)
        self._serial.setFlowControl(QSerialPort.FlowControl.NoFlowControl)
        if not self._serial.open(QSerialPort.OpenModeFlag.ReadWrite):
            self._set_connected(False, self._serial.errorString())
            self._serial.clearError()
            self._retry.start()
            return
        log.info("evaluator pad port %s open at %d baud", self.port_name, self.baud)
        self._parser = FrameParser()
        self._heard = time.monotonic()
        self._ping.start()
        self._send(protocol.ping(self.addr))

    def stop(self) -> None:
        self._retry.stop()
        self._ping.stop()
        self._quiet.stop()
        if self._serial.isOpen():
            self._serial.close()

    def _failed(self, error: QSerialPort.SerialPortError) -> None:
        if error == QSerialPort.SerialPortError.NoError or not self._serial.isOpen():
            return
        problem = self._serial.errorString()
        log.warning("evaluator pad port %s failed: %s", self.port_name, problem)
        self._ping.stop()
        self._serial.close()
        self._serial.clearError()
        self._set_connected(False, problem)
        self._retry.start()

    def _read(self) -> None:
        self._handle(self._parser.feed(bytes(self._serial.readAll().data())))
        self._quiet.start()

    def _line_quiet(self) -> None:
        self._handle(self._parser.flush())

    def _handle(self, events: list[protocol.ParseEvent]) -> None:
        for event in events:
            if isinstance(event, FrameError):
                self.rejected += 1
                log.warning("evaluator pad %s: ignored %s", self.port_name, protocol.describe([event]))
                self.frame_rejected.emit(event.kind)
            elif event.addr != self.addr:
                log.info("evaluator pad %s: frame for address %d ignored", self.port_name, event.addr)
            else:
                self._frame(event)

    def _frame(self, frame: Frame) -> None:
        self._heard = time.monotonic()
        self._set_connected(True, "")
        if frame.func == Func.KEY:
            level = protocol.level_of_key(frame, self.key_codes)
            if level is None:
                log.warning("evaluator pad %s: unknown key %s", self.port_name, frame.data.hex())
                return
            self.key_pressed.emit(level)

    def _heartbeat(self) -> None:
        if time.monotonic() - self._heard > self.SILENCE_MS / 1000:
            self._set_connected(False, "the pad does not answer")
        self._send(protocol.ping(self.addr))

    def _set_connected(self, connected: bool, problem: str) -> None:
        if connected != self.connected or problem != self.problem:
            self.connected, self.problem = connected, problem
            self.connection_changed.emit(connected, problem)

    def _send(self, data: bytes) -> None:
        if self._serial.isOpen():
            self._serial.write(data)

    # --- what the host tells the pad ---------------------------------------------------------

    def request_rating(self, timeout_seconds: int, ticket_number: str = "") -> None:
        self._send(protocol.request_rating(self.addr, timeout_seconds, ticket_number))

    def show_staff(self, window: int, stars: int, staff_no: str, name: str) -> None:
        self._send(protocol.show_staff(self.addr, window, stars, staff_no, name))

    def thanks(self) -> None:
        self._send(protocol.thanks(self.addr))

    def cancel(self) -> None:
        self._send(protocol.cancel(self.addr))
