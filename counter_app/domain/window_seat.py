"""Who has a window, as the logged-in staff member sees it, and what that lets them do.

The hub says which clerk holds each window (open or paused under them). The call panel asks
these rules which of its actions are live, and what leaving the window (log out, switch clerk,
quit the program) takes: a ticket still at the window is held for it, then the window closes,
so nothing stays open under someone who has gone."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.domain.queue_rules import AT_WINDOW_STATES

#: the call panel's actions that need the window open under the logged-in clerk
CALLING = ("call_next", "call_selected", "call_back", "pause")
#: the call panel's actions on the ticket at the window, by the ticket states they need
ON_TICKET = {
    "recall": ("called",), "no_show": ("called",), "start_service": ("called",), "recycle": ("called",),
    "finish": ("called", "serving"), "hold": ("called", "serving"), "transfer": ("called", "serving"),
}


@dataclass(frozen=True)
class Seat:
    """One window as the hub last said (``state``: closed, open or paused; ``holder``: the
    clerk it is open under) seen by the staff member ``me``."""

    state: str
    holder: str | None
    me: str

    @property
    def mine(self) -> bool:
        return self.state != "closed" and self.holder == self.me

    @property
    def taken(self) -> bool:
        """Open or paused under somebody else: nothing here works until they leave or a
        manager force-closes it."""
        return self.state != "closed" and self.holder != self.me

    def enabled(self, ticket_state: str | None) -> dict[str, bool]:
        """Which of the call panel's actions are live."""
        actions = {name: self.mine and ticket_state in states for name, states in ON_TICKET.items()}
        actions.update({name: self.mine for name in CALLING})
        actions["open_close"] = not self.taken
        return actions

    def leaving(self, ticket_state: str | None) -> tuple[str, ...]:
        """The hub commands that hand the window back when its clerk leaves, in order."""
        if not self.mine:
            return ()
        if ticket_state in AT_WINDOW_STATES:
            return ("hold", "close_window")
        return ("close_window",)
