"""A first password at the hub (real HTTP on loopback, the hub's real SQLite): the login with the
right password is refused ``must_change`` and opens no session; ``POST /v1/sessions/password``
with a new one that breaks the rule is refused naming ``new_password``, changing nothing; a good one
opens the session, and the change is in the hub's outbox for head office."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select, text

from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import PASSWORD_CHANGED, LoginRefused
from counter_app.hub.client import HubClient
from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxEvent
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueSettings
from tests.integration.queue_fixtures import TEST_PASSWORD, clerk_no, counter_token, hall_database, hub_settings


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubHandle, NodeDatabase]]:
    node, _hall = hall_database(tmp_path)
    with unit_of_work(node.sessions) as session:
        session.execute(text("UPDATE staff SET must_change_password = 1 WHERE staff_no = :n"), {"n": clerk_no(1)})
    handle = start_hub_in_thread(node, hub_settings(), queue_settings=QueueSettings(reset_enabled=False))
    yield handle, node
    handle.stop()
    node.dispose()


def test_a_first_password_is_changed_at_the_hub_before_a_session_opens(hub: tuple[HubHandle, NodeDatabase]) -> None:
    handle, node = hub
    clerk = clerk_no(1)
    with HubClient(handle.url, counter_token(1)) as client:
        with pytest.raises(LoginRefused) as asked:
            client.login(clerk, TEST_PASSWORD, 1)
        assert asked.value.reason == "must_change" and client.sessions == {}
        with pytest.raises(InvalidInput) as short:
            client.change_password(clerk, TEST_PASSWORD, "abc", 1)
        assert (short.value.field, short.value.code) == ("new_password", "password_short")
        with pytest.raises(LoginRefused) as wrong:
            client.change_password(clerk, "not-the-password", "new-pass-77", 1)
        assert wrong.value.reason == "wrong" and client.sessions == {}
        answer = client.change_password(clerk, TEST_PASSWORD, "new-pass-77", 1)
        assert answer["staff_no"] == clerk and client.sessions[1]
        client.logout(1)
        assert client.login(clerk, "new-pass-77", 1)["staff_no"] == clerk  # not asked again
    with unit_of_work(node.sessions) as session:
        kinds = session.scalars(select(OutboxEvent.event_type).where(OutboxEvent.event_type == PASSWORD_CHANGED)).all()
    assert kinds == [PASSWORD_CHANGED]
