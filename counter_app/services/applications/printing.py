"""The printed papers of an application: the acceptance slip and the status sheet, written as
PDFs under the data folder (``receipts/applications``) for the front-end to print or keep."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from counter_app.domain.applications import AMBER, DONE, RECEIVED, RED, WAITING_DOCS
from counter_app.domain.money import format_fen
from counter_app.domain.timeutil import format_local
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Branch
from counter_app.services.applications.context import ApplicationContext
from counter_app.services.applications.queries import ApplicationDetail, detail
from counter_app.services.auth import StaffSession
from counter_app.services.documents.acceptance_slip import (
    AcceptanceSlipData, SlipStage, long_date, mask, render_acceptance_slip,
)
from counter_app.services.documents.status_sheet import StatusSheetData, render_status_sheet

ACTION_NAMES = {"enter": "开始办理", "complete": "完成", "not_passed": "未通过", "back": "退回", "stop_clock": "待补件停表",
                "resume": "资料补齐，恢复计时", "documents": "补交资料"}


@dataclass(frozen=True)
class BranchLines:
    utility_name: str
    branch_name: str
    query_phone: str
    now_local: str


def _branch(ctx: ApplicationContext) -> BranchLines:
    with unit_of_work(ctx.db.sessions) as session:
        row = session.scalars(select(Branch).where(Branch.code == ctx.db.branch_code)).first()
        now = format_local(ctx.clock(), ctx.zone(session), "%Y-%m-%d %H:%M")
        return BranchLines(row.utility_name, row.name, row.query_phone, now) if row else BranchLines("", "", "", now)


def _applicant_code(info: ApplicationDetail) -> str:
    return mask(info.id_number or info.credit_code, 6, 4)


def acceptance_slip_data(ctx: ApplicationContext, number: str) -> AcceptanceSlipData:
    info, branch = detail(ctx, number), _branch(ctx)
    return AcceptanceSlipData(
        utility_name=branch.utility_name, branch_name=branch.branch_name, number=info.number, type_name=info.type_zh,
        applicant=info.applicant_name + (f"（联系人：{info.contact}）" if info.contact else ""),
        applicant_code=_applicant_code(info), phone=mask(info.phone, 3, 4), address=info.site_address,
        accepted_at_local=info.accepted_at_local,
        received=tuple(d.name_zh for d in info.documents if d.state == RECEIVED),
        missing=tuple(d.name_zh for d in info.missing),
        stages=tuple(SlipStage(st.name_zh, st.limit_days, st.due) for st in info.schedule),
        clock_stopped=info.status == WAITING_DOCS,
        fee_lines=tuple((f.name_zh, format_fen(f.amount_fen)) for f in info.fee_items),
        clerk_name=info.clerk_name, clerk_no=info.clerk_no, window_number=info.window_number, query_phone=branch.query_phone)


def print_acceptance_slip(ctx: ApplicationContext, number: str, folder: Path | None = None) -> Path:
    data = acceptance_slip_data(ctx, number)
    return render_acceptance_slip(data, (folder or ctx.slips_folder) / f"{data.number}-slip.pdf")


def status_text(info: ApplicationDetail) -> str:
    if info.status == DONE:
        return f"已办结（{info.finished_on:%Y-%m-%d}）" if info.finished_on else "已办结"
    if info.status == WAITING_DOCS:
        return f"待补件，时限暂停：{info.stage_zh}"
    return f"办理中：{info.stage_zh}"


def due_text(info: ApplicationDetail) -> str:
    if info.status == DONE or info.due is None:
        return "—"
    if info.status == WAITING_DOCS:
        return "暂停计时，资料补齐后恢复"
    flag = {RED: "（已超期）", AMBER: "（一个工作日内到期）"}.get(info.due_state, "")
    return long_date(info.due) + flag


def status_sheet_data(ctx: ApplicationContext, number: str, who: StaffSession) -> StatusSheetData:
    info, branch = detail(ctx, number), _branch(ctx)
    history = tuple((h.at_local, h.stage_zh, ACTION_NAMES.get(h.action, h.action),
                     "；".join(part for part in (h.result, h.reason) if part), h.staff_name) for h in info.history)
    return StatusSheetData(
        utility_name=branch.utility_name, branch_name=branch.branch_name, number=info.number, type_name=info.type_zh,
        applicant=info.applicant_name, applicant_code=_applicant_code(info), address=info.site_address,
        status_text=status_text(info), due_text=due_text(info), elapsed_days=info.elapsed_days,
        stopped_days=info.stopped_days, next_step=info.next_step.text_zh if info.status != WAITING_DOCS else "请补交以下资料：",
        missing=tuple(d.name_zh for d in info.missing) if info.status == WAITING_DOCS else (),
        remaining=tuple(SlipStage(st.name_zh, st.limit_days, st.due) for st in info.schedule),
        history=history, printed_at_local=branch.now_local,
        clerk_name=who.name, window_number=who.window, query_phone=branch.query_phone)


def print_status_sheet(ctx: ApplicationContext, number: str, who: StaffSession, folder: Path | None = None) -> Path:
    data = status_sheet_data(ctx, number, who)
    stamp = ctx.clock().strftime("%Y%m%d%H%M%S")
    return render_status_sheet(data, (folder or ctx.slips_folder) / f"{data.number}-status-{stamp}.pdf")

