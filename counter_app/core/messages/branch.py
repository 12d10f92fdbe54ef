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
    "offline_login_expired": ("this staff member's offline login ended on {until}: connect to the queue server or "
                              "head office to log in.",
                              "该工号的离线登录已于 {until} 到期，请连接叫号服务器或总部后再登录。"),
    "offline_login_never": ("this staff member has never logged in with head office's data on this PC: connect to the "
                            "queue server to log in.",
                            "该工号在本机尚无总部下发的离线登录资格，请连接叫号服务器后再登录。"),
}
