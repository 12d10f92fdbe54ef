"""Errors a person can fix, written for the person at the counter."""

from __future__ import annotations


class UserError(Exception):
    """Something the clerk, the customer or IT can correct; never a bug."""


class InvalidInput(UserError):
    """Bad input: names the field and the rule it broke, and changes nothing."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class NotAllowed(UserError):
    """The operation is refused in the current state (locked account, closed day ...)."""
