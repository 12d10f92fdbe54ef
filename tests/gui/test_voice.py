"""Voice calls: the phrase and how digits are spelled, the chime first, a queue that never
talks over itself, N repeats, and calls from a real hub (mock speech engine)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTextToSpeech import QTextToSpeech

from counter_app.core.paths import resources_dir
from counter_app.domain.errors import InvalidInput
from counter_app.gui.voice import Announcer, SoundChime, VoiceOptions, announcement_text, spoken_number, spoken_window
from counter_app.protocol import Event
from tests.gui.hall_fixtures import hub  # noqa: F401


class FakeChime:
    """Stands in for the sound card: 'plays' for 50 ms."""

    def __init__(self, log: list[tuple[str, str]]) -> None:
        self.log = log

    def play(self, done: Callable[[], None]) -> None:
        self.log.append(("chime", ""))
        QTimer.singleShot(50, lambda: (self.log.append(("chime-end", "")), done()))


@pytest.fixture
def timeline() -> list[tuple[str, str]]:
    return []


def make_announcer(qtbot, timeline, **options) -> Announcer:  # type: ignore[no-untyped-def]
    options.setdefault("pause_ms", 20)
    announcer = Announcer(VoiceOptions(**options), chime=FakeChime(timeline))
    announcer.speaking.connect(lambda text: timeline.append(("say", text)))
    announcer.speech.stateChanged.connect(
        lambda state: timeline.append(("speech", state.name)))
    announcer.announced.connect(lambda number, window: timeline.append(("announced", f"{number}@{window}")))
    return announcer


def event(kind: str, number: str, window: int, seq: int = 1, age: float = 1.0) -> dict:
    at = datetime.now(timezone.utc) - timedelta(seconds=age)
    return {"seq": seq, "kind": kind, "at": at.isoformat(), "ticket_id": f"t-{number}", "number": number,
            "service": number[0], "window": window, "clerk_id": "c", "state": "called", "data": {}}


def test_digits_are_spelled_one_by_one_and_the_window_said_as_a_number() -> None:
    assert spoken_number("A012", "zh_CN") == "A零一二"
    assert spoken_number("B100", "zh_CN") == "B一零零"
    assert spoken_number("A012", "en") == "A zero one two"
    assert [spoken_window(n, "zh_CN") for n in (3, 10, 12, 20, 35, 120)] == ["三", "十", "十二", "二十", "三十五", "120"]
    options = VoiceOptions()
    assert announcement_text("A012", 3, "zh_CN", options) == "请A零一二号到三号窗口办理"
    assert announcement_text("A012", 3, "en", options) == "Number A zero one two, please go to window 3."


def test_phrase_is_configurable_but_must_name_number_and_window() -> None:
    options = VoiceOptions(phrase_zh="{number}号请到{window}号窗口")
    assert announcement_text("C007", 8, "zh_CN", options) == "C零零七号请到八号窗口"
    with pytest.raises(InvalidInput, match="voice.phrase_zh"):
        VoiceOptions(phrase_zh="请到窗口办理")
    with pytest.raises(InvalidInput, match="voice.repeats"):
        VoiceOptions(repeats=0)
    with pytest.raises(InvalidInput, match="voice.languages"):
        VoiceOptions(languages=("fr",))


def test_engine_comes_from_the_environment_then_the_setting(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("QT_TTS_ENGINE", "mock")
    assert VoiceOptions(engine="speechd").engine_name == "mock"
    monkeypatch.delenv("QT_TTS_ENGINE")
    assert VoiceOptions(engine="mock").engine_name == "mock"
    monkeypatch.setenv("QT_TTS_ENGINE", "mock")
    announcer = Announcer(VoiceOptions(chime=False))
    assert announcer.speech.engine() == "mock"


def test_chime_first_then_the_phrase_repeated(qtbot, timeline) -> None:  # type: ignore[no-untyped-def]
    announcer = make_announcer(qtbot, timeline, repeats=2)
    with qtbot.waitSignal(announcer.idle, timeout=10000):
        announcer.announce("A012", 3)
    said = [text for kind, text in timeline if kind == "say"]
    assert said == ["请A零一二号到三号窗口办理"] * 2
    kinds = [kind for kind, _ in timeline if kind != "speech"]
    assert kinds == ["chime", "chime-end", "say", "say", "announced"]


def test_two_calls_never_talk_over_each_other(qtbot, timeline) -> None:  # type: ignore[no-untyped-def]
    announcer = make_announcer(qtbot, timeline, repeats=2)
    overlaps = []
    announcer.speaking.connect(lambda text: overlaps.append(text) if announcer.speech.state() ==
                               QTextToSpeech.State.Speaking else None)
    with qtbot.waitSignal(announcer.idle, timeout=15000):
        announcer.announce("A012", 3)
        announcer.announce("B003", 5)
        assert announcer.pending > 0
    assert overlaps == []
    assert [entry for entry in timeline if entry[0] in ("chime", "say", "announced")] == [
        ("chime", ""), ("say", "请A零一二号到三号窗口办理"), ("say", "请A零一二号到三号窗口办理"), ("announced", "A012@3"),
        ("chime", ""), ("say", "请B零零三号到五号窗口办理"), ("say", "请B零零三号到五号窗口办理"), ("announced", "B003@5"),
    ]
    # each phrase started only after the one before had finished speaking
    states = [text for kind, text in timeline if kind in ("say", "speech")]
    assert states[:3] == ["请A零一二号到三号窗口办理", "Speaking", "Ready"]


def test_repeats_and_languages_are_configurable(qtbot, timeline) -> None:  # type: ignore[no-untyped-def]
    announcer = make_announcer(qtbot, timeline, repeats=3, languages=("zh_CN", "en"))
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        announcer.announce("A012", 3)
    said = [text for kind, text in timeline if kind == "say"]
    assert said == ["请A零一二号到三号窗口办理", "Number A zero one two, please go to window 3."] * 3


def test_hub_events_announce_calls_and_recalls_but_not_stale_replays(qtbot, timeline) -> None:  # type: ignore[no-untyped-def]
    announcer = make_announcer(qtbot, timeline, repeats=1)
    with qtbot.waitSignal(announcer.idle, timeout=10000):
        announcer.on_event(Event.model_validate(event("issued", "A013", 0) | {"window": None}))
        announcer.on_event(Event.model_validate(event("called", "A012", 3, age=600)))  # replayed after a long outage
        announcer.on_event(Event.model_validate(event("called", "A014", 4)))
        announcer.on_event(Event.model_validate(event("recalled", "A014", 4)))
        announcer.on_event(Event.model_validate(event("done", "A011", 2)))
    assert [text for kind, text in timeline if kind == "announced"] == ["A014@4", "A014@4"]


NO_SOUND_CARD = r"Couldn't (load|resolve) |PulseAudio|QSoundEffect|FFmpeg"  # Qt Multimedia on a headless PC


@pytest.mark.qt_log_ignore(NO_SOUND_CARD)
def test_the_real_chime_comes_first_even_on_a_pc_without_sound(qtbot) -> None:  # type: ignore[no-untyped-def]
    chime = SoundChime(resources_dir() / "sounds" / "chime.wav")
    assert 0.5 < chime.seconds < 2.0
    announcer = Announcer(VoiceOptions(repeats=1), chime=chime)
    order: list[str] = []
    announcer.chiming.connect(lambda: order.append("chime"))
    announcer.speaking.connect(lambda text: order.append("say"))
    with qtbot.waitSignal(announcer.idle, timeout=10000):
        announcer.announce("A001", 1)
    assert order == ["chime", "say"]


def test_calls_from_the_hub_are_announced_in_order(qtbot, hub, timeline) -> None:  # type: ignore[no-untyped-def]
    announcer = make_announcer(qtbot, timeline, repeats=1)
    link = hub.link()
    announcer.listen(link)
    link.start_stream(after=hub.client.health()["seq"])
    qtbot.waitUntil(lambda: link.online, timeout=5000)
    hub.open(3, 5)
    hub.issue("A", 2)
    hub.issue("B", 1)
    hub.call(3)
    hub.call(5)
    qtbot.waitUntil(lambda: [t for k, t in timeline if k == "announced"] == ["A001@3", "B001@5"], timeout=15000)


@pytest.mark.qt_log_ignore("Error loading text-to-speech plug-in")
def test_a_speech_engine_that_does_not_work_is_shown_on_the_display_and_the_status_bar(
        qtbot, qapp, zh, seeded_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: a missing speech engine was only written to the log."""
    from counter_app.core.config import Settings
    from counter_app.core.paths import DataPaths
    from counter_app.gui.roles import Hall
    from counter_app.gui.tasks import TaskRunner
    from counter_app.hub.server import start_hub_in_thread
    from counter_app.gui.hub_link import HubLink
    from counter_app.services.auth import AuthService
    from counter_app.services.seed import DEMO_PASSWORD

    monkeypatch.setenv("QT_TTS_ENGINE", "no-such-engine")
    handle = start_hub_in_thread(seeded_db, Settings())
    tasks = TaskRunner()
    link = HubLink(handle.url, Settings().hub.token, tasks)
    try:
        settings = Settings(window=1, policy={"voice": {"chime": False}})  # the chime is another test's
        hall = Hall(settings, DataPaths(seeded_db.path.parent), seeded_db, tasks, link)
        display = hall.open_display(full_screen=False)
        qtbot.addWidget(display)
        assert hall.announcer is not None and hall.announcer.problem
        assert display.voice_problem.isVisible()
        assert "no-such-engine" in display.voice_problem.text() and "语音" in display.voice_problem.text()
        counter = hall.open_counter(AuthService(seeded_db).login("1001", DEMO_PASSWORD, 1))
        qtbot.addWidget(counter)
        assert counter.voice_field.text().startswith("语音播报：") and counter.voice_field.property("state") == "bad"
        for thing in list(hall.windows):
            getattr(thing, "close")()
    finally:
        tasks.wait()
        link.close()
        handle.stop()
