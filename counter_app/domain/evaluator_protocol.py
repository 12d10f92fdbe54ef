"""The serial protocol of a hardware evaluator pad (评价器), documented in docs/evaluator-protocol.md.

Every frame, in both directions (IEC 60870-5 FT1.2 variable-length layout with an FF preamble,
as the callers and pads of the halls use it)::

    FF 68 L L 68 <addr> <func> <data ...> <CS> 16

``L`` is the number of bytes from ``addr`` to the last data byte (so ``L = 2 + len(data)``),
``CS`` is ``(addr + func + sum(data)) mod 256``. ``addr`` is the pad's bus address (by default
the window number). The preamble byte is optional on receipt.

:class:`FrameParser` takes bytes as they arrive in any chunks, returns the frames it found and
the garbage it skipped, and never raises on any input.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable, Mapping, Union

PREAMBLE = 0xFF
START = 0x68
END = 0x16
#: Longest user data (addr + func + data) the parser accepts; longer headers are noise.
MAX_LENGTH = 64
TEXT_ENCODING = "gb18030"  # legacy serial devices speak GB; ASCII is a subset


class Func(enum.IntEnum):
    # host -> pad
    PING = 0x01  # are you there? The pad answers STATUS.
    REQUEST_RATING = 0x21  # data: timeout seconds (1 byte), ticket number (ASCII)
    SHOW_STAFF = 0x22  # data: window, stars, len(staff_no), staff_no (ASCII), name (GB18030)
    THANKS = 0x23  # rating recorded: say 谢谢, back to idle
    CANCEL = 0x24  # the request ended without a rating (time out): back to idle
    # pad -> host
    KEY = 0x11  # data: key code (1 byte)
    STATUS = 0x81  # data: firmware version (1 byte); answer to PING


#: Key codes of the standard five-key pad, left to right as printed: level they stand for.
FIVE_KEY_CODES: Mapping[int, int] = {0x01: 5, 0x02: 4, 0x03: 3, 0x04: 2, 0x05: 1}
KEY_OF_LEVEL: Mapping[int, int] = {level: code for code, level in FIVE_KEY_CODES.items()}


@dataclass(frozen=True)
class Frame:
    addr: int
    func: int
    data: bytes = b""

    def encode(self) -> bytes:
        return encode_frame(self.addr, self.func, self.data)


@dataclass(frozen=True)
class FrameError:
    """Bytes the parser skipped and why: ``garbage`` (no frame start), ``header`` (the two
    lengths differ, a length out of range, no second 68), ``checksum``, ``end`` (no 16 where
    the frame should end), ``truncated`` (the line went quiet in the middle of a frame)."""

    kind: str
    raw: bytes


ParseEvent = Union[Frame, FrameError]


def checksum(addr: int, func: int, data: bytes) -> int:
    return (addr + func + sum(data)) & 0xFF


def encode_frame(addr: int, func: int, data: bytes = b"") -> bytes:
    if not 0 <= addr <= 0xFF or not 0 <= func <= 0xFF:
        raise ValueError("address and function are single bytes")
    length = 2 + len(data)
    if length > MAX_LENGTH:
        raise ValueError(f"frame data too long: {len(data)} bytes, at most {MAX_LENGTH - 2}")
    head = bytes((PREAMBLE, START, length, length, START, addr, func))
    return head + bytes(data) + bytes((checksum(addr, func, data), END))


class FrameParser:
    """Streaming decoder with resynchronisation.

    ``feed(chunk)`` returns the frames completed by the chunk and the bytes skipped on the way.
    On any fault the parser drops the one byte where the bad frame seemed to start and searches
    again from the next, so a good frame right behind a bad one is still found. ``flush()``
    is for when the line goes quiet: a partial frame left over is reported as ``truncated``
    and whatever followed its first byte is searched again.
    """

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self._buffer = bytearray()
        self._reported = 0  # leading bytes of the buffer already shown in a fault report
        self._max = max_length

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a frame."""
        return len(self._buffer)

    def feed(self, chunk: bytes) -> list[ParseEvent]:
        self._buffer += chunk
        return self._scan(final=False)

    def flush(self) -> list[ParseEvent]:
        return self._scan(final=True)

    def _scan(self, final: bool) -> list[ParseEvent]:
        events: list[ParseEvent] = []
        buf = self._buffer
        skipped = bytearray()

        def drop(count: int, garbage: bool) -> None:
            if garbage and count > self._reported:
                skipped.extend(buf[self._reported:count])
            self._reported = max(0, self._reported - count)
            del buf[:count]

        def emit(event: ParseEvent) -> None:
            if skipped:
                events.append(FrameError("garbage", bytes(skipped)))
                skipped.clear()
            events.append(event)

        while buf:
            start = buf.find(START)
            if start < 0:
                drop(len(buf), True)
                break
            lead = start
            while lead and buf[lead - 1] == PREAMBLE:
                lead -= 1  # the preamble just before a start is no fault
            drop(lead, True)
            drop(start - lead, False)
            fault = self._check(buf)
            if fault == "wait" and not final:
                break
            if fault:
                kind = "truncated" if fault == "wait" else fault
                size = len(buf) if fault == "wait" else min(len(buf), 4 if fault == "header" else 4 + buf[1] + 2)
                if not self._reported:  # a false start inside bytes already reported is not news
                    emit(FrameError(kind, bytes(buf[:size])))
                self._reported = max(self._reported, size)
            else:
                length = buf[1]
                emit(Frame(buf[4], buf[5], bytes(buf[6:4 + length])))
                drop(4 + length + 2, False)
                continue
            drop(1, False)
        if skipped:
            events.append(FrameError("garbage", bytes(skipped)))
        return events

    def _check(self, buf: bytearray) -> str:
        """'' when ``buf`` starts with a whole good frame, 'wait' when it may yet become one,
        else the kind of fault."""
        have = len(buf)
        if have >= 2 and not 2 <= buf[1] <= self._max:
            return "header"
        if have >= 3 and buf[2] != buf[1]:
            return "header"
        if have >= 4 and buf[3] != START:
            return "header"
        if have < 4:
            return "wait"
        length = buf[1]
        if have < 4 + length + 2:
            return "wait"
        if buf[4 + length] != checksum(buf[4], buf[5], bytes(buf[6:4 + length])):
            return "checksum"
        if buf[4 + length + 1] != END:
            return "end"
        return ""


# --- the messages --------------------------------------------------------------------------


def request_rating(addr: int, timeout_seconds: int, ticket_number: str = "") -> bytes:
    number = ticket_number.encode("ascii", "replace")[:8]
    return encode_frame(addr, Func.REQUEST_RATING, bytes((max(1, min(timeout_seconds, 255)),)) + number)


def show_staff(addr: int, window: int, stars: int, staff_no: str, name: str) -> bytes:
    number = staff_no.encode("ascii", "replace")[:12]
    head = bytes((window & 0xFF, max(0, min(stars, 5)), len(number))) + number
    encoded = name.encode(TEXT_ENCODING, "replace")[: MAX_LENGTH - 2 - len(head)]
    return encode_frame(addr, Func.SHOW_STAFF, head + encoded)


def thanks(addr: int) -> bytes:
    return encode_frame(addr, Func.THANKS)


def cancel(addr: int) -> bytes:
    return encode_frame(addr, Func.CANCEL)


def ping(addr: int) -> bytes:
    return encode_frame(addr, Func.PING)


def key_press(addr: int, level: int) -> bytes:
    """What a five-key pad sends when the customer presses the key of ``level`` (5 .. 1)."""
    return encode_frame(addr, Func.KEY, bytes((KEY_OF_LEVEL[level],)))


def status(addr: int, firmware: int = 1) -> bytes:
    return encode_frame(addr, Func.STATUS, bytes((firmware & 0xFF,)))


def level_of_key(frame: Frame, key_codes: Mapping[int, int] = FIVE_KEY_CODES) -> int | None:
    """The level a KEY frame stands for under the pad's key map, or ``None`` if it is not one."""
    if frame.func != Func.KEY or len(frame.data) != 1:
        return None
    return key_codes.get(frame.data[0])


def decode_show_staff(data: bytes) -> tuple[int, int, str, str]:
    """(window, stars, staff_no, name) of a SHOW_STAFF frame's data (for the simulator)."""
    if len(data) < 3 or len(data) < 3 + data[2]:
        raise ValueError("SHOW_STAFF data too short")
    size = data[2]
    staff_no = data[3:3 + size].decode("ascii", "replace")
    return data[0], data[1], staff_no, data[3 + size:].decode(TEXT_ENCODING, "replace")


def describe(events: Iterable[ParseEvent]) -> str:
    """A one-line log form: ``frame 01/11 [05]; checksum ff6803...``."""
    parts = []
    for event in events:
        if isinstance(event, Frame):
            parts.append(f"frame {event.addr:02x}/{event.func:02x} [{event.data.hex()}]")
        else:
            parts.append(f"{event.kind} {event.raw.hex()}")
    return "; ".join(parts)
