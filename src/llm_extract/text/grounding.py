"""Checking one value against an article: is it there, where, and if not, why not.

Each check returns a Check (verdict, reason, cleaned-text span); the pipeline's
verifier turns them into report entries with offsets in the user's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from llm_extract.core.verification import Alignment, Span, VerdictLabel
from llm_extract.text.dates import DateMention, find_dates, latest_year
from llm_extract.text.fold import fold, words
from llm_extract.text.names import AliasTable, default_aliases, find_name
from llm_extract.text.numbers import Quantity, find_quantities, parse_quantity
from llm_extract.text.prepare import PreparedText, prepare
from llm_extract.text.quotes import align_quote

# Words near a number that say what happened to the people counted (EN and FR).
CATEGORY_CUES: dict[str, tuple[str, ...]] = {
    "killed": ("kill", "dead", "death", "died", "die ", "slain", "neutrali", "eliminat",
               "massacre", "execut", "toll", "lives", "tue", "mort", "abattu", "deces",
               "perdu la vie"),
    "injured": ("wound", "injur", "hurt", "casualt", "blesse", "bless"),
    "abducted": ("abduct", "kidnap", "hostage", "taken captive", "enlev", "otage", "rapt"),
    "captured": ("captur", "arrest", "detain", "taken prisoner", "apprehend", "neutrali",
                 "surrender", "interpell", "arret", "prisonnier"),
    "missing": ("missing", "disappear", "unaccounted", "disparu"),
}  # fmt: skip
# Kinds of people, so that "80 soldiers" is not support for "80 militants".
VICTIM_CLASSES: dict[str, tuple[str, ...]] = {
    "armed": ("militant", "fighter", "jihadist", "terrorist", "insurgent", "assailant",
              "attacker", "rebel", "gunm", "extremist", "islamist", "combatant", "bandit",
              "djihadiste", "terroriste", "assaillant", "combattant", "insurge", "rebelle",
              "element", "jnim", "issp", "iswap", "gsim", "eigs", "boko", "group member",
              "shebab", "shabab", "hommes armes", "individus armes", "armed men", "kidnapper",
              "ravisseur", "suspect"),
    "forces": ("soldier", "troop", "servicem", "military personnel", "officer", "gendarme",
               "police", "army", "guard", "soldat", "militaire", "policier", "fama", "force",
               "vdp", "volunteer", "volontaire", "militiam", "milicien", "dozo", "douanier",
               "customs", "commando", "paratroop", "marine", "airm", "pilot", "recruit"),
    "civilians": ("civilian", "villager", "resident", "worker", "passenger", "child", "women",
                  "woman", "men ", "farmer", "herder", "student", "worshipper", "civil",
                  "habitant", "villageois", "enfant", "femme", "trader", "merchant",
                  "shopkeeper", "commercant", "driver", "chauffeur", "teacher", "enseignant",
                  "pupil", "eleve", "miner", "orpailleur", "cultivateur", "eleveur",
                  "agriculteur", "fisherm", "pecheur", "displaced", "deplace", "refugee",
                  "refugie", "pilgrim", "pelerin", "fidele", "traveller", "traveler",
                  "voyageur", "nurse", "doctor", "medecin", "aid worker", "humanitarian",
                  "humanitaire", "journalist", "journaliste", "chief", "chef", "imam",
                  "priest", "pretre", "elder", "notable", "mayor", "maire", "girl", "boy",
                  "fille", "garcon", "hostage", "otage"),
}  # fmt: skip
GENERIC_PEOPLE = ("people", "person", "individual", "personne", "gens", "victim")
_QUALIFIER_FAMILY = {
    "exact": {"exact"},
    "at_least": {"at_least"},
    "at_most": {"at_most"},
    "approximate": {"approximate", "vague"},
    "vague": {"vague", "approximate"},
    "range": {"range"},
}
CUE_WINDOW = 140
"""Characters between a quantity and the word that says what happened to those counted."""
CLAUSE_PENALTY = 60
"""A cue across "and" / a comma likely belongs to the neighbouring clause's figure."""
_CLAUSE_BREAK = re.compile(r",|;|\b(?:and|et|but|mais|while|whereas|alors que)\b")
# Each cue is a stem; the match runs to the end of its word, so "killed 32" and
# "32 killed" are equally close.
_CUE_PATTERNS = {
    name: re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, cues)) + r")[a-z']*")
    for name, cues in CATEGORY_CUES.items()
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


@dataclass(frozen=True)
class Check:
    verdict: VerdictLabel
    reason: str
    start: int | None = None  # cleaned-text span
    end: int | None = None
    alignment: Alignment | None = None
    score: float | None = None


@dataclass
class Document:
    """An article prepared once for many checks."""

    prepared: PreparedText
    published: date | None = None
    aliases: AliasTable = field(default_factory=default_aliases)

    @classmethod
    def from_text(cls, original: str, published: date | None = None,
                  aliases: AliasTable | None = None) -> Document:  # fmt: skip
        return cls(prepare(original), published, aliases or default_aliases())

    @property
    def text(self) -> str:
        return self.prepared.text

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

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
        left = max((m.end() for m in _SENTENCE_END.finditer(self.text, 0, start)), default=0)
        right = _SENTENCE_END.search(self.text, end)
        return left, right.start() if right else len(self.text)


def check_quote(doc: Document, quote: str, value: str | None = None) -> Check:
    match = align_quote(doc.text, quote)
    if match is None:
        return Check("unsupported", "quote not found in the article")
    if match.alignment == "fuzzy":  # located, but a quote must be the article's own words
        return Check("unsupported", f"not verbatim: the nearest passage differs (similarity "
                     f"{match.score:g})", match.start, match.end, "fuzzy", match.score)  # fmt: skip
    if value is not None and not _quote_mentions(doc, doc.text[match.start : match.end], value):
        return Check(
            "unsupported",
            f"quote found ({match.alignment}) but it does not mention {value!r}",
            match.start, match.end, match.alignment, match.score,  # type: ignore[arg-type]
        )  # fmt: skip
    reason = "found verbatim" if match.alignment == "exact" else f"found ({match.alignment})"
    return Check("supported", reason, match.start, match.end, match.alignment,  # type: ignore[arg-type]
                 match.score)  # fmt: skip


def _quote_mentions(doc: Document, passage: str, value: str) -> bool:
    if find_name(passage, value, doc.aliases, loose=False) is not None:
        return True
    wanted = parse_quantity(value)
    if wanted is None or wanted.best is None:
        return False
    return any(q.best == wanted.best or wanted.best in (q.low, q.high)
               for q in _quantities_in(passage))  # fmt: skip


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
    if not looks_like_a_name(name):
        return Check("unsupported", f"{name!r} reads as a phrase, not a name")
    match = find_name(doc.text, name, doc.aliases)
    if match is None:
        return Check("unsupported", f"{name!r} is not named in the article, in any known form")
    how = {
        "exact": "named verbatim",
        "normalized": f"named as {match.matched!r}",
        "alias": f"named as {match.matched!r} (alias)",
        "acronym": f"named as {match.matched!r} (acronym)",
        "fuzzy": f"named as {match.matched!r} (spelling variant, {match.score:g})",
    }[match.alignment]
    return Check("supported", how, match.start, match.end, match.alignment,  # type: ignore[arg-type]
                 match.score)  # fmt: skip


def check_count(
    doc: Document,
    *,
    category: str,
    victim_group: str,
    surface: str,
    qualifier: str,
    low: int | None,
    best: int | None,
    high: int | None,
) -> Check:
    """Supported when one quantity in the text has the same figure (or, for "several",
    the same words), a compatible qualifier, counts people of the same kind, and sits in
    a sentence with a word for the category."""
    if best is None and low is None and high is None:
        wanted = words(surface)
        candidates = [q for q in doc.quantities if q.best is None and words(q.surface) == wanted]
        missing = f"the article never says {surface!r}"
    else:
        candidates = [q for q in doc.quantities if _same_figure(q, low, best, high)]
        figure = best if best is not None else (low if low is not None else high)
        missing = f"the article gives no figure {figure}"
    if not candidates:
        return Check("unsupported", missing)
    problems = []
    for q in candidates:
        problem = _count_problem(doc, q, category, victim_group, qualifier)
        if problem is None:
            return Check("supported", f"the article says {q.surface!r}", q.start,
                         q.noun_end or q.end, "exact")  # fmt: skip
        problems.append(problem)
    return Check("unsupported", problems[0], candidates[0].start, candidates[0].end)


def _same_figure(q: Quantity, low: int | None, best: int | None, high: int | None) -> bool:
    if best is not None and best in (q.best, q.low, q.high):
        return True
    return low is not None and high is not None and (low, high) == (q.low, q.high)


def _count_problem(doc: Document, q: Quantity, category: str, victims: str,
                   qualifier: str) -> str | None:  # fmt: skip
    if q.is_count_of_people is False:
        return f"{q.surface!r} counts {q.noun or 'something'}, not people"
    if qualifier not in _QUALIFIER_FAMILY.get(q.qualifier, {q.qualifier}):
        return f"the article says {q.surface!r} ({q.qualifier}), not {qualifier}"
    claimed, found = _victim_class(victims), _victim_class(q.noun or "")
    if claimed and found and claimed != found:
        return f"{q.surface!r} counts {q.noun}, not {victims}"
    nearest = _nearest_categories(doc, q)
    if not nearest:
        return f"nothing near {q.surface!r} says what happened to them"
    if category not in nearest:
        return f"the word nearest {q.surface!r} says {' or '.join(sorted(nearest))}, not {category}"
    return None


def _nearest_categories(doc: Document, q: Quantity) -> set[str]:
    """The categories whose cue word is closest to the quantity in its sentence:
    "32 soldiers killed, three captured" gives captured for "three", killed for 32."""
    end = q.noun_end or q.end
    left, right = doc.sentence_bounds(q.start, end)
    best: dict[str, int] = {}
    folded = doc.folded
    for name, pattern in _CUE_PATTERNS.items():
        for found in pattern.finditer(folded, left, right):
            start, stop = found.span()
            between = folded[stop : q.start] if stop <= q.start else folded[end:start]
            gap = len(between) + (CLAUSE_PENALTY if _CLAUSE_BREAK.search(between) else 0)
            if gap <= CUE_WINDOW:
                best[name] = min(best.get(name, gap), gap)
    if not best:
        return set()
    closest = min(best.values())
    return {name for name, gap in best.items() if gap == closest}


def _victim_class(noun: str) -> str | None:
    folded = " ".join(words(noun)) + " "
    if any(g in folded for g in GENERIC_PEOPLE):
        return None
    hits = [name for name, stems in VICTIM_CLASSES.items() if any(s in folded for s in stems)]
    return hits[0] if len(hits) == 1 else None


def check_date(doc: Document, start: date | None, end: date | None, text: str = "") -> Check:
    """Supported when one mention in the article spans exactly the claimed days (or
    contains the claimed day), and the record's own date words, if they parse, agree."""
    if start is None and end is None:
        return Check("unverifiable", "the record gives no calendar date to check")
    first = start or end
    last = end or start
    assert first is not None and last is not None
    if text and (own := _own_reading(doc, text)) and own != (first, last):
        return Check("unsupported", f"the record's own words {text!r} mean "
                     f"{own[0]}..{own[1]}, not {first}..{last}")  # fmt: skip
    for mention in doc.dates:
        if _supports(mention, first, last, doc.latest_year):
            how = (
                "resolved"
                if mention.relative
                else ("exact" if mention.year_stated else "normalized")
            )
            note = "" if mention.year_stated or mention.relative else " (year not stated)"
            return Check("supported", f"the article says {mention.surface!r}{note}",
                         mention.start, mention.end, how)  # type: ignore[arg-type]  # fmt: skip
    unresolved = [m.surface for m in doc.dates if m.first is None]
    if unresolved and doc.published is None:
        names = ", ".join(repr(s) for s in unresolved[:2])
        return Check("unverifiable", f"the article's {names} needs a publication date to "
                     "resolve")  # fmt: skip
    return Check("unsupported", f"the article gives no date matching {first}..{last}")


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


def _supports(mention: DateMention, first: date, last: date, latest: int | None) -> bool:
    if mention.first is None or mention.last is None:
        return False
    m_first, m_last = mention.first, mention.last
    if not mention.year_stated:
        if latest is not None and first.year < latest:
            return False
        m_first, m_last = m_first.replace(year=first.year), m_last.replace(year=last.year)
    if mention.precision >= 2 or first != last:
        # A named month or year may be coded as its first day; "earlier this month" may not.
        named_period = not mention.relative and first == last == m_first
        return (first, last) == (m_first, m_last) or named_period
    return m_first <= first <= m_last
