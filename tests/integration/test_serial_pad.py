"""The serial evaluator pad over a real pseudo-terminal pair: the simulator presses keys, the
QtSerialPort reader turns them into levels and ratings; malformed, truncated and checksum-failing
frames are skipped and logged and the reader goes on; a pulled cable shows in the status bar."""

from __future__ import annotations

import logging
import random

import pytest
from PySide6.QtWidgets import QStatusBar
from sqlalchemy import select

from counter_app.core.config import EvaluatorSettings, Settings
from counter_app.domain import evaluator_protocol as protocol
from counter_app.domain.evaluator_protocol import Func
from counter_app.gui.evaluator import open_evaluator
from counter_app.gui.serial_pad import SerialPad
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating
from tests.integration.quality_fixtures import RatingHall, rating_hall
from tools.pad_simulator import PadSimulator


class QuickPad(SerialPad):
    PING_MS = 200
    SILENCE_MS = 700
    RETRY_MS = 300


@pytest.fixture
def pad():  # type: ignore[no-untyped-def]
    with PadSimulator(addr=1) as simulator:
        yield simulator


@pytest.fixture
def reader(qtbot, pad):  # type: ignore[no-untyped-def]
    serial = QuickPad(pad.port, 9600, addr=1)
    with qtbot.waitSignal(serial.connection_changed, timeout=5000) as first:
        serial.start()
    assert first.args == [True, ""]
    yield serial
    serial.stop()


def test_key_frames_arrive_as_the_five_levels(qtbot, pad, reader) -> None:  # type: ignore[no-untyped-def]
    levels: list[int] = []
    reader.key_pressed.connect(levels.append)
    for level in (5, 4, 3, 2, 1):
        pad.press(level)
    qtbot.waitUntil(lambda: levels == [5, 4, 3, 2, 1], timeout=5000)


def test_bad_frames_are_skipped_logged_and_never_stop_the_reader(qtbot, pad, reader, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="counter_app.gui.serial_pad")
    levels: list[int] = []
    kinds: list[str] = []
    reader.key_pressed.connect(levels.append)
    reader.frame_rejected.connect(kinds.append)
    good = protocol.key_press(1, 4)
    bad_sum = good[:-2] + bytes((good[-2] ^ 0x33,)) + good[-1:]
    pad.send(b"\x00\x13line noise\xfe")
    pad.send(bad_sum)
    pad.send(good[:6])  # the cable hiccups mid-frame, then the line goes quiet
    qtbot.wait(300)
    pad.send(protocol.key_press(2, 1))  # another window's pad on the same bus
    pad.send(protocol.encode_frame(1, Func.KEY, b"\x09"))  # a key this pad map does not know
    pad.send(good)
    qtbot.waitUntil(lambda: levels == [4], timeout=5000)
    assert kinds == ["garbage", "checksum", "truncated"]
    log = caplog.text
    assert "ignored garbage" in log and "ignored checksum" in log and "ignored truncated" in log
    assert "frame for address 2 ignored" in log and "unknown key 09" in log
    assert reader.connected and reader.rejected == 3

    rng = random.Random(6)
    pad.send(bytes(rng.randrange(256) for _ in range(5000)))
    qtbot.wait(300)
    pad.press(5)
    qtbot.waitUntil(lambda: levels[-1:] == [5], timeout=5000)
    assert reader.connected


def test_a_pulled_cable_and_a_silent_pad_are_noticed(qtbot, pad, reader) -> None:  # type: ignore[no-untyped-def]
    pad.answer_pings = False
    with qtbot.waitSignal(reader.connection_changed, timeout=5000) as silent:
        pass
    assert silent.args == [False, "the pad does not answer"]
    pad.answer_pings = True
    with qtbot.waitSignal(reader.connection_changed, timeout=5000) as back:
        pass
    assert back.args == [True, ""]
    with qtbot.waitSignal(reader.connection_changed, timeout=5000) as pulled:
        pad.unplug()
    assert pulled.args[0] is False


# --- the pad as the window's evaluator ---------------------------------------------------------

SERIAL = Settings(window=1, evaluator=EvaluatorSettings(mode="serial", port="", baud=9600, timeout_seconds=30))


@pytest.fixture
def hall(seeded_db) -> RatingHall:  # type: ignore[no-untyped-def]
    return rating_hall(seeded_db, SERIAL)


@pytest.fixture
def pad_evaluator(qtbot, qapp, hall, pad):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    settings = Settings(window=1, evaluator=EvaluatorSettings(mode="serial", port=pad.port, timeout_seconds=30))
    hall.queue.open_window(1, hall.clerk(1))
    evaluator = open_evaluator(hall.db, settings, tasks, quality=hall.quality)
    assert evaluator is not None and evaluator.pad is not None and evaluator.window is None
    qtbot.waitUntil(lambda: evaluator.pad.connected, timeout=5000)
    yield evaluator
    evaluator.close()
    tasks.wait()


def test_ratings_arrive_from_the_pad(qtbot, hall, pad, pad_evaluator) -> None:  # type: ignore[no-untyped-def]
    bar = QStatusBar()
    qtbot.addWidget(bar)
    field = pad_evaluator.attach_status_bar(bar)
    qtbot.waitUntil(lambda: any(f.func == Func.SHOW_STAFF for f in pad.received), timeout=7000)
    staff = [f for f in pad.received if f.func == Func.SHOW_STAFF][-1]
    assert protocol.decode_show_staff(staff.data)[:4:2] == (1, "1001")
    pad.press(5)  # nobody asked: the key counts for nothing
    qtbot.wait(300)
    ticket = hall.serve(1)
    with qtbot.waitSignal(pad_evaluator.controller.asking, timeout=5000):
        pad_evaluator.on_hub_event({"kind": "done", "window": 1, "ticket_id": ticket.id, "clerk_id": hall.clerk(1),
                                    "data": {}})
    qtbot.waitUntil(lambda: any(f.func == Func.REQUEST_RATING for f in pad.received), timeout=5000)
    request = [f for f in pad.received if f.func == Func.REQUEST_RATING][-1]
    assert request.data == bytes((30,)) + ticket.number.encode()
    with qtbot.waitSignal(pad_evaluator.controller.finished, timeout=5000):
        pad.press(2)
    pad.press(5)  # only the first key press counts
    qtbot.waitUntil(lambda: any(f.func == Func.THANKS for f in pad.received), timeout=5000)
    with unit_of_work(hall.db.sessions) as session:
        ratings = list(session.scalars(select(Rating)))
    assert [(r.ticket_id, r.level, r.device, r.reasons) for r in ratings] == [(ticket.id, 2, "pad:W01", [])]
    assert field.property("state") == "ok"
    pad.unplug()
    qtbot.waitUntil(lambda: field.property("state") == "bad", timeout=5000)


def test_a_pad_that_lets_time_run_out_records_not_rated(qtbot, hall, pad, pad_evaluator) -> None:  # type: ignore[no-untyped-def]
    ticket = hall.serve(1)
    with qtbot.waitSignal(pad_evaluator.controller.asking, timeout=5000):
        pad_evaluator.on_hub_event({"kind": "done", "window": 1, "ticket_id": ticket.id, "clerk_id": hall.clerk(1)})
    hall.clock.advance(seconds=31)
    qtbot.waitUntil(lambda: any(f.func == Func.CANCEL for f in pad.received), timeout=5000)
    pad.press(5)
    qtbot.wait(300)
    with unit_of_work(hall.db.sessions) as session:
        assert [r.level for r in session.scalars(select(Rating))] == [None]
