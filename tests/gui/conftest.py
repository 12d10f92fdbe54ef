"""Fixtures every Qt test may use: the Chinese UI, and the real program's font and style."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont

from counter_app.gui.qtapp import install_translations, load_cjk_font, style_sheet


@pytest.fixture
def zh(qapp):  # type: ignore[no-untyped-def]
    """The zh_CN translation installed, and removed afterwards."""
    translators = install_translations(qapp, "zh_CN")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture
def hall_look(qapp):  # type: ignore[no-untyped-def]
    """The real program's font and style sheet, put back afterwards."""
    font, sheet = qapp.font(), qapp.styleSheet()
    family = load_cjk_font()
    qapp.setFont(QFont(family or font.family(), 12))
    qapp.setStyleSheet(style_sheet())
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
