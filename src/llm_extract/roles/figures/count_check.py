"""A count checked against its clause: the figure the text gives (inside the record's
quote when it is the article's), bound to the category's fate, reported (not projected,
negated or supposed), for this incident's time, of the same side, from whoever the
record says gives it."""

from __future__ import annotations

import re
from datetime import date

from llm_extract.roles.actors import ATTACKER, TARGET, actor_roles
from llm_extract.roles.clauses import mentions, previous_sentences, quote_span
from llm_extract.roles.figures.claimant_check import GENERIC_WORDS, claimant_problem
from llm_extract.roles.figures.count_modality import REPORTED
from llm_extract.roles.figures.count_time import period_in
from llm_extract.roles.figures.counts import read_count
from llm_extract.roles.lexicon import FATES, PART_WORDS
from llm_extract.roles.when import dated_as, other_day
from llm_extract.text.figures.counts import (
    QUALIFIER_FAMILY,
    VICTIM_CLASSES,
    counted_class,
    nearest_categories,
    victim_class,
)
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import word_pattern, words
from llm_extract.text.grounding import Check, Document

_AMBIGUOUS_NOUNS = {"elements", "element", "men", "members", "hommes", "personnel",
                    "fighters", "combattants", "fighter", "combattant",
                    "people", "persons", "others", "autres", "individus", "individuals"}  # fmt: skip  # noqa: E501


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
    side: str = "unknown",
    attributed_to: str = "the article",
    quote: str | None = None,
    when: tuple[date | None, date | None] = (None, None),
    **_: object,
) -> Check:
    """Supported when one figure of the text, inside the quote when the quote is the
    article's, is bound in its clause to the category's fate, is reported (not
    projected, negated or supposed), is not tied to another time or event, counts the
    same side, and is given by whoever `attributed_to` names."""
    if best is None and low is None and high is None:
        wanted = _vague_words(surface)
        candidates = [
            q for q in doc.quantities if q.best is None and _vague_words(q.surface) == wanted
        ]
        missing = f"the article never says {surface!r}"
    else:
        candidates = [q for q in doc.quantities if _same_figure(q, low, best, high)]
        if best == 1 and low in (None, 1):
            candidates += _singulars(doc, surface, victim_group, quote_span(doc, quote))
        missing = f"the article gives no figure {best if best is not None else low or high}"
    span = quote_span(doc, quote)
    if span:
        a, b = doc.sentence_bounds(*span)
        inside = [q for q in candidates if a <= q.start and q.end <= b]
        quoted = [q for q in inside if span[0] <= q.start and q.end <= span[1]]
        candidates = quoted or inside or candidates  # the quote's own figure first
    if not candidates:
        if best == 0 and (span or quote):
            return Check("unsupported", "the article negates it: no figure is reported",
                         code="projection")  # fmt: skip
        unnumbered = _unnumbered(doc, surface, category, span) if best is None else None
        return unnumbered or Check("unsupported", missing, code="absent")
    problems: list[Check] = []
    for q in candidates:
        problem = _count_problem(
            doc, q, category, victim_group, qualifier, side, attributed_to, when, quote
        )
        if problem is None:
            return Check(
                "supported", f"the article says {q.surface!r}", q.start, q.noun_end or q.end,
                "exact", code="ok",
            )  # fmt: skip
        problems.append(problem)
    return problems[0]


def _unnumbered(
    doc: Document, surface: str, category: str, span: tuple[int, int] | None
) -> Check | None:
    """ "des blessés", "some wounded": the fate named with no figure, which a coder
    records with no number; supported where the quote says those very words."""
    wanted = words(surface)
    stems = FATES.get(category, ())
    if not wanted or len(wanted) > 3 or not any(w.startswith(stems) for w in wanted):
        return None
    pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, wanted)) + r"\b")
    a, b = span or (0, len(doc.text))
    m = pattern.search(doc.folded, a, b)
    if m is None:
        return None
    left, _ = doc.sentence_bounds(m.start(), m.end())
    before = doc.folded[max(left, m.start() - 25) : m.start()]
    if re.search(r"\b(?:no|pas|aucun|sans|without)\b", before):
        return None
    return Check("supported", f"the article names {surface!r} with no figure", m.start(),
                 m.end(), "exact", code="ok")  # fmt: skip


_OTHER_WORD = {"other", "others", "more", "additional", "further", "autre", "autres", "de", "plus"}


def _vague_words(surface: str) -> list[str]:
    """A vague figure's words without "other"/"autres": "several other" is "several"."""
    return [w for w in words(surface) if w not in _OTHER_WORD]


_ELLIPTICAL = re.compile(r"(?:a|à|in|at|au|dans)\s+[A-Z\u00c0-\u00dd]")
_SINGULAR = re.compile(r"(?<![a-z0-9'])(?:a|an|one|un|une|another)\s+")
_ONE_MORE = re.compile(r"(?:autre|other|more)\b\s*")


def _singulars(
    doc: Document, surface: str, victims: str, span: tuple[int, int] | None
) -> list[Quantity]:
    """ "A resident", "an Army soldier": one person counted by the indefinite article
    the number reader leaves aside, found with the record's noun; and, inside the
    record's quote, a list's elliptical one ("cinq à Alep, un à Hama") or one more of the
    figure before ("... et un autre", the noun left out)."""
    said = words(surface)
    if said[-1:] in (["autre"], ["other"], ["more"]):
        said = said[:-1]  # "un autre soldat", "another", "one more"
    if said not in (["a"], ["an"], ["one"], ["un"], ["une"], ["another"], []):
        return []
    noun = word_pattern(victims)
    if noun is None:
        return []
    found = []
    for m in _SINGULAR.finditer(doc.folded):
        n = noun.match(doc.folded, m.end())
        if n is None:
            # "an Army soldier", "a 47-year-old man": one word between
            gap = re.match(r"[a-z0-9\-]+\s+", doc.folded[m.end() : m.end() + 25])
            n = noun.match(doc.folded, m.end() + gap.end()) if gap else None
        quoted = span is not None and span[0] <= m.start() < span[1]
        more = _ONE_MORE.match(doc.folded, m.end()) if n is None and quoted else None
        if more and noun.search(doc.folded, doc.sentence_bounds(m.start(), m.end())[0], m.start()):
            # "un autre" of the noun of the figure before it in the sentence
            found.append(Quantity(m.start(), more.end(), doc.text[m.start() : more.end()].strip(),
                                  1, 1, 1, "exact", None, None, None, True))  # fmt: skip
            continue
        if n is None and quoted and _ELLIPTICAL.match(doc.text, m.end()):
            found.append(Quantity(m.start(), m.end() - 1, doc.text[m.start() : m.end() - 1],
                                  1, 1, 1, "exact", None, None, None, True))  # fmt: skip
            continue
        if n is not None and not any(q.start <= m.start() < q.end for q in doc.quantities):
            found.append(Quantity(m.start(), m.end() - 1, doc.text[m.start() : m.end() - 1], 1,
                                  1, 1, "exact", doc.text[n.start() : n.end()], n.start(),
                                  n.end(), True))  # fmt: skip
    return found


def _same_figure(q: Quantity, low: int | None, best: int | None, high: int | None) -> bool:
    if best is not None and best in (q.best, q.low, q.high):
        return True
    return low is not None and high is not None and (low, high) == (q.low, q.high)


_COMPARATOR_QUOTED = re.compile(
    r"(?:at least|au moins|more than|plus de|over|no fewer than|pas moins de)"
    r"\s*[\"'\u00ab\u00bb\u201c\u201d]+\s*$"
)


# "Six personnes au moins ont été tuées", "ten people at least": the bound after the noun
_COMPARATOR_AFTER = re.compile(r"\s*,?\s*(?:au moins|at least|au minimum)\b")


def said_qualifier(doc: Document, q: Quantity) -> str:
    """The figure's qualifier, reading across quotation marks ("au moins « six morts »")
    and after its noun ("six personnes au moins")."""
    if q.qualifier != "exact":
        return q.qualifier
    if _COMPARATOR_QUOTED.search(doc.folded[max(0, q.start - 25) : q.start]):
        return "at_least"
    if q.noun_end is not None and _COMPARATOR_AFTER.match(doc.folded, q.noun_end):
        return "at_least"
    return q.qualifier


def _count_problem(
    doc: Document, q: Quantity, category: str, victims: str, qualifier: str, side: str,
    attributed_to: str, when: tuple[date | None, date | None] = (None, None),
    quote: str | None = None,
) -> Check | None:  # fmt: skip
    def bad(reason: str, code: str) -> Check:
        return Check("unsupported", reason, q.start, q.noun_end or q.end, code=code)

    if q.is_count_of_people is False:
        return bad(f"{q.surface!r} counts {q.noun or 'something'}, not people", "mismatch")
    said = said_qualifier(doc, q)
    if qualifier not in QUALIFIER_FAMILY.get(said, {said}):
        return bad(f"the article says {q.surface!r} ({said}), not {qualifier}", "mismatch")
    reading = read_count(doc, q)
    claimed, found = victim_class(victims), counted_class(doc.text, q)
    if claimed and found and claimed != found:
        return bad(f"{q.surface!r} counts {q.noun}, not {victims}", "wrong_side")
    if reading.fates:
        if category not in reading.fates or reading.combined:
            fates = " and ".join(sorted(reading.fates))
            return bad(f"the clause binds {q.surface!r} to {fates}, not {category}", "other_fate")
    elif reading.other_fate:
        return bad(f"the clause says {q.surface!r} {reading.other_fate}, not {category}",
                   "other_fate")  # fmt: skip
    else:
        nearest = nearest_categories(doc, q)
        if category not in nearest:
            said = " or ".join(sorted(nearest)) or "nothing"
            return bad(f"nothing near {q.surface!r} says {category} (it says {said})",
                       "other_fate")  # fmt: skip
    if reading.modality != REPORTED:
        return bad(f"the article gives {q.surface!r} as {reading.modality}, not a reported toll",
                   "projection")  # fmt: skip
    dated = when[0] is not None or when[1] is not None
    # "another" time than an undated incident's: none, unless the record's own quote
    # gives the period ("plus de 36.000 morts depuis le début de la contestation")
    other = (
        reading.other_time
        and reading.other_time_kind not in ("prior", "earlier")  # the caller knows the places
        and (dated or _quote_gives_period(doc, quote))
    )
    if other and not dated_as(doc, q, when):
        return bad(f"the text ties {q.surface!r} to another time or event", "other_event")
    if other_day(doc, q, when):
        return bad(f"the text dates {q.surface!r} to another day than the incident's",
                   "other_event")  # fmt: skip
    if _victims_unwritten(doc, q, victims):
        return bad(f"the text never calls the {q.surface!r} {victims}", "wrong_side")
    if _victims_attack(doc, q, victims):
        return bad(f"the {victims} are the ones who attack in {q.surface!r}'s sentence, "
                   "not its victims", "wrong_side")  # fmt: skip
    ambiguous = (reading.victim_group or "") in _AMBIGUOUS_NOUNS or _named_group(doc, q)
    if side not in ("unknown", reading.side) and reading.side != "unknown" and not ambiguous:
        return bad(f"{q.surface!r} counts {reading.side.replace('_', ' ')}, not "
                   f"{side.replace('_', ' ')}", "wrong_side")  # fmt: skip
    return claimant_problem(doc, q, reading, attributed_to)


_PEOPLE_WORDS = {"people", "persons", "person", "personnes", "personne", "others", "autres",
                 "victims", "victimes", "dead", "morts", "individuals", "individus", "members",
                 "membres", "among", "them", "including", "dont", "men", "hommes", "who", "qui",
                 "civilians", "civils", "gens"}  # fmt: skip


def _stems(text: str) -> set[str]:
    """Word stems good enough to tell "soldats" from "terroristes" in either language."""
    return {w[:5] for w in words(text) if len(w) > 2}


def _named_words(victims: str) -> list[str]:
    """The words of a victim noun that name whom it counts: "people" and articles do not."""
    return [w for w in words(victims) if w not in _PEOPLE_WORDS and w not in GENERIC_WORDS]


def _victims_attack(doc: Document, q: Quantity, victims: str) -> bool:
    """ "At least 30 people have been killed after gunmen attacked a village" given as
    30 gunmen: the record's victims are, in the figure's sentence, only its attackers."""
    noun = doc.folded[q.end : q.noun_end] if q.noun_end else ""
    named = _named_words(victims)
    if not named or _stems(" ".join(named)) & _stems(noun):
        return False  # "people", "others": no party named
    left, right = doc.sentence_bounds(q.start, q.noun_end or q.end)
    spots = [(a, b) for a, b in mentions(doc, victims) if left <= a and b <= right]
    roles = [actor_roles(doc, a, b) for a, b in spots]
    return bool(roles) and all(ATTACKER in r and TARGET not in r for r in roles)


def _victims_unwritten(doc: Document, q: Quantity, victims: str) -> bool:
    """The record's victim noun ("as written") is not in the figure's sentence (or, for a
    figure with no noun of its own, "13 died", in the sentences before it), though the
    article uses it, or a word of its class, elsewhere: "seven soldiers" for "it killed
    seven from the attacking side". A noun in no form in the article (a translation) is
    judged by its class: "soldiers" for "soldats"."""
    wanted = {w[:5] for w in _named_words(victims)}
    wanted.discard("")
    kind = victim_class(victims)
    if not wanted or (kind is not None and counted_class(doc.text, q) == kind):
        return False  # "30 soldiers" for "30 troops"
    left, right = doc.sentence_bounds(q.start, q.noun_end or q.end)
    if q.noun is None:
        left, _ = previous_sentences(doc, left, 3)
    # a part's own noun ("30 personnes …, dont un policier") is not the whole's
    window = doc.folded[left:right]
    for o in doc.quantities if q.noun else ():
        inside = o is not q and o.noun_end and left <= o.start and o.noun_end <= right
        if inside and _PART_BEFORE.search(doc.folded, max(left, o.start - 16), o.start):
            window = window.replace(doc.folded[o.start : o.noun_end], " ")
    if wanted & _stems(window):
        return False
    if wanted & _stems(doc.folded):
        return True
    # a paraphrase of no known class: nothing to judge it by
    return kind is not None and not any(stem in window for stem in VICTIM_CLASSES[kind])


_PART_BEFORE = re.compile(rf"\b(?:{PART_WORDS})\s+$")
_DEMONYM_END = re.compile(r"(?:ian|ean|ese|ish|ais|aise|ien|ienne|ois|i|an|ns|ne|es)$")


def _quote_gives_period(doc: Document, quote: str | None) -> bool:
    span = quote_span(doc, quote)
    return span is not None and bool(period_in(doc.folded[span[0] : span[1]]))


def _named_group(doc: Document, q: Quantity) -> bool:
    """ "10 Peshmerga fighters", "two Wagner men": a name, not the noun, says whose
    they are, and which side a name is on is not in the sentence ("Malian" is a
    nationality, not such a name)."""
    if q.noun_end is None:
        return False
    qualifiers = doc.text[q.end : q.noun_end].split()[:-1]
    return any(w[:1].isupper() and not _DEMONYM_END.search(w.lower()) for w in qualifiers)
