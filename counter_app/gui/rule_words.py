"""The clerk's sentence for a service's refusal or a bad input.

Services raise errors with a stable code and params (``InvalidInput(field, rule, code=...)``,
``NotAllowed(message, code=...)``); this module looks the code up in the one catalogue
(:mod:`counter_app.core.messages`) in the UI language and turns the error into "<field>: <rule>"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from counter_app.core.messages import render
from counter_app.domain.errors import InvalidInput, UserError


def ui_language() -> str:
    """The catalogue's language for the current UI, "zh_CN" or "en": the language of the
    installed translation (its words for this mark), so error sentences always match the screen."""
    mark = QCoreApplication.translate("RuleWords", "error words: en")
    return "zh_CN" if mark.endswith("zh_CN") else "en"


def rule_text(error: Exception) -> str:
    """The rule an error broke (or why it was refused), in the UI language."""
    if isinstance(error, UserError):
        return render(error.code, error.params, ui_language(),
                      fallback=error.rule if isinstance(error, InvalidInput) else str(error))
    return str(error)


def explain(error: Exception, field_name: Callable[[str], str], field: str | None = None) -> str:
    """"<field>: <rule>" for bad input (or for ``field`` when given), "Not possible: ..." for a
    refusal, "Something went wrong: ..." for anything else."""
    if field is None and isinstance(error, InvalidInput):
        field = error.field
    if field is not None:
        return QCoreApplication.translate("RuleWords", "{field}: {rule}").format(
            field=field_name(field), rule=rule_text(error))
    if isinstance(error, UserError):
        return QCoreApplication.translate("RuleWords", "Not possible: {rule}").format(rule=rule_text(error))
    return QCoreApplication.translate("RuleWords", "Something went wrong: {error}").format(error=error)
