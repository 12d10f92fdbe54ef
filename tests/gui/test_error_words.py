"""The screens' sentences for refusals and bad input come from the code, in the language of the
installed translation: Chinese with zh_CN, English without it, for every code the package raises."""

from __future__ import annotations

import pytest

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.gui.applications.messages import ApplicationWords
from counter_app.gui.fees.words import FeeWords
from counter_app.gui.rule_words import rule_text, ui_language
from counter_app.services.auth import LoginRefused
from tests.unit.test_error_codes import CJK, raise_sites


def test_english_without_the_translation(qapp) -> None:  # type: ignore[no-untyped-def]
    assert ui_language() == "en"
    refused = NotAllowed("window 3 is closed; open it first", code="window_closed", n=3)
    assert rule_text(refused) == "window 3 is closed: open it first (F10)."
    bad = InvalidInput("tendered", "less than the cash due (¥5.00)", code="tendered_short", due="¥5.00")
    assert FeeWords().explain(bad) == "Cash handed over: less than the cash due (¥5.00): the customer must hand over at least that."


def test_chinese_with_the_translation(zh) -> None:  # type: ignore[no-untyped-def]
    assert ui_language() == "zh_CN"
    refused = NotAllowed("reworded for the log in a newer hub", code="window_closed", n=3)
    assert rule_text(refused) == "3号窗口未开启：请先开窗（F10）。"
    bad = InvalidInput("tendered", "less than the cash due (¥5.00)", code="tendered_short", due="¥5.00")
    assert FeeWords().explain(bad) == "实收现金：少于应收现金 ¥5.00：顾客至少应付这么多。"
    assert FeeWords().explain(LoginRefused("locked")) == "密码：密码错误次数过多，该工号已锁定。"
    phone = InvalidInput("phone", "a mobile number has 11 digits", code="mobile_length")
    assert ApplicationWords().explain(phone) == "手机号：手机号应为11位数字。"


@pytest.mark.parametrize("language_fixture", ["qapp", "zh"])
def test_every_code_raised_reads_as_a_whole_sentence(request, language_fixture: str) -> None:  # type: ignore[no-untyped-def]
    request.getfixturevalue(language_fixture)
    for where, _, code, params in raise_sites():
        text = rule_text(NotAllowed("english for the log", code=code, **{name: "7" for name in params}))
        assert text and "english for the log" not in text, (where, code, text)
        assert "{" not in text or code == "voice_phrase", (where, code, text)  # that rule names {number}
        if language_fixture == "zh" and code != "printer_error":  # the printer's own words are Qt-translated
            assert CJK.search(text), (where, code, text)
