"""Words of the ratings', follow-ups' and inquiries' errors: code -> (English, Chinese) templates."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "rating_level": ("a rating level from 1 (非常不满意) to 5 (非常满意).", "评价等级须为 1（非常不满意）至 5（非常满意）。"),
    "rating_levels": ("one or more levels from 1 to 5.", "须为 1 至 5 中的一个或多个等级。"),
    "rating_reasons_unhappy": ("reasons are given only with 不满意 or 非常不满意.", "只有“不满意”或“非常不满意”时才选原因。"),
    "rating_reason_twice": ("each reason at most once.", "每个原因只能选一次。"),
    "rating_reason_code": ("each reason needs its own, non-empty code.", "每个原因须有各自的非空代码。"),
    "rating_reason_unknown": ("'{reason}' is not one of the configured reasons.", "“{reason}”不是已设置的原因。"),
    "rating_no_clerk": ("no clerk is known at window {n}; no rating is asked for.", "{n}号窗口没有登录的营业员，不请求评价。"),
    "rating_not_finished": ("{number} is not a finished service (it is {state}).", "{number}号不是已办结的业务（当前{state}）。"),
    "rating_not_finished_here": ("a ticket finished at window {n} while the queue server (hub) was down.", "须为叫号服务器中断期间在{n}号窗口办结的号票。"),
    "rating_other_clerk": ("{number} was not served by this clerk at window {n}.", "{number}号不是由本营业员在{n}号窗口办理的。"),
    "rating_closed_by_call": ("{number} was closed by the next call, not finished with the customer.",
                              "{number}号是因呼叫下一位而结束的，并未与客户办结。"),
    "rating_not_this_clerk": ("that service was not recorded by this clerk at window {n}.", "该业务不是本营业员在{n}号窗口办理的。"),
    "rating_walk_in_only": ("only a payment or an application taken without a ticket is rated as a walk-in service; one taken for a called ticket is rated with that ticket, at its finish.", "只有未取号办理的缴费或报装才单独评价；为已叫号客户办理的，在该号办结时一并评价。"),
    "rating_too_late": ("this service finished too long ago to ask for a rating.", "该业务办结太久，不能再请求评价。"),
    "rating_clock_behind": ("this service finished ahead of this PC's clock; no rating is asked for.",
                            "该业务的办结时间晚于本机时钟，不请求评价。"),
    "rating_already": ("this service already has its rating; a service is rated once.", "该业务已评价；每项业务只评价一次。"),
    "rating_being_asked": ("the rating of this service is already being asked for.", "该业务正在请求评价。"),
    "rating_timed_out": ("the time to rate this service has run out; it was recorded as not rated.",
                         "评价时间已过，已记为未评价。"),
    "rating_request_not_found": ("no such rating request.", "没有这个评价请求。"),
    "rating_already_rated": ("this service has already been rated.", "该业务已评价。"),
    "rating_recorded_unrated": ("this service was recorded as not rated; a service is rated once.",
                                "该业务已记为未评价；每项业务只评价一次。"),
    "rating_id_form": ("the id of the rating recorded at the counter.", "须为柜台记录的评价编号。"),
    "rating_closed_at_hub": ("the hub has already closed this rating request ({state}).", "集中服务器已结束这个评价请求（{state}）。"),
    "rating_other_device": ("this rating is accepted only from the evaluator {device}.", "此评价只接受评价器 {device} 的结果。"),
    "service_record_form": ("the id of a payment or application recorded at this window.", "须为本窗口记录的缴费或申请编号。"),
    "followup_not_found": ("no such follow-up.", "没有这条回访。"),
    "followup_closed": ("this follow-up is closed.", "这条回访已关闭。"),
    "followup_incomplete": ("record {missing} before closing this follow-up.", "关闭回访前请先记录：{missing}。"),
    "inquiry_not_found": ("no such inquiry or complaint.", "没有这条咨询或投诉。"),
    "inquiry_answered": ("this item is already answered.", "这条已答复。"),
    "inquiry_owner_only": ("only its present owner or a manager may do this.", "只有当前负责人或主任可以办理。"),
    "inquiry_colleague": ("choose a colleague other than the present owner.", "请选择当前负责人以外的同事。"),
    "inquiry_complaint_only": ("only a complaint is linked to a rating follow-up.", "只有投诉才能关联评价回访。"),
    "period_order": ("the last day of a period is not before its first.", "结束日期不能早于开始日期。"),
    "rating_unserved": ("{number} was not served by a clerk; no rating is asked for.", "{number}号没有营业员办理，不请求评价。"),
    "rating_ticket_not_here": ("this PC does not hold that ticket: the rating is taken at the queue server by the window's evaluator.",
                               "本机没有该号票：评价由窗口的评价器经叫号服务器提交。"),
}

PARAM_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "missing": {
        "verification": ("verification", "核实"), "action": ("action", "整改"), "callback": ("call-back", "回访"),
    },
}
