"""Logging: rotating files in the data folder, one line per business operation, no secrets."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SECRET = re.compile(r"(?i)(password|passwd|token|secret|credential)(\"?\s*[:=]\s*\"?)([^\s\",}]+)")

OPS = "counter_app.ops"


class RedactSecrets(logging.Filter):
    """Masks anything that looks like ``password=...`` or ``token: ...`` before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(log_file: Path, level: int = logging.INFO, console: bool = False) -> logging.Logger:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("counter_app")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=5 * 1024 * 1024, backupCount=10, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    file_handler.addFilter(RedactSecrets())
    root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        stream.addFilter(RedactSecrets())
        root.addHandler(stream)
    root.propagate = False
    return root


def log_operation(operation: str, *, clerk: str | None = None, window: int | None = None, **ids: object) -> None:
    """One line per business operation: what, who, at which window, and the ids it touched."""
    parts = [f"op={operation}", f"clerk={clerk or '-'}", f"window={window if window is not None else '-'}"]
    parts += [f"{key}={value}" for key, value in ids.items()]
    logging.getLogger(OPS).info(" ".join(parts))
