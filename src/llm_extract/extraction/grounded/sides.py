"""Whose losses a figure counts, when the words next to it do not say.

News writes a toll once and lets the next figures borrow its noun ("Two soldiers were
killed and 25 wounded", "15 soldiers died, 7 wounded, 6 missing") or names the side
apart from the figure ("six morts et 18 blessés parmi les soldats", "le bilan côté
FAMa est de deux morts"). The clause reading (roles.figures.counts) decides first; these rules
only fill in its "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from llm_extract.roles.clauses import paragraph
from llm_extract.roles.figures.counts import read_count
from llm_extract.roles.lexicon import SIDE_OF_CLASS
from llm_extract.text.figures.counts import victim_class
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.grounding import Document

_AMONG = re.compile(
    r"\b(?:parmi|among|cote|du cote d(?:e|u|es)|dans les rangs d(?:e|u|es)|in the ranks of"
    r"|on the side of|within|au sein d(?:e|u|es))\s+(?:the\s+|les\s+|la\s+|le\s+|l')?"
    r"(?P<who>[\w\-']+(?:\s[\w\-']+){0,2})"
)


def _class_side(words: str | None) -> str:
    return SIDE_OF_CLASS.get(victim_class(words or "") or "", "unknown")


def side_in_context(doc: Document, q: Quantity, read: str) -> str:
    """`read` (the clause reading's side) unless it is unknown; then the side of the
    figure's own noun, of the previous figure its clause borrows the noun from, or of
    the group an "among"/"parmi"/"côté" phrase of the sentence names, or of the group an
    attack hit when the toll follows it; unnamed people that armed men killed, or that a
    strike on what civilians use (a market, a school) killed, are civilians."""
    if read != "unknown":
        return read
    own = _class_side(q.noun)
    if own != "unknown":
        return own
    left, right = doc.sentence_bounds(q.start, q.noun_end or q.end)
    earlier = [x for x in doc.quantities if left <= x.start < q.start and x.noun]
    for previous in reversed(earlier):
        if (side := _class_side(previous.noun)) != "unknown":
            return side
    for match in _AMONG.finditer(doc.folded, left, right):
        if (side := _class_side(match["who"])) != "unknown":
            return side
        if doc.aliases.actor_type(match["who"]) == 1:
            return "side_a"
    hit = _HIT_THEN_TOLL.search(doc.folded, left, q.start)
    if hit and hit.end() >= q.start - 30 and (side := _class_side(hit["target"])) != "unknown":
        return side  # "militants ambushed a police patrol, killing six": the police
    unnamed = victim_class(q.noun or "people") is None
    if unnamed and _NEUTRALISED.match(doc.folded, q.end, min(right, q.end + 60)):
        return "side_b"  # "14 personnes ont été neutralisées": a state's word for its enemies
    if unnamed and (
        _killed_by_armed(doc, q, left, right) or _CIVILIAN_OBJECT.search(doc.folded, left, right)
    ):
        # "terrorists murdered and beheaded five people", "six people were killed in a
        # missile strike on an apartment building"
        return "civilians"
    return "unknown"


_NEUTRALISED = re.compile(
    r"\s*(?:[\w'-]+\s+){0,3}?(?:(?:were|was|have been|had been|ont ete|a ete|sont|furent)"
    r"\s+(?:\w+\s+)?)?neutrali[sz]\w*"
)

# A strike or attack on what civilians use: whoever it killed there counts as civilians.
_CIVILIAN_OBJECT = re.compile(
    r"\b(?:strikes?|attacks?|attaques?|frappes?|bombing|shelling|bombardements?|explosion"
    r"|raid)\s+(?:\w+\s+){0,3}?(?:on|against|sur|contre|visant|targeting|at|in|dans)\s+"
    r"(?:an?\s+|the\s+|une?\s+|la\s+|le\s+|les\s+|l'|des\s+)?(?:\w+\s+){0,2}?(?:apartment"
    r"|residential|market|school|hospital|mosque|church|homes|houses|wedding|funeral"
    r"|immeuble|marche|ecole|hopital|mosquee|eglise|maisons|habitations|mariage|funerailles"
    r"|residentiel|camp de deplaces|displacement camp|idp camp)"
)


# Who was hit, then the toll: "militants ambushed a police patrol, killing six".
_HIT_THEN_TOLL = re.compile(
    r"\b(?:attacked|ambushed|targeted|struck|raided|stormed|hit|(?:a|ont) (?:attaque|cible|vise"
    r"|pris pour cible|tendu une embuscade a))\s+(?P<target>[^,;.]{3,60}?)\s*,?\s*(?:killing"
    r"|wounding|injuring|leaving|faisant|tuant|blessant)\b"
)
_KILL = (
    r"(?:killed|killing|murdered|massacred|beheaded|executed|shot|tue|tues|tuant|tuees?"
    r"|massacre|abattu|assassine|egorge|decapite)"
)
_BY = re.compile(
    rf"[^.;]{{0,40}}?\b{_KILL}\b[^.;]{{0,12}}\b(?:by|par)\s+(?P<who>(?:[\w'\-]+\s?){{1,3}})"
)
_BEFORE = re.compile(rf"(?P<who>[^.;]{{1,100}}?)\b{_KILL}\b[^.;]{{0,40}}$")


def _killed_by_armed(doc: Document, q: Quantity, left: int, right: int) -> bool:
    """People an armed group killed, by the sentence: the killers are named by a word of
    the armed class and no state force is named with them."""
    folded = doc.folded
    before = _BEFORE.search(folded, max(left, q.start - 140), q.start)
    after = _BY.match(folded, q.noun_end or q.end, right)
    for who in (before and before["who"], after and after["who"]):
        if who and victim_class(who) == "armed":
            return True
    return False


def repeated_side(doc: Document, q: Quantity, category: str, side: str) -> str:
    """`side`, unless it is unknown and the article gives the same toll again where its
    side is read: the same figure with the same noun ("six people were killed in a
    strike on an apartment building" ... "the mayor confirmed six people had been
    killed"), or, for a figure of no named group, a rival count of it earlier in the
    paragraph ("a dozen police officials died ... the ministry said 14 were dead")."""
    if side != "unknown" or q.best is None:
        return side
    best, (start, end) = q.best, paragraph(doc, q.start, q.end)
    unnamed = victim_class(q.noun or "people") is None

    def again(other: Quantity) -> bool:
        count = other.best or 0  # _tolls offers only figures with a value
        same = count == best and other.noun == q.noun
        rival = start <= other.start < q.start and best <= 2 * count <= 4 * best
        return same or (unnamed and rival)

    for _, found in _tolls(doc, q, category, again):
        if found != "unknown":
            return found
    return _side_of_parts(doc, q, category, start, end) if unnamed else side


def _side_of_parts(doc: Document, q: Quantity, category: str, start: int, end: int) -> str:
    """ "Au moins six morts ... Dans le détail, cinq rangers et un soldat": a total the
    other tolls of its fate in its paragraph [start, end) add up to takes their side
    when they share the state's or the civilians'."""
    parts = list(_tolls(doc, q, category, lambda other: start <= other.start < end))
    sides = {side for _, side in parts}
    # side_b may be several groups (factions and the SDF): their sum is no one side
    if len(parts) >= 2 and sides in ({"side_a"}, {"civilians"}):
        return sides.pop() if sum(o.best or 0 for o, _ in parts) == q.best else "unknown"
    return "unknown"


def _tolls(
    doc: Document, q: Quantity, category: str, near: Callable[[Quantity], bool]
) -> Iterator[tuple[Quantity, str]]:
    """The article's other tolls of `category` that `near` picks, each with its side."""
    for other in doc.quantities:
        if other is q or other.best is None or not near(other):
            continue
        reading = read_count(doc, other)
        if category in reading.fates and reading.is_toll:
            yield other, side_in_context(doc, other, reading.side)
