"""One key map for the whole counter window: a key means the same thing on every tab.

F1–F12 belong to the queue (the call panel) and work on every tab, so a clerk collecting a fee
can finish and call the next customer without leaving 收费. A page's own actions are Ctrl with a
letter, the same letter for the same kind of action on every page (Ctrl+R reads again, Ctrl+Enter
submits). Plain data, no Qt: the widgets make their shortcuts and labels from it."""

from __future__ import annotations

#: the call panel's actions, in the order of its buttons
QUEUE_KEYS: dict[str, str] = {
    "call_next": "F1", "recall": "F2", "start_service": "F3", "finish": "F4",
    "no_show": "F5", "hold": "F6", "transfer": "F7", "recycle": "F8",
    "pause": "F9", "open_close": "F10", "call_selected": "F11", "call_back": "F12",
}

#: the pages' actions (fees, applications, back office) and the counter window's own
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "find": ("Ctrl+F",), "submit": ("Ctrl+Return", "Ctrl+Enter"), "reload": ("Ctrl+R",),
    "void": ("Ctrl+D",), "reprint": ("Ctrl+P",), "refund": ("Ctrl+T",), "unprinted": ("Ctrl+U",),
    "settle": ("Ctrl+E",), "save_draft": ("Ctrl+S",), "log_out": ("Ctrl+L",),
}


def keys(action: str) -> tuple[str, ...]:
    """Every key sequence of ``action`` (a queue or a page action)."""
    if action in QUEUE_KEYS:
        return (QUEUE_KEYS[action],)
    return PAGE_KEYS[action]


def label(action: str) -> str:
    """The key to print on a button or in a hint: the first one."""
    return keys(action)[0].replace("Return", "Enter")


def meanings() -> dict[str, list[str]]:
    """Each key sequence and the actions bound to it (one each, in a consistent map)."""
    found: dict[str, list[str]] = {}
    for action in (*QUEUE_KEYS, *PAGE_KEYS):
        for key in keys(action):
            found.setdefault(key, []).append(action)
    return found
