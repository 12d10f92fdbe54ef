"""Every refusal and bad input carries a code with words in both languages.

The source is scanned: every ``InvalidInput(...)``/``NotAllowed(...)`` (and their subclasses)
raised anywhere names a ``code=`` that the catalogue has, in English and Chinese, and passes
every parameter its sentences use; no screen matches the services' English any more."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from counter_app.core.messages import CATALOGUE, PARAM_WORDS, placeholders, render
from counter_app.domain.errors import InvalidInput, NotAllowed, UserError, from_wire

PACKAGE = Path(__file__).resolve().parents[2] / "counter_app"
ERROR_CLASSES = {"InvalidInput", "NotAllowed", "RatingTimedOut", "PrinterFailed", "UserError"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _code_values(node: ast.expr) -> list[str]:
    """The code(s) a ``code=`` argument can take: a literal, a choice of literals, or an
    f-string whose variable part the caller names (``f"login_{reason}"``: checked elsewhere)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _code_values(node.body) + _code_values(node.orelse)
    raise AssertionError(f"code= must be a literal, not {ast.unparse(node)}")


def raise_sites() -> list[tuple[str, int, str, set[str]]]:
    """(file, line, code, names of the params passed) of every error built in the package."""
    sites: list[tuple[str, int, str, set[str]]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "errors.py" and path.parent.name == "domain":
            continue  # the classes themselves and from_wire, which pass codes through
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {node.name for node in ast.walk(tree)
                   if isinstance(node, ast.FunctionDef) and "code" in [a.arg for a in node.args.kwonlyargs]}
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.FunctionDef):  # a helper that raises the code its caller names
                for arg, default in zip(reversed(node.args.kwonlyargs), reversed(node.args.kw_defaults)):
                    if arg.arg == "code" and isinstance(default, ast.Constant):
                        sites.append((where, node.lineno, default.value, set()))
            if not isinstance(node, ast.Call):
                continue
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            is_error = isinstance(node.func, ast.Name) and node.func.id in ERROR_CLASSES
            if is_error:
                assert code is not None, f"{where}: {node.func.id}(...) without code="
            if code is None or (isinstance(code, ast.Name) and code.id == "code"):
                continue  # passes on the code its own caller named (a site of its own above)
            helper = isinstance(node.func, ast.Name) and node.func.id in helpers
            base_init = isinstance(node.func, ast.Attribute) and node.func.attr == "__init__"  # super().__init__
            if not (is_error or helper or (base_init and isinstance(code, ast.Constant))):
                continue
            params = {k.arg for k in node.keywords if k.arg not in (None, "code")}
            for value in _code_values(code):
                sites.append((where, node.lineno, value, params))
    return sites


def class_codes() -> set[str]:
    """``code = "..."`` of every error class, and the codes their constructors pass."""
    codes: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if (isinstance(item, ast.Assign) and [t.id for t in item.targets if isinstance(t, ast.Name)] == ["code"]
                            and isinstance(item.value, ast.Constant)):
                        codes.add(item.value.value)
    return codes - {"user_error", "invalid_input", "not_allowed"}  # the bases' codes are never raised bare


def test_every_code_raised_has_words_in_both_languages_with_every_placeholder_passed() -> None:
    sites = raise_sites()
    assert len(sites) > 250  # the scan sees the package
    problems = []
    for where, _, code, params in sites:
        if code not in CATALOGUE:
            problems.append(f"{where}: code {code!r} has no words in core/messages")
            continue
        for language, text in zip(("en", "zh_CN"), CATALOGUE[code]):
            lost = placeholders(text) - params
            if lost:
                problems.append(f"{where}: {code} ({language}) needs {sorted(lost)}, the raise passes {sorted(params)}")
    assert not problems, "\n".join(problems)


def test_error_classes_and_login_codes_have_words() -> None:
    codes = class_codes() | {f"login_{reason}" for reason in ("wrong", "locked", "disabled", "must_change")}
    assert {"hub_unavailable", "hub_auth", "database_unavailable", "printer_error", "rating_timed_out"} <= codes | {
        "rating_timed_out"}
    assert not codes - CATALOGUE.keys()


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_both_texts_exist_and_name_the_same_placeholders(code: str) -> None:
    english, chinese = CATALOGUE[code]
    assert english.strip() and chinese.strip()
    assert placeholders(english) == placeholders(chinese), code
    if placeholders(chinese) != {"detail"}:
        assert CJK.search(chinese), f"{code}: the Chinese text has no Chinese"
        assert not CJK.search(english.replace("大写", "").replace("金额录错", "").replace("万亿", "")
                              .replace("非常不满意", "").replace("不满意", "").replace("非常满意", "")
                              .replace("受理", "").replace("收费", "")), f"{code}: Chinese in the English text"


def test_every_catalogue_code_is_used() -> None:
    used = {code for _, _, code, _ in raise_sites()} | class_codes() | {
        f"login_{reason}" for reason in ("wrong", "locked", "disabled", "must_change")} | {"request_invalid", "request_too_large"}
    assert sorted(CATALOGUE.keys() - used) == []


def test_render_fills_params_and_translates_state_words() -> None:
    assert render("ticket_state", {"number": "A012", "state": "held"}, "zh_CN") == "A012号当前状态（已挂起）不能这样操作。"
    assert render("ticket_state", {"number": "A012", "state": "held"}, "en") == \
        "A012 cannot be handled that way now: it is on hold."
    assert render("bill_paid_elsewhere", {"period": "2026-05"}, "zh_CN").startswith("2026-05 账单刚刚已缴")
    assert render("no_such_code_at_all", {}, "zh_CN", fallback="english for logs") == "english for logs"
    assert set(PARAM_WORDS) >= {"state", "missing"}


def test_the_words_follow_the_code_not_the_english() -> None:
    """A service may reword its log sentence: the clerk's words stay, in either language."""
    before = NotAllowed("the 2026-05 bill has just been paid", code="bill_paid_elsewhere", period="2026-05")
    reworded = NotAllowed("bill 2026-05 was settled a moment ago elsewhere", code="bill_paid_elsewhere", period="2026-05")
    for language in ("zh_CN", "en"):
        assert render(before.code, before.params, language) == render(reworded.code, reworded.params, language)


def test_the_wire_shape_rebuilds_the_typed_error_from_code_and_params() -> None:
    bad = InvalidInput("account_no", "a 户号 is 10 digits", code="account_no_form", got="12")
    assert bad.to_wire() == {"code": "account_no_form", "message": "account_no: a 户号 is 10 digits",
                             "params": {"got": "12"}, "field": "account_no", "rule": "a 户号 is 10 digits"}
    again = from_wire(422, bad.to_wire())
    assert isinstance(again, InvalidInput) and (again.field, again.code, again.params) == ("account_no", "account_no_form",
                                                                                            {"got": "12"})
    refused = from_wire(409, {"code": "window_closed", "message": "reworded in a newer hub", "params": {"n": 3}})
    assert isinstance(refused, NotAllowed) and refused.code == "window_closed"
    assert render(refused.code, refused.params, "zh_CN") == "3号窗口未开启：请先开窗（F10）。"
    assert from_wire(503, {"message": "x"}) is None
    assert isinstance(refused, UserError) and refused.params == {"n": 3}


def test_no_screen_matches_the_services_english_any_more() -> None:
    for path in sorted((PACKAGE / "gui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "(?P<" not in text, f"{path.name} still matches English with a pattern"
        assert "rule_sentence" not in text and "daily limit" not in text, path.name
