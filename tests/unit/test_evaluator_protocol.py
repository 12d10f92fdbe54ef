"""The evaluator pad's serial frames: layout, checksum, key codes, host commands, and a
streaming parser that survives any input and finds the good frames among the bad."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain import evaluator_protocol as p
from counter_app.domain.evaluator_protocol import Frame, FrameError, FrameParser, Func


def frames(events: list) -> list[Frame]:  # type: ignore[type-arg]
    return [e for e in events if isinstance(e, Frame)]


def errors(events: list) -> list[str]:  # type: ignore[type-arg]
    return [e.kind for e in events if isinstance(e, FrameError)]


def test_frame_layout_and_checksum_as_documented() -> None:
    # window 3's pad, key 0x01 (非常满意): FF 68 03 03 68 03 11 01 CS 16, CS = 03+11+01 = 0x15
    assert p.key_press(3, 5) == bytes.fromhex("ff 68 03 03 68 03 11 01 15 16")
    assert p.checksum(0xF0, 0x20, b"\x20") == 0x30  # mod 256
    assert p.ping(1) == bytes.fromhex("ff 68 02 02 68 01 01 02 16")
    assert p.encode_frame(1, 0x23) == p.thanks(1)
    with pytest.raises(ValueError):
        p.encode_frame(1, 0x22, bytes(63))
    with pytest.raises(ValueError):
        p.encode_frame(256, 0x22)


def test_five_keys_stand_for_the_five_levels() -> None:
    parser = FrameParser()
    got = frames(parser.feed(b"".join(p.key_press(7, level) for level in (5, 4, 3, 2, 1))))
    assert [p.level_of_key(f) for f in got] == [5, 4, 3, 2, 1]
    assert {f.addr for f in got} == {7}
    assert p.level_of_key(Frame(7, Func.KEY, b"\x09")) is None
    assert p.level_of_key(Frame(7, Func.STATUS, b"\x01")) is None
    four_key = {0x00: 2, 0x01: 3, 0x02: 4, 0x03: 5}  # an explicit mapping for a 4-key pad
    assert p.level_of_key(Frame(7, Func.KEY, b"\x03"), four_key) == 5


def test_host_commands_round_trip() -> None:
    parser = FrameParser()
    [req, staff, thanks, cancel] = frames(parser.feed(
        p.request_rating(2, 30, "A012") + p.show_staff(2, 2, 4, "1001", "李娜") + p.thanks(2) + p.cancel(2)))
    assert (req.func, req.data) == (Func.REQUEST_RATING, b"\x1eA012")
    assert staff.func == Func.SHOW_STAFF and p.decode_show_staff(staff.data) == (2, 4, "1001", "李娜")
    assert (thanks.func, cancel.func) == (Func.THANKS, Func.CANCEL)
    long_name = frames(parser.feed(p.show_staff(2, 2, 5, "1001", "很" * 40)))[0]
    assert p.decode_show_staff(long_name.data)[3].startswith("很很很")


def test_bytes_in_any_chunks_give_the_same_frames() -> None:
    stream = p.key_press(1, 4) + p.status(1) + p.key_press(1, 2)
    parser = FrameParser()
    got: list[Frame] = []
    for byte in stream:
        got += frames(parser.feed(bytes([byte])))
    assert got == frames(FrameParser().feed(stream)) and len(got) == 3
    assert parser.pending == 0


def test_malformed_truncated_and_bad_checksum_frames_are_reported_and_skipped() -> None:
    good = p.key_press(1, 5)
    bad_sum = bytearray(good)
    bad_sum[-2] ^= 0xFF
    bad_end = bytearray(good)
    bad_end[-1] = 0x17
    bad_len = bytes.fromhex("ff 68 03 04 68 01 11 01 13 16")
    parser = FrameParser()
    events = parser.feed(b"noise" + bytes(bad_sum) + good + bytes(bad_end) + good + bad_len + good + good[:6])
    assert len(frames(events)) == 3
    assert errors(events) == ["garbage", "checksum", "end", "header", "garbage"]  # the body of a bad header is noise
    assert parser.pending == 5  # the start of a frame (less its preamble), waiting for the rest
    assert errors(parser.flush()) == ["truncated"] and parser.pending == 0
    # a frame cut short and followed by a whole one: both told apart
    events = parser.feed(good[:7] + good)
    assert frames(events) == [Frame(1, Func.KEY, b"\x01")] and errors(events) == ["checksum"]


def test_overlong_length_is_noise_not_a_reason_to_wait() -> None:
    parser = FrameParser()
    events = parser.feed(bytes.fromhex("68 f0 f0 68") + p.key_press(2, 3))
    assert errors(events) == ["header"] and [f.addr for f in frames(events)] == [2]
    assert parser.pending == 0


VALID = st.builds(
    Frame,
    addr=st.integers(0, 255),
    func=st.integers(0, 255),
    data=st.binary(max_size=p.MAX_LENGTH - 2),
)


@settings(max_examples=300)
@given(st.lists(st.binary(max_size=200), max_size=20))
def test_any_garbage_in_any_chunks_never_crashes_and_keeps_the_buffer_small(chunks: list[bytes]) -> None:
    parser = FrameParser()
    for chunk in chunks:
        for event in parser.feed(chunk):
            assert isinstance(event, (Frame, FrameError))
            if isinstance(event, Frame):  # anything accepted really is a well-formed frame
                assert FrameParser().feed(event.encode()) == [event]
        assert parser.pending < 4 + p.MAX_LENGTH + 2
    parser.flush()
    assert parser.pending == 0


@settings(max_examples=300)
@given(st.lists(st.tuples(st.binary(max_size=80), VALID), max_size=8), st.binary(max_size=80),
       st.integers(1, 32), st.booleans())
def test_valid_frames_among_garbage_are_all_found(pairs: list[tuple[bytes, Frame]], tail: bytes,
                                                  chunk: int, with_preamble: bool) -> None:
    """Garbage, then a pause on the line (the reader flushes), then a frame; repeated. Every
    frame is found, in order, however the bytes are cut into chunks."""
    parser = FrameParser()
    found: list[Frame] = []

    def feed(data: bytes) -> None:
        for start in range(0, len(data), chunk):
            found.extend(frames(parser.feed(data[start:start + chunk])))

    for garbage, frame in pairs:
        feed(garbage)
        found.extend(frames(parser.flush()))
        encoded = frame.encode()
        feed(encoded if with_preamble else encoded[1:])
    feed(tail)
    found.extend(frames(parser.flush()))
    expected = [frame for _garbage, frame in pairs]
    it = iter(found)
    assert all(any(f == want for f in it) for want in expected), "a valid frame was lost"


@settings(max_examples=300)
@given(st.lists(st.tuples(st.binary(max_size=40).map(lambda b: b.replace(b"\x68", b"")), VALID), max_size=8))
def test_frames_behind_noise_without_start_bytes_need_no_pause(pairs: list[tuple[bytes, Frame]]) -> None:
    stream = b"".join(g + f.encode() for g, f in pairs)
    assert frames(FrameParser().feed(stream)) == [f for _g, f in pairs]
