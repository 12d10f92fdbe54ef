"""What head office does with pushed events (contract §5, G2, G3, G9, G10, G11): each stored once
with its effect, duplicates answered from the stored result, poison quarantined without blocking,
local edits detected by the hash chain, receipts never dropped."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from counter_app.core import syncwire
from counter_app.hq.models import HQPayment, InboundEvent, SyncIncident
from counter_app.hq.quarantine import list_quarantine, reapply, reject


def statuses(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    return [(r["status"], r["code"]) for r in response.json()["results"]]


def count(hq_db, model, *where) -> int:
    with hq_db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def rehash(event: dict, node=None) -> dict:
    """The event as a branch would write it after its payload was changed (chain recomputed)."""
    event["payload_sha256"] = syncwire.sha256_hex(syncwire.canonical_json(event["payload"]).encode())
    event["chain"] = syncwire.chain_hash(event["prev_chain"], event["event_id"], event["payload_sha256"])
    return event


def test_payments_are_booked_once_and_a_retry_answers_duplicate(make_node, client, hq_db) -> None:
    node = make_node()
    events = [node.payment(1000 + i) for i in range(3)]
    assert statuses(node.push(client, events)) == [("applied", None)] * 3
    again = node.push(client, events)
    assert statuses(again) == [("duplicate", None)] * 3
    assert again.json()["results"][0]["detail"] == "stored earlier as applied"
    assert count(hq_db, InboundEvent) == 3 and count(hq_db, HQPayment) == 3
    with hq_db.engine.connect() as connection:
        amounts = sorted(connection.scalars(select(HQPayment.amount_fen)))
        stored = connection.scalar(select(InboundEvent.payload).where(InboundEvent.event_id == events[0]["event_id"]))
    assert amounts == [1000, 1001, 1002]
    assert stored == events[0]["payload"]  # kept whole, as JSONB


def test_every_other_event_type_is_kept_as_applied(make_node, client, hq_db) -> None:
    node = make_node()
    events = [node.event("ops", "ticket.issued", "queue_ticket", "t1", {"number": "A001"}),
              node.event("ops", "rating.given", "satisfaction_rating", "r1", {"score": 5}),
              node.event("applications", "application.submitted", "application", "a1", {"applicant": "张三"}),
              node.event("payments", "settlement.closed", "settlement", "s1", {"total_fen": 100})]
    assert statuses(node.push(client, events)) == [("applied", None)] * 4
    assert count(hq_db, InboundEvent, InboundEvent.aggregate_type == "application") == 1
    assert count(hq_db, HQPayment) == 0
    hello = node.hello(client).json()
    assert hello["hq_max_seq"] == {"payments": 1, "applications": 1, "ops": 2}


def test_a_void_is_never_booked_before_its_payment(make_node, client, hq_db) -> None:
    node = make_node()
    original = node.payment(5000)
    original_id = original["payload"]["payment"]["id"]
    void = node.payment(-5000, kind="void", reverses_id=original_id)
    # the void arrives alone (its payment went to another batch that is still in flight)
    assert statuses(node.push(client, [void])) == [("quarantined", "depends_on_missing")]
    assert count(hq_db, HQPayment) == 0
    # the payment arrives: it is booked, then the void waiting for it (G9)
    assert statuses(node.push(client, [original])) == [("applied", None)]
    with hq_db.engine.connect() as connection:
        kinds = dict(connection.execute(select(HQPayment.kind, HQPayment.reverses_id)).all())
        released = connection.execute(select(InboundEvent.apply_status, InboundEvent.resolution)
                                      .where(InboundEvent.event_id == void["event_id"])).one()
    assert kinds == {"payment": None, "void": original_id}
    assert released == ("applied", f"applied when payment {original_id} arrived")
    assert list_quarantine(hq_db.engine) == []
    # in one batch, in order, both are booked
    second = node.payment(700)
    assert statuses(node.push(client, [second, node.payment(-700, kind="void",
                                                                reverses_id=second["payload"]["payment"]["id"])])) \
        == [("applied", None)] * 2


def test_a_void_from_another_window_arriving_first_is_booked_after_the_payment(make_node, client, hq_db) -> None:
    node, other = make_node(window=1), make_node(window=2)
    original = node.payment(900)
    void = other.payment(-900, kind="void", reverses_id=original["payload"]["payment"]["id"])
    assert statuses(other.push(client, [void])) == [("quarantined", "depends_on_missing")]
    assert statuses(node.push(client, [original])) == [("applied", None)]
    assert count(hq_db, HQPayment, HQPayment.kind == "void") == 1
    assert list_quarantine(hq_db.engine) == []


def test_a_void_waiting_for_a_quarantined_payment_is_booked_when_a_person_applies_it(make_node, client, hq_db) -> None:
    node = make_node()
    original = node.payment(300)
    original["payload"]["note"] = "edited"  # hash mismatch: the payment is quarantined
    void = node.payment(-300, kind="void", reverses_id=original["payload"]["payment"]["id"])
    assert statuses(node.push(client, [original, void])) == [("quarantined", "payload_hash_mismatch"),
                                                             ("quarantined", "depends_on_missing")]
    assert reapply(hq_db.engine, original["event_id"], "checked against the paper receipt", "auditor") == "applied"
    assert reapply(hq_db.engine, void["event_id"], "its payment is booked now", "auditor") == "applied"
    assert count(hq_db, HQPayment) == 2


def test_a_void_of_a_quarantined_payment_waits_too(make_node, client) -> None:
    node = make_node()
    bad = node.payment(100)
    bad["payload"]["payment"]["amount_fen"] = 1.5  # not whole fen
    node.heads["payments"] = rehash(bad)["chain"]
    void = node.payment(-100, kind="void", reverses_id=bad["payload"]["payment"]["id"])
    assert statuses(node.push(client, [bad, void])) == [("quarantined", "invalid_payload"),
                                                        ("quarantined", "depends_on_missing")]


def test_a_receipt_collision_keeps_both_payments_and_raises_an_incident(make_node, client, hq_db) -> None:
    a, b = make_node(window=1), make_node(window=2)
    assert statuses(a.push(client, [a.payment(100, receipt_no="B001-T01A-2026-0000001")])) == [("applied", None)]
    assert statuses(b.push(client, [b.payment(200, receipt_no="B001-T01A-2026-0000001")])) == [("applied", None)]
    assert count(hq_db, HQPayment, HQPayment.receipt_no == "B001-T01A-2026-0000001") == 2
    assert count(hq_db, SyncIncident, SyncIncident.kind == "receipt_collision") == 1


def test_poison_in_the_middle_does_not_block_the_rest(make_node, client, hq_db) -> None:
    node = make_node()
    events = [node.payment(100 + i) for i in range(199)]
    poison = events[100]
    poison["payload"]["payment"]["kind"] = "gift"
    rehash(poison)
    # the chain of the next event was made over the original hash: rebuild it like the branch would
    for previous, event in zip(events, events[1:]):
        event["prev_chain"] = previous["chain"]
        rehash(event)
    results = statuses(node.push(client, events))
    assert results[100] == ("quarantined", "invalid_payload")
    assert results[:100] + results[101:] == [("applied", None)] * 198
    assert count(hq_db, HQPayment) == 198
    assert [q.event_id for q in list_quarantine(hq_db.engine)] == [poison["event_id"]]
    assert node.hello(client).json()["hq_max_seq"]["payments"] == 199  # quarantined is held, not missing


def test_a_payload_edited_after_hashing_is_quarantined(make_node, client) -> None:
    node = make_node()
    event = node.payment(100)
    event["payload"]["payment"]["amount_fen"] = 1  # edited, hash not recomputed
    assert statuses(node.push(client, [event])) == [("quarantined", "payload_hash_mismatch")]


def test_a_local_edit_of_a_sent_event_breaks_the_chain_at_the_next_sync(make_node, client, hq_db) -> None:
    node = make_node()
    first, second = node.payment(100), node.payment(200)
    assert statuses(node.push(client, [first])) == [("applied", None)]
    # someone edits the first payment in the branch database and rebuilds the chain from there
    edited = rehash(copy.deepcopy(first))
    edited["payload"]["payment"]["amount_fen"] = 1
    rehash(edited)
    second["prev_chain"] = edited["chain"]
    rehash(second)
    assert statuses(node.push(client, [second])) == [("quarantined", "chain_broken")]
    assert count(hq_db, SyncIncident, SyncIncident.kind == "chain_broken") == 1
    # a chain value that is not the hash of its parts is broken too
    third = node.payment(300)
    third["chain"] = "0" * 64
    assert statuses(node.push(client, [third])) == [("quarantined", "chain_broken")]


def test_the_same_event_id_with_another_payload_is_a_conflict(make_node, client, hq_db) -> None:
    node = make_node()
    event = node.payment(100)
    assert statuses(node.push(client, [event])) == [("applied", None)]
    other = copy.deepcopy(event)
    other["payload"]["payment"]["amount_fen"] = 999
    rehash(other)
    assert statuses(node.push(client, [other])) == [("quarantined", "event_id_conflict")]
    assert count(hq_db, InboundEvent) == 1  # the first is kept; the second is evidence in the incident
    with hq_db.engine.connect() as connection:
        evidence = connection.scalar(select(SyncIncident.evidence).where(SyncIncident.kind == "event_id_conflict"))
    assert evidence["payload"]["payment"]["amount_fen"] == 999


def test_two_events_claiming_one_sequence_number_are_both_kept(make_node, client, hq_db) -> None:
    node = make_node()
    first = node.payment(100)
    assert statuses(node.push(client, [first])) == [("applied", None)]
    node.seq["payments"], node.heads["payments"] = 0, ""  # a restored database numbering again
    assert statuses(node.push(client, [node.payment(200)])) == [("quarantined", "sequence_conflict")]
    assert count(hq_db, InboundEvent) == 2


def test_hello_reports_the_highest_contiguous_sequence(make_node, client) -> None:
    node = make_node()
    events = [node.payment(i + 1) for i in range(6)]
    assert node.hello(client, {"payments": 0}).json()["hq_max_seq"]["payments"] == 0
    node.push(client, events[:2] + events[3:5])  # 3 lost on the way
    assert node.hello(client).json()["hq_max_seq"]["payments"] == 2
    node.push(client, [events[2]])
    assert node.hello(client).json()["hq_max_seq"]["payments"] == 5
    node.push(client, [events[5]])
    answer = node.hello(client, {"payments": 6}).json()
    assert answer["hq_max_seq"] == {"payments": 6, "applications": 0, "ops": 0}
    assert answer["max_batch_events"] == 200 and answer["status"] == "ok"


def test_a_quarantined_event_is_rejected_with_a_reason_and_kept(make_node, client, hq_db) -> None:
    node = make_node()
    event = node.payment(100)
    event["payload"]["payment"]["amount_fen"] = 5
    assert statuses(node.push(client, [event])) == [("quarantined", "payload_hash_mismatch")]
    reject(hq_db.engine, event["event_id"], "edited at the branch", "auditor")
    assert list_quarantine(hq_db.engine) == []
    with hq_db.engine.connect() as connection:
        row = connection.execute(select(InboundEvent).where(InboundEvent.event_id == event["event_id"])).first()
    assert row.apply_status == "rejected" and "edited at the branch" in row.resolution
    assert statuses(node.push(client, [event])) == [("duplicate", "payload_hash_mismatch")]


def test_malformed_events_change_nothing_and_name_the_field(make_node, client, hq_db) -> None:
    node = make_node()
    good, bad = node.payment(1), node.payment(2)
    bad["channel_seq"] = "2"
    response = node.push(client, [good, bad])
    assert response.status_code == 422
    assert response.json()["params"] == {"field": "events[1].channel_seq", "rule": "a whole number from 1"}
    assert count(hq_db, InboundEvent) == 0
