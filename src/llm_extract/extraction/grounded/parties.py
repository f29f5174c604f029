"""The incident's parties, each once and in the role its sentence gives: the named
ones, the first generic phrase of each side, never a source that only speaks or an
actor of background sentences only."""

from __future__ import annotations

import re
from dataclasses import replace

from llm_extract.extraction.grounded.actors import (
    ARMED,
    CIVILIANS,
    STATE,
    ActorMention,
    affiliation,
    is_generic,
    naming_rank,
    same_party,
)
from llm_extract.extraction.grounded.candidates import CountCandidate
from llm_extract.roles.actors import BACKGROUND, SOURCE, actor_roles
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document

MAX_ACTORS = 5


_ROLE_OF_TYPE = {ARMED: "attacker", CIVILIANS: "target", STATE: "target"}


def parties(
    doc: Document, mentions: list[ActorMention], figures: list[tuple[CountCandidate, str, str]]
) -> list[tuple[ActorMention, str, int]]:
    """The incident's actors once each: every named one, and of the generic phrases
    ("soldiers", "gunmen") the first of each side, as a coder names each party once.
    The role is the one the first sentence that gives it says (roles.actors), quoted
    from that sentence; an actor only ever named in background sentences is not a
    party, nor a source of unknown kind that only ever speaks. Where no sentence says,
    the armed group attacks and state forces and civilians are its targets, unless no
    armed group is named and the figures are the other side's: then the state attacked."""
    groups: dict[str, list[ActorMention]] = {}
    generic_sides: set[int | None] = set()
    named_at = {m.start for m in mentions if not is_generic(m.name)}
    for mention in mentions:
        if affiliation(doc, mention):
            continue
        if is_generic(mention.name) and any(
            0 < at - mention.end <= 2 and not doc.text[mention.end : at].strip() for at in named_at
        ):
            continue  # "Guerrilla group ELN": the kind words before the name, one party
        # one party under one name: the alias group's first-named form in the text
        key = next((k for k in groups if same_party(doc, k, mention.name)), None)
        if key is not None:
            groups[key].append(mention)
            continue
        if is_generic(mention.name):
            if mention.actor_type in generic_sides:
                continue
            generic_sides.add(mention.actor_type)
        groups[name_key(mention.name)] = [mention]
    read: list[tuple[ActorMention, frozenset[str]]] = []
    # a force that only gives the toll is a party where fighters fell; where only
    # civilians did ("Kaduna Police chief ... confirmed the death toll"), a source
    fought = any(side in ("side_a", "side_b") for _, _, side in figures)
    for group in groups.values():
        roles = [(m, actor_roles(doc, m.start, m.end)) for m in group]
        said = next(((m, r) for m, r in roles if r - {BACKGROUND, SOURCE}), None)
        if said is None and any(not r for _, r in roles):
            said = (group[0], frozenset())
        if said is None and group[0].actor_type not in (None, 8) and fought:
            said = (group[0], frozenset())  # a fighting party that speaks is a side
        if said is None:
            continue  # background sentences, or a source of the story only
        # named as a coder would ("M23", not "rebelles du M23"; "Volontaires pour la
        # défense de la patrie", not "Volontaires") where a mention in the same role, or
        # in none, allows it
        best = min(
            (m for m, r in roles if r in (said[1], frozenset())), key=naming_rank, default=said[0]
        )
        read.append((replace(best, actor_type=best.actor_type or said[0].actor_type), said[1]))
    # "militants", "the military": a bare noun for a side the article also names
    bare = {m.name for m, _ in read if _bare(m.name) and not _named(doc, m)}
    named = {_side(m.actor_type) for m, _ in read if _named(doc, m)}
    read = [(m, r) for m, r in read if not (m.name in bare and _side(m.actor_type) in named)]
    armed_named = any(m.actor_type == ARMED for m, _ in read)
    others_counted = any(side == "side_b" for _, _, side in figures)
    parties = []
    for mention, roles in read[:MAX_ACTORS]:
        kind = mention.actor_type or ARMED
        role = next((r for r in ("attacker", "target", "participant") if r in roles), None)
        if role is None:
            role = _ROLE_OF_TYPE.get(kind, "participant")
            if kind == STATE and not armed_named and others_counted:
                role = "attacker"
        parties.append((mention, role, 3 if kind == ARMED and is_generic(mention.name) else kind))
    return parties


def _side(actor_type: int | None) -> str:
    """ACLED types folded to the sides of a fight: the state, armed groups, civilians."""
    return {STATE: "state", CIVILIANS: "civilians", 8: "other"}.get(actor_type or ARMED, "armed")


def _named(doc: Document, mention: ActorMention) -> bool:
    return not is_generic(mention.name) or doc.aliases.actor_type(mention.name) is not None


def _bare(name: str) -> bool:
    return len(re.sub(r"^(?:the|les?|la|l['’])\s*", "", name, flags=re.I).split()) == 1
