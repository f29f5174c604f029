"""What a figure means in its sentence: whose it is, what happened to them, whether the
article reports it (or projects, negates or supposes it), for this event or another,
and who gives it.

The fate is read from the clause structure, not from the nearest fate word: a fate word
either governs the figure after it ("killed 21 soldiers", "tuant 11 gendarmes",
"displaced more than 11,000") or the figures before it ("31 soldiers and three
auxiliaries were killed", "six morts", "deux enfants sont portés disparus"); another
fate word or a clause break in between stops it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from llm_extract.roles.clauses import compile_words, segment
from llm_extract.roles.figures.claimants import claimant_reach
from llm_extract.roles.figures.count_modality import modality_of
from llm_extract.roles.figures.count_side import read_side
from llm_extract.roles.figures.count_time import other_time
from llm_extract.roles.lexicon import (
    FATES,
    FILLER_BEFORE_FIGURE,
    GOVERN_ONLY,
    PART_WORDS,
)
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.grounding import Document

KILLED_LIKE = frozenset({"killed", "injured", "abducted", "captured", "missing"})


@dataclass(frozen=True)
class CountReading:
    """How the article uses one of its figures.

    `fates`: the CountCategory values the clause binds the figure to (empty when none);
    `other_fate`: a fate outside those (displaced, fled, freed, casualties...) when the
    clause binds it; `combined`: one figure for two fates ("killed and injured");
    `modality`: reported | projection | negated | hypothetical; `other_time`: the text
    ties the figure to another date, period or event; `side`: side_a | side_b |
    civilians | unknown; `victim_group`: the noun counted; `claimant`: who the article
    says gives it (the closest attribution), `claimants`: every attribution in reach,
    `governing`: those of them that give this figure (not a neighbouring one's);
    `other_time_kind`: "period" (a period or nationwide total, another attack) or
    "point" (another year or month: another time only if the incident is not then) or
    "prior" (an earlier story the text recalls: another unless the record is of it),
    "earlier" (told in the pluperfect: a toll of that earlier incident, which may be
    coded on its own)."""

    fates: frozenset[str]
    other_fate: str | None
    modality: str
    other_time: bool
    side: str
    victim_group: str | None
    claimant: str | None
    claimants: tuple[str, ...] = ()
    combined: bool = False
    cue: str | None = None
    governing: tuple[str, ...] = ()
    other_time_kind: str | None = None

    @property
    def is_toll(self) -> bool:
        """A toll of this event: reported, not tied to another time, not another fate."""
        timely = not self.other_time or self.other_time_kind == "earlier"
        return self.modality == "reported" and timely and not self.other_fate


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    fate: str  # a CountCategory value or another fate ("displaced", "freed", ...)
    governs_after: bool


_FATE_PATTERNS = {fate: compile_words(*stems) for fate, stems in FATES.items()}
# An auxiliary, maybe with an adverb: "were (reportedly) killed"; "Troops reportedly
# killed six" is active.
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|be|is|are|got|ete|sont|est|etaient|etait|fut|furent"
    r"|seront|sera)\s+(?:(?:reportedly|allegedly|later|also|egalement|aussi)\s+)?$"
)
_GOVERN_GAP = re.compile(r"^[\s\"'\u00ab\u00bb]*" + FILLER_BEFORE_FIGURE + r"$")
_COORDINATION = re.compile(r"^[\s\w'\-\"\u00ab\u00bb.]*$")
_STOP_BETWEEN = re.compile(
    r"[;:()]|\b(?:but|mais|while|whereas|tandis|alors|after|apres|before|avant|when|lorsqu"
    r"|quand|since|depuis|because|parce|who|which|qui|that)\b"
)
# An insert between a figure and its verb: "up to 30 civilians, including 16 members
# of one family who were returning home, lost their lives".
_INSERT = re.compile(
    rf"^\s*,\s*(?:{PART_WORDS}|among whom"
    r"|notamment|mostly|mainly|most of them|for the most part|majoritairement|pour la plupart"
    r"|en majorite|essentiellement)\b[^;:()]{0,140}?,"
)
# An acronym in brackets, and an apposition set off by commas, inside the noun phrase.
_ACRONYM = re.compile(r"\s*\([^()\d]{1,60}\)")
_APPOSITION = re.compile(
    r",\s*(?:des|les|un|une|a|an|the|le|la|l')\s[^,;:()\d]{0,100}?,(?=\s*(?:who\s+|qui\s+)?"
    r"(?:were|was|have|has|had|are|ont|sont|a|avaient|etaient|se\s|s')\b)"
)
_RELATIVE_PASSIVE = re.compile(
    r",?\s*(?:qui|who|that)\s+(?:ont ete|a ete|avaient ete|sont|were|was|had been|have been"
    r"|has been)\s*$"
)


@lru_cache(maxsize=64)
def _cues(doc_id: int, folded: str, left: int, right: int) -> tuple[_Cue, ...]:
    cues = []
    for fate, pattern in _FATE_PATTERNS.items():
        for m in pattern.finditer(folded, left, right):
            cues.append(_Cue(m.start(), m.end(), fate, False))
    cues.sort(key=lambda c: (c.start, -c.end))
    kept: list[_Cue] = []
    for cue in cues:  # one cue per word: the longest stem wins ("neutralis" both fates)
        if kept and cue.start < kept[-1].end:
            if cue.fate != kept[-1].fate and cue.start == kept[-1].start:
                kept.append(cue)
            continue
        kept.append(cue)
    return tuple(kept)


def _governs_after(folded: str, cue: _Cue, quantities: list[Quantity]) -> bool:
    """Whether the cue word governs a figure right after it ("killed 21", "tuant 11",
    "the deaths of 12", "displaced more than 11,000") rather than the ones before."""
    before = folded[max(0, cue.start - 20) : cue.start]
    word = folded[cue.start : cue.end]
    nxt = next((q for q in quantities if q.start >= cue.end), None)
    if nxt is None:
        return False
    gap = folded[cue.end : nxt.start]
    if _PASSIVE_BEFORE.search(before) and not word.endswith(("ing", "ant")):
        # "Cinq policiers ont été tués ainsi que huit talibans": the fate is theirs too
        also = _AS_WELL_AS.match(gap)
        return also is not None and bool(_GOVERN_GAP.match(gap[also.end() :]))
    return bool(_GOVERN_GAP.match(gap))


_AS_WELL_AS = re.compile(r"\s*,?\s*(?:ainsi que|as well as|along with|de meme que)\s+")


def read_count(doc: Document, q: Quantity) -> CountReading:
    """How the article uses the figure `q` (one of `doc.quantities`); read once, as the
    extractor and the verifier ask about the same figures many times."""
    return doc.memo(("read_count", q), lambda: _read_count(doc, q))


def _read_count(doc: Document, q: Quantity) -> CountReading:
    end = q.noun_end or q.end
    left, right = doc.sentence_bounds(q.start, end)
    folded = doc.folded
    bound, raw = _bound_cues(doc, q)
    if all(any(q.end <= x.start < c.start for x in doc.quantities) for c in bound):
        # nothing binds it before another figure's noun: "onze tués, à savoir cinq … et six
        # civils, et plusieurs blessées" (not "…, et 20 civils ont été blessés")
        bound = _whole_of_list(doc, q) or bound
    fates = frozenset(c.fate for c in bound if c.fate in KILLED_LIKE)
    others = [c.fate for c in bound if c.fate not in KILLED_LIKE]
    if not bound and (
        _AGENTS_BEFORE.search(folded, max(left, q.start - 40), q.start)
        or (q.noun_end is not None and _ATTACKERS_AFTER.match(folded, q.noun_end))
    ):  # "l'affrontement avec des centaines de terroristes", "five militants attacked"
        others = ["are a party's strength"]
    if not bound and (_PARTITIVE.match(folded, q.end) or _PARTITIVE.match(folded, end)):
        fates = _group_fates(doc, q)  # "Four of the victims", "Sept d'entre eux"
    elif not bound and q.noun is None and _ELLIPSIS.match(folded, q.end):
        fates = _group_fates(doc, q, same_sentence=True)  # "12 tués à X, cinq à Alep"
    elif not raw and _RIVAL_FIGURE.search(folded, max(left, q.start - 40), q.start):
        fates = _group_fates(doc, q)  # "D'autres sources évoquent le chiffre de 80"
    combined = _combined(bound)
    seg_left, seg_right = segment(doc, q.start, end, weak=True)
    modality = modality_of(folded, q, seg_left, seg_right)
    found, governing = claimant_reach(doc, q.start, end)
    victim, side = read_side(doc, q, left, right, found[0] if found else None)
    time = other_time(doc, q, left, right)
    return CountReading(
        fates=fates,
        other_fate=others[0] if others else None,
        modality=modality,
        other_time=time is not None,
        other_time_kind=time,
        side=side,
        victim_group=victim,
        claimant=found[0] if found else None,
        claimants=tuple(found),
        governing=tuple(found[:governing]),
        combined=combined,
        cue=folded[bound[0].start : bound[0].end] if bound else None,
    )


_PARTITIVE = re.compile(
    r"\s*(?:of (?:them|those|these)\b|d'entre (?:eux|elles)\b|parmi (?:eux|elles)\b"
    r"|among them\b|(?:of the|of those|des|parmi les|parmi ces|among the|au nombre des)\s+"
    r"(?:victims|dead|injured|wounded|casualties"
    r"|victimes|morts|blesses|tues)\b)"
)


# A figure the sentence gives only as a figure, with no fate of its own: another
# source's count of the group the sentence before reports ("others put the figure at 80").
_RIVAL_FIGURE = re.compile(
    r"\b(?:chiffre|figure|number|nombre|toll|bilan|tally|count|total)\s+(?:\w+\s+){0,2}?"
    r"(?:de|d'|at|a|of|to)\s*(?:\w+\s+){0,2}?$"
)
_ELLIPSIS = re.compile(r"\s+(?:a|in|at|au|dans)\s+\w")


def _group_fates(doc: Document, q: Quantity, same_sentence: bool = False) -> frozenset[str]:
    """The fate of the group a partitive figure is part of: that of the last figure
    with a fate in the two sentences before it; for a list's elliptical member, in
    its own sentence before it."""
    left, _ = doc.sentence_bounds(q.start, q.end)
    a, stop = left, q.start
    if not same_sentence:
        stop = left
        a, _ = doc.sentence_bounds(max(0, left - 2), max(0, left - 2))
        a, _ = doc.sentence_bounds(max(0, a - 2), max(0, a - 2))
    for x in reversed([x for x in doc.quantities if a <= x.start < stop]):
        found = frozenset(c.fate for c in _bound_cues(doc, x)[0] if c.fate in KILLED_LIKE)
        if found:
            return found
    return frozenset()


# A list of the parts of a figure before it: "à savoir cinq membres des FACA et six civils".
_PARTS_OF = re.compile(
    rf"\b(?:a savoir|namely|soit|c'est-a-dire|that is|i\.e\.|notamment|{PART_WORDS}"
    r"|among whom|parmi lesquelles)\s+"
    r"(?:[^.;:()]{0,80}?(?:,|\bet|\band)\s+)?(?:[^\s.;:()]+\s+){0,2}$"
)


_CLAUSE_WORD = re.compile(
    r"\b(?:que|qu'|when|while|whereas|but|mais|alors|tandis|which|who|qui|where|ou)\b"
)


def _whole_of_list(doc: Document, q: Quantity) -> list[_Cue] | None:
    """The fate cues of the whole a listed part belongs to: the figure right before
    the list's cue word, in the same sentence, with a fate of its own."""
    left, _ = doc.sentence_bounds(q.start, q.end)
    m = _PARTS_OF.search(doc.folded, max(left, q.start - 120), q.start)
    if m is None or _CLAUSE_WORD.search(doc.folded, m.start(), q.start):
        return None
    if any(m.start() <= c.start < q.start for c in _cues(id(doc), doc.folded, left, q.start)):
        return None  # "tuant sept civils, dont trois femmes, et enlevant une douzaine"
    for x in reversed([x for x in doc.quantities if left <= x.start and x.end <= m.start()]):
        found, _ = _bound_cues(doc, x)
        if found:
            return found
    return None


def _bound_cues(doc: Document, q: Quantity) -> tuple[list[_Cue], tuple[_Cue, ...]]:
    """The fate cues the clause binds `q` to, and every fate cue of its sentence."""
    end = q.noun_end or q.end
    left, right = doc.sentence_bounds(q.start, end)
    inside = [x for x in doc.quantities if left <= x.start and x.end <= right]
    raw = _cues(id(doc), doc.folded, left, right)
    cues = [_Cue(c.start, c.end, c.fate, _governs_after(doc.folded, c, inside)) for c in raw]
    return _bind(doc.folded, q, end, cues, inside), raw


def _bind(
    folded: str, q: Quantity, end: int, cues: list[_Cue], quantities: list[Quantity]
) -> list[_Cue]:
    """The fate cue(s) the clause binds `q` to: the closest one that reaches it."""
    own = [c for c in cues if q.end <= c.start and c.end <= end + 1]
    if own:  # the counted noun is the fate: "six morts", "18 blessés", "15 deaths"
        return own[:1] + _joined(folded, own[0], cues)
    if number_of := _NUMBER_OF.search(folded, max(0, q.start - 90), q.start):
        # "le nombre des déplacés dépasse 6.800": the figure counts that noun's fate
        named = [c for c in cues if number_of.start("noun") <= c.start < number_of.end("noun")]
        if named:
            return named[:1]
    options: list[tuple[int, _Cue]] = []
    before = [c for c in cues if c.end <= q.start]
    after = [c for c in cues if c.start >= end]
    if before:  # "killed 21 soldiers", "killing five soldiers and three civilians"
        cue = before[-1]
        gap = folded[cue.end : q.start]
        agents = _AGENTS_BEFORE.search(gap)
        if cue.governs_after and not _STOP_BETWEEN.search(gap) and len(gap) <= 90 and not agents:
            options.append((len(gap), cue))
    if after:  # "31 soldiers and three auxiliaries were killed", "six morts"
        cue = after[0]
        gap = _INSERT.sub(" ", folded[end : cue.start])  # ", including 16 children, died"
        gap = _APPOSITION.sub(" ", _ACRONYM.sub(" ", gap))  # "(VDP), des supplétifs …, ont été"
        gap = _RELATIVE_PASSIVE.sub(" ", gap)  # "60 personnes, …, qui ont été enlevées"
        figures_between = [x for x in quantities if end <= x.start and x.end <= cue.start]
        # "avec des centaines de terroristes ... a fait huit blessés": huit's own noun
        owned = any(cue.end <= (x.noun_end or x.end) + 1 for x in figures_between)
        listed = bool(figures_between) and _LISTED.fullmatch(folded, end, figures_between[0].start)
        passive = _PASSIVE_BEFORE.search(folded, max(0, cue.start - 20), cue.start)
        reaches = not cue.governs_after or not _nearest_governed(cue, quantities) or passive
        reaches = reaches and folded[cue.start : cue.end] not in GOVERN_ONLY
        reaches = reaches and (not owned or listed)
        coordinated = not figures_between or _COORDINATION.match(gap)
        if reaches and coordinated and not _STOP_BETWEEN.search(gap) and len(gap) <= 90:
            options.append((len(gap) + (15 if figures_between else 0), cue))
    if not options:
        return []
    options.sort(key=lambda o: o[0])
    best = options[0][1]
    twins = [c for c in cues if c.start == best.start]
    return twins + _joined(folded, best, cues)


# "the number of displaced exceeds 6,800", "le nombre des déplacés dépasse 6.800"
_NUMBER_OF = re.compile(
    r"\b(?:number|nombre|total|chiffre)\s+(?:of|de|des|du|d')\s*(?:the\s+|les\s+)?"
    r"(?P<noun>[\w']+(?:\s+[\w']+)?)\s+(?:a\s+|has\s+|have\s+|had\s+)?(?:depasse\w*"
    r"|atteint|atteignait|s'eleve\w*\s+a|est\s+de|etait\s+de|passe\w*\s+a|exceeds?|exceeded"
    r"|reached|reaches|rose\s+to|risen\s+to|stands?\s+at|stood\s+at|is|was)"
    r"\s+(?:plus\s+de\s+|more\s+than\s+|over\s+|about\s+|some\s+|environ\s+|pres\s+de\s+"
    r"|at\s+least\s+|au\s+moins\s+)?$"
)
# "blessés dans l'affrontement avec des « centaines de terroristes »", "killed by some 30
# gunmen": the figure after is the other party's strength, not the fate's ("along with
# five others" is a list)
_AGENTS_BEFORE = re.compile(
    r"(?<!along )(?<!together )\b(?:avec|with|contre|against|par|by)\s+(?:(?:des|les|some"
    r"|around|about|plus de|more than|an estimated)\s+|[\"\u00ab\u00bb]\s*)*$"
)
# "At least five militants attacked the shrine", "200 assaillants ont pris d'assaut":
# the figure is how many attacked.
_ATTACKERS_AFTER = re.compile(
    r"\s*(?:(?:armed with|armes de|on|a bord de|aboard)\s+[^,;.]{0,40}?\s*)?(?:,\s*)?"
    r"(?:who\s+|qui\s+|then\s+|had\s+|have\s+|ont\s+|avaient\s+)?(?:attacked|stormed|raided"
    r"|ambushed|opened fire|crossed|launched|invaded|overran|attaqu|pris d'assaut|fait irruption"
    r"|tendu une embuscade|ouvert le feu|envahi)"
)
# A figure whose noun phrase ends a list item before the next figure: "12 morts et 8 blessés"
_LISTED = re.compile(r"\s*(?:,|et|and|ou|or)\s*")


def _nearest_governed(cue: _Cue, quantities: list[Quantity]) -> bool:
    """A governing cue after `q` belongs to the figure after it, not to `q`."""
    return any(x.start >= cue.end for x in quantities)


def _joined(folded: str, cue: _Cue, cues: list[_Cue]) -> list[_Cue]:
    """Fates joined to `cue` by "and"/"or" ("killed and injured", "morts ou blessés")."""
    out = []
    for other in cues:
        if other.start >= cue.end:
            gap = folded[cue.end : other.start]
            if re.fullmatch(
                r"\s+(?:and|or|et|ou|and/or|et/ou)\s+(?:(?:were|was|are|got|been|then|later"
                r"|sont|ont ete|a ete|puis)\s+){0,2}",
                gap,
            ):
                out.append(other)
            break
    return out


def _combined(bound: list[_Cue]) -> bool:
    """One figure for killed and another fate ("20 killed and injured"): a combined
    total. Fates that can befall the same people ("injured and held") are not."""
    fates = {c.fate for c in bound}
    if len(fates) < 2 or all(c.start == bound[0].start for c in bound):
        return False
    return "killed" in fates or "freed" in fates
