import pytest
from hypothesis import given, strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.money import MAX_WORDS_FEN, amount_in_words, div_round_half_up, format_fen, parse_yuan


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        # 中国人民银行《正确填写票据和结算凭证的基本规定》 examples; 整 after 角 (optional there,
        # required by 《会计基础工作规范》: DOMAIN.md 3.7 says always write it)
        (140950, "壹仟肆佰零玖元伍角整"),
        (600714, "陆仟零柒元壹角肆分"),
        (168032, "壹仟陆佰捌拾元零叁角贰分"),
        (10700053, "壹拾万柒仟元零伍角叁分"),
        (1640902, "壹万陆仟肆佰零玖元零贰分"),
        (32504, "叁佰贰拾伍元零肆分"),
        # issue examples
        (10010000, "壹拾万零壹佰元整"),
        # 整 after 元, 壹拾 never shortened, zero groups
        (0, "零元整"),
        (1000, "壹拾元整"),
        (100, "壹元整"),
        (5, "伍分"),
        (50, "伍角整"),
        (55, "伍角伍分"),
        (100005, "壹仟元零伍分"),
        (10000000100, "壹亿零壹元整"),
        (100000000000, "壹拾亿元整"),
        (123456789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        (100100100, "壹佰万壹仟零壹元整"),
        (100010010, "壹佰万零壹佰元零壹角整"),
        (MAX_WORDS_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_words(fen: int, words: str) -> None:
    assert amount_in_words(fen) == words


@pytest.mark.parametrize("bad", [-1, MAX_WORDS_FEN + 1, 1.5, "100", True, None])
def test_amount_in_words_refuses(bad: object) -> None:
    with pytest.raises(InvalidInput) as info:
        amount_in_words(bad)  # type: ignore[arg-type]
    assert info.value.field == "amount"


@given(st.integers(min_value=1, max_value=MAX_WORDS_FEN))
def test_words_use_only_allowed_characters_and_never_double_zero(fen: int) -> None:
    words = amount_in_words(fen)
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in words
    assert not words.startswith("零")
    assert words.endswith(("整", "分"))
    assert ("整" in words) == (fen % 10 == 0)  # after 元 and after 角, never after 分


def test_format_fen() -> None:
    assert format_fen(123450) == "¥1,234.50"
    assert format_fen(5) == "¥0.05"
    assert format_fen(-100) == "-¥1.00"
    assert format_fen(0) == "¥0.00"


@pytest.mark.parametrize(("text", "fen"), [("1,234.5", 123450), ("¥12", 1200), (" 0.01 ", 1), ("3.10", 310)])
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "rule"),
    [("", "enter an amount"), ("1.234", "at most two decimals"), ("-5", "must not be negative"),
     ("0", "more than zero"), ("abc", "is not an amount"), ("NaN", "is not an amount"), ("1e30", "beyond")],
)
def test_parse_yuan_refuses_with_the_rule(text: str, rule: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_yuan(text, "tendered")
    assert info.value.field == "tendered"
    assert rule in info.value.rule


def test_round_half_up() -> None:
    assert div_round_half_up(5, 10) == 1
    assert div_round_half_up(4, 10) == 0
    assert div_round_half_up(-5, 10) == -1
    assert div_round_half_up(15, 10) == 2
    with pytest.raises(ValueError):
        div_round_half_up(1, 0)


@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_round_half_up_is_nearest(numerator: int, denominator: int) -> None:
    q = div_round_half_up(numerator, denominator)
    assert abs(q * denominator - numerator) * 2 <= denominator
