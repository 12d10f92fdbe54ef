"""Connection applications as the hall uses them (pytest-qt, offscreen): intake with two
documents missing, the slip read back from its PDF, the back office carrying the application
through every stage, and another counter's status lookup following along."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pypdf import PdfReader
from sqlalchemy import select

from counter_app.core.paths import DataPaths
from counter_app.domain.staff_rules import Role
from counter_app.gui.applications import install_application_pages
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.qtapp import install_translations
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Staff
from counter_app.services.auth import StaffSession
from counter_app.services.node import open_node_database

ID_NUMBER = "11010519491231002X"


def staff(db, staff_no: str, window: int | None) -> StaffSession:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        row = session.scalars(select(Staff).where(Staff.staff_no == staff_no)).one()
        return StaffSession(row.id, row.staff_no, row.name, Role(row.role), window, datetime.now(timezone.utc))


class Hall:
    """Three workplaces on one branch database: counter 5, counter 6 (its own connection) and the back office."""

    def __init__(self, qtbot, db, data_paths: DataPaths, settings) -> None:  # type: ignore[no-untyped-def]
        self.tasks = TaskRunner()
        self.other_db = open_node_database(data_paths, settings)
        self.windows = []
        self.counter = self._open(qtbot, db, staff(db, "1005", 5))
        self.other = self._open(qtbot, self.other_db, staff(db, "1006", 6))
        self.back = self._open(qtbot, db, staff(db, "2001", None))

    def _open(self, qtbot, db, who: StaffSession):  # type: ignore[no-untyped-def]
        window = CounterWindow(db, who, self.tasks, printer_name="")
        qtbot.addWidget(window)
        pages = install_application_pages(window, db, who, self.tasks)
        window.resize(1280, 800)
        window.show()
        self.windows.append(window)
        return pages

    def close(self) -> None:
        self.tasks.wait(10_000)
        for window in self.windows:
            window.close()
        self.other_db.dispose()


@pytest.fixture
def hall(qtbot, qapp, seeded_db, data_paths, settings):  # type: ignore[no-untyped-def]
    translators = install_translations(qapp, "zh_CN")
    hall = Hall(qtbot, seeded_db, data_paths, settings)
    yield hall
    hall.close()
    for translator in translators:
        qapp.removeTranslator(translator)


def fill_person(qtbot, page, name: str = "王小明", id_number: str = ID_NUMBER) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.type_combo.count() == 5, timeout=5000)
    page.type_combo.setCurrentIndex(page.type_combo.findData("new"))
    page.name_edit.insert(name)  # Chinese arrives through the input method, not as key presses
    qtbot.keyClicks(page.id_edit, id_number)
    qtbot.keyClicks(page.phone_edit, "13812345678")
    page.address_edit.insert("示范市城东区人民路88号3栋2单元501室")
    page.size_combo.setCurrentText("DN20")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_bad_id_number_is_named_in_chinese_and_focused(qtbot, hall) -> None:  # type: ignore[no-untyped-def]
    page = hall.counter.intake
    fill_person(qtbot, page, id_number="110105194912310021")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.error.text() != "", timeout=5000)
    assert page.error.text() == "身份证号：校验位（最后一位）不符，请核对号码。"
    assert page.id_edit.hasFocus() or not page.isActiveWindow()
    assert hall.counter.service.work_list().items == []


def test_a_draft_is_saved_and_resumed(qtbot, hall) -> None:  # type: ignore[no-untyped-def]
    page = hall.counter.intake
    window = page.window()
    window.tabs.setCurrentWidget(page)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    fill_person(qtbot, page)
    page.phone_edit.setFocus()
    with qtbot.waitSignal(page.draft_saved, timeout=5000) as saved:
        qtbot.keyClick(page.phone_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    page.reset()
    assert page.name_edit.text() == ""
    page.resume_draft(saved.args[0])
    qtbot.waitUntil(lambda: page.name_edit.text() == "王小明", timeout=5000)
    assert page.id_edit.text() == ID_NUMBER and page.draft_id == saved.args[0]


def test_intake_slip_stages_and_status_at_another_counter(qtbot, hall, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = hall.counter.intake
    fill_person(qtbot, page)
    page.checklist.set_state("bank", "received")  # the two required papers stay missing
    with qtbot.waitSignal(page.accepted, timeout=10_000) as accepted:
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    number, slip = accepted.args
    assert "尚缺 2 份资料" in page.message.text()

    text = pdf_text(slip)
    assert "申请人身份证" in text and "不动产权证书（或购房合同）" in text
    info = hall.counter.service.detail(number)
    assert len(info.schedule) == 7
    for stage in info.schedule:
        assert stage.due.isoformat() in text, stage

    lookup = hall.other.lookup
    qtbot.keyClicks(lookup.query_edit, number)
    with qtbot.waitSignal(lookup.shown, timeout=5000):
        qtbot.keyClick(lookup.query_edit, Qt.Key.Key_Return)
    assert "待补件" in lookup.view.status.text()
    assert "申请人身份证" in lookup.view.next_step.text()
    for box in lookup.hand_in_boxes.values():
        box.setChecked(True)
    qtbot.mouseClick(lookup.hand_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "办理中" in lookup.view.status.text(), timeout=5000)
    assert lookup.hand_in.isHidden()

    back = hall.back.backoffice
    assert hall.back.intake is None  # back office staff do not take applications at a counter
    back.refresh()
    qtbot.waitUntil(lambda: back.model.row_of(number) >= 0, timeout=5000)
    back.table.selectRow(back.model.row_of(number))
    qtbot.waitUntil(lambda: back.view.detail is not None and back.view.detail.number == number, timeout=5000)
    qtbot.mouseClick(back.pass_button, Qt.MouseButton.LeftButton)  # no result written yet
    qtbot.waitUntil(lambda: back.error.text() != "", timeout=5000)
    assert back.error.text().startswith("办理结果：")

    stages = [name for _code, name, _en in info.stages]
    for position, stage in enumerate(stages):
        qtbot.waitUntil(lambda: back.pass_button.isEnabled(), timeout=5000)
        back.result_edit.insert(f"{stage}完成")
        with qtbot.waitSignal(back.changed, timeout=5000) as changed:
            qtbot.keyClick(back.result_edit, Qt.Key.Key_Return)
        qtbot.mouseClick(lookup.refresh_button, Qt.MouseButton.LeftButton)
        if position + 1 < len(stages):
            assert changed.args[0].status == "open"
            expected = f"办理中，当前环节：{stages[position + 1]}"
            qtbot.waitUntil(lambda: lookup.view.status.text() == expected, timeout=5000)
        else:
            assert changed.args[0].status == "done"
            qtbot.waitUntil(lambda: lookup.view.status.text().startswith("已办结"), timeout=5000)
    history = [lookup.view.history.item(row, 2).text() for row in range(lookup.view.history.rowCount())]
    assert history.count("完成") == 7

    with qtbot.waitSignal(lookup.printed, timeout=10_000) as printed:
        qtbot.mouseClick(lookup.print_button, Qt.MouseButton.LeftButton)
    sheet = pdf_text(printed.args[0])
    assert "已办结" in sheet and "通水完成" in sheet and "吴晓燕" in sheet


# ---- screenshots for the README ----------------------------------------------------------------

_SAMPLES = (  # applicant, days ago, type, stages passed, documents missing
    ("张伟", 9, "new", 4, ()), ("刘洋", 7, "capacity", 1, ()), ("城东宾馆", 6, "new", 2, ()),
    ("陈静", 5, "relocation", 1, ()), ("杨磊", 4, "new", 0, ("property",)), ("赵敏", 3, "renovation", 2, ()),
    ("黄强", 2, "new", 1, ()), ("周婷", 1, "transfer", 1, ()), ("吴晓燕", 1, "new", 0, ()), ("孙建国", 0, "new", 0, ()),
)


def populate(db, data_paths: DataPaths) -> None:  # type: ignore[no-untyped-def]
    """Applications accepted on past days and moved on at once, so some are due soon and some late."""
    from datetime import timedelta

    from counter_app.domain.identity_codes import complete_credit_code, complete_resident_id
    from counter_app.services.applications import ApplicationService, IntakeForm

    clerk, back = staff(db, "1005", 5), staff(db, "2001", None)
    now = datetime.now(timezone.utc)
    for n, (name, days_ago, code, passed, missing) in enumerate(_SAMPLES):
        service = ApplicationService(db, data_paths, lambda at=now - timedelta(days=days_ago): at)
        definition = next(t.definition for t in service.types() if t.code == code)
        company = len(name) > 3
        kind = "company" if company else "person"
        documents = {d.code: "missing" if d.code in missing else "received" if d.required else "not_applicable"
                     for d in definition.documents_for(kind)}
        account = "" if not definition.needs_account else f"{1_000_000_001 + n:010d}"
        form = IntakeForm(type_code=code, applicant_kind=kind, applicant_name=name,
                          id_number="" if company else complete_resident_id(f"320102198{n % 10}{n % 12 + 1:02d}1{n % 9 + 1}{n:03d}"),
                          credit_code=complete_credit_code(f"91320102MA1XY2W{n:02d}") if company else "",
                          contact="王经理" if company else "", phone=f"1391234{n:04d}",
                          site_address=f"示范市城东区建设路{20 + n}号{n + 1}栋", account_no=account,
                          requested_size="DN25" if definition.needs_size else "", documents=documents)
        number = service.submit(form, clerk).number
        for _ in range(passed):
            service.record_result(number, back, "通过")



def test_screenshots(qtbot, hall_look, hall, seeded_db, data_paths, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Intake form, back-office list and acceptance slip as PNGs (COUNTER_APP_SCREENSHOTS=docs/screenshots
    writes them for the README)."""
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    populate(seeded_db, data_paths)
    page = hall.counter.intake
    window = page.window()
    window.tabs.setCurrentWidget(page)
    fill_person(qtbot, page, name="王小明")
    page.checklist.set_state("bank", "received")
    page.notes_edit.setPlainText("新建住宅，一户一表")
    qtbot.wait(200)
    assert window.grab().save(str(folder / "application-intake.png"))

    with qtbot.waitSignal(page.accepted, timeout=10_000) as accepted:
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    slip = accepted.args[1]
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(slip), str(folder / "acceptance-slip")], check=True)

    back = hall.back.backoffice
    back_window = back.window()
    back_window.tabs.setCurrentWidget(back)
    back.refresh()
    qtbot.waitUntil(lambda: back.model.rowCount() == len(_SAMPLES) + 1, timeout=5000)
    late = next(row for row in range(back.model.rowCount()) if back.model.item(row).due_state == "red")
    back.table.selectRow(late)
    qtbot.waitUntil(lambda: back.view.detail is not None, timeout=5000)
    back.result_edit.insert("勘查完成，管线走向已确认")
    qtbot.wait(200)
    assert back_window.grab().save(str(folder / "application-backoffice.png"))
    states = {back.model.item(row).due_state for row in range(back.model.rowCount())}
    assert {"red", "amber", "stopped"} <= states
