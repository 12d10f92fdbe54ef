"""The ticket a counter window is serving: what a payment or an application taken now belongs to."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def current_ticket_id(window: QWidget) -> str | None:
    """The id of the ticket the window's call panel is serving (the hub's ``Ticket``), if any: a
    payment or an application taken now is part of that ticket's service, rated at its finish."""
    ticket = getattr(getattr(window, "call_panel", None), "ticket", None)
    return str(ticket.id) if ticket is not None and getattr(ticket, "id", None) else None
