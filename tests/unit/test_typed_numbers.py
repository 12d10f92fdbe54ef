"""Numbers typed through a Chinese input method: full-width digits (the IME's default), a full-width
X, superscripts and other compatibility forms are brought to plain ASCII (NFKC) before checking, in
every field where a number is typed; what is stored is always plain ASCII."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.domain.identity_codes import (
    complete_credit_code,
    complete_resident_id,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)
from counter_app.domain.money import parse_yuan

TODAY = date(2026, 11, 23)
RESIDENT = complete_resident_id("11010519491231002")  # ends in X
PLAIN = complete_resident_id("44030419900101123")


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_full_width_identity_numbers_are_checked_and_stored_in_ascii() -> None:
    assert RESIDENT.endswith("X")
    assert validate_resident_id(full_width(RESIDENT), TODAY) == RESIDENT
    assert validate_resident_id(full_width(RESIDENT[:17]) + "x", TODAY) == RESIDENT  # half-width check character
    assert validate_resident_id(full_width(PLAIN.lower()), TODAY) == PLAIN
    assert validate_resident_id(full_width(PLAIN[:17]) + PLAIN[17], TODAY) == PLAIN
    assert validate_resident_id(RESIDENT[:6] + "\u3000" + full_width(RESIDENT[6:]), TODAY) == RESIDENT
    credit = complete_credit_code("91350100M000100Y4")
    assert validate_credit_code(full_width(credit.lower())) == credit


def test_a_superscript_or_foreign_digit_is_a_digit_not_a_crash() -> None:
    superscript = PLAIN[:16] + {"0": "⁰", "1": "¹", "2": "²", "3": "³"}.get(PLAIN[16], PLAIN[16]) + PLAIN[17]
    assert validate_resident_id(superscript, TODAY) == PLAIN
    arabic = "".join(chr(0x660 + int(ch)) for ch in PLAIN[:17]) + PLAIN[17]
    assert validate_resident_id(arabic, TODAY) == PLAIN
    with pytest.raises(InvalidInput) as error:
        validate_resident_id(PLAIN[:16] + "½" + PLAIN[17], TODAY)
    assert error.value.field == "id_number"


def test_phone_and_amounts_typed_full_width() -> None:
    assert validate_mobile(full_width("+86 138-0013-8000")) == "13800138000"
    assert validate_mobile("１３８００１３８０００") == "13800138000"
    with pytest.raises(InvalidInput):
        validate_mobile("¹³⁸⁰⁰¹³⁸⁰⁰⁰x")
    assert parse_yuan("１，２３４．５") == 123450
    assert parse_yuan("￥１２") == 1200
    assert parse_yuan("¹²") == 1200


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_typed_number_is_nfkc_with_every_decimal_digit_in_ascii(text: str) -> None:
    from counter_app.domain.typed import typed_number

    out = typed_number(text)
    assert not any(ch.isdecimal() and not ch.isascii() for ch in out)
    again = typed_number(out)
    assert again == out  # idempotent
    assert typed_number(full_width("0123456789")) == "0123456789"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([RESIDENT, PLAIN]), st.lists(st.booleans(), min_size=18, max_size=18))
def test_any_mix_of_full_and_half_width_gives_the_same_number(number: str, wide: list[bool]) -> None:
    typed = "".join(full_width(ch) if w else ch for ch, w in zip(number, wide))
    assert unicodedata.normalize("NFKC", typed) == number
    assert validate_resident_id(typed, TODAY) == number


def test_ticket_numbers_typed_full_width_or_with_superscripts() -> None:
    from counter_app.domain.queue_rules import parse_number

    assert parse_number("Ａ０１２") == ("A", 12)
    assert parse_number("ｂ¹⁰⁰⁰") == ("B", 1000)
    assert parse_number("A\x00012") == ("A", 12)  # untypeable characters are dropped, as everywhere
    with pytest.raises(InvalidInput) as error:
        parse_number("A½12")
    assert error.value.field == "ticket"
