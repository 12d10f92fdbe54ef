"""A five-key evaluator pad (评价器) on a pseudo-terminal, speaking docs/evaluator-protocol.md.

By hand::

    .venv/bin/python tools/pad_simulator.py --addr 1
    # prints the port, e.g. /dev/pts/7: put it in the config ([evaluator] mode = "serial",
    # port = "/dev/pts/7"), start the counter, then type 5 4 3 2 1 to press keys,
    # g (garbage), t (truncated frame), c (bad checksum), u (unplug), q (quit).

From tests::

    with PadSimulator(addr=1) as pad:
        reader.open(pad.port)
        pad.press(5)
        pad.wait_for(Func.THANKS)

The simulator answers PING with STATUS by itself and keeps every frame the host sent.
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import threading
import time
import tty
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counter_app.domain import evaluator_protocol as protocol  # noqa: E402
from counter_app.domain.evaluator_protocol import Frame, FrameParser, Func  # noqa: E402


class PadSimulator:
    """The pad end of a pty pair; ``port`` is the device path the host opens."""

    def __init__(self, addr: int = 1, on_frame: Callable[[Frame], None] | None = None) -> None:
        self.addr = addr
        self.on_frame = on_frame
        self.received: list[Frame] = []
        self.answer_pings = True
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: bytes pass as they are
        self.port = os.ttyname(self._slave)
        self._parser = FrameParser()
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="pad-simulator", daemon=True)
        self._thread.start()

    # --- what the customer and the wire do ----------------------------------------------------

    def press(self, level: int) -> None:
        self.send(protocol.key_press(self.addr, level))

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._master, view)
            view = view[written:]

    def unplug(self) -> None:
        """Pull the cable: the host's end of the line fails."""
        self.close()

    # --- what the host sent -------------------------------------------------------------------

    def wait_for(self, func: int, timeout: float = 5.0, count: int = 1) -> Frame:
        """Wait until the host has sent ``count`` frames of ``func``; the last of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [f for f in self.received if f.func == func]
                if len(matching) >= count:
                    return matching[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the host sent no frame {func:#04x} within {timeout} s")
                self._changed.wait(left)

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(self._master, 512)
            except OSError:
                return
            for event in self._parser.feed(chunk):
                if isinstance(event, Frame):
                    self._received(event)

    def _received(self, frame: Frame) -> None:
        with self._changed:
            self.received.append(frame)
            self._changed.notify_all()
        if frame.func == Func.PING and self.answer_pings and frame.addr == self.addr:
            self.send(protocol.status(self.addr))
        if self.on_frame is not None:
            self.on_frame(frame)

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(2)
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> "PadSimulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _describe(frame: Frame) -> str:
    if frame.func == Func.REQUEST_RATING and frame.data:
        return f"请评价 (ticket {frame.data[1:].decode('ascii', 'replace')}, {frame.data[0]} s)"
    if frame.func == Func.SHOW_STAFF:
        window, stars, staff_no, name = protocol.decode_show_staff(frame.data)
        return f"show staff: window {window}, {name} {staff_no}, {'★' * stars}"
    names = {Func.THANKS: "谢谢 (rating recorded)", Func.CANCEL: "back to idle (not rated)", Func.PING: "ping"}
    return names.get(frame.func, f"frame {frame.func:#04x} [{frame.data.hex()}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addr", type=int, default=1, help="bus address (the window number), default 1")
    args = parser.parse_args(argv)
    pad = PadSimulator(args.addr, on_frame=lambda f: f.func != Func.PING and print(f"host: {_describe(f)}", flush=True))
    good = protocol.key_press(args.addr, 5)
    faults = {"g": b"\x00\x13garbage\xfe", "t": good[:6], "c": good[:-2] + bytes((good[-2] ^ 0x5A,)) + good[-1:]}
    print(f"pad at address {args.addr} on {pad.port}")
    print("keys: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意; g t c u q")
    try:
        for line in sys.stdin:
            for key in line.strip():
                if key in "12345":
                    pad.press(int(key))
                elif key in faults:
                    pad.send(faults[key])
                elif key == "u":
                    pad.unplug()
                    return 0
                elif key == "q":
                    return 0
    except KeyboardInterrupt:
        pass
    finally:
        pad.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
