"""Whose losses a figure counts: the noun counted, or whose men, members or side the
sentence says they are ("of its own men" after "the army lost", "15 membres de la CODECO",
"une trentaine de morts côté terroristes", "we lost dozens of men" in a party's words).
"""

from __future__ import annotations

import re

from llm_extract.roles.lexicon import SIDE_OF_CLASS
from llm_extract.text.figures.counts import counted_class, victim_class
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import fold
from llm_extract.text.grounding import Document

_POSSESSIVE_MEN = re.compile(
    r"\b(?:of (?:its|their|his)|de (?:ses|leurs)|d'entre (?:eux|elles))\s+"
    r"(?:own\s+)?(?:men|members|hommes|elements|soldiers|fighters)\b"
)
_SIDE_SUBJECT = re.compile(
    r"\b(?:army|military|troops|forces|soldiers|police|armee|militaires|soldats|forces"
    r"|fama|fardc|gendarmerie)\b[^,;.]{0,60}\b(?:lost|lose|perdu|deplore|mourn)"
)
_ARMED_SUBJECT = re.compile(
    r"\b(?:militants?|jihadists?|djihadistes?|terroristes?|terrorists?|rebels?|rebelles?"
    r"|insurgents?|assaillants?|attackers?|group|groupe)\b[^,;.]{0,60}\b(?:lost|perdu)"
)


def read_side(
    doc: Document, q: Quantity, left: int, right: int, speaker: str | None
) -> tuple[str | None, str]:
    """The victim group and UCDP side of `q` in its sentence (`left`..`right`); `speaker`
    is who the article has give the figure, whose side first-person losses are."""
    noun = q.noun
    folded = doc.folded
    end = q.noun_end or q.end
    near = folded[q.start : min(right, end + 40)]
    cls = counted_class(doc.text, q)
    if _POSSESSIVE_MEN.search(near[:40]):
        before = folded[left : q.start]
        if _SIDE_SUBJECT.search(before + " lost"):
            cls = "forces"
        elif _ARMED_SUBJECT.search(before + " lost"):
            cls = "armed"
    if _FIRST_PERSON_LOSS.search(folded, max(left, q.start - 40), min(right, end + 20)):
        # "We lost dozens of men," said a VDP official: the speaker's own side
        own = _party_class(doc, speaker) if speaker else None
        cls = own if own in ("forces", "armed") else cls
    if cls is None and noun is None:
        # "80 of the attackers", "une trentaine d'assaillants": the noun after "of/de";
        # "85 from the Turkish-backed Syrian factions": the party they are from
        tail = _OF_PARTY.match(folded, q.end, min(right, q.end + 80))
        if tail:
            cls = _party_class(doc, tail.group(1).strip())
    if noun and (cls is None or cls == "forces") and _MEMBERS.fullmatch(fold(noun)):
        # "15 membres de "GAT" (groupes armés terroristes)", "quatorze miliciens de la
        # CODECO": whose members or militiamen they are
        of = _MEMBERS_OF.match(folded, end, min(right, end + 80))
        if of:
            kind = doc.aliases.actor_type(of.group(1).strip(' "()'))
            owner = _CLASS_OF_ACTOR_TYPE.get(kind or 0)
            found = owner or victim_class(of.group(1))
            if found:  # whose they are is said: the noun is no longer ambiguous
                cls, noun = found, f"{noun} {of.group(1).strip()}"
        elif q.noun_start is not None and (named := doc.text[q.end : q.noun_start].strip()):
            # "three al Shabaab members": the party named before the noun
            kind = doc.aliases.actor_type(named)
            cls = _CLASS_OF_ACTOR_TYPE.get(kind or 0) or cls
    if cls is None:  # "une trentaine de morts côté terroristes"
        side = _SIDE_NAMED.match(folded, end, min(right, end + 50))
        cls = victim_class(side.group(1)) if side else None
    return noun, SIDE_OF_CLASS.get(cls or "", "unknown")


_OF_PARTY = re.compile(
    r"\s*(?:of|from|among|de|d'|des|parmi)\s*(?:the\s+|ces\s+|ses\s+|les\s+|la\s+|le\s+|l')?"
    r"((?:(?!(?:and|et|who|qui|were|was|had|have|ont|sont|in|a|au|dans)\b)[^,;.()\s]+\s*){1,6}(?:\([^()]{1,20}\))?)"
)


def _party_kind(doc: Document, phrase: str) -> int | None:
    """The alias table's actor type of a party phrase, by its bracketed acronym, the
    phrase, or the phrase without its first word ("Kurdish-dominated Syrian Democratic
    Forces (SDF)")."""
    acronym = re.search(r"\(([^()]+)\)", phrase)
    bare = re.sub(r"\s*\([^()]*\)?", "", phrase).strip()
    forms = [acronym.group(1)] if acronym else []
    forms += [bare, bare.partition(" ")[2]]
    return next((kind for form in forms if form and (kind := doc.aliases.actor_type(form))), None)


# ACLED actor types (state forces, rebels, political militias, identity militias).
_CLASS_OF_ACTOR_TYPE = {1: "forces", 2: "armed", 3: "armed", 4: "armed"}
_FIRST_PERSON_LOSS = re.compile(
    r"\b(?:we|nous)\b[^,;.]{0,20}\b(?:lost|perdu)\b"
    r"|\b(?:our|nos)\s+(?:own\s+)?(?:men|members|soldiers|fighters|troops|hommes|elements"
    r"|soldats|combattants)\b"
)


def _party_class(doc: Document, name: str) -> str | None:
    """The victim class of a party: its alias-table type ("the SDF" are no state's
    forces, whatever their name says), else its own words."""
    kind = _party_kind(doc, name)
    return _CLASS_OF_ACTOR_TYPE.get(kind) if kind else victim_class(name)


_SIDE_NAMED = re.compile(
    r"\s*,?\s*(?:du\s+)?cote\s+(?:des\s+|du\s+|de\s+la\s+|de\s+l'|de\s+)?([a-z\-']+)"
)


_MEMBERS = re.compile(r"members?|membres?|elements?|miliciens?|militiam[ae]n|militias?|milices?")
_MEMBERS_OF = re.compile(
    r"\s*(?:of|de|d'|des|du)\s+(?:the\s+|la\s+|le\s+|l')?"
    r"((?:(?!(?:had|has|have|was|were|is|are|who|which|ont|sont|a|avaient|etaient|qui|ont ete"
    r"|died|killed|tues|morts)\b)[^,;.\s]+\s*){1,8})"
)
