"""The counter's home page shows the clerk's day (in Chinese): a payment taken on the fee page is
counted there when the clerk comes back to it, and the window's application that still owes
documents is listed; its screenshot for the README (COUNTER_APP_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from counter_app.domain.money import format_fen
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, CustomerAccount
from counter_app.services.applications import ApplicationService
from tests.gui.fees_fixtures import pay_cash, places  # noqa: F401
from tests.integration.test_applications_service import person_form


def test_the_home_page_counts_the_day_and_lists_what_needs_the_window(qtbot, places, hall_look, seeded_db, data_paths,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                      settings, tmp_path: Path) -> None:
    place = places(seeded_db, data_paths, settings)
    window, home = place.window, place.window.home
    applications = ApplicationService(seeded_db, data_paths)
    owed = applications.submit(person_form(applications, missing=("id_card", "property")), place.clerk).number
    with unit_of_work(seeded_db.sessions) as session:
        account_no = session.scalar(select(CustomerAccount.account_no).join(Bill, Bill.account_id == CustomerAccount.id)
                                    .where(Bill.status == "open").limit(1))
    result = pay_cash(qtbot, place.page, account_no)

    window.tabs.setCurrentWidget(home)  # back on the home page: read again
    qtbot.waitUntil(lambda: home.day is not None and home.day.takings.payments.count >= 1, timeout=10_000)
    day = home.day
    assert home.tiles["payments"].value.text() == f"{day.takings.payments.count} 笔 · {format_fen(day.takings.payments.amount_fen)}"
    assert result.total_fen <= day.takings.payments.amount_fen
    assert home.tiles["settled"].value.text() == "未日结"
    assert home.tiles["accepted"].value.text() == str(day.accepted_today) and day.accepted_today >= 1
    listed = {home.follow.item(r, 0).text(): home.follow.item(r, 4).text() for r in range(home.follow.rowCount())}
    assert listed[owed] == "待补件"
    assert "今日" in home.day_title.text()
    window.resize(1366, 768)
    qtbot.wait(200)
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(folder / "counter-home.png"))
