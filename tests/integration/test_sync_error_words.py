"""What a failed sync stores (``sync_state.last_error``): a code and a sentence, never the raw
transport text (exception class, errno, host and port), which goes to the log. Real SQLite, the real
sync engine, a fake head office on loopback that drops a request or refuses a push."""

from __future__ import annotations

import logging

import pytest

from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import SyncState
from counter_app.services.sync import error_words
from tests.integration.sync_fixtures import counter_for, engine_for, hq, node, pay  # noqa: F401


def stored(db) -> str:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        state = session.get(SyncState, "hq")
        assert state is not None
        return state.last_error


@pytest.mark.parametrize("fault, arg, code, status", [("drop_request", None, error_words.UNREACHABLE, "offline"),
                                                      ("status", 422, error_words.REFUSED, "error"),
                                                      ("status", 503, error_words.BUSY, "offline")])
def test_a_failed_push_stores_a_sentence_and_logs_the_raw_text(node, data_paths, hq, caplog, fault, arg, code,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                status) -> None:
    pay(counter_for(node, data_paths))
    hq.fault(fault, arg, path="/v1/sync/push")
    engine = engine_for(node)
    try:
        with caplog.at_level(logging.WARNING, logger="counter_app.services.sync.worker"):
            result = engine.step()
    finally:
        engine.close()
    text = stored(node)
    assert result.status == status and result.error == text
    assert error_words.code_of(text) == code and text.startswith(code + ": head office ")
    assert "127.0.0.1" not in text and "Error" not in text and "Errno" not in text
    if fault == "drop_request":
        assert any("no answer from head office" in r.getMessage() and "Error" in r.getMessage() for r in caplog.records)
    else:
        assert f"HTTP {arg}" in text and any(f"HTTP {arg}" in r.getMessage() for r in caplog.records)
