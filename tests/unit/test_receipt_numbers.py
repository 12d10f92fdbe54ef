"""Receipt numbers {branch}-{terminal}{incarnation letter}-{fiscal year}-{seq:07d} (SYNC.md c.2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.domain.receipt_numbers import (
    ReceiptNumber,
    format_receipt_number,
    incarnation_letter,
    incarnation_number,
    parse_receipt_number,
)


def test_format_and_parse_the_sync_example() -> None:
    assert format_receipt_number("B017", "T03", 1, 2026, 42) == "B017-T03A-2026-0000042"
    assert parse_receipt_number(" b017-t03b-2026-0000042\n") == ReceiptNumber("B017", "T03", 2, 2026, 42)
    assert format_receipt_number("B001", "H00", 27, 2025, 9_999_999) == "B001-H00AA-2025-9999999"


def test_incarnation_letters() -> None:
    assert [incarnation_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


@pytest.mark.parametrize(("args", "field"), [
    (("b017", "T03", 1, 2026, 1), "branch_code"),
    (("B-17", "T03", 1, 2026, 1), "branch_code"),
    (("B017", "T3A", 1, 2026, 1), "terminal_code"),
    (("B017", "T03", 0, 2026, 1), "incarnation"),
    (("B017", "T03", 1, 26, 1), "fiscal_year"),
    (("B017", "T03", 1, 2026, 0), "seq"),
    (("B017", "T03", 1, 2026, 10_000_000), "seq"),
])
def test_bad_parts_name_the_field(args: tuple, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput) as error:
        format_receipt_number(*args)
    assert error.value.field == field


@pytest.mark.parametrize("text", ["", "B017-T03-2026-0000042", "B017-T03A-2026-42", "B017-T03A-26-0000042",
                                  "B017T03A20260000042", "B017-T03A-2026-0000000", "B017-T03A-2026-00000421"])
def test_malformed_numbers_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_receipt_number(text)
    assert error.value.field in ("receipt_no", "seq")


codes = st.from_regex(r"[A-Z][A-Z0-9]{1,9}", fullmatch=True)
terminals = st.from_regex(r"[A-Z][A-Z0-9]{0,8}[0-9]", fullmatch=True)


@settings(deadline=None)
@given(codes, terminals, st.integers(1, 18278), st.integers(1000, 9999), st.integers(1, 9_999_999))
def test_round_trip(branch: str, terminal: str, incarnation: int, year: int, seq: int) -> None:
    number = ReceiptNumber(branch, terminal, incarnation, year, seq)
    assert parse_receipt_number(str(number)) == number
    assert incarnation_number(incarnation_letter(incarnation)) == incarnation


@settings(deadline=None)
@given(st.tuples(terminals, st.integers(1, 18278)), st.tuples(terminals, st.integers(1, 18278)))
def test_different_namespaces_never_give_the_same_number(a: tuple[str, int], b: tuple[str, int]) -> None:
    if a != b:
        assert format_receipt_number("B017", *a, 2026, 1) != format_receipt_number("B017", *b, 2026, 1)
