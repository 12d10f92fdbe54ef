"""Words of a counter working on its own database: bills paid at other windows, offline logins,
what needs the hub or head office: code -> (English, Chinese) templates."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "bill_paid_at_window": ("the {period} bill was already paid at window {window} (receipt {receipt}). Nothing was "
                            "taken; the account is shown again as it stands now.",
                            "{period} 账单已在 {window} 号窗口缴清（收据 {receipt}）。本次未收款；已重新显示该户当前欠费。"),
    "hub_upgrade_required": ("the queue server runs another version of the program: upgrade this PC. It keeps taking "
                             "payments on its own data meanwhile.",
                             "叫号服务器的程序版本与本机不同，请升级本机。升级前本机仍可用本地资料收费。"),
    "queue_needs_hub": ("calling numbers needs the queue server (hub), which cannot be reached now: serve the customer "
                        "without a ticket; payments, applications and ratings work at this window and reach the hub "
                        "when it is back.",
                        "叫号需要叫号服务器（hub），目前无法连接：请直接为客户办理（不取号）；缴费、报装和评价在本窗口照常办理，"
                        "服务器恢复后自动补报。"),
    "ticket_finished_here": ("{number} is finished at this window; the queue server is told when it is back. Serve the "
                             "next customer without a ticket.",
                             "{number}号已在本窗口办结，叫号服务器恢复后自动通知。下一位客户请直接办理（不取号）。"),
    "window_left_open": ("logged out at this PC. The queue server cannot be reached, so window {n} stays open under "
                         "you there until you log in at it again or the branch manager force-closes it.",
                         "已在本机退出。因无法连接叫号服务器，{n}号窗口在服务器上仍由您开启，直到您再次在该窗口登录或由营业所主任强制关窗。"),
    "offline_login_expired": ("this staff member's offline login ended on {until}: connect to the queue server or "
                              "head office to log in.",
                              "该工号的离线登录已于 {until} 到期，请连接叫号服务器或总部后再登录。"),
    "offline_login_never": ("this staff member has never logged in with head office's data on this PC: connect to the "
                            "queue server to log in.",
                            "该工号在本机尚无总部下发的离线登录资格，请连接叫号服务器后再登录。"),
}
