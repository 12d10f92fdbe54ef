"""Identity codes a clerk types at the counter, checked before anything is saved.

* 居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, and a check
  character from ISO 7064 MOD 11-2 (``0``-``9`` or ``X``).
* 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O, S, V, Z);
  registration authority, organisation type, 6-digit region, 9-character organisation code, and a
  check character from weighted MOD 31.
* Mainland mobile numbers: 11 digits starting 13-19, optionally written with +86, spaces or dashes.

What was typed is first brought to plain ASCII (:func:`typed_number`: NFKC, so the full-width
digits of a Chinese input method and a full-width X are accepted); each ``validate_*`` returns
the normalised text or raises :class:`InvalidInput` naming the field
and the rule, so the form can say exactly what is wrong.
"""

from __future__ import annotations

import re
from datetime import date

from counter_app.domain.errors import InvalidInput
from counter_app.domain.typed import is_ascii_digits, typed_number

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: 省级行政区划代码 (first two digits of a resident ID), incl. 71 台湾, 81 香港, 82 澳门, 83 港澳台居住证.
_PROVINCES = frozenset({
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
})
EARLIEST_BIRTH = date(1900, 1, 1)

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: First character: the registering authority (1 机构编制, 5 民政, 9 工商, Y 其他 ...; GB 32100 table 1).
_CREDIT_AUTHORITIES = frozenset("123456789ANY")

_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-]")


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a resident ID from its first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not is_ascii_digits(first17):
        raise ValueError("a resident ID body is 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def complete_resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def resident_id_birth_date(id_number: str) -> date | None:
    """The birth date encoded in positions 7-14, or None when it is not a calendar date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def validate_resident_id(text: str, today: date | None = None, field: str = "id_number") -> str:
    """An 18-character resident ID with a plausible region and birth date and a correct check."""
    value = _SEPARATORS.sub("", typed_number(text)).upper()
    if not value:
        raise InvalidInput(field, "enter the 18-character resident ID number", code="id_required")
    if len(value) != 18:
        raise InvalidInput(field, f"a resident ID has 18 characters, this has {len(value)}", code="id_length", n=len(value))
    if not is_ascii_digits(value[:17]) or not (is_ascii_digits(value[17]) or value[17] == "X"):
        raise InvalidInput(field, "the first 17 characters are digits, the last is a digit or X", code="id_digits")
    if int(value[:2]) not in _PROVINCES:
        raise InvalidInput(field, "the first two digits are not a province code", code="id_province")
    born = resident_id_birth_date(value)
    if born is None:
        raise InvalidInput(field, "digits 7-14 are not a valid birth date", code="id_birth_date")
    if born < EARLIEST_BIRTH or born > (today or date.today()):
        raise InvalidInput(field, "the birth date in digits 7-14 is not plausible", code="id_birth_implausible")
    if resident_id_check_char(value[:17]) != value[17]:
        raise InvalidInput(field, "the check digit (last character) does not match: please check the number", code="id_check_digit")
    return value


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code from its first 17 (weighted MOD 31)."""
    if len(first17) != 17 or any(ch not in _CREDIT_ALPHABET for ch in first17):
        raise ValueError("a credit code body is 17 characters of 0-9 and A-Y without I, O, S, V, Z")
    total = sum(_CREDIT_ALPHABET.index(ch) * weight for ch, weight in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def complete_credit_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def validate_credit_code(text: str, field: str = "credit_code") -> str:
    """An 18-character unified social credit code with a correct GB 32100 check character."""
    value = _SEPARATORS.sub("", typed_number(text)).upper()
    if not value:
        raise InvalidInput(field, "enter the 18-character unified social credit code", code="credit_code_required")
    if len(value) != 18:
        raise InvalidInput(field, f"a unified social credit code has 18 characters, this has {len(value)}", code="credit_code_length", n=len(value))
    wrong = [ch for ch in value if ch not in _CREDIT_ALPHABET]
    if wrong:
        raise InvalidInput(field, f"'{wrong[0]}' cannot appear: only digits and capital letters without I, O, S, V, Z", code="credit_code_character", ch=wrong[0])
    if value[0] not in _CREDIT_AUTHORITIES:
        raise InvalidInput(field, "the first character is not a registration authority code", code="credit_code_authority")
    if not is_ascii_digits(value[2:8]):
        raise InvalidInput(field, "characters 3-8 are the region code and must be digits", code="credit_code_region")
    if credit_code_check_char(value[:17]) != value[17]:
        raise InvalidInput(field, "the check character (last character) does not match: please check the code", code="credit_code_check")
    return value


def validate_mobile(text: str, field: str = "phone") -> str:
    """An 11-digit mainland mobile number; +86, spaces and dashes are accepted and removed."""
    value = _SEPARATORS.sub("", typed_number(text))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not value:
        raise InvalidInput(field, "enter an 11-digit mobile number", code="mobile_required")
    if not is_ascii_digits(value) or len(value) != 11:
        raise InvalidInput(field, "a mobile number has 11 digits", code="mobile_length")
    if not _MOBILE.fullmatch(value):
        raise InvalidInput(field, "a mobile number starts with 13 to 19", code="mobile_prefix")
    return value
