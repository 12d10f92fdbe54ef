"""Receipt numbers: ``{branch_code}-{terminal_code}{incarnation_letter}-{fiscal_year}-{seq:07d}``.

SYNC.md c.2: the namespace (branch, terminal, incarnation, fiscal year) belongs to exactly one
database, so numbers are unique by construction; a restored or re-imaged node re-enrols and gets
the next incarnation letter. Example: ``B017-T03A-2026-0000042``.

Branch codes are 2-10 capital letters and digits starting with a letter (as in the settings);
terminal codes likewise but ending in a digit (``T03``, ``H00``), so the incarnation letters that
follow are never confused with the terminal code. Incarnation 1 is ``A`` ... 26 is ``Z``, 27 is
``AA`` (bijective base 26, like spreadsheet columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counter_app.domain.errors import InvalidInput

BRANCH_CODE = r"[A-Z][A-Z0-9]{1,9}"
TERMINAL_CODE = r"[A-Z][A-Z0-9]{0,8}[0-9]"
MAX_SEQ = 9_999_999
_PATTERN = re.compile(rf"({BRANCH_CODE})-({TERMINAL_CODE})([A-Z]{{1,3}})-([0-9]{{4}})-([0-9]{{7}})")


def incarnation_letter(incarnation: int) -> str:
    """1 -> ``A``, 26 -> ``Z``, 27 -> ``AA``."""
    if isinstance(incarnation, bool) or not isinstance(incarnation, int) or not 1 <= incarnation <= 18278:
        raise InvalidInput("incarnation", f"a whole number from 1 to 18278, got {incarnation!r}", code="whole_number_range", min=1, max=18278)
    letters = ""
    while incarnation:
        incarnation, digit = divmod(incarnation - 1, 26)
        letters = chr(ord("A") + digit) + letters
    return letters


def incarnation_number(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27."""
    if not re.fullmatch(r"[A-Z]{1,3}", letters or ""):
        raise InvalidInput("incarnation", f"one to three capital letters, got {letters!r}", code="incarnation_letters", got=repr(letters))
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@dataclass(frozen=True)
class ReceiptNumber:
    branch_code: str
    terminal_code: str
    incarnation: int
    fiscal_year: int
    seq: int

    def __post_init__(self) -> None:
        if not isinstance(self.branch_code, str) or not re.fullmatch(BRANCH_CODE, self.branch_code):
            raise InvalidInput("branch_code", "2-10 capital letters and digits starting with a letter, e.g. B017", code="branch_code_form")
        if not isinstance(self.terminal_code, str) or not re.fullmatch(TERMINAL_CODE, self.terminal_code):
            raise InvalidInput("terminal_code", "2-10 capital letters and digits, a letter first and a digit last, e.g. T03", code="terminal_code_form")
        incarnation_letter(self.incarnation)
        if isinstance(self.fiscal_year, bool) or not isinstance(self.fiscal_year, int) or not 1000 <= self.fiscal_year <= 9999:
            raise InvalidInput("fiscal_year", f"a four-digit year, got {self.fiscal_year!r}", code="fiscal_year_form", got=repr(self.fiscal_year))
        if isinstance(self.seq, bool) or not isinstance(self.seq, int) or not 1 <= self.seq <= MAX_SEQ:
            raise InvalidInput("seq", f"from 1 to {MAX_SEQ:,} in a fiscal year, got {self.seq!r}", code="whole_number_range", min=1, max=MAX_SEQ)

    def __str__(self) -> str:
        return (f"{self.branch_code}-{self.terminal_code}{incarnation_letter(self.incarnation)}"
                f"-{self.fiscal_year}-{self.seq:07d}")


def format_receipt_number(branch_code: str, terminal_code: str, incarnation: int, fiscal_year: int, seq: int) -> str:
    return str(ReceiptNumber(branch_code, terminal_code, incarnation, fiscal_year, seq))


def parse_receipt_number(text: str) -> ReceiptNumber:
    """Read a typed or scanned receipt number; surrounding blanks and lower case are forgiven."""
    match = _PATTERN.fullmatch((text or "").strip().upper())
    if match is None:
        raise InvalidInput("receipt_no", f"'{text}' is not a receipt number such as B017-T03A-2026-0000042", code="receipt_no_form", text=text)
    branch, terminal, letters, year, seq = match.groups()
    return ReceiptNumber(branch, terminal, incarnation_number(letters), int(year), int(seq))
