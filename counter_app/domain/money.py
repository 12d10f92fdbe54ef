"""Money is an integer count of fen (分). Formatting, parsing, rounding and 大写金额.

The Chinese uppercase amount follows 中国人民银行《支付结算办法》附件《正确填写票据和结算凭证的
基本规定》: 零 for zeros inside the number (one 零 for a run of zeros), 零 after 元 when 角 is 0
but 分 is not, 整 after 元 when there is no 角 or 分 and after 角 when there is no 分 (optional
there under 支付结算办法, required by 会计基础工作规范: writing it satisfies both), never after 分,
壹拾 never shortened to 拾.
Where the rules allow both forms (a zero 元 digit before a non-zero 角) we write the 零.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from counter_app.domain.errors import InvalidInput
from counter_app.domain.typed import typed_number

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("仟", "佰", "拾", "")
_GROUPS = ("", "万", "亿")
#: 大写 covers amounts below 1 万亿 yuan; anything larger is not a hall amount.
MAX_WORDS_FEN = 10**12 * 100 - 1


def _check_fen(fen: object, what: str = "amount") -> int:
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise InvalidInput(what, f"must be a whole number of fen, got {fen!r}", code="fen_whole", got=repr(fen))
    return fen


def format_fen(fen: int, symbol: str = "¥") -> str:
    """``123450`` -> ``¥1,234.50``; negative amounts get a leading minus."""
    fen = _check_fen(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"


def parse_yuan(text: str, field: str = "amount", *, allow_zero: bool = False) -> int:
    """Parse what a clerk typed (``1,234.5``, ``¥12``) into fen.

    Full-width digits and signs from an input method are read as their ASCII forms (NFKC).
    Refuses empty text, more than two decimals, negative amounts and zero (unless allowed).
    """
    cleaned = typed_number(text).strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    if not cleaned:
        raise InvalidInput(field, "enter an amount in yuan, e.g. 12.50", code="amount_required")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(field, f"'{text}' is not an amount in yuan, e.g. 12.50", code="amount_form", text=text) from None
    if not value.is_finite():
        raise InvalidInput(field, f"'{text}' is not an amount in yuan, e.g. 12.50", code="amount_form", text=text)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(field, "at most two decimals (fen)", code="amount_decimals")
    if value < 0:
        raise InvalidInput(field, "must not be negative", code="not_negative")
    if value == 0 and not allow_zero:
        raise InvalidInput(field, "must be more than zero", code="more_than_zero")
    fen = int(value * 100)
    if fen > MAX_WORDS_FEN:
        raise InvalidInput(field, "is beyond any amount the hall handles", code="amount_too_large")
    return fen


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero: the one rounding rule for fen.

    Every computed line (a tier, a component, a day's late fee) is rounded with this, once,
    before lines are summed.
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return sign * q


def _group_words(group: int) -> str:
    """Words for 0 < group < 10000, zeros inside collapsed to one 零, trailing zeros dropped."""
    digits = f"{group:04d}"
    out: list[str] = []
    pending_zero = False
    started = False
    for digit, unit in zip(digits, _IN_GROUP):
        d = int(digit)
        if d == 0:
            pending_zero = started
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[d] + unit)
        started = True
    return "".join(out)


def _integer_words(yuan: int) -> str:
    groups: list[int] = []
    while yuan:
        yuan, g = divmod(yuan, 10000)
        groups.append(g)
    out: list[str] = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append("零")
        out.append(_group_words(g) + _GROUPS[index])
        need_zero = False
    return "".join(out)


def amount_in_words(fen: int) -> str:
    """大写金额 of an amount in fen: ``140950`` -> ``壹仟肆佰零玖元伍角整``.

    Refuses negative amounts (a refund is printed as its own positive amount) and amounts of
    1 万亿 yuan or more.
    """
    fen = _check_fen(fen)
    if fen < 0:
        raise InvalidInput("amount", "大写金额 is written for amounts of zero or more", code="words_negative")
    if fen > MAX_WORDS_FEN:
        raise InvalidInput("amount", "大写金额 is written for amounts below 1 万亿 yuan", code="words_too_large")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    words = ""
    if yuan:
        words = _integer_words(yuan) + "元"
        if cents == 0:
            return words + "整"
        if jiao == 0 or yuan % 10 == 0:
            words += "零"
    if jiao:
        words += DIGITS[jiao] + "角"
    if fen_digit:
        return words + DIGITS[fen_digit] + "分"
    return words + "整"
