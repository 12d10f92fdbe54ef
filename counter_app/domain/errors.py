"""Errors a person can fix. Each carries a stable ``code`` and its ``params``; the screens turn
the code into words of the UI language (``counter_app.core.messages``), and the hub sends code,
params and field over HTTP (:meth:`UserError.to_wire`). The English message is for logs only."""

from __future__ import annotations

from typing import Any


def _plain(value: Any) -> Any:
    """A parameter as JSON can carry it: numbers and text stay, anything else becomes text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class UserError(Exception):
    """Something the clerk, the customer or IT can correct; never a bug."""

    code = "user_error"

    def __init__(self, message: str = "", *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = {name: _plain(value) for name, value in params.items()}

    @property
    def message(self) -> str:
        """The English sentence, for logs."""
        return str(self)

    def to_wire(self) -> dict[str, Any]:
        """The one error shape over HTTP: ``{code, message, params}`` (and ``field`` for bad input)."""
        return {"code": self.code, "message": str(self), "params": self.params}


class InvalidInput(UserError):
    """Bad input: names the field and the rule it broke (code and params), and changes nothing."""

    code = "invalid_input"

    def __init__(self, field: str, rule: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(f"{field}: {rule}", code=code, **params)
        self.field = field
        self.rule = rule

    def to_wire(self) -> dict[str, Any]:
        return {**super().to_wire(), "field": self.field, "rule": self.rule}


class NotAllowed(UserError):
    """The operation is refused in the current state (locked account, closed day ...)."""

    code = "not_allowed"


def from_wire(status: int, detail: dict[str, Any]) -> UserError | None:
    """The typed error a hub answer stands for (422 bad input, 409 refusal), from its code and
    params, never from its text; ``None`` for any other answer."""
    code = detail.get("code")
    params = detail.get("params") if isinstance(detail.get("params"), dict) else {}
    message = str(detail.get("message", ""))
    if status == 422:
        field = str(detail.get("field") or "request")
        rule = str(detail.get("rule") or message)
        return InvalidInput(field, rule, code=code or "request_invalid", **params)
    if status == 409:
        return NotAllowed(message, code=code or "not_allowed", **params)
    return None
