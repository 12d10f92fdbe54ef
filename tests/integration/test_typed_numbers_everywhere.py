"""Numbers typed through a Chinese input method reach every service as plain ASCII: 户号, meter
numbers, application lookups and their account numbers, staff numbers. Text no keyboard types
(NUL, a lone surrogate) never crashes the account search."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from counter_app.domain.applications import NOT_APPLICABLE, RECEIVED
from counter_app.domain.errors import InvalidInput
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import CustomerAccount
from counter_app.services.applications import ApplicationService
from counter_app.services.seed import DEMO_PASSWORD
from tests.integration.billing_fixtures import counter
from tests.integration.test_applications_service import PERSON_ID, Clock, person_form, staff_session
from tests.unit.test_typed_numbers import full_width


def _account(db) -> CustomerAccount:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        return session.scalars(select(CustomerAccount).order_by(CustomerAccount.account_no).offset(3)).first()


def test_account_search_takes_full_width_numbers_and_untypeable_text(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    account = _account(seeded_db)
    assert c.accounts.lookup_account_no(full_width(account.account_no)).account_id == account.id
    assert [h.account_id for h in c.accounts.search(full_width(account.account_no), kind="account_no")] == [account.id]
    [hit] = c.accounts.search(account.account_no)
    meter = hit.meter_nos[0]
    assert account.id in {h.account_id for h in c.accounts.search(full_width(meter.lower()), kind="meter")}
    assert account.id in {h.account_id for h in c.accounts.search(full_width(meter))}
    for odd in ("\x00", "张\x00", "\ud800", "人民路\udfff", "\x00" * 5, "1000\x00000123"):
        for kind in ("auto", "name", "address", "meter"):
            assert isinstance(c.accounts.search(odd, kind=kind), list), (odd, kind)
    assert c.accounts.search("\ud800", kind="account_no") == []  # nothing typeable was typed
    with pytest.raises(InvalidInput) as error:
        c.accounts.search("12\ud800", kind="account_no")
    assert error.value.field == "account_no"


def test_applications_take_full_width_numbers(seeded_db, data_paths) -> None:
    service = ApplicationService(seeded_db, data_paths, Clock())
    clerk = staff_session(seeded_db, "1005")
    form = person_form(service)
    number = service.submit(replace(form, id_number=full_width(PERSON_ID), phone=full_width("138 1234 5678")), clerk).number
    detail = service.detail(number)
    assert (detail.id_number, detail.phone) == (PERSON_ID, "13812345678")
    assert [h.number for h in service.lookup(full_width(number.lower()))] == [number]
    assert [h.number for h in service.lookup(full_width(PERSON_ID))] == [number]
    assert [h.number for h in service.lookup(full_width("+86 138-1234-5678"))] == [number]
    definition = next(t.definition for t in service.types() if t.code == "renovation")
    renovation = replace(form, type_code="renovation", requested_size="",
                         documents={d.code: RECEIVED if d.required else NOT_APPLICABLE
                                    for d in definition.documents_for("person")})
    account_no = _account(seeded_db).account_no
    later = service.submit(replace(renovation, account_no=full_width(account_no)), clerk).number
    assert service.detail(later).account_no == account_no


def test_staff_numbers_typed_full_width_log_in(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    assert c.auth.login(full_width("1001"), DEMO_PASSWORD, 1).staff_no == "1001"
