"""Aligning evidence quotes to the article: exact, then normalised, then fuzzy.

Models straighten apostrophes, drop double spaces, repair mojibake and sometimes
trim a word; an exact search alone would call such quotes invented. Each step is
stricter about what it accepts than the one before is about speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from llm_extract.core.verification import Alignment
from llm_extract.text.fold import fold, words

QUOTE_FUZZY_MIN = 90.0
"""Minimum partial-ratio score (0-100) for a fuzzy quote alignment; see bench/verify.py."""
MIN_FUZZY_CHARS = 12


@dataclass(frozen=True)
class QuoteMatch:
    start: int  # offsets in the cleaned text
    end: int
    alignment: Alignment  # exact | normalized | fuzzy
    score: float


@lru_cache(maxsize=4096)
def _normalized(quote: str) -> tuple[re.Pattern[str], str] | None:
    """The folded words of `quote` as a pattern that skips punctuation and spacing
    between them, and as one string; records repeat their quotes, so built once."""
    tokens = words(quote)
    if not tokens:
        return None
    pattern = r"[^a-z0-9]*".join(re.escape(token) for token in tokens)
    return re.compile(pattern), " ".join(tokens)


def align_quote(text: str, quote: str) -> QuoteMatch | None:
    """Where `quote` sits in `text` (cleaned), or None when it is not there."""
    quote = quote.strip()
    if not quote:
        return None
    index = text.find(quote)
    if index >= 0:
        return QuoteMatch(index, index + len(quote), "exact", 100.0)
    normalized = _normalized(quote)
    if normalized is None:
        return None
    pattern, folded_quote = normalized
    folded_text = fold(text)
    found = pattern.search(folded_text)
    if found:
        return QuoteMatch(found.start(), found.end(), "normalized", 100.0)
    if len(folded_quote) < MIN_FUZZY_CHARS:
        return None
    result = fuzz.partial_ratio_alignment(
        folded_quote, folded_text, processor=None, score_cutoff=QUOTE_FUZZY_MIN
    )
    if result is None:
        return None
    return QuoteMatch(result.dest_start, result.dest_end, "fuzzy", round(result.score, 1))
