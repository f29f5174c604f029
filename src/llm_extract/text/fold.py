"""Folding text for comparison: lower case, no diacritics, ASCII quotes and dashes.

Folding is length-preserving (one character in, one out), so an offset found in the
folded text is the same offset in the text it was folded from: no second map needed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCT = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "`": "'", "\u02bc": "'", "\u02bb": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
}  # fmt: skip


def _base_letter(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else char


_TABLE = str.maketrans(
    {
        **{chr(code): _base_letter(chr(code)) for code in range(0xC0, 0x250)},
        **_PUNCT,
    }
)
WORD_PATTERN = r"[a-z0-9]+(?:'[a-z0-9]+)*"
"""A word of folded text, apostrophes kept inside it: what `words` returns."""
_WORD = re.compile(WORD_PATTERN)
# str.translate looks every character up in the table, one at a time; articles are
# nearly all ASCII, where the table changes only tab and backtick: translate just the
# runs of other characters.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _translate_run(run: re.Match[str]) -> str:
    return run.group().translate(_TABLE)


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Length-preserving comparison form of `text`."""
    folded = text.replace("\t", " ").replace("`", "'")
    if not folded.isascii():
        folded = _NON_ASCII.sub(_translate_run, folded)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


# Where re.I's simple case folding and str.lower() part: the dotted and dotless i and
# the long s match "i" and "s" under re.I. Any other character matches what its lower
# case does (tests/test_numbers_scan.py checks each one).
_IGNORECASE_ODD = {0x130: "i", 0x131: "i", 0x17F: "s"}


def ignorecase_form(text: str) -> str:
    """`text` in lower case, one character per character, as re.I compares it: a pattern
    spelt in lower case matches this without re.I (about twice as fast) where it matched
    `text` with it."""
    if not text.isascii() and any(chr(code) in text for code in _IGNORECASE_ODD):
        text = text.translate(_IGNORECASE_ODD)
    return text.lower()


def words(text: str) -> list[str]:
    """Folded word tokens, apostrophes kept inside words (d'Ivoire, Jama'at)."""
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def name_key(text: str) -> str:
    """The folded-name key: its words, folded, one space apart. Two spellings of a name
    that differ only in case, accents, punctuation or spacing share it."""
    return " ".join(_words(text))


@lru_cache(maxsize=4096)
def word_pattern(phrase: str) -> re.Pattern[str] | None:
    """A regex finding `phrase`'s words in folded text, whatever the spacing/punctuation
    between them, and only at word boundaries."""
    tokens = words(phrase)
    if not tokens:
        return None
    body = r"[\s\-'.,]*".join(re.escape(token) for token in tokens)
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")
