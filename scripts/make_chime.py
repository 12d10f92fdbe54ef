"""Write the hall's call chime, resources/sounds/chime.wav: a soft two-tone "ding-dong" (E5 then
C5, each with a little of its octave and a bell-like decay), 1.3 s, 22.05 kHz mono 16-bit.

    .venv/bin/python scripts/make_chime.py [out.wav]
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22050
TONES = ((0.0, 659.25, 0.55), (0.45, 523.25, 0.85))  # start s, frequency Hz, length s
LENGTH = 1.3
PEAK = 0.55 * 32767


def sample(t: float) -> float:
    value = 0.0
    for start, frequency, length in TONES:
        local = t - start
        if 0 <= local < length:
            attack = min(1.0, local / 0.008)
            envelope = attack * math.exp(-3.2 * local / length) * (1 - local / length)
            value += envelope * (math.sin(2 * math.pi * frequency * local)
                                 + 0.3 * math.sin(4 * math.pi * frequency * local))
    return value / 1.3


def write_chime(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(PEAK * sample(i / RATE))) for i in range(int(LENGTH * RATE)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "resources" / "sounds" / "chime.wav"
    print(write_chime(target))
