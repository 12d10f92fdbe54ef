"""The status sheet (办理进度单) printed at any window: where an application stands, what the
customer should do next, the stages still ahead with their dates, and the full stage history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from counter_app.services.documents.acceptance_slip import (
    SlipStage, Styles, boxed, build_pdf, field_table, grid, header, long_date,
)


@dataclass(frozen=True)
class StatusSheetData:
    utility_name: str
    branch_name: str
    number: str
    type_name: str
    applicant: str
    applicant_code: str  # masked
    address: str
    status_text: str  # e.g. "办理中：施工" or "待补件（停表）"
    due_text: str
    elapsed_days: int
    stopped_days: int
    next_step: str
    missing: tuple[str, ...]
    remaining: tuple[SlipStage, ...]
    history: tuple[tuple[str, str, str, str, str], ...]  # time, stage, what happened, result or reason, by whom
    printed_at_local: str
    clerk_name: str
    window_number: int | None
    query_phone: str


def render_status_sheet(data: StatusSheetData, path: Path) -> Path:
    s = Styles()
    story: list[Flowable] = header(s, data.utility_name, data.branch_name, "报装办理进度")
    elapsed = f"{data.elapsed_days} 个工作日"
    if data.stopped_days:
        elapsed += f"（另有待补件停表 {data.stopped_days} 个工作日，不计入）"
    story.append(field_table(s, [
        ("申请编号", data.number), ("业务类型", data.type_name), ("申请人", data.applicant),
        ("证件号码", data.applicant_code), ("用水地址", data.address), ("当前状态", data.status_text),
        ("本环节时限", data.due_text), ("已用时", elapsed),
    ]))
    story.append(s.p("下一步", s.heading))
    lines = [s.p(data.next_step, s.notice)]
    lines += [s.p(f"{n}. {name}", s.notice) for n, name in enumerate(data.missing, 1)]
    story.append(boxed(s, lines, "#b00020" if data.missing else "#0b4f8a"))
    if data.remaining:
        story.append(s.p("后续环节及承诺日期", s.heading))
        story.append(grid(s, ["办理环节", "时限（工作日）", "承诺完成日期"],
                          [[st.name, str(st.limit_days), long_date(st.due)] for st in data.remaining], [74, 36, 68]))
    story.append(s.p("办理记录", s.heading))
    story.append(grid(s, ["时间", "环节", "事项", "结果 / 原因", "经办人"], [list(row) for row in data.history],
                      [32, 24, 24, 76, 22]))
    story.append(Spacer(1, 5 * mm))
    window = f"{data.window_number}号窗口" if data.window_number else "—"
    story.append(s.p(f"打印时间：{data.printed_at_local}　打印窗口：{window}　经办：{data.clerk_name}　查询电话：{data.query_phone}",
                     s.small))
    return build_pdf(path, f"报装办理进度 {data.number}", story)
