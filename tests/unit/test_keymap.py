"""Issue 13: F-keys changed meaning between tabs (F1 did nothing on 收费; F5 and F12 meant one
thing on 收费 and another on 叫号). One map, each key one meaning."""

from __future__ import annotations

from counter_app.gui import keymap


def test_every_key_has_one_meaning() -> None:
    assert {key: actions for key, actions in keymap.meanings().items() if len(actions) > 1} == {}


def test_the_f_keys_are_the_queues_and_pages_use_ctrl() -> None:
    assert [keymap.label(a) for a in keymap.QUEUE_KEYS] == [f"F{n}" for n in range(1, 13)]
    assert all(key.startswith("Ctrl+") for action in keymap.PAGE_KEYS for key in keymap.keys(action))
    assert keymap.label("submit") == "Ctrl+Enter"
