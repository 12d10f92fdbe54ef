"""The evaluator of one window: the on-screen evaluator or a serial pad, as configured.

The composition root calls :func:`open_evaluator`; the counter's status bar may show the pad's
state and whether the last rating arrived (never its level) with :meth:`Evaluator.attach_status_bar`.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLabel, QStatusBar

from counter_app.core.config import Settings
from counter_app.gui.evaluator.controller import EvaluatorController
from counter_app.gui.evaluator.hub_ratings import HubRatings
from counter_app.gui.evaluator.window import EvaluatorWindow
from counter_app.gui.serial_pad import SerialPad
from counter_app.gui.tasks import TaskRunner
from counter_app.services.node import NodeDatabase
from counter_app.services.quality import QualityService, RatingRequestView, StaffCard, evaluator_device

log = logging.getLogger(__name__)

__all__ = ["Evaluator", "EvaluatorController", "EvaluatorWindow", "open_evaluator"]


class Evaluator(QObject):
    """The running evaluator of a window: its controller, and the screen or the pad."""

    status_changed = Signal(str, str)  # text for the status bar, ok | warn | bad

    def __init__(self, controller: EvaluatorController, window: EvaluatorWindow | None, pad: SerialPad | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.window, self.pad = controller, window, pad
        self.status = ("", "ok")
        controller.finished.connect(self._rating_ended)
        controller.recorded_offline.connect(self._recorded_offline)
        if pad is not None:
            pad.connection_changed.connect(self._pad_state)
            controller.asking.connect(self._ask_on_pad)
            controller.finished.connect(lambda rated, _number: pad.thanks() if rated else pad.cancel())
            controller.staff_changed.connect(self._show_staff_on_pad)
            pad.key_pressed.connect(self._key)
            self._show(self.tr("Evaluator pad: connecting…"), "warn")
        else:
            self._show(self.tr("Evaluator: ready"), "ok")

    def _show(self, text: str, state: str) -> None:
        self.status = (text, state)
        self.status_changed.emit(text, state)

    def _pad_state(self, connected: bool, problem: str) -> None:
        if connected:
            self._show(self.tr("Evaluator pad: connected"), "ok")
        else:
            self._show(self.tr("Evaluator pad: disconnected ({problem})").format(problem=problem), "bad")

    def _ask_on_pad(self, request: RatingRequestView) -> None:
        if self.pad is not None:
            self.pad.request_rating(round(request.seconds_left(self.controller.clock())), request.ticket_number)

    def _key(self, level: int) -> None:
        if not self.controller.submit(level, ()):
            log.info("evaluator pad key %d pressed with no rating asked for: ignored", level)

    def _show_staff_on_pad(self, card: StaffCard | None) -> None:
        if card is not None and self.pad is not None:
            self.pad.show_staff(card.window, card.stars, card.staff_no, card.name)

    def _rating_ended(self, rated: bool, number: str) -> None:
        if self.pad is not None and not self.pad.connected:
            return  # the pad's trouble matters more to the clerk
        text = (self.tr("Rating received for {number}") if rated else self.tr("Not rated: {number}")).format(
            number=number or "—")
        self._show(text, "ok" if rated else "warn")

    def _recorded_offline(self, rated: bool, number: str) -> None:
        if self.pad is not None and not self.pad.connected:
            return
        text = (self.tr("Rating of {number} recorded offline (hub unreachable)") if rated
                else self.tr("Not rated: {number} (hub unreachable)")).format(number=number or "—")
        self._show(text, "warn")

    def attach_status_bar(self, bar: QStatusBar) -> QLabel:
        """Add a field to a status bar (the counter's) that follows the evaluator's state."""
        field = QLabel(self.status[0])
        field.setObjectName("evaluatorStatus")
        field.setProperty("state", self.status[1])
        field.setMinimumWidth(120)

        def follow(text: str, state: str) -> None:
            field.setText(text)
            field.setProperty("state", state)
            field.style().unpolish(field)
            field.style().polish(field)

        self.status_changed.connect(follow)
        bar.addPermanentWidget(field)
        return field

    def on_hub_event(self, event: dict[str, Any]) -> None:
        self.controller.on_hub_event(event)

    def close(self) -> None:
        self.controller.stop()
        if self.pad is not None:
            self.pad.stop()
        if self.window is not None:
            self.window.close()


def open_evaluator(db: NodeDatabase, settings: Settings, tasks: TaskRunner, *, window: int | None = None,
                   clerk_id: str | None = None, hub_events: Any = None, screen: QScreen | None = None,
                   quality: QualityService | None = None, hub: Any = None) -> Evaluator | None:
    """Start the evaluator of ``window`` (default ``settings.window``) as ``settings.evaluator``
    says: ``screen`` opens the customer window (full screen on ``screen`` if given), ``serial``
    drives the pad on ``settings.evaluator.port``, ``none`` returns ``None``.

    ``hub_events`` is a signal carrying the hub's events as dicts (``HubLink.event``): a
    service the clerk finishes at this window then asks for its rating. ``clerk_id`` fixes whom
    the idle screen shows (else whoever the window is open under). ``hub``: this evaluator
    device's own ``HubClient``; ratings then go to the hub, which alone decides what is rated."""
    number = window or settings.window
    device = evaluator_device(settings, number)
    if device is None:
        return None
    quality = quality or QualityService(db, settings)
    desk: Any = HubRatings(hub, quality) if hub is not None else quality.ratings
    controller = EvaluatorController(desk, tasks, number, device, clerk_id=clerk_id,
                                     clock=quality.context.clock)
    view: EvaluatorWindow | None = None
    pad: SerialPad | None = None
    if settings.evaluator.mode == "serial":
        pad = SerialPad(settings.evaluator.port, settings.evaluator.baud, addr=number)
    else:
        view = EvaluatorWindow(controller, quality.policy.reasons, settings.language)
    evaluator = Evaluator(controller, view, pad)
    controller.setParent(evaluator)
    if pad is not None:
        pad.setParent(evaluator)
        pad.start()
    if hub_events is not None:
        hub_events.connect(controller.on_hub_event)
    controller.start()
    if view is not None:
        if screen is not None:
            view.setGeometry(screen.geometry())
            view.showFullScreen()
        else:
            view.resize(1280, 800)
            view.show()
    log.info("evaluator of window %d started (%s)", number, device)
    return evaluator
