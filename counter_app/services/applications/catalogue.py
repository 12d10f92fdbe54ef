"""The default application types the demo branch ships with, as data a manager may change.

Time limits follow the local commitments collected in DOMAIN.md §4.1 (受理 within a working day,
勘查 two to three, a written answer well inside the 7 working days of the Fujian standard); the fee
items are the 工料费 of a standard household connection. 户表改造 is paid by the water company and
过户/更名 costs nothing, so neither has a 收费 stage.
"""

from __future__ import annotations

from typing import Any

from counter_app.domain.applications import COMPANY, PERSON, STANDARD_STAGES, ApplicationTypeDefinition

_DOCS: dict[str, dict[str, Any]] = {
    "id_card": {"name_zh": "申请人身份证", "name_en": "Applicant's resident ID card", "applies_to": [PERSON]},
    "licence": {"name_zh": "营业执照", "name_en": "Business licence", "applies_to": [COMPANY]},
    "legal_rep_id": {"name_zh": "法定代表人身份证复印件", "name_en": "Copy of the legal representative's ID", "applies_to": [COMPANY]},
    "property": {"name_zh": "不动产权证书（或购房合同）", "name_en": "Property certificate (or purchase contract)"},
    "design": {"name_zh": "设计文件（总平面图、给排水图）", "name_en": "Design drawings (site plan, water supply and drainage)",
               "applies_to": [COMPANY]},
    "drawing_approval": {"name_zh": "施工图审图合格书（DN80及以上）", "name_en": "Drawing approval certificate (DN80 and up)",
                         "applies_to": [COMPANY], "required": False},
    "rural_permit": {"name_zh": "建房用地许可证或村委会证明（农村）", "name_en": "Building land permit or village committee letter (rural)",
                     "applies_to": [PERSON], "required": False},
    "agent": {"name_zh": "经办人身份证及授权委托书（代办时）", "name_en": "Agent's ID card and power of attorney (when sent by the applicant)",
              "required": False},
    "bank": {"name_zh": "银行代扣账户信息（自愿）", "name_en": "Bank account for direct debit (optional)", "required": False},
    "seller_consent": {"name_zh": "原户主身份证或过户协议", "name_en": "Former holder's ID card or transfer agreement"},
}

_NEXT_STEPS: dict[str, tuple[str, str]] = {
    "accept": ("窗口已受理，后台将在时限内安排现场勘查，请保持电话畅通。",
               "Accepted at the window; the back office will arrange a site survey in time. Keep your phone on."),
    "survey": ("勘查人员将电话预约上门，请保持电话畅通并配合现场勘查。",
               "A surveyor will call to arrange a visit; please be on site for the survey."),
    "plan": ("方案答复中，答复后将电话通知您。", "The connection plan is being prepared; we will call you with it."),
    "charge": ("请到任一窗口缴纳接水费用，缴费后开始施工。", "Pay the connection fee at any window; works start after payment."),
    "build": ("施工中，请配合施工人员进场。", "Works in progress; please let the crew on site."),
    "inspect": ("验收中，请配合现场验收。", "Inspection in progress; please be on site."),
    "connect": ("即将通水，开户后请留意首期账单。", "Water will be turned on; watch for your first bill."),
    "settle": ("请结清原户水费、污水费及违约金，抄表后办理变更。",
               "Settle the former holder's water and sewage charges and late fees; the meter is read before the change."),
    "transfer": ("变更办理中，办结后短信通知。", "The change is being made; we will text you when it is done."),
}
_OWN_STAGES = {"settle": ("抄表结清", "Final reading and settlement"), "transfer": ("变更办结", "Change of holder")}


def _stages(*limits: tuple[str, int]) -> list[dict[str, Any]]:
    stages = []
    for code, days in limits:
        zh, en = STANDARD_STAGES.get(code) or _OWN_STAGES[code]
        step_zh, step_en = _NEXT_STEPS[code]
        stages.append({"code": code, "name_zh": zh, "name_en": en, "limit_days": days,
                       "next_step_zh": step_zh, "next_step_en": step_en})
    return stages


def _documents(*codes: str) -> list[dict[str, Any]]:
    return [{"code": code, "applies_to": [PERSON, COMPANY], "required": True, **_DOCS[code]} for code in codes]


def _fee(code: str, zh: str, en: str, fen: int) -> list[dict[str, Any]]:
    return [{"code": code, "name_zh": zh, "name_en": en, "amount_fen": fen}]


_SEVEN = (("accept", 1), ("survey", 2), ("plan", 2), ("charge", 1), ("build", 5), ("inspect", 1), ("connect", 1))

#: code, 中文, English, definition
DEFAULT_TYPES: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("new", "用水报装", "New connection", {
        "documents": _documents("id_card", "licence", "legal_rep_id", "property", "design", "drawing_approval",
                                "rural_permit", "agent", "bank"),
        "stages": _stages(*_SEVEN),
        "fee_items": _fee("materials", "接水工料费（每户）", "Connection materials and labour (per household)", 36000),
        "size_label_zh": "申请表径", "size_label_en": "Meter size requested", "needs_size": True,
    }),
    ("renovation", "户表改造", "Meter renovation", {
        "documents": _documents("id_card", "licence", "property", "agent"),
        "stages": _stages(("accept", 1), ("survey", 3), ("plan", 3), ("build", 10), ("inspect", 2), ("connect", 1)),
        "needs_account": True,
    }),
    ("capacity", "增容/减容", "Capacity change", {
        "documents": _documents("id_card", "licence", "legal_rep_id", "property", "design", "drawing_approval", "agent"),
        "stages": _stages(("accept", 1), ("survey", 2), ("plan", 3), ("charge", 1), ("build", 5), ("inspect", 1), ("connect", 1)),
        "fee_items": _fee("meter_change", "换表工料费", "Meter change materials and labour", 30000),
        "size_label_zh": "变更后表径/容量", "size_label_en": "Meter size / capacity after the change",
        "needs_account": True, "needs_size": True,
    }),
    ("relocation", "水表移位", "Meter relocation", {
        "documents": _documents("id_card", "licence", "property", "agent"),
        "stages": _stages(("accept", 1), ("survey", 2), ("plan", 1), ("charge", 1), ("build", 3), ("inspect", 1), ("connect", 1)),
        "fee_items": _fee("relocation", "移表工料费", "Meter relocation materials and labour", 20000),
        "needs_account": True,
    }),
    ("transfer", "过户/更名", "Transfer of ownership", {
        "documents": _documents("id_card", "licence", "property", "seller_consent", "agent"),
        "stages": _stages(("accept", 1), ("settle", 1), ("transfer", 1)),
        "needs_account": True,
    }),
)


def default_definitions() -> list[ApplicationTypeDefinition]:
    """The defaults, each checked by the domain rules (a typo here fails at import in tests)."""
    return [ApplicationTypeDefinition.from_dict(code, zh, en, data) for code, zh, en, data in DEFAULT_TYPES]
