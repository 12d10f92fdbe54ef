"""Issue 13: the acceptance slip broke a line before "，" (reportlab's rule of characters that
may not start a line knows Japanese punctuation, not Chinese full-width ，；：！？”》)."""

from __future__ import annotations

from reportlab.lib.units import mm

from counter_app.services.documents.acceptance_slip import Styles

#: reportlab hangs one such mark at the end of a line; a second in a row (as in "）。") may still
#: start the next line, a limit of its wrapping left alone
NEVER_FIRST = "，；：！？》”’"
TEXTS = (
    "以上为办理本业务尚需的全部资料，请携带到任一营业窗口补交，无需另行排队预约。资料补齐前申请处于“待补件”状态，办理时限暂停计算。",
    "时限按工作日计算（不含周末及法定节假日，调休上班日计入）。上列日期按资料于今日补齐计算；资料实际补齐之日晚于今日的，各环节日期相应顺延。",
    "凭申请编号、身份证号（统一社会信用代码）或手机号，可在任一营业窗口或拨打查询电话了解办理进度：请问您对本次服务满意吗？满意！",
)


def lines_of(paragraph) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):
            out.append("".join(line[1]))
        else:
            out.append("".join(getattr(word, "text", "") for word in line.words))
    return out


def test_no_line_of_a_slip_starts_with_closing_punctuation() -> None:
    styles = Styles()
    bad = []
    for text in TEXTS:
        for style in (styles.small, styles.body, styles.notice):
            for width in range(60, 181, 2):
                paragraph = styles.p(text, style)
                paragraph.wrap(width * mm, 2000)
                lines = lines_of(paragraph)
                assert "".join(lines) == text
                bad += [(width, line) for line in lines[1:] if line and line[0] in NEVER_FIRST]
    assert bad == []
