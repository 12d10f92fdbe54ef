"""Reference data edited from the console's API on a real head office: a tariff's next version
from a later date (a published one is never changed), a holiday year, a staff member disabled at
every branch; each edit published through head office's publisher and audited with its operator."""

from __future__ import annotations

from datetime import date
from typing import Iterator

import pytest
from sqlalchemy import select

from counter_app.core.messages import render
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hq.console_client import ConsoleClient
from counter_app.hq.models import HQAudit, RefChange
from counter_app.hq.operators import add_operator
from counter_app.hq.reference_edits import next_tariff_version, parse_holidays
from counter_app.hq.refdata import api
from tests.hq.refdata_fixtures import TARIFF, password_hash, publish_branch

PASSWORD = "s3cret-pass"


@pytest.fixture
def console(hq, hq_db) -> Iterator[ConsoleClient]:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    add_operator(engine, "zhang.wei", PASSWORD)
    for branch in ("B001", "B002"):
        publish_branch(engine, branch)
    api.publish_tariff_version(engine, code="RES", name="居民用水", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="setup")
    api.upsert_staff(engine, staff_no="1001", name="王芳", role="clerk", password_hash=password_hash("pw123456"),
                     branches=["B001", "B002"], by="setup")
    client = ConsoleClient(hq[0].url)
    client.login("zhang.wei", PASSWORD)
    yield client
    client.close()


def audited(hq_db) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with hq_db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(HQAudit.actor_label, HQAudit.action, HQAudit.entity_id)
                                                     .where(HQAudit.operator_id.is_not(None), HQAudit.action != "login").order_by(HQAudit.id))]


def test_a_tariff_changes_by_a_new_version_from_a_later_date(console: ConsoleClient, hq_db) -> None:  # type: ignore[no-untyped-def]
    (last,) = console.tariffs()
    assert (last["code"], last["valid_from"]) == ("RES", "2026-01-01")
    with pytest.raises(InvalidInput) as early:
        next_tariff_version(last, date(2026, 1, 1), [150, 220, 430], {})
    assert early.value.code == "hq_tariff_date_order" and "2026-01-01" in render("hq_tariff_date_order", early.value.params, "zh_CN")
    payload = next_tariff_version(last, date(2027, 1, 1), [150, 220, 430], {"sewage": 150})
    answer = console.publish_tariff(payload)
    assert answer["key"] == "RES|2027-01-01"
    versions = sorted(console.tariffs(), key=lambda v: v["valid_from"])
    assert [v["valid_from"] for v in versions] == ["2026-01-01", "2027-01-01"]
    assert versions[0]["definition"] == TARIFF  # the old version is untouched
    new = versions[1]["definition"]
    assert [t["price_fen"] for t in new["tiers"]] == [150, 220, 430]
    assert {c["code"]: c.get("price_fen") for c in new["components"]} == {"water": None, "sewage": 150, "resource": 20}
    with pytest.raises(NotAllowed) as again:
        console.publish_tariff(payload)
    assert again.value.code == "ref_tariff_immutable"
    broken = {**payload, "valid_from": "2028-01-01", "definition": {**payload["definition"], "tiers": []}}
    with pytest.raises(InvalidInput) as refused:
        console.publish_tariff(broken)
    assert refused.value.code == "ref_field_rule"
    assert len(console.tariffs()) == 2  # nothing of the refused edit was published
    with hq_db.engine.connect() as connection:
        by = connection.scalar(select(RefChange.published_by).where(RefChange.change_id == answer["change_id"]))
    assert by == "zhang.wei" and audited(hq_db) == [("zhang.wei", "tariff_published", "RES|2027-01-01")]


def test_a_holiday_year_and_a_staff_member_disabled(console: ConsoleClient, hq_db) -> None:  # type: ignore[no-untyped-def]
    days = parse_holidays(2027, "2027-01-01 休 元旦\n# comment\n2027-02-06 班 春节调休\n2027-02-10 holiday 春节\n")
    assert console.set_holidays(2027, days)["days"] == 3
    assert [(d["day"], d["kind"]) for d in console.holidays(2027)] == [
        ("2027-01-01", "holiday"), ("2027-02-06", "workday"), ("2027-02-10", "holiday")]
    console.set_holidays(2027, days[:1])  # the year's list replaces the one before
    assert [d["day"] for d in console.holidays(2027)] == ["2027-01-01"] and console.holidays(2026) == []
    with pytest.raises(InvalidInput) as wrong_year:
        parse_holidays(2027, "2027-01-01 休\n2026-12-31 休\n")
    assert wrong_year.value.code == "hq_holiday_line" and wrong_year.value.params["line"] == 2
    (person,) = console.staff()
    assert person["staff_no"] == "1001" and person["branches"] == ["B001", "B002"] and "password_hash" not in person
    console.set_staff_disabled("1001", True)
    assert console.staff()[0]["disabled"] is True
    assert all(p["disabled"] for p in api.list_current(hq_db.engine, "staff"))  # at both branches' buckets
    with pytest.raises(InvalidInput) as unknown:
        console.set_staff_disabled("9999", True)
    assert unknown.value.code == "ref_not_found"
    assert audited(hq_db) == [("zhang.wei", "holidays_published", "2027"), ("zhang.wei", "holidays_published", "2027"),
                              ("zhang.wei", "staff_disabled", "1001")]
