"""Grounding names of places, actors and people in an article.

A name is supported when the article has it after folding (case, diacritics,
apostrophes, hyphens, spacing), through an alias group (FAMa / Malian Armed Forces),
as an acronym of a phrase the article spells out (or the reverse), or as a close
spelling variant (Sandere / Sandaré, Gogoui / Gogui). Anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib.resources import files
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from llm_extract.core.verification import Alignment
from llm_extract.text.fold import WORD_PATTERN, fold, name_key, word_pattern, words

NAME_FUZZY_MIN = 85.0
"""Minimum ratio (0-100) for a spelling variant; see bench/verify.py for the choice."""
FUZZY_MIN_CHARS = 5  # shorter names must match exactly: Gao/Gogui, Kati/Kayes
ACRONYM_STOPWORDS = {"of", "the", "for", "and", "de", "des", "du", "la", "le", "l", "et",
                     "al", "wal", "wa", "ul", "aux", "a", "in", "pour", "par", "sur", "dans",
                     "en", "au", "with", "by", "on", "to", "at", "from", "d"}  # fmt: skip
ALIASES_ENV = "LLM_EXTRACT_ALIASES"


@dataclass(frozen=True)
class NameMatch:
    start: int  # cleaned-text offsets of the matched mention
    end: int
    alignment: Alignment  # exact | normalized | alias | acronym | fuzzy
    matched: str
    score: float = 100.0


@dataclass
class AliasTable:
    """Folded name -> the folded names of its group; and each kind's groups as written,
    in table order, which is what the grounded strategy offers as candidates."""

    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    by_kind: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    actor_types: dict[str, int] = field(default_factory=dict)

    def add_group(
        self, names: Iterable[str], kind: str | None = None, actor_type: int | None = None
    ) -> None:
        names = tuple(names)
        if kind is not None:
            self.by_kind.setdefault(kind, []).append(names)
        if actor_type is not None:
            self.actor_types.update((name_key(n), actor_type) for n in names)
        folded = frozenset(name_key(n) for n in names if words(n))
        merged = set(folded)
        for name in folded:
            merged |= self.groups.get(name, frozenset())
        for name in merged:
            self.groups[name] = frozenset(merged)
        self.__dict__.pop("fingerprint", None)

    @cached_property
    def fingerprint(self) -> str:
        """Changes when any group does: part of the key of cached verification reports."""
        groups = sorted({" / ".join(sorted(g)) for g in self.groups.values()})
        return hashlib.sha256("\n".join(groups).encode("utf-8")).hexdigest()[:16]

    def aliases(self, name: str) -> frozenset[str]:
        return self.groups.get(name_key(name), frozenset())

    def same(self, a: str, b: str) -> bool:
        """One name, or two names of one group."""
        return name_key(a) == name_key(b) or name_key(b) in self.aliases(a)

    def actor_type(self, name: str) -> int | None:
        """The ACLED actor type the table gives the name's group, if any."""
        return self.actor_types.get(name_key(name))

    def names_of(self, kind: str) -> tuple[tuple[str, ...], ...]:
        """The groups of one kind ("actor", "place") as the tables write them."""
        return tuple(self.by_kind.get(kind, ()))

    @classmethod
    def load(cls, *extra: Path, kind: str | None = None) -> AliasTable:
        """The built-in table, then `extra` files, then $LLM_EXTRACT_ALIASES; with `kind`,
        only that kind's groups (a group with no kind counts as every kind)."""
        table = cls()
        for group in alias_groups(*extra):
            if kind is None or group.get("kind", kind) == kind:
                table.add_group(group["names"], group.get("kind"), group.get("actor_type"))
        return table


def alias_groups(*extra: Path) -> list[dict[str, object]]:
    """Every alias group of the built-in table, `extra` files and $LLM_EXTRACT_ALIASES:
    the one reader of alias files."""
    sources = [files("llm_extract") / "data" / "aliases.json", *extra]
    if env := os.environ.get(ALIASES_ENV):
        sources.append(Path(env))
    found: list[dict[str, object]] = []
    for source in sources:
        data = json.loads(source.read_text(encoding="utf-8"))
        found += data.get("groups", [])
    return found


@cache
def default_aliases() -> AliasTable:
    return AliasTable.load()


def find_name(
    text: str, name: str, aliases: AliasTable | None = None, *, loose: bool = True
) -> NameMatch | None:
    """The first mention in `text` (cleaned) that supports `name`, or None.

    `loose=False` skips acronym and spelling-variant matching (for short passages)."""
    folded_text = fold(text)
    target = name_key(name)
    if not target:
        return None
    vocabulary = _vocabulary(folded_text)
    if _may_occur(target, vocabulary) and (found := _search(folded_text, target)):
        exact = text[found[0] : found[1]] == name
        return NameMatch(*found, "exact" if exact else "normalized", text[found[0] : found[1]])
    group = {
        a
        for a in (aliases or default_aliases()).aliases(name) - {target}
        if _may_occur(a, vocabulary)
    }
    if group and (found := _group_pattern(frozenset(group)).search(folded_text)):
        return NameMatch(found.start(), found.end(), "alias", text[found.start() : found.end()])
    if not loose:
        return None
    if found := _acronym(text, folded_text, name):
        return found
    return _fuzzy(text, folded_text, target)


@lru_cache(maxsize=32)
def _vocabulary(folded_text: str) -> frozenset[str]:
    """The text's words: a name with a word the text lacks needs no regex search."""
    return frozenset(re.findall(r"[a-z0-9]+", folded_text))


def _may_occur(folded_name: str, vocabulary: frozenset[str]) -> bool:
    return all(part in vocabulary for part in re.findall(r"[a-z0-9]+", folded_name))


@lru_cache(maxsize=512)
def _group_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """One regex for a whole alias group: one pass over the text instead of one per name."""
    bodies = [p.pattern for n in sorted(names, key=len, reverse=True) if (p := word_pattern(n))]
    return re.compile("|".join(f"(?:{body})" for body in bodies))


def _search(folded_text: str, folded_name: str) -> tuple[int, int] | None:
    pattern = word_pattern(folded_name)
    found = pattern.search(folded_text) if pattern else None
    return (found.start(), found.end()) if found else None


def _initials(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t not in ACRONYM_STOPWORDS)


_WORD_SPLIT = re.compile(f"({WORD_PATTERN})")


class _Words(NamedTuple):
    """The folded text's words (as `words` reads them), their offsets and first letters."""

    tokens: list[str]
    starts: list[int]
    ends: list[int]
    initials: str  # initials[i] is tokens[i][0]


@lru_cache(maxsize=32)
def _text_words(folded_text: str) -> _Words:
    """One split into gap, word, gap, ... and a running sum of their lengths: the offsets
    come out of C, not out of one Python step per word."""
    parts = _WORD_SPLIT.split(folded_text)
    bounds = list(accumulate(map(len, parts)))
    tokens = parts[1::2]
    return _Words(tokens, bounds[0:-1:2], bounds[1::2], "".join(map(itemgetter(0), tokens)))


def _starting_with(found: _Words, letter: str) -> list[int]:
    """Indexes of the words whose first letter is `letter`, in text order."""
    return [m.start() for m in re.finditer(re.escape(letter), found.initials)]


def _acronym(text: str, folded_text: str, name: str) -> NameMatch | None:
    """FAMa <-> Forces Armées Maliennes: an acronym matches a spelled-out phrase whose
    capitalised words give its letters, and a phrase matches its acronym in capitals."""
    compact = re.sub(r"[\s.\-]", "", name)
    if compact.isalpha() and 2 <= len(compact) <= 8 and sum(c.isupper() for c in compact) >= 2:
        acronym = compact.lower()
        found = _text_words(folded_text)
        for i in _starting_with(found, acronym[0]):
            start = found.starts[i]
            if not text[start].isupper():
                continue
            tokens: list[str] = []
            for j in range(i, min(i + len(acronym) + 4, len(found.tokens))):
                tokens.append(found.tokens[j])
                letters = _initials(tokens)
                if letters == acronym and text[found.starts[j]].isupper():
                    end = found.ends[j]
                    return NameMatch(start, end, "acronym", text[start:end])
                if not acronym.startswith(letters):
                    break
        return None
    initials = _initials(words(name))
    if len(words(name)) >= 2 and len(initials) >= 2:
        found = re.search(rf"(?<![a-z0-9]){re.escape(initials)}(?![a-z0-9])", folded_text)
        if found and text[found.start() : found.end()].isupper():
            start, end = found.span()
            return NameMatch(start, end, "acronym", text[start:end])
    return None


@lru_cache(maxsize=256)
def _phrases_starting_with(folded_text: str, size: int, letter: str) -> tuple[list[str], list[int]]:
    """Runs of `size` words whose first letter is `letter`, in text order, and the index
    of each one's first word: the fuzzy candidates."""
    found = _text_words(folded_text)
    firsts = [i for i in _starting_with(found, letter) if i + size <= len(found.tokens)]
    if size == 1:
        return [found.tokens[i] for i in firsts], firsts
    return [" ".join(found.tokens[i : i + size]) for i in firsts], firsts


def _fuzzy(text: str, folded_text: str, target: str) -> NameMatch | None:
    """A close spelling of the same length in words, starting with the same letter."""
    if len(target.replace(" ", "")) < FUZZY_MIN_CHARS:
        return None
    size = target.count(" ") + 1
    phrases, firsts = _phrases_starting_with(folded_text, size, target[0])
    # An Indel ratio is at most 200 * shorter / (sum of the lengths): a phrase too long or
    # too short for the cutoff cannot win. Ties go to the first phrase in text order.
    n = len(target)
    reachable = [
        p for p in dict.fromkeys(phrases) if 200 * min(n, len(p)) >= NAME_FUZZY_MIN * (n + len(p))
    ]
    best = process.extractOne(target, reachable, scorer=fuzz.ratio, score_cutoff=NAME_FUZZY_MIN)
    if best is None:
        return None
    found, first = _text_words(folded_text), firsts[phrases.index(best[0])]
    start, end = found.starts[first], found.ends[first + size - 1]
    return NameMatch(start, end, "fuzzy", text[start:end], round(best[1], 1))
