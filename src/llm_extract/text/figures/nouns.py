"""What a quantity counts: the noun phrase after a number ("80 jihadist fighters").

Split from `numbers.py`, which finds the figures: this module only reads the words after
one, so a verifier can tell "80 killed" from "80 km". Pure functions; regexes compiled at
import.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from llm_extract.text.figures.number_words import (
    LETTERS,
    MODIFIER_NOUNS,
    ORDINAL_WORD,
    PRONOUNS,
    STOPWORDS,
    TRANSPARENT,
    noun_class,
    plural_looking,
)

__all__ = ["Noun", "bind_noun"]


class Noun(NamedTuple):
    """What a figure counts, and whether that is people (None: not known)."""

    noun: str | None
    start: int | None
    end: int | None
    people: bool | None
    skip: bool = False  # the number is part of an ordinal or fraction


_L = LETTERS
_NOT_L = rf"(?![{_L}])"
_SP = r"[ \t\u00a0\u202f\u2009]"  # spaces within a line (also no-break and thin spaces)
_WORD = rf"[{_L}]+(?:[-'’][{_L}]+)*"
_NEXT_WORD = re.compile(rf"{_SP}*[\u201c\u00ab\"]?{_SP}*({_WORD})")  # 31 “terrorists”
_GLUED = re.compile(rf"[{_L}]+")
_UNITS = frozenset(("km", "kms", "kg", "m", "h", "hrs", "min", "ha", "t", "mm", "cm"))
_PERCENT = re.compile(rf"{_SP}*(%|pour{_SP}*cent|per{_SP}*cent|percent|pc{_NOT_L})", re.I)
_COMPOUND = re.compile(rf"-({_WORD})")
_OF = re.compile(
    rf"{_SP}+(?:(?:of(?:{_SP}+(?:the|these|those|its|their|his|her|our))?|des|du"
    rf"|de(?:{_SP}+(?:ces|leurs|ses|nos))?){_NOT_L}|d['’](?:entre{_NOT_L})?)",
    re.I,
)
_NO_NOUN = Noun(None, None, None, None)
_PEOPLE_PAIRS = frozenset(("casque bleu", "casques bleus", "blue helmet", "blue helmets"))


def _np_words(text: str, pos: int, limit: int = 4) -> list[re.Match[str]]:
    """Up to `limit` words after `pos`, ending at punctuation, a line break or a stop word."""
    words: list[re.Match[str]] = []
    while len(words) < limit:
        m = _NEXT_WORD.match(text, pos)
        if m is None:
            break
        lower = m.group(1).lower()
        if lower in TRANSPARENT and not words:
            pos = m.end()
            continue
        if noun_class(m.group(1), first=not words) is None and (
            lower in STOPWORDS or lower[:2] in ("d'", "l'", "d’", "l’")
        ):
            break
        words.append(m)
        pos = m.end()
    return words


def _head(words: list[re.Match[str]]) -> Noun:
    """The counted noun: last of the first run of known nouns ("jihadist fighters"),
    else the first lower-case plural-looking word ("12 motos"), else nothing."""
    head: re.Match[str] | None = None
    people: bool | None = None
    pair = " ".join(m.group(1).lower() for m in words[:2])
    if pair in _PEOPLE_PAIRS:  # "un Casque bleu": neither word alone is a person
        return Noun(pair, words[0].start(1), words[1].end(1), True)
    for i, m in enumerate(words):
        kind = noun_class(m.group(1), first=i == 0)
        if kind is not None:
            head, people = m, kind
        elif head is not None:
            if head.group(1).lower() in MODIFIER_NOUNS and plural_looking(m.group(1)):
                head, people = m, None  # "personnel carriers", "police stations"
            break
    if head is None:
        head = next((m for m in words if plural_looking(m.group(1))), None)
    if head is None:
        return _NO_NOUN
    return Noun(head.group(1).lower(), head.start(1), head.end(1), people)


def bind_noun(text: str, pos: int) -> Noun:
    """Find what the number ending at `pos` counts."""
    m = _PERCENT.match(text, pos)
    if m:
        return Noun(m.group(1).lower(), m.start(1), m.end(1), False)
    m = _COMPOUND.match(text, pos)
    if m:  # "30-day", "5,000-strong", "15-year-old", "twenty-first"
        word = m.group(1)
        if ORDINAL_WORD.search(word):
            return Noun(None, None, None, None, skip=True)
        if word.lower() == "strong":
            words = _np_words(text, m.end())
            for i, w in enumerate(words):
                if w.group(1).lower().endswith(("ed", "ing")) and i:
                    words = words[:i]
                    break
            if words:
                last = words[-1]
                return Noun(last.group(1).lower(), last.start(1), last.end(1), False)
        first = word.split("-")[0]
        return Noun(first.lower(), m.start(1), m.start(1) + len(first), False)
    m = _GLUED.match(text, pos)
    if m:  # "50km" is a distance; "3D" or "4x4" is no quantity at all
        if m.group().lower() in _UNITS:
            return Noun(m.group().lower(), m.start(), m.end(), False)
        return Noun(None, None, None, None, skip=True)
    noun = _head(_np_words(text, pos))
    if noun.noun is not None:
        return noun
    m = _OF.match(text, pos)
    if m:  # "dozens of militants", "80 of them", "une trentaine de soldats"
        after = _NEXT_WORD.match(text, m.end())
        if after and after.group(1).lower() in PRONOUNS:
            return Noun(after.group(1).lower(), after.start(1), after.end(1), None)
        return _head(_np_words(text, m.end()))
    return _NO_NOUN
