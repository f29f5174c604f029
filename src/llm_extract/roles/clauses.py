"""Sentences, clauses and mentions on an article's folded text (shared by the readers).

All offsets are cleaned-text offsets of `Document.text`; `Document.folded` is the same
text, length-preserved, in lower case without diacritics, so every pattern here is
written in plain lower-case ASCII and works for English and French alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from llm_extract.roles.lexicon import ATTRIBUTION_BEFORE, EARLIER_TENSE, SPEECH
from llm_extract.text.fold import word_pattern
from llm_extract.text.grounding import Document, check_quote
from llm_extract.text.names import find_name

# Strong breaks inside a sentence: a figure's modality or time rarely crosses them.
_SEGMENT_BREAK = re.compile(
    r"[;:()\u2014]| [-\u2013] |\b(?:but|mais|while|whereas|tandis qu|alors qu|although"
    r"|bien qu|meanwhile|however|cependant|toutefois|pourtant)\b"
)
# Weak breaks as well: commas and the conjunctions that join two clauses.
_CLAUSE_BREAK = re.compile(_SEGMENT_BREAK.pattern + r"|,|\b(?:and|et|or|ou|who|qui)\b")


def sentence(doc: Document, start: int, end: int) -> tuple[int, int]:
    """[left, right) of the sentence holding [start, end)."""
    return doc.sentence_bounds(start, end)


def segment(doc: Document, start: int, end: int, *, weak: bool = False) -> tuple[int, int]:
    """The part of the sentence between the breaks around [start, end): the strong ones
    (";", ":", "but", "while", brackets), or with `weak` also commas and "and"/"et"."""
    left, right = sentence(doc, start, end)
    starts, ends = _breaks(doc, weak)
    i = bisect_right(ends, start) - 1  # the last break that ends before the span
    a = ends[i] if i >= 0 and starts[i] >= left else left
    j = bisect_left(starts, end)  # the first break after it
    b = starts[j] if j < len(starts) and ends[j] <= right else right
    return a, b


def _breaks(doc: Document, weak: bool) -> tuple[list[int], list[int]]:
    """Every break of the article once, as sorted starts and ends: the readers ask for
    the segment of many figures, names and dates in the same sentences."""

    def scan() -> tuple[list[int], list[int]]:
        found = [m.span() for m in (_CLAUSE_BREAK if weak else _SEGMENT_BREAK).finditer(doc.folded)]
        return [a for a, _ in found], [b for _, b in found]

    return doc.memo(("breaks", weak), scan)


def quote_span(doc: Document, quote: str | None) -> tuple[int, int] | None:
    """Where the quote is in the article, when it is the article's own words."""
    if not quote:
        return None
    found = check_quote(doc, quote)
    if found.verdict != "supported" or found.start is None or found.end is None:
        return None
    return found.start, found.end


def paragraph(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The line (paragraph) holding [start, end)."""
    text = doc.text
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, (right if right >= 0 else len(text))


def previous_sentences(doc: Document, start: int, count: int) -> tuple[int, int]:
    """The span of up to `count` sentences before `start`, within its paragraph."""
    para_left, _ = paragraph(doc, start, start)
    left = start
    for _ in range(count):
        if left <= para_left:
            break
        left, _ = sentence(doc, max(para_left, left - 2), max(para_left, left - 2))
    return max(left, para_left), start


def mentions(doc: Document, name: str) -> list[tuple[int, int]]:
    """Every mention of `name` in the article: the first match `find_name` gives (with
    aliases, acronyms and spelling variants), and each other place its words recur."""
    return list(doc.memo(("mentions", name), lambda: _mentions(doc, name)))


def _mentions(doc: Document, name: str) -> list[tuple[int, int]]:
    found = find_name(doc.text, name, doc.aliases)
    if found is None:
        return []
    spans = {(found.start, found.end)}
    for phrase in {name, found.matched}:
        pattern = word_pattern(phrase)
        if pattern is not None:
            spans |= {m.span() for m in pattern.finditer(doc.folded)}
    return sorted(spans)


def compile_words(*stems: str) -> re.Pattern[str]:
    """Stems as one pattern, each starting at a word boundary and running to the end of
    its word ("kill" finds killed, killings)."""
    body = "|".join(sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{body})[a-z']*")


_EARLIER_TENSE = re.compile(EARLIER_TENSE)
_CITED = re.compile(rf"\b(?:{ATTRIBUTION_BEFORE})\b")
_SAID_AFTER = 40
"""How far past the clause "..., it claimed" may follow: farther, it is another
sentence's verb run on by a missing full stop."""


def earlier_tense(doc: Document, start: int, end: int, *, reports_too: bool = False) -> bool:
    """The clause [start, end) tells an earlier event: a pluperfect that is no reported
    speech's backshift ("a indiqué que six combattants avaient été tués mardi", "...
    had been killed, it claimed" are that day's events; "Le 9 août, cinq soldats avaient
    été tués" an earlier one). An earlier report ("un précédent bilan avait fait état
    de trois tués") tells this event's figure, unless `reports_too` (its day is the
    report's)."""
    tense = _EARLIER_TENSE.search(doc.folded, start, end)
    if tense is None:
        return False
    left, right = doc.sentence_bounds(start, end)
    folded = doc.folded
    if (
        SPEECH.search(folded, left, tense.start())
        or SPEECH.search(folded, max(tense.end(), end), min(right, end + _SAID_AFTER))
        or _CITED.search(folded, left, right)
    ):
        return False
    return reports_too or SPEECH.search(folded, tense.start(), tense.end() + 12) is None
