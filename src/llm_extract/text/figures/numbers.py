"""Quantities in English and French conflict news: value, qualifier and the noun counted.

This is the number-grounding layer of the verifier: a casualty count an LLM extracted is
checked against the quantities the article actually states. The rules follow ACLED (the
point value is the most conservative reported figure; "dozens" = 12, "tens" = 10,
"hundreds" = 100) and UCDP (low / best / high). Dates, years, units, sizes ("5,000-strong")
and counts of things ("seven towns") are skipped or marked as not counting people, so a
verifier never grounds "80 killed" on "80 km". Pure functions; regexes compiled at import.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Literal, cast

from llm_extract.text.figures.nouns import Noun, bind_noun
from llm_extract.text.figures.number_words import (
    COMPARATOR,
    DIGITS,
    DOZEN,
    EN_NUMBER_WORDS,
    FR_NUMBER_WORDS,
    LETTERS,
    MONTH,
    MONTH_BEFORE,
    NOVALUE,
    NOVALUE_NEEDS_NOUN,
    PHRASE_STARTS,
    VAGUE,
    WORD_NUMBER,
    YEAR_CONTEXT,
    Num,
    read_number,
    vague_value,
)
from llm_extract.text.fold import ignorecase_form

Qualifier = Literal["exact", "at_least", "at_most", "approximate", "range", "vague"]

__all__ = ["Qualifier", "Quantity", "find_quantities", "number_value", "parse_quantity"]


@dataclass(frozen=True)
class Quantity:
    """One quantity as stated: its span, ACLED/UCDP values and the noun it counts.

    `best` is ACLED's point value (the most conservative figure: the low end of a range,
    the bound of "at least 80"). Words with no number ("several", "plusieurs", "many")
    give a vague Quantity whose low/high/best are all None: the text gives no figure.
    """

    start: int
    end: int
    surface: str
    low: int | None
    high: int | None
    best: int | None
    qualifier: Qualifier
    noun: str | None
    noun_start: int | None
    noun_end: int | None
    is_count_of_people: bool | None


_L = LETTERS
_NOT_L = rf"(?![{_L}])"
_SKIP = (
    r"\d{4}-\d{2}-\d{2}|\d{1,4}[/:]\d{1,2}(?:[/:]\d{1,4})?|\d{1,2}h\d{2}(?!\d)"
    rf"|\d+(?:st|nd|rd|th|er|ère|re|e|ème|eme|è|nde?){_NOT_L}"
)
_MULT = re.compile(r"\s+(?:of|de)\s+(?:thousands|milliers|millions)" + _NOT_L, re.I)


def _starts() -> str:
    """What a quantity can begin with: a digit, "a " / "an" or a listed pair of letters
    ("th", "do", ...), grouped by first letter so a word start costs a letter test or two
    (tests/test_numbers_scan.py checks every branch of _BRANCHES begins so)."""
    seconds: dict[str, str] = {}
    for pair in sorted({w[:2] for w in EN_NUMBER_WORDS | FR_NUMBER_WORDS} | PHRASE_STARTS):
        seconds[pair[0]] = seconds.get(pair[0], "") + pair[1]
    return r"\d|a[\sn]|" + "|".join(f"{a}[{bs}]" for a, bs in seconds.items())


_STARTS = _starts()
_BRANCHES = (
    rf"(?:(?P<skip>(?=\d)(?:{_SKIP}))"
    rf"|(?P<vague>(?=[acdhmpqstu])(?:{VAGUE}){_NOT_L})"
    rf"|(?P<novalue>(?=[acdmnpqsu])(?:{NOVALUE}){_NOT_L})"
    rf"|(?P<words>(?=[abcdefhmnoqstuv]){WORD_NUMBER})|(?P<digits>{DIGITS}))"
)
# One pass finds where each quantity starts. The pass reads the text's `ignorecase_form`
# without re.I, which halves its cost, and consumes the character before a quantity
# instead of looking behind at it: the engine then skips ahead to the next character that
# may precede one. (The text gets a leading space to be that character, which no
# look-behind in the branches could match.) _STARTS turns away most word starts ("the",
# "said") before any branch is tried; each branch is still guarded by its first letters.
_ATOM = re.compile(rf"[^{_L}\d](?<![{_L}]-)(?={_STARTS}){_BRANCHES}")

_DAY_TAIL = r"(?:\s*(?:[-–—&,]|and|to|et|au|à|or|ou)\s*(?:le\s+|the\s+)?\d{1,2}(?!\d))*"
_MONTH_AFTER = re.compile(
    rf"{_DAY_TAIL}\s*(?:(?i:of)\s+)?{MONTH}|\s*(?:[ap]\.m\.|[ap]m{_NOT_L}|GMT|UTC)"
)
_DAY_TAIL_RE = re.compile(_DAY_TAIL, re.I)

_B = rf"(?<![{_L}])"
_COMPARATOR = re.compile(rf"{_B}{COMPARATOR}", re.I)
_RANGE_PREFIX = re.compile(rf"{_B}(?P<w>between|entre|from|de|du)\s+\Z", re.I)
_RANGE_CONN = re.compile(r"\s*(?P<d>[-–—])\s*|\s+(?P<w>to|and|et|à|au|or|ou)\s+", re.I)
_SUFFIX = re.compile(
    rf"(?P<at_least>\+|-plus{_NOT_L}|\s+or\s+more{_NOT_L}|\s+ou\s+plus{_NOT_L})"
    rf"|(?P<approximate>-odd{_NOT_L}|\s+odd{_NOT_L}|\s+or\s+so{_NOT_L})",
    re.I,
)
_MONEY_BEFORE = re.compile(r"(?:[$€£]|US\$|USD|EUR|F?CFA)\s*\Z")
_AHEAD = re.compile(r"\s+(?:(?:as|than)\s+)?", re.I)


_YEAR_CONTEXT = re.compile(rf"{_B}{YEAR_CONTEXT}", re.I)
_ONE_BLOCKERS = re.compile(rf"(?:[lL]['’]|{_B}(?:no|any|every)\s+)\Z", re.I)


def _bounds(qualifier: Qualifier, value: int) -> tuple[int | None, int, int | None]:
    """(low, best, high) for one figure: the figure itself is always the point value."""
    if qualifier == "at_least":
        return value, value, None
    if qualifier == "at_most":
        return None, value, value
    if qualifier == "approximate":
        return None, value, None
    return value, value, value


def _comparator(text: str, start: int, floor: int) -> tuple[Qualifier, int] | None:
    m = _COMPARATOR.search(text, max(floor, start - 30), start)
    if m is None or m.lastgroup is None:
        return None
    return cast(Qualifier, m.lastgroup.rstrip("_")), m.start()


_Values = tuple[int | None, int | None, int | None]  # low, best, high


def _quantity(
    text: str,
    start: int,
    end: int,
    values: _Values,
    qualifier: Qualifier,
    noun: Noun,
    people: bool | None,
) -> Quantity:
    low, best, high = values
    return Quantity(
        start,
        end,
        text[start:end],
        low,
        high,
        best,
        qualifier,
        noun.noun,
        noun.start,
        noun.end,
        people,
    )


def _vague(
    text: str, kind: str, start: int, end: int, floor: int, standalone: bool
) -> tuple[Quantity | None, int]:
    """A vague quantity: "dozens", "une trentaine", "several" (no number at all)."""
    surface = " ".join(text[start:end].lower().split())
    if kind == "novalue":
        ahead = _AHEAD.match(text, end)
        if ahead and read_number(text, ahead.end()) is not None:
            return None, end  # the comparator of "some 70", "as many as 80"
        noun = bind_noun(text, end)
        if noun.noun is None and not standalone and surface.startswith(NOVALUE_NEEDS_NOUN):
            return None, end
        return _quantity(text, start, end, (None, None, None), "vague", noun, noun.people), end
    value, approx = vague_value(surface)
    qualifier: Qualifier = "approximate" if approx else "vague"
    mult = _MULT.match(text, end)
    if mult:  # "tens of thousands", "des dizaines de milliers"
        value = (10 if surface.endswith(("tens", "dizaines")) else value) * (
            10**6 if mult.group().lower().endswith("millions") else 1000
        )
        end = mult.end()
    values: _Values = (value, value, None)
    if qualifier == "approximate":
        values = (None, value, None)
    cmp = _comparator(text, start, floor)
    if cmp and (cmp[0] != "approximate" or qualifier == "approximate"):
        qualifier, start = cmp
        values = _bounds(qualifier, value)
    noun = bind_noun(text, end)
    return _quantity(text, start, end, values, qualifier, noun, noun.people), end


def _range_end(text: str, num: Num, floor: int) -> tuple[Num, int] | None:
    """The upper figure and the start of "70-80", "between 70 and 80", "de 30 à 32"."""
    conn = _RANGE_CONN.match(text, num.end)
    if conn is None or num.value is None:
        return None
    second = read_number(text, conn.end())
    if (
        second is None
        or second.value is None
        or second.value <= num.value * (second.scale if num.scale == 1 else 1)
    ):
        return None
    if conn.group("d") and second.kind != "digits":
        return None
    word = (conn.group("w") or "").lower()
    prefix = _RANGE_PREFIX.search(text, max(floor, num.start - 10), num.start)
    pword = prefix.group("w").lower() if prefix else ""
    between = pword in ("between", "entre")
    if word in ("and", "et") and not between:
        return None
    start = prefix.start() if prefix and (between or word in ("to", "à", "au")) else num.start
    return second, start


def _numeric(text: str, start: int, floor: int, standalone: bool) -> tuple[Quantity | None, int]:
    """A figure in digits or words, with its comparator, range and noun."""
    num = read_number(text, start)
    if num is None or num.value is None:
        return None, num.end if num else start + 1
    value, end = num.value, num.end
    if num.kind == "digits" and num.plain and value <= 31:  # "July 15", "15-19 juillet"
        if MONTH_BEFORE.search(text, max(0, start - 12), start):
            tail = _DAY_TAIL_RE.match(text, end)
            return None, tail.end() if tail else end
        after = _MONTH_AFTER.match(text, end)
        if after:
            return None, after.end()
    qualifier: Qualifier = "exact"
    values: _Values = (value, value, value)
    rng = _range_end(text, num, floor)
    if rng:  # "2 to 3 million": the scale of the upper figure applies to both
        low = value * rng[0].scale if num.scale == 1 else value
        qualifier, values, end, start = "range", (low, low, rng[0].value), rng[0].end, rng[1]
    else:
        dozen = DOZEN.match(text, end)
        if dozen:  # "two dozen"
            value, end, qualifier = value * 12, dozen.end(), "approximate"
        suffix = _SUFFIX.match(text, end)
        if suffix:  # "80+", "80 or more", "80-odd"
            qualifier = "at_least" if suffix.group("at_least") else "approximate"
            end = suffix.end()
        cmp = _comparator(text, start, floor)
        if cmp:
            qualifier, start = cmp
        values = _bounds(qualifier, value)
    noun = bind_noun(text, end)
    if noun.skip:
        return None, end
    people = noun.people
    if _MONEY_BEFORE.search(text, max(0, start - 4), start):
        people = False
    if standalone:
        return _quantity(text, start, end, values, qualifier, noun, people), end
    year = num.plain and 1900 <= num.value <= 2100 and qualifier in ("exact", "range")
    if year and (people is None or _YEAR_CONTEXT.search(text, max(0, start - 12), start)):
        return None, end  # "in 2020", "a 2024 declaration", "2020-2025"
    if num.kind == "words" and (
        text[num.start : num.end] == "UN"
        or (value == 1 and qualifier == "exact" and people is None)
        or (value == 1 and _ONE_BLOCKERS.search(text, max(0, start - 6), start))
        or (
            _ARTICLE.fullmatch(text, num.start, num.end)
            and not _BEFORE_NOUN.fullmatch(text, end, noun.start or end)
        )
    ):
        return None, end  # "one of the most", "l'un des", "no one", "UN peacekeepers"
    return _quantity(text, start, end, values, qualifier, noun, people), end


def _scan(text: str, *, standalone: bool) -> list[Quantity]:
    found: list[Quantity] = []
    pos = floor = 0
    padded = " " + ignorecase_form(text)  # padded[i + 1] is text[i]
    while (m := _ATOM.search(padded, pos)) is not None:
        kind = cast(str, m.lastgroup)
        start, end = m.start(kind) - 1, m.end(kind) - 1
        if kind == "skip":
            pos = end
            continue
        if kind in ("vague", "novalue"):
            q, end = _vague(text, kind, start, end, floor, standalone)
        else:
            q, end = _numeric(text, start, floor, standalone)
        if q is not None:
            found.append(q)
            floor = q.end
        pos = max(end, start + 1)
    return _partitives(text, found)


_OF_ANOTHER = re.compile(r"\s+(?:of the|of|des|d'entre les|sur)\s+$", re.IGNORECASE)


def _partitives(text: str, found: list[Quantity]) -> list[Quantity]:
    """ "21 of the 23 missiles", "21 des 30 otages": the first figure counts what the
    second does."""
    out = list(found)
    for i, (q, nxt) in enumerate(itertools.pairwise(found)):
        if q.noun is None and _OF_ANOTHER.fullmatch(text, q.end, nxt.start):
            out[i] = replace(q, noun=nxt.noun, is_count_of_people=nxt.is_count_of_people)
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in `text`, in order; spans index into `text` itself.

    Dates, years, times, ordinals, decimals and phone numbers are skipped; a bare "one" /
    "un" / "une" counts only before a known noun ("one soldier", not "one of the most").
    """
    return _scan(text, standalone=False)


def parse_quantity(surface: str) -> Quantity | None:
    """Parse one surface on its own ("at least 80", "une trentaine", "several").

    Offsets are relative to `surface`. Without context a bare "one" or "2000" is taken
    at face value, since the caller says it is a quantity.
    """
    found = _scan(surface, standalone=True)
    return found[0] if found else None


# French "un"/"une" is an article before a noun the figure does not count ("une attaque
# jihadiste" counts no jihadist): one person only when the person comes right after it.
_ARTICLE = re.compile(r"une?", re.IGNORECASE)
_BEFORE_NOUN = re.compile(  # what French puts between the article and its noun
    r"\s*(?:(?:autre|seule?|jeune|nouvel(?:le)?|nouveau|petite?|vieil(?:le)?|dernier|derniere"
    r"|dernière|[a-zé]+i[eè]me)\s+)?",
    re.IGNORECASE,
)
_A_DOZEN = re.compile(r"(?:an?|one)\s+dozen", re.I)


def number_value(word_or_digits: str) -> int | None:
    """Integer value of one number written in digits or words, else None.

    "eighty" -> 80, "5 000" / "5.000" / "5,000" -> 5000, "quatre-vingts" -> 80,
    "a hundred" -> 100, "2 million" -> 2000000; decimals ("2.5") and vague words -> None.
    """
    s = word_or_digits.strip()
    if _A_DOZEN.fullmatch(s):
        return 12
    num = read_number(s, 0)
    if num is None or num.value is None:
        return None
    value, end = num.value, num.end
    dozen = DOZEN.match(s, end)
    if dozen:
        value, end = value * 12, dozen.end()
    return value if end == len(s) else None
