"""A connection application is seen at any window of a branch whose counters keep their own
databases: the window that took it reports it to the hub in the background (again when the
hub is back), another window's lookup reads its own database first and the hub's read copy
second, and with the hub down it says that other windows' applications cannot be seen now."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from counter_app.domain.errors import NotAllowed
from counter_app.persistence.models import ApplicationDocument, HubApplication, HubApplicationAction, OutboxEvent
from tests.integration.application_split_fixtures import PERSON_ID, branch, person_form, wait_for  # noqa: F401
from tests.integration.hub_devices import enrol

__all__ = ["branch"]


def _seen(counter, text: str):  # type: ignore[no-untyped-def]
    found = counter.service.lookup_anywhere(text)
    return [hit for hit in found.hits if hit.elsewhere] if found.unseen is None else []


def test_an_application_taken_at_window_1_is_found_at_window_2_as_it_stands(branch) -> None:  # type: ignore[no-untyped-def]
    (one, two), _, _ = branch
    clerk = one.counter.clerk()
    accepted = one.service.submit(person_form(one.service, missing=("id_card", "property")), clerk)
    one.service.hand_in_documents(accepted.number, clerk, ["id_card"])
    own = one.service.detail(accepted.number)
    assert [d.code for d in own.missing] == ["property"]

    hits = wait_for(lambda: _seen(two, accepted.number))
    assert [(h.number, h.window, h.status) for h in hits] == [(accepted.number, 1, own.status)]
    for key in (PERSON_ID, "13812345678", "+86 138-1234-5678"):
        assert [h.number for h in _seen(two, key)] == [accepted.number]
    copy = wait_for(lambda: (d := two.service.detail_anywhere(accepted.number)).history == own.history and d)
    assert (copy.stage, copy.status, copy.due, copy.elapsed_days) == (own.stage, own.status, own.due, own.elapsed_days)
    assert [d.code for d in copy.missing] == ["property"] and copy.next_step == own.next_step
    assert (copy.window_number, copy.clerk_no, copy.clerk_name) == (1, "1001", own.clerk_name)
    assert copy.copy_as_of_local and not own.copy_as_of_local

    one.service.hand_in_documents(accepted.number, clerk, ["property"])  # the rest, at the window that keeps it
    now = one.service.detail(accepted.number)
    later = wait_for(lambda: (d := two.service.detail_anywhere(accepted.number)).status == now.status and d)
    assert later and later.missing == () and later.due == now.due
    with two.counter.db.sessions() as session:  # window 2 read it: nothing written there, nothing for its sync
        assert session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.channel == "applications")) == 0
    assert one.desk.pending() == 0


def test_with_the_hub_down_the_lookup_says_other_windows_cannot_be_seen_then_finds_it_when_back(branch, seeded_db) -> None:  # type: ignore[no-untyped-def]
    (one, two), state, restart = branch
    mine = two.service.submit(person_form(two.service), two.counter.clerk())
    wait_for(lambda: two.desk.pending() == 0)
    state["hub"].stop()
    taken = one.service.submit(person_form(one.service, missing=("id_card",)), one.counter.clerk())
    found = two.service.lookup_anywhere(taken.number)
    assert found.hits == [] and found.unseen is not None and found.unseen.code == "applications_elsewhere_unseen"
    by_id = two.service.lookup_anywhere(PERSON_ID)  # its own are shown, with the same warning
    assert [h.number for h in by_id.hits] == [mine.number] and by_id.unseen.code == "applications_elsewhere_unseen"
    with pytest.raises(NotAllowed) as refused:
        two.service.detail_anywhere(taken.number)
    assert refused.value.code == "applications_elsewhere_unseen"
    assert wait_for(lambda: one.desk.online is False) and one.desk.pending() >= 1  # kept for the hub's return

    restart()
    hits = wait_for(lambda: _seen(two, taken.number), seconds=8.0)
    assert [(h.number, h.window) for h in hits] == [(taken.number, 1)]
    assert wait_for(lambda: one.desk.pending() == 0)
    with seeded_db.sessions() as session:  # one row per application at the hub, whatever was sent twice
        assert session.scalar(select(func.count()).select_from(HubApplication)) == 2


def test_the_hub_keeps_the_newest_copy_and_a_late_or_repeated_one_changes_nothing(branch, seeded_db) -> None:  # type: ignore[no-untyped-def]
    (one, _two), _, _ = branch
    clerk = one.counter.clerk()
    accepted = one.service.submit(person_form(one.service, missing=("id_card",)), clerk)
    wait_for(lambda: one.desk.pending() == 0)
    with one.counter.db.sessions() as session:
        application_id = session.scalar(select(OutboxEvent.aggregate_id).where(OutboxEvent.channel == "applications"))
    copy = one.desk.copy_of(application_id)
    assert one.counter.client.report_application(copy.model_dump(mode="json")) == {"recorded": False}
    older = copy.model_copy(update={"as_of": copy.as_of - timedelta(minutes=5), "report_id": "0" * 36,
                                    "detail": {**copy.detail, "status": "done"}})
    assert one.counter.client.report_application(older.model_dump(mode="json")) == {"recorded": False}
    with seeded_db.sessions() as session:
        row = session.get(HubApplication, application_id)
        assert row.copy["detail"]["status"] == "waiting_docs" and row.number == accepted.number
        assert isinstance(row.as_of, datetime)
    other_window = copy.model_copy(update={"window": 2})  # a counter reports only for its own window
    with pytest.raises(NotAllowed):
        one.counter.client.report_application(other_window.model_dump(mode="json"))


def test_a_kiosk_or_display_cannot_read_the_branchs_applications(branch, seeded_db) -> None:  # type: ignore[no-untyped-def]
    (one, _two), state, _ = branch
    one.service.submit(person_form(one.service), one.counter.clerk())
    assert wait_for(lambda: one.desk.pending() == 0)
    for role in ("kiosk", "display"):
        token = enrol(seeded_db, role, hub_url=state["hub"].url)
        with httpx.Client(base_url=state["hub"].url, headers={"Authorization": f"Bearer {token}"}) as device:
            answer = device.post("/v1/applications/find", json={"id_number": PERSON_ID, "terminal_code": "K01"})
            assert answer.status_code == 403, (role, answer.text)


def test_documents_handed_in_at_window_2_are_recorded_by_window_1_once(branch, seeded_db) -> None:  # type: ignore[no-untyped-def]
    (one, two), state, _ = branch
    taken = one.service.submit(person_form(one.service, missing=("id_card", "property")), one.counter.clerk())
    assert wait_for(lambda: _seen(two, taken.number))
    clerk2 = two.counter.clerk("1002")
    sent = two.service.forward_hand_in(taken.number, clerk2, ["property"])
    assert (sent.number, sent.window) == (taken.number, 1)

    def owed_at_1() -> list[str]:
        return [d.code for d in one.service.detail(taken.number).missing]

    assert wait_for(lambda: owed_at_1() == ["id_card"]), owed_at_1()
    own = one.service.detail(taken.number)
    assert own.history[-1].action == "documents" and own.history[-1].staff_name == clerk2.name
    assert wait_for(lambda: [d.code for d in two.service.detail_anywhere(taken.number).missing] == ["id_card"])

    again = two.service.forward_hand_in(taken.number, clerk2, ["property"])  # a second clerk's, or a resend
    def at_hub(action_id: str) -> tuple[str, str]:
        with seeded_db.sessions() as session:
            row = session.get(HubApplicationAction, action_id)
            return row.state, row.result

    assert wait_for(lambda: at_hub(again.action_id)[0] != "pending")
    assert at_hub(sent.action_id) == ("applied", "recorded")
    assert at_hub(again.action_id) == ("applied", "document_not_missing")  # found in already: nothing changed
    with one.counter.db.sessions() as session:  # recorded once at the window that keeps it
        rows = session.scalars(select(ApplicationDocument.state).where(ApplicationDocument.doc_code == "property")).all()
        assert sorted(rows) == ["missing", "received"]
    with two.counter.db.sessions() as session:  # and nothing written at window 2 for its sync
        assert session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.channel == "applications")) == 0

    state["hub"].stop()
    with pytest.raises(NotAllowed) as refused:
        two.service.forward_hand_in(taken.number, clerk2, ["id_card"])
    assert refused.value.code == "applications_elsewhere_unseen"
