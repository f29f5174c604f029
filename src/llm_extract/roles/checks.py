"""Checks of a value in the role a record gives it: a count against its clause, a place
against where the text puts the event, an actor against the role its sentence gives it.

Each returns a `Check` (text/grounding.py) with a reason code; `extraction/verify.py`
turns them into verdicts. The figure, name and quote lookups are text/'s; the reading
of roles is this package's, the same functions the extractor's candidates come from.
"""

from __future__ import annotations

import re
from datetime import date

from llm_extract.roles.actors import (
    ATTACKER,
    BACKGROUND,
    PARTICIPANT,
    SOURCE,
    TARGET,
    actor_roles,
    reports_violence,
)
from llm_extract.roles.clauses import mentions, quote_span
from llm_extract.roles.context import check_region
from llm_extract.roles.dates import check_date_role
from llm_extract.roles.figures.claimant_check import UNATTRIBUTED, same_party
from llm_extract.roles.figures.count_check import check_count
from llm_extract.roles.lexicon import ARMED_PARTY_WORDS
from llm_extract.roles.places import EVENT, NOT_A_PLACE, REFERENCE, place_role
from llm_extract.roles.when import dated_elsewhere
from llm_extract.text.fold import fold, name_key, words
from llm_extract.text.grounding import Check, Document, check_name, is_the_name
from llm_extract.text.names import find_name

_ARMED_PARTY = re.compile(rf"(?<![a-z])(?:{ARMED_PARTY_WORDS})")
_ARTICLES = {"the", "a", "an", "le", "la", "les", "l", "de", "du", "des", "d", "of", "s"}


def clause_span(doc: Document, quote: str | None, name: str) -> tuple[int, int] | None:
    """The quote's span when it gives a clause to read the name's role in; None when
    there is no quote of the article's or it is the bare name ("Mauritania",
    "Jama'a Nusrat al-Islam"): a bare name states where it is written, not what it does."""
    span = quote_span(doc, quote)
    if span is None:
        return None
    passage = doc.text[span[0] : span[1]]
    found = find_name(passage, name, doc.aliases)
    rest = passage if found is None else passage[: found.start] + " " + passage[found.end :]
    if found is None and is_the_name(passage, name):
        return None
    return span if any(w not in _ARTICLES for w in words(rest)) else None


def check_place(
    doc: Document,
    name: str,
    precision: int,
    quote: str | None,
    when: tuple[date | None, date | None] = (None, None),
) -> Check:
    """Supported when the text puts the event there: in the quote's sentence (or, if
    the quote does not name it, anywhere) the name plays the event's place; a reference
    point ("50 km from X", "near X") only at ACLED geo precision 2 or 3."""
    found = check_name(doc, name)
    if found.verdict != "supported":
        return Check(found.verdict, found.reason, found.start, found.end, code="absent")
    spots = mentions(doc, name) or [(found.start or 0, found.end or 0)]
    span = clause_span(doc, quote, name)
    if span:
        a, b = doc.sentence_bounds(*span)
        inside = [m for m in spots if span[0] <= m[0] and m[1] <= span[1]]
        inside = inside or [m for m in spots if a <= m[0] and m[1] <= b]
        spots = inside or spots
    roles = [(_dated_role(doc, s, e, when), s, e) for s, e in spots]
    if span is None and not all(role == NOT_A_PLACE for role, _, _ in roles):
        return _ok(found, found.start or 0, found.end or 0,
                   "the quote gives no clause, so the place's role is not read")  # fmt: skip
    if not any(reports_violence(doc, s, e) for s, e in mentions(doc, name) or spots):
        s, e = spots[0]
        return Check("unsupported", f"{name!r} is named only where the text reports no "
                     "violence (a withdrawal, a visit, a protest, history)", s, e,
                     code="background")  # fmt: skip
    for role, s, e in roles:
        if role == EVENT:
            return _ok(found, s, e, "the text puts the event there")
    for role, s, e in roles:
        if role == REFERENCE and precision >= 2:
            return _ok(found, s, e, "a reference point, at the precision of 'near'")
    role, s, e = roles[0]
    code = {"reference": "reference_place", "dateline": "background"}.get(role, role)
    why = {
        "reference_place": "only a reference point ('km from', 'near', 'between'): near X is "
        "a nearby reference: precision 2, not 1",
        "background": "named only for background (border, deployment, where people went, "
        "dateline or another event)",
        "not_a_place": "not a place here (a language, outlet, agency, community or demonym)",
    }[code]
    return Check("unsupported", f"{name!r} is {why}", s, e, code=code)


def _dated_role(doc: Document, start: int, end: int, when: tuple[date | None, date | None]) -> str:
    """The place's role, and background when its clause is dated to another day than
    the incident's (a past attack's town)."""
    role = place_role(doc, start, end)
    if role in (EVENT, REFERENCE) and dated_elsewhere(doc, start, end, when):
        return "background"
    return role


def _ok(found: Check, start: int, end: int, how: str) -> Check:
    return Check("supported", f"{found.reason}; {how}", start, end, found.alignment,
                 found.score, code="ok")  # fmt: skip


def check_actor(doc: Document, name: str, role: str, quote: str | None) -> Check:
    """Supported when the article names the actor in the role given: an attacker is
    not what the sentences make a target (and the reverse); an actor named only in
    background sentences, or elsewhere only where no violence is reported, is not this
    incident's."""
    found = check_name(doc, name)
    if found.verdict != "supported":
        return Check(found.verdict, found.reason, found.start, found.end, code="absent")
    spots = mentions(doc, name) or [(found.start or 0, found.end or 0)]
    span = clause_span(doc, quote, name)
    if span is None:
        return Check("supported", f"{found.reason}; the quote gives no clause, so the "
                     "actor's role is not read", found.start, found.end, found.alignment,
                     found.score, code="ok")  # fmt: skip
    every = [(actor_roles(doc, s, e), s, e) for s, e in spots]
    chosen = every
    told: set[str] = set()
    # the role is read where the record says the article gives it
    a, b = doc.sentence_bounds(*span)
    inside = [r for r in every if a <= r[1] and r[2] <= b]
    if inside:
        chosen = inside
        told = set().union(*(r[0] for r in inside))
    s, e = chosen[0][1], chosen[0][2]
    read = [(r[0], reports_violence(doc, r[1], r[2])) for r in every]
    if any(BACKGROUND in roles for roles, _ in read) and all(
        BACKGROUND in roles or not (roles or violent) for roles, violent in read
    ):
        return Check("unsupported", f"{name!r} is named only in background sentences", s, e,
                     code="background")  # fmt: skip
    if not any(roles - {BACKGROUND} or violent for roles, violent in read):
        return Check("unsupported", f"{name!r} is named only where the text reports no "
                     "violence (statements, plans, history)", s, e, code="background")  # fmt: skip
    if (
        role != "claimant"
        and all(r[0] & {SOURCE, BACKGROUND} for r in every)
        and not _ARMED_PARTY.search(fold(name))
    ):
        return Check("unsupported", f"{name!r} is named only as a source of information "
                     "or in background, not as a party to the incident", s, e,
                     code="background")  # fmt: skip
    anywhere = set().union(*(r[0] for r in every))
    if role in anywhere:  # another sentence gives it the role claimed
        told = set()
    if role == "attacker" and TARGET in told and not told & {ATTACKER, PARTICIPANT}:
        return Check("unsupported", f"the article makes {name!r} the target, not the attacker",
                     s, e, code="wrong_role")  # fmt: skip
    if role == "target" and ATTACKER in told and not told & {TARGET, PARTICIPANT}:
        return Check("unsupported", f"the article makes {name!r} the attacker, not the target",
                     s, e, code="wrong_role")  # fmt: skip
    return Check("supported", found.reason, found.start, found.end, found.alignment,
                 found.score, code="ok")  # fmt: skip


def same_actor(a: str, b: str) -> bool:
    return bool(name_key(a)) and name_key(a) == name_key(b)


__all__ = [
    "UNATTRIBUTED",
    "check_actor",
    "check_count",
    "check_date_role",
    "check_place",
    "check_region",
    "same_actor",
    "same_party",
]
