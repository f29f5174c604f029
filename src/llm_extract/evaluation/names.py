"""Rule 2 of the evaluator (evaluation/records.py): when two names of places, actors or
sources are one name."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from llm_extract.text.fold import name_key, words
from llm_extract.text.forces import same_force
from llm_extract.text.names import AliasTable, find_name

FILLER = frozenset({"the", "a", "of", "de", "des", "du", "d", "la", "le", "les", "l",
                    "town", "city", "village", "region", "province", "district", "area",
                    "commune", "cercle", "locality"})  # fmt: skip
PARTY_NOUNS = frozenset({"fighters", "combattants", "militants", "militiamen", "militia",
                         "militias", "milice", "milices", "mercenaries", "mercenaires",
                         "members", "membres", "group", "groups", "groupe", "groupes",
                         "rebels", "rebelles", "elements", "jihadists", "djihadistes"})  # fmt: skip
"""What a party's name may carry beside its proper name: "Wagner mercenaries", "rebelles
du M23" and "ISIS militants" name Wagner, the M23 and ISIS."""


class NameMatcher:
    """Name equivalence (rule 2), symmetric and cached."""

    def __init__(self, aliases: AliasTable) -> None:
        self.aliases = aliases
        self._cache: dict[tuple[str, str, str | None], bool] = {}

    def same(self, a: str, b: str, country: str | None = None) -> bool:
        """`country`: the ISO code of where the incident happened, whose force a name
        without a country ("the army") is."""
        key = (a, b, country) if a <= b else (b, a, country)
        if key not in self._cache:
            self._cache[key] = self._same(*key)
        return self._cache[key]

    def within(self, country: str | None) -> Callable[[str, str], bool]:
        """`same`, for the names of an incident in `country`."""
        return functools.partial(self.same, country=country)

    def _same(self, a: str, b: str, country: str | None) -> bool:
        for name, other in ((a, b), (b, a)):  # "New People's Army (NPA)": either form
            written = _WITH_ACRONYM.fullmatch(name.strip())
            if written and (
                self.same(written["long"], other, country)
                or self.same(written["short"], other, country)
            ):
                return True
        key_a, key_b = _name_key(a), _name_key(b)
        if not key_a or not key_b:
            return False
        if key_a == key_b:
            return True
        if name_key(b) in self.aliases.aliases(a) or same_force(a, b, self.aliases, country):
            return True
        return self._inside(a, b) or self._inside(b, a)

    def _inside(self, text: str, name: str) -> bool:
        found = find_name(text, name, self.aliases)
        if found is None:
            return False
        rest = words(text[: found.start] + " " + text[found.end :])
        return all(word in FILLER or word in PARTY_NOUNS for word in rest)


_WITH_ACRONYM = re.compile(r"(?P<long>[^()]+?)\s*\((?P<short>[^()]+)\)")


def _name_key(name: str) -> str:
    tokens = words(name)
    kept = [t for t in tokens if t not in FILLER]
    return " ".join(kept or tokens)


def distinct_names(names: Iterable[str]) -> list[str]:
    """One entry per folded name: a name listed twice is one fact, not two."""
    return list({_name_key(n) or n: n for n in sorted(names)}.values())
