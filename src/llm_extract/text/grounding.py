"""Checking one value against an article: is it there, where, and if not, why not.

Each check returns a Check (verdict, reason, cleaned-text span); the pipeline's
verifier turns them into report entries with offsets in the user's own text. Counts
have their own module (counts.py): they need word lists this one does not.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any, Literal, TypeVar, cast

from rapidfuzz import fuzz

from llm_extract.core.verification import Alignment, Span, VerdictLabel
from llm_extract.text.dates import DateMention, dateline, find_dates, latest_year
from llm_extract.text.figures.numbers import Quantity, find_quantities, parse_quantity
from llm_extract.text.fold import fold, name_key, words
from llm_extract.text.instructions import find_instructions
from llm_extract.text.names import (
    FUZZY_MIN_CHARS,
    NAME_FUZZY_MIN,
    AliasTable,
    default_aliases,
    find_name,
)
from llm_extract.text.prepare import PreparedText, prepare
from llm_extract.text.quotes import QuoteMatch, align_quote
from llm_extract.text.sentences import sentence_breaks
from llm_extract.text.world import country_code, country_of_adjective

_T = TypeVar("_T")


@dataclass(frozen=True)
class Check:
    verdict: VerdictLabel
    reason: str
    start: int | None = None  # cleaned-text span
    end: int | None = None
    alignment: Alignment | None = None
    score: float | None = None
    code: str | None = None  # a core.verification.ReasonCode; None: let the caller decide


@dataclass
class Document:
    """An article prepared once for many checks.

    Sentences addressed to the model (text/instructions.py) are blanked out of `text`,
    offsets unchanged, so no check finds support in them; `instruction_view()` is the
    same article with only those sentences left, to tell a value the article never
    gives from one only an injected instruction gives."""

    prepared: PreparedText
    published: date | None = None
    aliases: AliasTable = field(default_factory=default_aliases)
    instructions: tuple[tuple[int, int], ...] = ()
    view: Literal["article", "instructions"] = "article"
    # Checks and readings already made: records repeat a quote, a name, a place.
    _memo: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: tuple[object, ...], compute: Callable[[], _T]) -> _T:
        """A reading of this article made once: a record asks for the same name's
        mentions, a place's role, a sentence's words many times over."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(_T, self._memo[key])

    @classmethod
    def from_text(
        cls, original: str, published: date | None = None, aliases: AliasTable | None = None
    ) -> Document:
        """`published` anchors relative dates; without it, the article's own date line
        ("Date: July 2, 2025") does, as a reader would use it."""
        prepared = prepare(original)
        instructions = find_instructions(prepared.text)
        doc = cls(prepared, published, aliases or default_aliases(), instructions)
        if published is None and doc.dateline is not None:
            doc.published = doc.dateline.first  # before any date is resolved
        return doc

    @cached_property
    def text(self) -> str:
        source = self.prepared.text
        if not self.instructions:
            return source
        inside_kept = self.view == "instructions"
        parts, last = [], 0
        for start, end in self.instructions:
            parts += [(source[last:start], not inside_kept), (source[start:end], inside_kept)]
            last = end
        parts.append((source[last:], not inside_kept))
        return "".join(piece if kept else _blank(piece) for piece, kept in parts)

    def instruction_view(self) -> Document:
        """The article with only its sentences addressed to the model left in."""
        return replace(self, view="instructions", _memo={})

    def hidden(self, start: int, end: int) -> bool:
        """Whether [start, end) reaches into text this view blanks out."""
        inside = any(a < end and start < b for a, b in self.instructions)
        return (
            inside
            if self.view == "article"
            else not any(a <= start and end <= b for a, b in self.instructions)
        )

    @cached_property
    def dateline(self) -> DateMention | None:
        """The article's own date line, if it has one: when it was written."""
        return dateline(self.text)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The folded text's words, for cheap "does the article say X anywhere" tests."""
        return frozenset(re.findall(r"[a-z0-9]+", self.folded))

    @cached_property
    def quantities(self) -> list[Quantity]:
        return find_quantities(self.text)

    @cached_property
    def dates(self) -> list[DateMention]:
        return find_dates(self.text, self.published)

    @cached_property
    def latest_year(self) -> int | None:
        return latest_year(self.text)

    def span(self, start: int | None, end: int | None) -> Span | None:
        if start is None or end is None:
            return None
        a, b = self.prepared.to_original(start, end)
        return Span(start=a, end=b, text=self.prepared.original[a:b])

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence containing [start, end): where category cues are looked for."""
        starts = self._sentence_break_starts
        k = bisect_left(starts, start) - 1  # the last break that starts before `start`
        left = min(self._sentence_breaks[k][1], start) if k >= 0 else 0
        j = bisect_left(starts, end)  # the first break at or after `end`
        return left, starts[j] if j < len(starts) else len(self.text)

    @cached_property
    def _sentence_break_starts(self) -> list[int]:
        return [a for a, _ in self._sentence_breaks]

    @cached_property
    def _sentence_breaks(self) -> list[tuple[int, int]]:
        """(start, end) of every sentence break, once: sentences are asked for often."""
        return list(sentence_breaks(self.text))


def _blank(text: str) -> str:
    """Spaces for every character but line breaks, so sentences and offsets stay put."""
    return "".join("\n" if c == "\n" else " " for c in text)


def check_quote(doc: Document, quote: str, value: str | None = None) -> Check:
    return doc.memo(("quote", quote, value), lambda: _check_quote(doc, quote, value))


def _check_quote(doc: Document, quote: str, value: str | None) -> Check:
    match = align_quote(doc.text, quote)
    if (match is None or match.alignment == "fuzzy") and quote.strip():
        # Copied from the raw input (mojibake, furniture and all): verbatim after all.
        at = doc.prepared.original.find(quote.strip())
        if at >= 0:
            start, end = doc.prepared.from_original(at, at + len(quote.strip()))
            if not (doc.instructions and doc.hidden(start, end)):
                match = QuoteMatch(start, end, "exact", 100.0)
    if match is None:
        return Check("unsupported", "quote not found in the article", code="absent")
    if match.alignment == "fuzzy":  # located, but a quote must be the article's own words
        return Check(
            "unsupported",
            f"not verbatim: the nearest passage differs (similarity {match.score:g})",
            match.start,
            match.end,
            "fuzzy",
            match.score,
            code="mismatch",
        )
    if value is not None and not _quote_mentions(doc, doc.text[match.start : match.end], value):
        return Check(
            "unsupported",
            f"quote found ({match.alignment}) but it does not mention {value!r}",
            match.start,
            match.end,
            match.alignment,
            match.score,
            code="mismatch",
        )
    reason = "found verbatim" if match.alignment == "exact" else f"found ({match.alignment})"
    return Check("supported", reason, match.start, match.end, match.alignment, match.score)


_BRACKETED = re.compile(r"\s*\(([^()]*)\)\s*")


def _name_forms(value: str) -> list[str]:
    """A name and, when it carries a bracketed acronym ("New People's Army (NPA)"),
    each part alone: a quote naming either names the actor."""
    inner = _BRACKETED.search(value)
    if inner is None:
        return [value]
    return [value, _BRACKETED.sub(" ", value).strip(), inner.group(1).strip()]


def _quote_mentions(doc: Document, passage: str, value: str) -> bool:
    if any(
        find_name(passage, form, doc.aliases, loose=False) for form in _name_forms(value) if form
    ):
        return True
    if is_the_name(passage, value) or _runs_in(words(value), words(passage)):
        return True  # the same words in a row, marks aside: 'des « blessés »'
    # a quote that is little more than the name: the loose forms (acronym, spelling
    # variant) can only land on the name itself
    short = len(words(passage)) <= len(words(value)) + 2 and not any(c.isdigit() for c in value)
    if short and find_name(passage, value, doc.aliases) is not None:
        return True
    if (country := country_code(value)) and any(
        country_of_adjective(w) == country for w in re.findall(r"[A-ZÀ-Ý][\w\-]+", passage)
    ):
        return True  # "a Russian missile strike" names Russia the attacker
    wanted = parse_quantity(value)
    if wanted is None or wanted.best is None:
        return False
    return any(
        q.best == wanted.best or wanted.best in (q.low, q.high) for q in _quantities_in(passage)
    )


def _runs_in(wanted: list[str], passage: list[str]) -> bool:
    n = len(wanted)
    return n > 0 and any(passage[i : i + n] == wanted for i in range(len(passage) - n + 1))


def is_the_name(passage: str, value: str) -> bool:
    """A quote that is the name itself in another spelling ("Jama'a Nusrat al-Islam wa
    al-Muslimin" for "Jama'at Nusrat al-Islam wal-Muslimin"): the whole passage is
    compared, so a loose match cannot land on some other word of a longer quote."""
    target, said = name_key(value), name_key(passage)
    if (
        any(c.isdigit() for c in target)
        or len(target) < FUZZY_MIN_CHARS
        or not said
        or len(said) > 2 * len(target)
    ):
        return False
    return fuzz.ratio(target, said) >= NAME_FUZZY_MIN


@lru_cache(maxsize=256)
def _quantities_in(passage: str) -> tuple[Quantity, ...]:
    """Quotes repeat across a record's values: parse each passage once."""
    return tuple(find_quantities(passage))


def looks_like_a_name(name: str) -> bool:
    """Names carry no figures and are short; "Mali Army Kills 80 Militants" is a headline
    that happens to be in the text, not an actor."""
    tokens = words(name)
    has_figure = any(token.isdigit() for token in tokens)
    return 0 < len(tokens) <= 10 and not (has_figure and len(tokens) >= 3)


def check_name(doc: Document, name: str) -> Check:
    return doc.memo(("name", name), lambda: _check_name(doc, name))


def _check_name(doc: Document, name: str) -> Check:
    if not looks_like_a_name(name):
        return Check("unsupported", f"{name!r} reads as a phrase, not a name", code="mismatch")
    match = find_name(doc.text, name, doc.aliases)
    if match is None:
        return Check(
            "unsupported", f"{name!r} is not named in the article, in any known form", code="absent"
        )
    how = {
        "exact": "named verbatim",
        "normalized": f"named as {match.matched!r}",
        "alias": f"named as {match.matched!r} (alias)",
        "acronym": f"named as {match.matched!r} (acronym)",
        "fuzzy": f"named as {match.matched!r} (spelling variant, {match.score:g})",
    }[match.alignment]
    return Check("supported", how, match.start, match.end, match.alignment, match.score)


def check_date(doc: Document, start: date | None, end: date | None, text: str = "") -> Check:
    """Supported when one mention in the article spans exactly the claimed days (or
    contains the claimed day), and the record's own date words, if they parse, agree."""
    if start is None and end is None:
        return Check("unverifiable", "the record gives no calendar date to check")
    first = start or end
    last = end or start
    assert first is not None and last is not None
    if text and (own := _own_reading(doc, text)) and not _agrees(own, first, last, text, doc):
        return Check(
            "unsupported",
            f"the record's own words {text!r} mean {own[0]}..{own[1]}, not {first}..{last}",
            code="mismatch",
        )
    for mention in doc.dates:
        if supports(doc, mention, first, last):
            how = (
                "resolved"
                if mention.relative
                else ("exact" if mention.year_stated else "normalized")
            )
            note = "" if mention.year_stated or mention.relative else " (year not stated)"
            return Check(
                "supported",
                f"the article says {mention.surface!r}{note}",
                mention.start,
                mention.end,
                how,
            )
    unresolved = [m.surface for m in doc.dates if m.first is None]
    if unresolved and doc.published is None:
        names = ", ".join(repr(s) for s in unresolved[:2])
        return Check("unverifiable", f"the article's {names} needs a publication date to resolve")
    return Check(
        "unsupported", f"the article gives no date matching {first}..{last}", code="absent"
    )


def _agrees(own: tuple[date, date], first: date, last: date, text: str, doc: Document) -> bool:
    """The record's days are what its date words say, or, for words naming a relative
    period ("this week", "cette semaine"), days inside it: other text narrows them."""
    if own == (first, last):
        return True
    if _SINCE.match(fold(text)) and doc.published and own[0] == first <= last <= doc.published:
        return last - first <= SHORT_PERIOD  # "Since Friday evening": from Friday on
    relative = [m for m in find_dates(text, doc.published) if m.relative and m.precision >= 2]
    part = _PART_OF_PERIOD.match(fold(text))
    return (bool(relative) or bool(part)) and own[0] <= first and last <= own[1]


def _own_reading(doc: Document, text: str) -> tuple[date, date] | None:
    """The days the record's date words stand for, read like the article's."""
    mentions = [m for m in find_dates(text, doc.published) if m.first and m.last]
    if not mentions:
        return None
    first = min(m.first for m in mentions if m.first)
    last = max(m.last for m in mentions if m.last)
    if not all(m.year_stated or m.relative for m in mentions):
        return None  # "July 15" alone: the year comes from elsewhere
    return first, last


_PART_OF_PERIOD = re.compile(r"\s*(?:early|late|mid|debut|fin|mi|courant)\b")
_SINCE = re.compile(r"\s*(?:since|depuis|ever since)\b")
_SINCE_BEFORE = re.compile(r"\b(?:since|depuis)\s+(?:(?:the|le|la|l')\s*)?$")


SHORT_PERIOD = timedelta(days=7)
"""Days of fighting "since Friday" an event record may span; "since January" is a
period's total, "since 1969" history."""


def short_period(mention: DateMention, first: date, last: date) -> bool:
    """A day-precise mention opening the record's few days."""
    if mention.precision != 1 or mention.first != first:
        return False
    return first < last <= first + SHORT_PERIOD


def _since(doc: Document, start: int) -> re.Match[str] | None:
    """The "since" before a mention that opens a period running to the day of writing
    ("since Friday")."""
    return _SINCE_BEFORE.search(doc.folded, max(0, start - 16), start)


def since_until_written(doc: Document, mention: DateMention) -> DateMention | None:
    """ "Since Friday evening", a few days before the article was written: the days from
    then until it was written, as the record gives them."""
    since = _since(doc, mention.start)
    if since is None or doc.published is None or mention.first is None:
        return None
    if not short_period(mention, mention.first, doc.published):
        return None
    start = since.start()
    return replace(mention, start=start, surface=doc.text[start : mention.end], last=doc.published)


def supports(doc: Document, mention: DateMention, first: date, last: date) -> bool:
    """Whether the article's date mention gives the days first..last."""
    latest = doc.latest_year
    if mention.first is None or mention.last is None:
        return False
    m_first, m_last = mention.first, mention.last
    if not mention.year_stated:
        if latest is not None and first.year < latest:
            return False
        m_first, m_last = m_first.replace(year=first.year), m_last.replace(year=last.year)
    if _since(doc, mention.start) and short_period(mention, first, last) and doc.published:
        return last <= doc.published  # "since Friday": Friday until publication
    if mention.precision >= 2 or first != last:
        # A named month or year may be coded as its first day; "earlier this month" may not.
        named_period = not mention.relative and first == last == m_first
        # "début juin", "late March": the days of that part, inside the month
        part = _PART_OF_PERIOD.match(fold(mention.surface)) and m_first <= first <= last <= m_last
        return (first, last) == (m_first, m_last) or named_period or bool(part)
    return m_first <= first <= m_last
