"""Resident ID (GB 11643) and unified social credit code (GB 32100) check characters, mobile numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.domain.identity_codes import (
    complete_credit_code,
    complete_resident_id,
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("id_number", [
    "11010519491231002X",  # the worked example of GB 11643-1999
    "440524188001010014",  # the other example of the standard (born 1880 is refused below, so checked by digit only)
    "110101199003074477",
])
def test_check_digit_of_known_numbers(id_number: str) -> None:
    assert resident_id_check_char(id_number[:17]) == id_number[17]


@pytest.mark.parametrize("id_number", ["11010519491231002X", "11010519491231002x", "110101199003074477",
                                       "1101 0519 4912 3100 2X"])
def test_valid_resident_ids_are_accepted_and_normalised(id_number: str) -> None:
    assert validate_resident_id(id_number, TODAY) == "".join(id_number.split()).upper()


@pytest.mark.parametrize("id_number, words", [
    ("", "enter"),
    ("11010519491231002", "18 characters"),
    ("320311770706001", "18 characters"),  # the old 15-digit format
    ("110105194912310021", "check digit"),  # last digit wrong
    ("110105194912310O2X", "digits"),
    ("99010519491231002X", "province"),
    ("110105194902300021", "birth date"),  # 30 February
    ("440524188001010014", "plausible"),  # born 1880
    ("110101203001010018", "plausible"),  # born in the future
])
def test_invalid_resident_ids_name_the_rule(id_number: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_resident_id(id_number, TODAY)
    assert caught.value.field == "id_number"
    assert words in caught.value.rule


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_completed_ids_always_check(body: str) -> None:
    full = complete_resident_id(body)
    assert resident_id_check_char(full[:17]) == full[17]


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_breaks_the_check(body: str, position: int, delta: int) -> None:
    changed = body[:position] + str((int(body[position]) + delta) % 10) + body[position + 1:]
    assert resident_id_check_char(changed) != resident_id_check_char(body)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"])
def test_valid_credit_codes(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert validate_credit_code(code.lower()) == code


@pytest.mark.parametrize("code, words", [
    ("", "enter"),
    ("91350100M000100Y4", "18 characters"),
    ("91350100M000100Y44", "check character"),
    ("91350100M000100YI3", "'I' cannot appear"),
    ("91350100M0O0100Y43", "'O' cannot appear"),
    ("Z1350100M000100Y43", "'Z' cannot appear"),
    ("B1350100M000100Y43", "registration authority"),
    ("9135A100M000100Y43", "region code"),
])
def test_invalid_credit_codes_name_the_rule(code: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_credit_code(code)
    assert caught.value.field == "credit_code"
    assert words in caught.value.rule


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_completed_credit_codes_always_check(body: str) -> None:
    assert credit_code_check_char(complete_credit_code(body)[:17]) == complete_credit_code(body)[17]


@pytest.mark.parametrize("text, expected", [
    ("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
    ("0086 19912345678", "19912345678"),
])
def test_mobile_numbers(text: str, expected: str) -> None:
    assert validate_mobile(text) == expected


@pytest.mark.parametrize("text, words", [("", "enter"), ("1381234567", "11 digits"), ("12812345678", "13 to 19"),
                                         ("0755-8888888", "13 to 19"), ("1381234567a", "11 digits")])
def test_bad_mobile_numbers(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_mobile(text)
    assert caught.value.field == "phone" and words in caught.value.rule
