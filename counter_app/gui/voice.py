"""Calling numbers aloud: a chime, then "请A012号到3号窗口办理", through QtTextToSpeech.

Announcements wait their turn in one queue, so two calls never talk over each other; each
is said ``repeats`` times, in every configured language. The engine is ``QT_TTS_ENGINE`` from
the environment, else :attr:`VoiceOptions.engine`, else Qt's default for the platform (the
``mock`` engine in tests).

How numbers are spoken (decided here, once): a TTS engine given "A012" may say "A twelve" or
"A 零十二", so the digits of a ticket are spelled one by one in words: Chinese "A零一二" (the
letter stays a Latin letter, which Chinese voices say as "ei"), English "A zero one two". The
window number is a quantity and is said as one: "三号窗口", "十二号窗口", "window 12".
Replayed calls older than ``stale_seconds`` (a speaker catching up after a network loss) are
not announced: the hall moved on.
"""

from __future__ import annotations

import logging
import os
import wave
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Protocol

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

from counter_app.core.paths import resources_dir
from counter_app.domain.errors import InvalidInput
from counter_app.gui.hall_feed import call_of
from counter_app.gui.hub_link import HubLink
from counter_app.protocol import Event

log = logging.getLogger(__name__)

LANGUAGES = {"zh_CN": QLocale.Language.Chinese, "en": QLocale.Language.English}
ZH_DIGITS = "零一二三四五六七八九"
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class VoiceOptions:
    engine: str = ""
    languages: tuple[str, ...] = ("zh_CN",)
    phrase_zh: str = "请{number}号到{window}号窗口办理"
    phrase_en: str = "Number {number}, please go to window {window}."
    repeats: int = 2
    pause_ms: int = 700
    chime: bool = True
    chime_file: Path | None = None  # default resources/sounds/chime.wav
    volume: float = 1.0
    rate: float = -0.1  # -1 slowest .. 1 fastest; a little slower than normal carries across a hall
    stale_seconds: float = 120.0

    def __post_init__(self) -> None:
        if not self.languages or any(language not in LANGUAGES for language in self.languages):
            raise InvalidInput("voice.languages", "one or more of " + ", ".join(LANGUAGES), code="one_of", choices=", ".join(LANGUAGES))
        for key, phrase in (("voice.phrase_zh", self.phrase_zh), ("voice.phrase_en", self.phrase_en)):
            if "{number}" not in phrase or "{window}" not in phrase:
                raise InvalidInput(key, "a phrase with {number} and {window} in it", code="voice_phrase")
        if not 1 <= self.repeats <= 5:
            raise InvalidInput("voice.repeats", "a whole number from 1 to 5", code="whole_number_range", min=1, max=5)
        if not 0.0 <= self.volume <= 1.0 or not -1.0 <= self.rate <= 1.0:
            raise InvalidInput("voice.volume", "volume from 0 to 1, rate from -1 to 1", code="voice_volume")

    def phrase(self, language: str) -> str:
        return self.phrase_en if language == "en" else self.phrase_zh

    @property
    def engine_name(self) -> str:
        return os.environ.get("QT_TTS_ENGINE", "").strip() or self.engine


def spoken_number(number: str, language: str) -> str:
    """``A012`` as the engine should read it: ``A零一二`` or ``A zero one two``."""
    letters = number.rstrip("0123456789")
    digits = number[len(letters):]
    if language == "en":
        return " ".join([letters, *(EN_DIGITS[int(d)] for d in digits)]).strip()
    return letters + "".join(ZH_DIGITS[int(d)] for d in digits)


def spoken_window(window: int, language: str) -> str:
    """A window number said as a quantity: 3 -> 三, 12 -> 十二, 20 -> 二十 (digits past 99)."""
    if language == "en" or not 0 < window < 100:
        return str(window)
    tens, ones = divmod(window, 10)
    if tens == 0:
        return ZH_DIGITS[ones]
    return ("" if tens == 1 else ZH_DIGITS[tens]) + "十" + (ZH_DIGITS[ones] if ones else "")


def announcement_text(number: str, window: int, language: str, options: VoiceOptions) -> str:
    return options.phrase(language).format(number=spoken_number(number, language),
                                           window=spoken_window(window, language))


class Chime(Protocol):
    def play(self, done: Callable[[], None]) -> None:
        """Start the chime; call ``done`` once when it has finished (or cannot play)."""


class SoundChime(QObject):
    """The WAV chime through QSoundEffect; a PC without sound goes straight on to speech."""

    def __init__(self, path: Path, volume: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QSoundEffect  # loaded only where a chime is played

        with wave.open(str(path), "rb") as wav:
            self.seconds = wav.getnframes() / wav.getframerate()
        self._effect = QSoundEffect(self)
        self._effect.setVolume(volume)
        self._effect.setSource(QUrl.fromLocalFile(str(path)))
        self._effect.playingChanged.connect(self._playing_changed)
        self._effect.statusChanged.connect(self._status_changed)
        self._guard = QTimer(self, singleShot=True, interval=int(self.seconds * 1000) + 1500)
        self._guard.timeout.connect(self._finish)
        self._done: Callable[[], None] | None = None
        self._started = False

    def play(self, done: Callable[[], None]) -> None:
        self._done, self._started = done, False
        if self._effect.status() == self._effect.Status.Error:
            QTimer.singleShot(0, self, self._finish)
            return
        self._guard.start()
        self._effect.play()

    def _playing_changed(self) -> None:
        if self._effect.isPlaying():
            self._started = True
        elif self._started:
            self._finish()

    def _status_changed(self) -> None:
        if self._effect.status() == self._effect.Status.Error and self._done is not None:
            log.info("chime cannot play on this PC's sound output; speaking without it")
            self._finish()

    def _finish(self) -> None:
        self._guard.stop()
        done, self._done = self._done, None
        if done is not None:
            done()


class Announcer(QObject):
    """Says each call; ``listen(link)`` hooks it to the hub's events. ``problem`` says, for the
    screen and the status bar, why calls are not spoken (empty while the voice works)."""

    problem_changed = Signal(str)
    chiming = Signal()
    speaking = Signal(str)
    announced = Signal(str, int)  # number, window: every repeat said
    idle = Signal()

    def __init__(self, options: VoiceOptions | None = None, *, chime: Chime | None = None,
                 speech: QTextToSpeech | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.options = options or VoiceOptions()
        self.problem = ""
        self._missing = ""  # the engine asked for but not installed
        self.speech = speech or self._make_speech()
        self.speech.setVolume(self.options.volume)
        self.speech.setRate(self.options.rate)
        self.speech.stateChanged.connect(self._speech_state)
        if chime is None and self.options.chime:
            chime = SoundChime(self.options.chime_file or resources_dir() / "sounds" / "chime.wav", self.options.volume, self)
        self._chime = chime
        self._steps: deque[tuple[str, Any]] = deque()
        self._busy = False
        self._step = ""
        self._heard_speaking = False
        self._guard = QTimer(self, singleShot=True)
        self._guard.timeout.connect(self._step_done)
        self._check_engine()

    def _make_speech(self) -> QTextToSpeech:
        name = self.options.engine_name
        if name and name not in QTextToSpeech.availableEngines():
            log.warning("speech engine %r is not installed (have: %s); using the default", name,
                        ", ".join(QTextToSpeech.availableEngines()))
            self._missing, name = name, ""
        return QTextToSpeech(name, self) if name else QTextToSpeech(self)

    def _check_engine(self) -> None:
        used, broken = self.speech.engine() or self.tr("(default)"), self.speech.state() == QTextToSpeech.State.Error
        error = self.speech.errorString() or "?"
        if broken and self._missing:
            problem = self.tr("Voice calls off: speech engine {engine} is not installed and {used} does not work "
                              "({error}).").format(engine=self._missing, used=used, error=error)
        elif broken:
            problem = self.tr("Voice calls off: the speech engine {engine} does not work ({error}).").format(
                engine=used, error=error)
        elif self._missing:
            problem = self.tr("Speech engine {engine} is not installed; speaking with {used}.").format(
                engine=self._missing, used=used)
        else:
            problem = ""
        if problem != self.problem:
            self.problem = problem
            if problem:
                log.warning("voice: %s", problem)
            self.problem_changed.emit(problem)

    def listen(self, link: HubLink) -> None:
        link.event.connect(self.on_event)

    def on_event(self, event: Event) -> None:
        call = call_of(event)
        if call is None:
            return
        age = (datetime.now(call.at.tzinfo) - call.at).total_seconds()
        if age > self.options.stale_seconds:
            log.info("not announcing %s at window %d: called %.0f s ago", call.number, call.window, age)
            return
        self.announce(call.number, call.window)

    def announce(self, number: str, window: int) -> None:
        """Queue one call: the chime, then the phrase ``repeats`` times in each language."""
        if self._chime is not None:
            self._steps.append(("chime", None))
        for index in range(self.options.repeats):
            for language in self.options.languages:
                if index or language != self.options.languages[0]:
                    self._steps.append(("pause", self.options.pause_ms))
                self._steps.append(("say", (language, announcement_text(number, window, language, self.options))))
        self._steps.append(("announced", (number, window)))
        if not self._busy:
            self._next()

    @property
    def pending(self) -> int:
        return len(self._steps)

    def _next(self) -> None:
        self._busy = bool(self._steps)
        if not self._busy:
            self.idle.emit()
            return
        kind, value = self._steps.popleft()
        self._step = kind
        if kind == "chime":
            assert self._chime is not None
            self.chiming.emit()
            self._chime.play(self._step_done)
        elif kind == "pause":
            self._guard.start(value)
        elif kind == "say":
            self._say(*value)
        else:
            self.announced.emit(*value)
            self._next()

    def _say(self, language: str, text: str) -> None:
        if self.speech.state() == QTextToSpeech.State.Error:
            log.warning("speech engine in error (%s); not saying %r", self.speech.errorString(), text)
            QTimer.singleShot(0, self, self._step_done)
            return
        self._use_language(language)
        self._heard_speaking = False
        self.speaking.emit(text)
        self._guard.start(max(5000, 600 * len(text)))
        self.speech.say(text)

    def _use_language(self, language: str) -> None:
        wanted = LANGUAGES[language]
        if self.speech.locale().language() == wanted:
            return
        for locale in self.speech.availableLocales():
            if locale.language() == wanted:
                self.speech.setLocale(locale)
                return

    def _speech_state(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Error:
            self._check_engine()
        if self._step != "say" or not self._guard.isActive():
            return
        if state == QTextToSpeech.State.Speaking:
            self._heard_speaking = True
        elif self._heard_speaking or state == QTextToSpeech.State.Error:
            self._step_done()

    def _step_done(self) -> None:
        self._guard.stop()
        self._next()

    def stop(self) -> None:
        """Drop what is queued and stop speaking (the display closes)."""
        self._steps.clear()
        self._guard.stop()
        self.speech.stop()
        self._busy = False
