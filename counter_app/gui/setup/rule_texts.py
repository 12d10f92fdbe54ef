"""The configuration's rules in the user's language, for the error dialog and the wizard.

The rules are written once, in English, in :mod:`counter_app.core.config` (Qt-free); the static
ones are listed here for the translator (``QT_TRANSLATE_NOOP``) and looked up when shown. A rule
with numbers or names filled in (``a whole number from 1 to 999``) is shown as written.
tests/unit/test_rule_texts.py checks that each text here is a rule the configuration still raises.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ConfigRules"
RULES = (
    QT_TRANSLATE_NOOP("ConfigRules", "a branch code of 2-10 capital letters and digits, e.g. B017"),
    QT_TRANSLATE_NOOP("ConfigRules", "the branch name"),
    QT_TRANSLATE_NOOP("ConfigRules", "the utility's name"),
    QT_TRANSLATE_NOOP("ConfigRules", "an IANA time zone such as Asia/Shanghai"),
    QT_TRANSLATE_NOOP("ConfigRules", "an http(s) address such as http://192.168.1.10:8765"),
    QT_TRANSLATE_NOOP("ConfigRules", "an address to listen on, e.g. 0.0.0.0"),
    QT_TRANSLATE_NOOP("ConfigRules", "this device's token from 'counter-app hub-admin device-add' (at least 8 characters without spaces)"),
    QT_TRANSLATE_NOOP("ConfigRules", "the evaluator device's token from 'counter-app hub-admin device-add --role evaluator' (at least 8 characters without spaces), or empty"),
    QT_TRANSLATE_NOOP("ConfigRules", "this branch's own device token (the example file's placeholder is refused)"),
    QT_TRANSLATE_NOOP("ConfigRules", "an http(s) address of head office, or empty"),
    QT_TRANSLATE_NOOP("ConfigRules", "the enrolment code from head office (6-64 letters, digits, -), or empty"),
    QT_TRANSLATE_NOOP("ConfigRules", "a serial port such as COM3 or /dev/ttyUSB0"),
    QT_TRANSLATE_NOOP("ConfigRules", "the number of this counter's window, e.g. window = 3"),
    QT_TRANSLATE_NOOP("ConfigRules", "an existing TOML file"),
    QT_TRANSLATE_NOOP("ConfigRules", "a UTF-8 encoded TOML file"),
    QT_TRANSLATE_NOOP("ConfigRules", "true or false"),
    QT_TRANSLATE_NOOP("ConfigRules", "a whole number"),
    QT_TRANSLATE_NOOP("ConfigRules", "a number"),
    QT_TRANSLATE_NOOP("ConfigRules", "text in quotes"),
)


def rule_text(expected: str) -> str:
    """``expected`` in the user's language when it is one of :data:`RULES`, else as written."""
    return QCoreApplication.translate(CONTEXT, expected) if expected in RULES else expected
