"""The words of every error code, in each UI language: the one place a refusal or a bad input
becomes a sentence. Services raise ``InvalidInput(field, rule, code=..., **params)`` or
``NotAllowed(message, code=..., **params)``; screens call :func:`render` with the error's code
and params and the UI language. The English ``rule``/message of the error is for logs only.

To add a code: raise it with its params, then add ``"code": ("English {param}.", "中文{param}。")``
to the module of its area below; ``tests/unit/test_error_codes.py`` fails until both texts exist
and name only params that every raise of the code passes."""

from __future__ import annotations

import logging
import string
from typing import Any, Mapping

from counter_app.core.messages import applications, billing, branch, common, hq, quality, queue, refdata

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh_CN")

#: code -> (English template, Chinese template)
CATALOGUE: dict[str, tuple[str, str]] = {}
for _part in (common, billing, queue, applications, quality, refdata, hq, branch):
    _clash = CATALOGUE.keys() & _part.MESSAGES.keys()
    if _clash:
        raise RuntimeError(f"error codes defined twice: {sorted(_clash)}")
    CATALOGUE.update(_part.MESSAGES)

#: parameter name -> value -> (English, Chinese): words a parameter holds, shown translated
PARAM_WORDS: dict[str, dict[str, tuple[str, str]]] = {**queue.PARAM_WORDS, **quality.PARAM_WORDS, **hq.PARAM_WORDS}


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def template(code: str, language: str) -> str | None:
    texts = CATALOGUE.get(code)
    if texts is None:
        return None
    return texts[1] if language.startswith("zh") else texts[0]


def _word(name: str, value: Any, language: str) -> str:
    words = PARAM_WORDS.get(name)
    if words is None or not isinstance(value, str):
        return str(value)
    index = 1 if language.startswith("zh") else 0
    separator = "、" if index else ", "
    return separator.join(words[part][index] if part in words else part for part in value.split(", "))


class _Params(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, params: Mapping[str, Any], language: str, fallback: str = "") -> str:
    """The sentence for ``code`` in ``language`` ("zh_CN" or "en") with ``params`` filled in;
    ``fallback`` (the English message) when the code has no words, which a test prevents."""
    text = template(code, language)
    if text is None:
        log.warning("no words for error code %r", code)
        return fallback or code
    return text.format_map(_Params({name: _word(name, value, language) for name, value in params.items()}))
