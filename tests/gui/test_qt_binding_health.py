"""Guards against a broken Qt binding: PySide6 6.12.0 dropped a reference to ``True`` on every
``Signal.emit`` and aborted the program after some ten thousand signals (a counter runs all day)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    with_value = Signal(object)
    bare = Signal()


def test_emitting_signals_leaks_no_references(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    received: list[object] = []
    emitter.with_value.connect(received.append)
    emitter.bare.connect(lambda: received.append(None))
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for n in range(2000):
        emitter.with_value.emit(n)
        emitter.bare.emit()
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(received) == 4000
    assert after[0] == before[0] and after[1] == before[1]
    assert abs(after[2] - before[2] - 2000) < 50  # the 2000 Nones kept in `received`
