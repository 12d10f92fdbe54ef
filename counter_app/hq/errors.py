"""The one error shape head office answers with (SYNC_CONTRACT.md, "Errors")."""

from __future__ import annotations

from typing import Any

from counter_app.core import syncwire
from counter_app.domain.errors import UserError


class HQError(Exception):
    """``{"code", "message", "params"}`` with an HTTP status; raised anywhere, answered by the app."""

    def __init__(self, status: int, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.params = params

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "params": self.params}


def invalid(field: str, rule: str) -> HQError:
    return HQError(422, "invalid_input", f"{field}: {rule}", field=field, rule=rule)


def upgrade_required() -> HQError:
    return HQError(426, "upgrade_required", "this program version is not accepted by head office; upgrade it",
                   accepted_protocols=sorted(syncwire.ACCEPTED_PROTOCOLS),
                   accepted_schema_versions=sorted(syncwire.ACCEPTED_SCHEMA_VERSIONS))


class ConsoleSessionEnded(UserError):
    """No console session, an ended one or an expired one (HTTP 401): log in again."""

    code = "hq_session_ended"
