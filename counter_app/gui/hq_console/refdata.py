"""Reference data edited as new dated versions (tariffs from a date, holiday years, staff
disabled), through head office's publisher. Filled in once the publisher's API is merged."""

from __future__ import annotations

from counter_app.gui.hq_console.common import ConsoleLink
from counter_app.gui.hq_console.window import ConsoleWindow


def install_reference_pages(window: ConsoleWindow, link: ConsoleLink) -> None:
    """Add the reference-data tab to ``window``."""
