"""Words of head office's console: operators, their login, enrolment codes, quarantine."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "hq_session_ended": ("your console session has ended; log in again.", "控制台登录已失效，请重新登录。"),
    "hq_unavailable": ("head office cannot be reached.", "无法连接总部服务器。"),
    "hq_operator_name": ("2-40 letters, digits, '.', '_' or '-', starting with a letter or digit.",
                         "须为 2 至 40 个字母、数字或“.”“_”“-”，以字母或数字开头。"),
    "hq_operator_name_required": ("enter your operator name.", "请输入操作员名。"),
    "hq_operator_exists": ("an operator named {name} exists already.", "操作员 {name} 已存在。"),
    "hq_operator_unknown": ("there is no operator named {name}.", "没有名为 {name} 的操作员。"),
    "hq_login_wrong": ("wrong operator name or password.", "操作员名或密码错误。"),
    "hq_login_tries_left": ("wrong operator name or password; {n} tries left before the account is locked.",
                            "操作员名或密码错误；再错 {n} 次账户将被锁定。"),
    "hq_login_locked": ("too many wrong passwords: locked until {until} (UTC).",
                        "密码错误次数过多，已锁定至 {until}（UTC）。"),
    "hq_login_disabled": ("this operator is disabled.", "该操作员已停用。"),
    "hq_window_required": ("the window number this {role} serves.", "请填写该{role}所在的窗口号。"),
    "hq_hub_no_window": ("a branch has one hub: give no window number.", "每个营业厅只有一台服务器：不填窗口号。"),
    "hq_event_unknown": ("head office holds no event with this id.", "总部没有这个编号的事件。"),
    "hq_event_resolved": ("this event is no longer in quarantine (it is {status}).", "该事件已不在隔离区（当前：{status}）。"),
    "hq_reason_required": ("say why; it is kept with the event.", "请说明原因，原因将与事件一同保存。"),
    "hq_reapply_refused": ("head office still cannot apply it ({why}); it stays in quarantine.",
                           "总部仍无法入账（{why}），该事件继续隔离。"),
    "hq_tariff_date_order": ("a first day after the last version's ({last}): a published version is never changed.",
                             "生效日期须晚于上一版本（{last}）：已发布的版本不可修改。"),
    "hq_tariff_tier_count": ("one price for each of the {n} tiers.", "须为 {n} 个阶梯各填一个价格。"),
    "hq_holiday_line": ("line {line}: expected {expected}.", "第 {line} 行：应为 {expected}。"),
    "hq_holiday_twice": ("line {line}: {day} is listed twice.", "第 {line} 行：{day} 重复。"),
    "hq_node_unknown": ("head office holds no node with this id.", "总部没有这个节点。"),
    "hq_service_exists": ("service {service} exists already at this branch; change it instead.",
                          "本营业厅已有业务 {service}，请修改它而不是新增。"),
    "hq_service_letter_taken": ("letter {letter} belongs to service {other}; each service of a branch has its own "
                                "letter (a retired one keeps it).",
                                "字母 {letter} 已属于业务 {other}；同一营业厅的业务字母不能重复（已停用的业务仍保留其字母）。"),
    "hq_service_retired": ("service {service} is retired; restore it first.", "业务 {service} 已停用，请先恢复。"),
    "hq_window_no_service": ("an open window serves at least one service.", "开放的窗口至少要办理一项业务。"),
    "hq_policy_empty": ("at least one line key = value.", "至少填写一行 键 = 值。"),
    "hq_policy_value": ("{key}: expected {expected}.", "{key}：应为 {expected}。"),
    "hq_policy_toml": ("lines key = value ({detail}).", "应为“键 = 值”的行（{detail}）。"),
    "hq_staff_exists": ("staff no. {staff_no} exists already; a staff number is never reused.",
                        "工号 {staff_no} 已存在；工号不可重复使用。"),
    "hq_offline_until_past": ("a day after today ({today}).", "须晚于今天（{today}）。"),
}

#: parameter name -> value -> (English, Chinese)
PARAM_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "status": {"applied": ("applied", "已入账"), "rejected": ("rejected", "已拒绝"), "quarantined": ("quarantined", "隔离中")},
    "role": {"counter": ("counter", "窗口终端"), "evaluator": ("evaluator", "评价器")},
}
