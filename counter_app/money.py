"""Public home of the money rules: ``counter_app.money.amount_in_words`` and friends."""

from counter_app.domain.money import (  # noqa: F401
    MAX_WORDS_FEN,
    amount_in_words,
    div_round_half_up,
    format_fen,
    parse_yuan,
)
