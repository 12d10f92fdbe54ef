"""Head office's refusals of a reference-data field (``ref_field_rule``: ``name`` such as
``service.name_zh``, ``expected`` the rule in English) in the console's language: the field by the
name its screen gives it, the rule's usual shapes in words; a rule of another shape is shown as sent."""

from __future__ import annotations

import re
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def field_words(name: str) -> str:
    names = {
        "service.code": translate("RefWords", "Code"),
        "service.letter": translate("RefWords", "Ticket letter"),
        "service.name_zh": translate("RefWords", "Name (Chinese)"),
        "service.name_en": translate("RefWords", "Name (English)"),
        "service.daily_cap": translate("RefWords", "Daily cap"),
        "service.standard_minutes": translate("RefWords", "Standard minutes"),
        "service.sort_order": translate("RefWords", "Order at the kiosk"),
        "window.number": translate("RefWords", "Window no."),
        "window.name": translate("RefWords", "Window name"),
        "staff.staff_no": translate("RefWords", "Staff no."),
        "staff.name": translate("RefWords", "Name"),
        "staff.role": translate("RefWords", "Role"),
        "staff.branches": translate("RefWords", "Branches"),
        "staff.offline_valid_until": translate("RefWords", "Offline login until"),
        "policy.name": translate("RefWords", "Policy table"),
        "policy.values": translate("RefWords", "Values"),
    }
    return names.get(name, name)


_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"text of 1 to (\d+) characters"),
     lambda m: translate("RefWords", "text of 1 to {n} characters").format(n=m[1])),
    (re.compile(r"text of at most (\d+) characters"),
     lambda m: translate("RefWords", "text of at most {n} characters").format(n=m[1])),
    (re.compile(r"a whole number from (-?\d+) to (-?\d+)"),
     lambda m: translate("RefWords", "a whole number from {low} to {high}").format(low=m[1], high=m[2])),
    (re.compile(r"one capital letter A-Z"), lambda m: translate("RefWords", "one capital letter A-Z")),
    (re.compile(r"letters, digits, _ \. - only"), lambda m: translate("RefWords", "letters, digits, _ . - only")),
    (re.compile(r"required"), lambda m: translate("RefWords", "required")),
    (re.compile(r"a non-empty list of branch codes"), lambda m: translate("RefWords", "at least one branch")),
    (re.compile(r"one of (.+)"), lambda m: translate("RefWords", "one of {choices}").format(choices=m[1])),
]


def rule_words(expected: str) -> str:
    for pattern, words in _RULES:
        match = pattern.fullmatch(expected)
        if match:
            return words(match)
    return expected


def field_rule_text(params: dict[str, Any]) -> str:
    """"<field>: <rule>" of a ``ref_field_rule`` refusal."""
    return translate("RuleWords", "{field}: {rule}").format(
        field=field_words(str(params.get("name", ""))), rule=rule_words(str(params.get("expected", ""))))
