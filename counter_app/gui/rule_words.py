"""The clerk's sentence for a service's refusal.

Services state their rules in English (``InvalidInput(field, rule)``, ``NotAllowed(message)``);
each screen keeps a table of (pattern of the rule, translated sentence with the pattern's named
groups) and this module turns an error into "<field>: <rule>" in the UI language."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication

from counter_app.domain.errors import InvalidInput, UserError


def rule_sentence(rule: str, rules: Iterable[tuple[str, str]], words: dict[str, str] | None = None) -> str:
    """The first table sentence whose pattern matches all of ``rule``, else ``rule`` itself;
    ``words`` translates the English words a matched group may hold (a ticket's state ...)."""
    words = words or {}
    for pattern, sentence in rules:
        match = re.fullmatch(pattern, rule)
        if match:
            return sentence.format(**{k: words.get(v, v) for k, v in match.groupdict().items() if v is not None})
    return rule


def rule_of(error: Exception) -> str:
    return error.rule if isinstance(error, InvalidInput) else str(error)


def explain(error: Exception, field_name: Callable[[str], str], rule_text: str, field: str | None = None) -> str:
    """"<field>: <rule>" for bad input (or for ``field`` when given), "Not possible: ..." for a
    refusal, "Something went wrong: ..." for anything else."""
    if field is None and isinstance(error, InvalidInput):
        field = error.field
    if field is not None:
        return QCoreApplication.translate("RuleWords", "{field}: {rule}").format(field=field_name(field), rule=rule_text)
    if isinstance(error, UserError):
        return QCoreApplication.translate("RuleWords", "Not possible: {rule}").format(rule=rule_text)
    return QCoreApplication.translate("RuleWords", "Something went wrong: {error}").format(error=error)
