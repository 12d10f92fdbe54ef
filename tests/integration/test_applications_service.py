"""Connection applications on a real seeded SQLite node: intake, drafts, the stopped clock,
stages, lookups, the outbox guarantee and the printed papers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from counter_app.core.paths import DataPaths
from counter_app.domain.applications import MISSING, NOT_APPLICABLE, RECEIVED
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.staff_rules import Role
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Application, ApplicationAttachment, ApplicationDocument, ApplicationStageEvent, AuditLog, CustomerAccount,
    OutboxEvent, Staff,
)
from counter_app.services.applications import ApplicationService, IntakeForm
from counter_app.services.auth import StaffSession

PERSON_ID = "11010519491231002X"
COMPANY_CODE = "91350100M000100Y43"


class Clock:
    """The branch's clock, moved on by the test (starts Monday 2026-11-23 10:00 in Shanghai)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def days(self, n: int) -> None:
        self.now += timedelta(days=n)


def staff_session(db, staff_no: str, window: int | None = 5) -> StaffSession:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        staff = session.scalars(select(Staff).where(Staff.staff_no == staff_no)).one()
        return StaffSession(staff.id, staff.staff_no, staff.name, Role(staff.role), window, datetime.now(timezone.utc))


def person_form(service: ApplicationService, *, missing: tuple[str, ...] = ()) -> IntakeForm:
    definition = next(t.definition for t in service.types() if t.code == "new")
    states = {d.code: (MISSING if d.code in missing else RECEIVED if d.required else NOT_APPLICABLE)
              for d in definition.documents_for("person")}
    return IntakeForm(type_code="new", applicant_kind="person", applicant_name="王小明", id_number=PERSON_ID,
                      phone="138 1234 5678", site_address="示范市城东区人民路88号3栋2单元501室", requested_size="DN20",
                      documents=states, notes="新建住宅")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(seeded_db, data_paths: DataPaths, clock: Clock) -> ApplicationService:  # type: ignore[no-untyped-def]
    return ApplicationService(seeded_db, data_paths, clock)


@pytest.fixture
def clerk(seeded_db) -> StaffSession:  # type: ignore[no-untyped-def]
    return staff_session(seeded_db, "1005")


@pytest.fixture
def back_office(seeded_db) -> StaffSession:  # type: ignore[no-untyped-def]
    return staff_session(seeded_db, "2001", None)


def test_missing_documents_accept_the_application_with_its_clock_stopped(service, clerk, seeded_db) -> None:  # type: ignore[no-untyped-def]
    accepted = service.submit(person_form(service, missing=("id_card", "property")), clerk)
    assert accepted.number == "BZ-B001-H00-20261123-0001"
    assert accepted.status == "waiting_docs"
    assert accepted.missing == ("申请人身份证", "不动产权证书（或购房合同）")
    info = service.detail(accepted.number)
    assert info.phone == "13812345678" and info.window_number == 5 and info.clerk_name == "陈静"
    assert [h.action for h in info.history] == ["enter", "stop_clock"]
    assert info.due_state == "stopped"
    assert [s.code for s in info.schedule] == ["accept", "survey", "plan", "charge", "build", "inspect", "connect"]
    assert info.schedule[0].due == date(2026, 11, 24)
    with unit_of_work(seeded_db.sessions) as session:
        application = session.scalars(select(Application)).one()
        event = session.scalars(select(OutboxEvent).where(OutboxEvent.event_id == application.outbox_event_id)).one()
        assert (event.channel, event.event_type, event.aggregate_id) == ("applications", "application.accepted", application.id)
        assert event.payload["missing"] == ["id_card", "property"]
        for model in (ApplicationDocument, ApplicationStageEvent):
            assert {r.outbox_event_id for r in session.scalars(select(model))} == {event.event_id}
        assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "application_accepted")) == 1
    second = service.submit(person_form(service), clerk)
    assert second.number.endswith("-0002") and second.status == "open" and second.missing == ()


@pytest.mark.parametrize("change, field", [
    (dict(id_number="110105194912310021"), "id_number"),
    (dict(phone="1234"), "phone"),
    (dict(applicant_name="  "), "applicant_name"),
    (dict(site_address=""), "site_address"),
    (dict(requested_size=""), "requested_size"),
    (dict(type_code="nope"), "type_code"),
    (dict(applicant_kind="company", credit_code="91350100M000100Y44", contact="李经理"), "credit_code"),
    (dict(applicant_kind="company", credit_code=COMPANY_CODE, contact=""), "contact"),
])
def test_bad_input_names_the_field_and_writes_nothing(service, clerk, seeded_db, change, field) -> None:  # type: ignore[no-untyped-def]
    form = replace(person_form(service), **change)
    if form.applicant_kind == "company":
        definition = next(t.definition for t in service.types() if t.code == "new")
        form = replace(form, documents={d.code: RECEIVED if d.required else NOT_APPLICABLE for d in definition.documents_for("company")})
    with pytest.raises(InvalidInput) as caught:
        service.submit(form, clerk)
    assert caught.value.field == field
    with unit_of_work(seeded_db.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0


def test_renovation_needs_an_existing_account(service, clerk, seeded_db) -> None:  # type: ignore[no-untyped-def]
    definition = next(t.definition for t in service.types() if t.code == "renovation")
    form = replace(person_form(service), type_code="renovation", requested_size="",
                   documents={d.code: RECEIVED if d.required else NOT_APPLICABLE for d in definition.documents_for("person")})
    with pytest.raises(InvalidInput) as caught:
        service.submit(form, clerk)
    assert caught.value.field == "account_no"
    with pytest.raises(InvalidInput, match="no account"):
        service.submit(replace(form, account_no="9999999999"), clerk)
    with unit_of_work(seeded_db.sessions) as session:
        account_no = session.scalar(select(CustomerAccount.account_no).limit(1))
    number = service.submit(replace(form, account_no=account_no), clerk).number
    assert service.detail(number).account_no == account_no


def test_a_draft_is_saved_half_filled_and_resumed(service, clerk, back_office) -> None:  # type: ignore[no-untyped-def]
    half = IntakeForm(type_code="new", applicant_name="王小明", id_number="1101")
    draft = service.save_draft(half, clerk)
    again = service.save_draft(replace(half, phone="13812345678"), clerk, draft.id)
    assert again.id == draft.id and [d.id for d in service.list_drafts(clerk)] == [draft.id]
    assert service.list_drafts(back_office) == []
    assert service.load_draft(draft.id, clerk).phone == "13812345678"
    service.submit(person_form(service), clerk, draft_id=draft.id)
    assert service.list_drafts(clerk) == []
    with pytest.raises(NotAllowed):
        service.load_draft(draft.id, clerk)


def test_documents_handed_in_later_restart_the_clock(service, clerk, clock) -> None:  # type: ignore[no-untyped-def]
    number = service.submit(person_form(service, missing=("id_card", "property")), clerk).number
    clock.days(3)  # Thursday
    service.hand_in_documents(number, clerk, ["id_card"])
    assert service.detail(number).status == "waiting_docs"
    clock.days(4)  # next Monday 11-30: four working days stopped (24, 25, 26, 27, 30 less the day of intake)
    change = service.hand_in_documents(number, clerk, ["property"])
    assert change.status == "open"
    info = service.detail(number)
    assert info.stopped_days == 5 and info.elapsed_days == 0
    assert info.due == date(2026, 12, 1)  # 受理 was due 11-24; moved by the five stopped working days
    assert [h.action for h in info.history] == ["enter", "stop_clock", "documents", "documents", "resume"]
    with pytest.raises(InvalidInput, match="not missing"):
        service.hand_in_documents(number, clerk, ["property"])


def test_back_office_walks_every_stage_and_cannot_skip(service, clerk, back_office, clock) -> None:  # type: ignore[no-untyped-def]
    number = service.submit(person_form(service), clerk).number
    with pytest.raises(NotAllowed):
        service.record_result(number, clerk, "通过")
    with pytest.raises(InvalidInput):
        service.record_result(number, back_office, "")
    with pytest.raises(NotAllowed, match="already"):
        service.send_back(number, back_office, "accept", "x")  # already there: nothing earlier
    service.record_result(number, back_office, "资料齐全，转勘查")
    service.record_result(number, back_office, "勘查不通过：水压不足", passed=False)
    assert service.detail(number).stage == "survey"
    service.record_result(number, back_office, "勘查通过")
    with pytest.raises(InvalidInput) as caught:
        service.send_back(number, back_office, "survey", " ")
    assert caught.value.field == "reason"
    service.send_back(number, back_office, "survey", "管位需复核")
    for stage, result in (("survey", "复勘通过"), ("plan", "方案已答复")):
        clock.days(1)
        assert service.record_result(number, back_office, result).number == number
    assert service.fee_due(number).payable and service.fee_due(number).total_fen == 36000
    with pytest.raises(InvalidInput):
        service.record_fee_paid(number, clerk, "")
    assert service.record_fee_paid(number, clerk, "B001-05-20261126-0001").stage == "build"
    with pytest.raises(NotAllowed, match="收费"):
        service.record_fee_paid(number, clerk, "B001-05-20261126-0002")
    for result in ("施工完成", "验收合格", "已通水"):
        service.record_result(number, back_office, result)
    info = service.detail(number)
    assert info.status == "done" and info.due_state == "done" and info.schedule == ()
    completed = [h.stage for h in info.history if h.action == "complete"]
    assert completed == ["accept", "survey", "survey", "plan", "charge", "build", "inspect", "connect"]
    assert [h.reason for h in info.history if h.action == "back"] == ["管位需复核"]
    assert info.elapsed_days == 2  # accepted Monday, finished Wednesday
    with pytest.raises(NotAllowed, match="finished"):
        service.record_result(number, back_office, "再来一次")


def test_work_list_by_stage_and_due_with_flags(service, clerk, back_office, clock) -> None:  # type: ignore[no-untyped-def]
    first = service.submit(person_form(service), clerk).number
    clock.days(1)
    second = service.submit(person_form(service), clerk).number
    stopped = service.submit(person_form(service, missing=("property",)), clerk).number
    rows = service.work_list("accept")
    assert [r.number for r in rows.items] == [first, second, stopped]
    assert [r.due_state for r in rows.items] == ["amber", "amber", "stopped"]  # due today, due tomorrow, clock stopped
    clock.days(1)
    rows = service.work_list("accept").items
    assert [(r.due_state, r.elapsed_days) for r in rows] == [("red", 2), ("amber", 1), ("stopped", 0)]
    assert [r.number for r in service.work_list("accept", late_only=True).items] == [first, second]
    assert rows[0].stage_zh == "受理" and rows[0].type_zh == "用水报装"
    service.record_result(first, back_office, "转勘查")
    assert [r.number for r in service.work_list("survey").items] == [first]
    assert len(service.work_list().items) == 3


def test_lookup_by_number_id_phone_and_credit_code(service, clerk) -> None:  # type: ignore[no-untyped-def]
    number = service.submit(person_form(service), clerk).number
    definition = next(t.definition for t in service.types() if t.code == "new")
    company = IntakeForm(type_code="new", applicant_kind="company", applicant_name="鸿运餐饮有限公司", credit_code=COMPANY_CODE,
                         contact="李经理", phone="13900001111", site_address="示范市城东区长江路12号", requested_size="DN50",
                         documents={d.code: RECEIVED if d.required else NOT_APPLICABLE for d in definition.documents_for("company")})
    other = service.submit(company, clerk).number
    assert [h.number for h in service.lookup(number.lower())] == [number]
    assert [h.number for h in service.lookup(PERSON_ID.lower())] == [number]
    assert [h.number for h in service.lookup("+86 138-1234-5678")] == [number]
    assert [h.number for h in service.lookup(COMPANY_CODE)] == [other]
    assert service.lookup("13700000000") == []
    with pytest.raises(InvalidInput) as caught:
        service.lookup("王小明")
    assert caught.value.field == "query"


def test_attachments_are_stored_once_by_hash(service, clerk, data_paths, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scan = tmp_path / "身份证正面.jpg"
    scan.write_bytes(b"\xff\xd8 not really a jpeg" * 100)
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(scan.read_bytes())
    first, second = service.store_attachment(scan), service.store_attachment(copy)
    assert first.sha256 == second.sha256 and len(first.sha256) == 64
    stored = list((data_paths.attachments).rglob(first.sha256))
    assert len(stored) == 1 and stored[0].read_bytes() == scan.read_bytes()
    number = service.submit(replace(person_form(service), attachments=(first,)), clerk).number
    service.attach(number, clerk, [second])
    assert [a.filename for a in service.detail(number).attachments] == ["身份证正面.jpg", "copy.jpg"]
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput, match="empty"):
        service.store_attachment(empty)


def test_a_manager_changes_a_type_without_moving_accepted_applications(service, clerk, seeded_db) -> None:  # type: ignore[no-untyped-def]
    manager = staff_session(seeded_db, "8001")
    number = service.submit(person_form(service), clerk).number
    definition = next(t.definition for t in service.types() if t.code == "new")
    shorter = replace(definition, stages=definition.stages[:1] + definition.stages[-1:], fee_items=())
    with pytest.raises(NotAllowed):
        service.update_type(shorter, clerk)
    service.update_type(shorter, manager)
    assert next(t.definition for t in service.types() if t.code == "new").stage_codes == ("accept", "connect")
    assert len(service.detail(number).stages) == 7
    newer = service.submit(person_form(service), clerk).number
    assert [s[0] for s in service.detail(newer).stages] == ["accept", "connect"]


def test_back_office_asks_for_a_document_and_the_clock_stops(service, clerk, back_office) -> None:  # type: ignore[no-untyped-def]
    number = service.submit(person_form(service), clerk).number
    service.record_result(number, back_office, "转勘查")
    with pytest.raises(InvalidInput):
        service.request_documents(number, back_office, ["design"], "公司资料")  # not a document of a person
    change = service.request_documents(number, back_office, ["property"], "产权证书复印件不清晰")
    assert change.status == "waiting_docs"
    info = service.detail(number)
    assert [d.name_zh for d in info.missing] == ["不动产权证书（或购房合同）"]
    assert "不动产权证书" in info.next_step.text_zh


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_printed_slip_and_status_sheet(service, clerk, back_office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    number = service.submit(person_form(service, missing=("id_card", "property")), clerk).number
    slip = service.print_acceptance_slip(number, tmp_path)
    assert len(PdfReader(slip).pages) == 1  # the one-time notice fits on one sheet
    text = _pdf_text(slip)
    for expected in (number, "报装受理回执", "用水报装", "王小明", "申请人身份证", "不动产权证书（或购房合同）", "陈静（工号 1005）", "5号窗口",
                     "0000-96116", "¥360.00", "110105********002X", "138****5678"):
        assert expected in text, expected
    for stage in service.detail(number).schedule:
        assert stage.due.isoformat() in text
    service.hand_in_documents(number, clerk, ["id_card", "property"])
    service.record_result(number, back_office, "资料齐全，转勘查")
    sheet = _pdf_text(service.print_status_sheet(number, clerk, tmp_path))
    for expected in ("报装办理进度", "办理中：现场勘查", "资料齐全，转勘查", "吴晓燕", "补交资料", "勘查人员将电话预约上门"):
        assert expected in sheet, expected
