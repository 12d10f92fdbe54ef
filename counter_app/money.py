"""Public home of the money rules: ``counter_app.money.amount_in_words`` and friends."""

from counter_app.domain.money import (
    MAX_WORDS_FEN,
    amount_in_words,
    div_round_half_up,
    format_fen,
    parse_yuan,
)

__all__ = ["MAX_WORDS_FEN", "amount_in_words", "div_round_half_up", "format_fen", "parse_yuan"]
