"""Words of reference data from head office: publishing, pulling and importing it."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ref_field_rule": ("{name}: {expected}.", "{name}：须为 {expected}。"),
    "ref_tariff_immutable": ("tariff {key} was already published; a change is a new version from a later date.",
                             "水价 {key} 已发布，不可修改；变更须以新的生效日期发布新版本。"),
    "ref_not_found": ("{entity} {key} is not known at head office.", "总部没有{entity} {key}。"),
    "ref_branch_unknown": ("branch {branch} is not known at head office; publish it first.",
                           "总部没有营业厅 {branch}，请先发布该营业厅。"),
    "ref_from_past": ("from (valid_from): today or a later day — {day} is already past (today is {today}).",
                      "生效日期（valid_from）须为今天或以后——{day} 已过去（今天是 {today}）。"),
    "ref_import_file": ("cannot read {path}: {reason}.", "无法读取 {path}：{reason}。"),
}
