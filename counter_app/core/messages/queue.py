"""Words of the queue's (叫号) errors: code -> (English, Chinese) templates."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "queue_needs_hub": ("calling numbers needs the queue server (hub), which cannot be reached now: serve the customer "
                        "without a ticket; payments, applications and ratings work at this window and reach the hub "
                        "when it is back.",
                        "叫号需要叫号服务器（hub），目前无法连接：请直接为客户办理（不取号）；缴费、报装和评价在本窗口照常办理，"
                        "服务器恢复后自动补报。"),
    "window_closed": ("window {n} is closed: open it first (F10).", "{n}号窗口未开启：请先开窗（F10）。"),
    "window_paused": ("window {n} is paused: resume it first (F9).", "{n}号窗口已暂停：请先恢复（F9）。"),
    "window_taken": ("window {n} is open under another clerk; that clerk must close it first.",
                     "{n}号窗口已由其他营业员开启，须由其先关窗。"),
    "window_nothing_called": ("no ticket is called at window {n}.", "{n}号窗口当前没有已呼叫的号。"),
    "window_out_of_service": ("window {n} is not in service.", "{n}号窗口未启用。"),
    "window_state": ("window {n} is {state}.", "{n}号窗口{state}。"),
    "window_not_here": ("there is no window {n} at this branch.", "本营业厅没有{n}号窗口。"),
    "window_number": ("a window number.", "须为窗口号。"),
    "ticket_still_open": ("{number} is still open at window {n}: finish, hold or transfer it first.",
                          "{number}号仍在{n}号窗口办理中：请先办结、挂起或转移。"),
    "recall_limit": ("{number} has been recalled {count} times, the limit: mark it as no-show (F5) or hold it (F6).",
                     "{number}号已重呼{count}次，达到上限：请标记过号（F5）或挂起（F6）。"),
    "call_back_today": ("{number} was issued on {day}; only today's tickets can be called back.",
                        "{number}号取于{day}，只能回呼当天的号。"),
    "ticket_state": ("{number} cannot be handled that way now: it is {state}.", "{number}号当前状态（{state}）不能这样操作。"),
    "recycle_not_no_show": ("{number} is not a no-show; only no-shows are put back by number.",
                            "{number}号不是过号，只有过号的号才能按号码放回队列。"),
    "service_closed": ("service {service} is not taking tickets now.", "{service}类业务目前不受理。"),
    "service_daily_limit": ("service {service} has reached its daily limit of {cap} tickets.",
                            "{service}类业务今天已取满 {cap} 个号。"),
    "ticket_numbers_used_up": ("the ticket numbers of service {service} are used up for today.",
                               "{service}类业务今天的号码已用完。"),
    "service_letter": ("a service letter is one capital letter A-Z.", "业务字母须为一个大写字母 A-Z。"),
    "service_not_here": ("there is no service {service} at this branch.", "本营业厅没有{service}类业务。"),
    "ticket_number_form": ("a ticket number is a service letter and 3 or more digits, e.g. A012.",
                           "号码由业务字母和至少 3 位数字组成，例如 A012。"),
    "ticket_reference": ("give a ticket number such as A012 or a ticket id.", "请给出号码（例如 A012）或号票编号。"),
    "ticket_not_found_today": ("there is no ticket {number} today.", "今天没有{number}号。"),
    "transfer_target": ("give either a service letter or a window number to transfer to.",
                        "请给出要转去的业务字母或窗口号，二者选一。"),
    "transfer_same_window": ("choose another window than this one.", "请选择其他窗口。"),
    "clerk_id_form": ("log in again: the clerk is not known.", "请重新登录：营业员身份不明。"),
    "staff_not_found": ("no such staff member.", "没有这位工作人员。"),
    "staff_disabled": ("this staff account is disabled.", "该工号已停用。"),
    "staff_disabled_no": ("the staff account {staff_no} is disabled.", "工号 {staff_no} 已停用。"),
    "manager_only": ("only a manager may do this.", "只有主任可以办理。"),
    "branch_not_loaded": ("branch {branch} is not in this hub's database; load the reference data first.",
                          "叫号服务器的数据库中没有营业厅 {branch}；请先导入基础数据。"),
    "evaluator_device": ("an evaluator device such as screen:W03 or pad:/dev/ttyUSB0.",
                         "须为评价器设备，例如 screen:W03 或 pad:/dev/ttyUSB0。"),
    "evaluator_only": ("ratings come only from an evaluator screen or pad, never from a counter.",
                       "评价只能来自评价器屏幕或按键器，不能来自柜台。"),
    "close_reason_needed": ("say why the window is closed.", "请填写关闭窗口的原因。"),
    "device_needs_window": ("a {role} acts for one window: give --window N.", "{role}设备对应一个窗口：请用 --window N 指定。"),
    "device_no_window": ("a {role} serves the whole hall: no window.", "{role}设备服务整个大厅，不指定窗口。"),
    "device_name_form": ("a device name is 1 to 32 letters, digits, '-', '_' or '.'.", "设备名须为1至32个字母、数字或 - _ . 字符。"),
    "device_name_taken": ("another device is already named {name}.", "已有设备名为 {name}。"),
    "device_unknown": ("no enrolled device has that name or id (see device-list).", "没有这个名称或编号的已登记设备（见 device-list）。"),
    "device_revoked_already": ("device {name} was already revoked.", "设备 {name} 已被吊销。"),
}

#: Words a parameter may hold, translated where they appear in a sentence: name -> value -> (en, zh).
PARAM_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "state": {
        "waiting": ("waiting", "等候中"), "transferred": ("waiting after a transfer", "转移后等候中"),
        "called": ("called", "已呼叫"), "serving": ("being served", "办理中"), "held": ("on hold", "已挂起"),
        "done": ("already finished", "已办结"), "no_show": ("marked as no-show", "已过号"),
        "cancelled": ("cancelled", "已取消"), "cleared": ("cleared at end of day", "已日终清号"),
        "open": ("open", "已开启"), "paused": ("paused", "已暂停"), "closed": ("closed", "已关闭"),
    },
}
