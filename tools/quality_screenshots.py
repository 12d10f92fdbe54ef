"""Screenshots of the evaluator (idle, asking, reasons) and of the manager's follow-up list and
inquiry log, made offscreen on a freshly seeded demo branch:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/quality_screenshots.py [docs/screenshots]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from counter_app.core.config import Settings  # noqa: E402
from counter_app.core.paths import DataPaths  # noqa: E402
from counter_app.gui.evaluator import EvaluatorController, EvaluatorWindow  # noqa: E402
from counter_app.gui.qtapp import make_application  # noqa: E402
from counter_app.gui.quality import FollowUpList, InquiryLog  # noqa: E402
from counter_app.gui.tasks import TaskRunner  # noqa: E402
from counter_app.persistence.database import unit_of_work  # noqa: E402
from counter_app.persistence.models import Staff  # noqa: E402
from counter_app.services.node import open_node_database  # noqa: E402
from counter_app.services.quality import QualityService  # noqa: E402
from counter_app.services.queue import QueueService  # noqa: E402
from counter_app.services.seed import seed_demo  # noqa: E402


def settle(app, until: Callable[[], bool], seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.processEvents()
        time.sleep(0.02)
    for _ in range(10):
        app.processEvents()


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    db = open_node_database(DataPaths(Path(tempfile.mkdtemp())).ensure(), settings)
    seed_demo(db, settings, accounts=60)
    with unit_of_work(db.sessions) as session:
        staff = dict(session.execute(select(Staff.staff_no, Staff.id)).all())
    queue = QueueService(db.sessions, db.branch_code, node_id=db.node_id)
    quality = QualityService(db, settings)

    def serve(window: int, clerk: str) -> str:
        opened = queue.open_window(window, clerk)
        queue.issue_ticket(opened.window.services[0])
        queue.call_next(window, clerk)
        queue.start_service(window, clerk)
        ticket = queue.finish(window, clerk).ticket
        assert ticket is not None
        return ticket.id

    def rate(window: int, level: int, reasons: tuple[str, ...] = ()) -> str | None:
        clerk = staff[f"10{window:02d}"]
        request = quality.ratings.request_for_ticket(serve(window, clerk), window, clerk, f"screen:W{window:02d}")
        return quality.ratings.submit(request.id, level, reasons, f"screen:W{window:02d}").followup_id

    first = rate(2, 1, ("attitude", "waiting"))
    rate(3, 2, ("efficiency",))
    rate(4, 2, ())
    rate(1, 5)
    manager = staff["8001"]
    assert first is not None
    quality.followups.record(first, "verification", "调阅录像：客户等候 40 分钟，营业员答复生硬，情况属实", manager)
    quality.followups.record(first, "action", "对王芳进行服务规范谈话，窗口增开缴费业务", manager)
    quality.inquiries.log("complaint", "王先生", "138****0021", "水压低", "三楼以上水压低已一周", staff["1002"], 2)
    quality.inquiries.log("inquiry", "李女士", "", "阶梯水价", "家里 6 口人，能否申请增加阶梯基数", staff["1001"], 1)

    app = make_application("zh_CN")
    tasks = TaskRunner(app)
    controller = EvaluatorController(quality.ratings, tasks, 1, "screen:W01")
    view = EvaluatorWindow(controller, quality.policy.reasons)
    view.resize(1280, 800)
    view.show()
    controller.start()
    settle(app, lambda: view.clerk_name.text() == "李娜")
    view.grab().save(str(folder / "evaluator-idle.png"))
    clerk = staff["1001"]
    quality.ratings.request_for_ticket(serve(1, clerk), 1, clerk, "screen:W01")
    controller.poll()
    settle(app, lambda: view.page == "asking" and "秒" in view.ticket_line.text())
    view.grab().save(str(folder / "evaluator-asking.png"))
    view.choose(2)
    view.reason_buttons["waiting"].setChecked(True)
    settle(app, lambda: False, 0.2)
    view.grab().save(str(folder / "evaluator-reasons.png"))
    controller.stop()

    followups = FollowUpList(quality, tasks, manager, settings.branch.zone)
    followups.resize(1360, 640)
    followups.show()
    followups.refresh()
    settle(app, lambda: followups.table.rowCount() == 3)
    followups.table.selectRow(0)
    settle(app, lambda: False, 0.2)
    followups.grab().save(str(folder / "followups.png"))

    inquiries = InquiryLog(quality, tasks, staff["1001"], settings.branch.zone, window=1)
    inquiries.resize(1280, 720)
    inquiries.show()
    inquiries.refresh()
    settle(app, lambda: inquiries.table.rowCount() == 2)
    inquiries.table.selectRow(0)
    settle(app, lambda: False, 0.5)
    inquiries.grab().save(str(folder / "inquiries.png"))
    tasks.wait()
    for widget in (view, followups, inquiries):
        widget.close()
        widget.deleteLater()
    app.processEvents()
    db.dispose()
    print(f"screenshots in {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots")
