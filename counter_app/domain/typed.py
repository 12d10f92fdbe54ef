"""What a clerk types through a Chinese input method, brought to the plain form before checking.

An IME types full-width digits and letters (１２３, ｘ) by default; a pasted text may carry
superscripts (³), circled digits or the ideographic space. :func:`typed_number` applies Unicode
NFKC, which folds all of these to ASCII, and then writes any remaining decimal digit of another
script (Arabic-Indic ٣ …) as its ASCII digit, so a checker sees, and the database stores, only
0-9. :func:`typed_text` is for free text (names, addresses, search words): control characters
such as NUL and lone surrogates, which no keyboard types and SQLite cannot take, are dropped.
"""

from __future__ import annotations

import unicodedata

_DROPPED = ("Cc", "Cs", "Co", "Cn")  # control, lone surrogate, private use, unassigned


def typed_text(text: object) -> str:
    """``text`` without control characters (tab and line breaks kept), lone surrogates and other
    untypeable code points."""
    if not isinstance(text, str):
        return ""
    return "".join(ch for ch in text if ch in "\t\r\n" or unicodedata.category(ch) not in _DROPPED)


def typed_number(text: object) -> str:
    """A typed number, code or amount in NFKC with every decimal digit in ASCII (``１２³`` -> ``123``);
    untypeable characters dropped. Letters keep their case."""
    folded = unicodedata.normalize("NFKC", typed_text(text))
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in folded)


def is_ascii_digits(text: str) -> bool:
    """Only 0-9 (``str.isdigit`` also takes ³ and ٣, which ``int`` then may refuse)."""
    return bool(text) and text.isascii() and text.isdigit()
