"""Candidate answers for the grounded strategy, read off the article itself: places
after location cues, actors of the alias table and acronyms, people counts next to a
word for their fate, dates, claims, and the sentence each one stands in.

Pure functions over a Document: no model. The grounded strategy only lets the model
choose among these, so whatever it chooses is in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from llm_extract.core.records import COUNT_CATEGORIES
from llm_extract.extraction.grounded.actors import ActorMention, actor_type, generic_actors
from llm_extract.extraction.grounded.places import PlaceCandidate, phrase_places
from llm_extract.places.geonames import town_countries
from llm_extract.roles.dates import EVENT, PERIOD_START, date_role
from llm_extract.roles.figures.counts import read_count
from llm_extract.roles.when import clause_dates
from llm_extract.text.dates import DateMention
from llm_extract.text.figures.counts import nearest_categories
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document, since_until_written
from llm_extract.text.names import find_name
from llm_extract.text.world import country_code, country_of_adjective, subdivision_countries

MAX_QUOTE = 400


@dataclass(frozen=True)
class CountCandidate:
    label: str
    quantity: Quantity
    categories: frozenset[str]


# Cue words for each kind of event (ACLED's distinctions), EN and FR stems on folded text.
# A 135M model asked "what happened?" answers almost at random; the article's own words
# narrow the choice first, and the model only breaks ties.
KIND_CUES: dict[str, tuple[str, ...]] = {
    "fighting": ("clash", "fighting", "combat", "repel", "repuls", "assault", "offensive",
                 "ambush", "embuscade", "affrontement", "attacks on military", "garrison",
                 "army position", "military post", "barrack", "camp"),
    "airstrike": ("airstrike", "air strike", "air raid", "warplane", "fighter jet", "drone",
                  "aerial", "frappe aerienne", "frappes aeriennes", "raid aerien", "raids aeriens",
                  "bombardement aerien", "bombardements aeriens", "avion de chasse",
                  "avions de chasse"),
    "bombing": ("ied$", "ieds$", "improvised explosive", "landmine", "engin explosif",
                "roadside bomb", "mine antipersonnel"),
    "shelling": ("shelling", "shelled", "artillery", "mortar", "rocket", "missile", "bombard",
                 "obus", "roquette", "tirs d'artillerie"),
    "suicide": ("suicide bomb", "suicide attack", "suicide attacker", "kamikaze",
                "s'est fait exploser", "blew himself up", "blew herself up"),
    "massacre": ("massacre", "civilians were killed", "villagers were killed", "tue des civils"),
    "kidnapping": ("kidnap", "abduct", "hostage", "enleve", "otage"),
    "protest": ("protest", "demonstrat", "manifest", "rally"),
    "riot": ("riot", "emeute", "looting", "pillage"),
    "arrests": ("arrest", "detained", "interpelle"),
}  # fmt: skip
# A cue starts a word; one ending in "$" is a whole word ("ied" is not in "rallied").
_KIND_PATTERNS = {
    kind: re.compile(
        "|".join(
            rf"(?<![a-z]){re.escape(c.rstrip('$'))}" + ("(?![a-z])" if c.endswith("$") else "")
            for c in sorted(cues, key=len, reverse=True)
        )
    )
    for kind, cues in KIND_CUES.items()
}


# An attack on a village or its people: violence against civilians in ACLED's terms
# ("gunmen attacked Dungwel village", "ont attaqué les populations", "l'attaque du
# hameau de Kodyel"), a cue as strong as "massacre".
_VICTIMS = (
    r"(?:villages?|villagers|hameaux?|hamlets?|communit(?:y|ies)|residents|habitants"
    r"|populations?|civilians|civils|market|marche|mosque|mosquee|church|eglise|worshippers"
    r"|fideles|farmers|cultivateurs|herders|eleveurs|displaced|deplaces|shrines?|sanctuaires?"
    r"|temples?|schools?|ecoles?|hospitals?|hopitaux|hopital|passengers|passagers|wedding"
    r"|mariage|funeral|funerailles)(?![a-z])"
)
_CIVILIANS_ATTACKED = re.compile(
    r"(?<![a-z])(?:(?:attack|raid|storm|invad|overr[au]n|attaqu|investi|pris pour cible"
    r"|fait irruption dans|s'en (?:sont )?pris|se sont attaques)\w*"
    r"(?:\s+(?:on|against|contre|du|de|des|d'|in|dans|a|aux?))?"
    r"|(?:attack|attaque|raid|incursion)s?(?:\s+a eu lieu)?\s+(?:on|against|contre|du|de|des"
    r"|d'|in|dans|a|aux?))\s+(?:(?:the|a|an|le|la|les|l'|un|une|des|their|leurs?|several"
    r"|plusieurs|two|deux|three|trois|[a-z][\w'-]*\s+(?:de|of))\s*){0,3}"
    r"(?:(?!(?:in|near|at|on|dans|pres|a|au|of|de|du|des|outside|around|close|security"
    r"|military|army|police|forces?|soldiers?)\b)[a-z][\w'-]*\s+){0,2}"
    + _VICTIMS
    + r"|"
    + _VICTIMS
    + r"(?:\s+[\w'-]+){0,8}?\s+(?:was|were|has been|have been|a ete"
    r"|ont ete)\s+(?:attacked|raided|stormed|invaded|overrun|attaquee?s?|prise? pour cible)"
)


def likely_kinds(document: Document, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """The event kinds whose cue words the article (or those of its `spans`) uses most,
    all tied ones, in order."""
    folded = document.folded
    texts = [folded[a:b] for a, b in spans] if spans else [folded]
    counts = {kind: sum(len(p.findall(t)) for t in texts) for kind, p in _KIND_PATTERNS.items()}
    counts["massacre"] += sum(len(_CIVILIANS_ATTACKED.findall(t)) for t in texts)
    best = max(counts.values())
    if best == 0:
        return ["fighting"]
    return [kind for kind, n in counts.items() if n == best]


def place_candidates(doc: Document) -> list[PlaceCandidate]:
    """Names that location phrases introduce, plus the alias table's places the article
    names (however it spells them); a subdivision of a country the article names, or
    one of its towns is in, is a region unless that country has a town of the name
    ("Kirkuk" is the city)."""
    found = phrase_places(doc)
    seen = {name_key(p.name) for p in found}
    extra = len(found) + 1000
    for i, group_names in enumerate(doc.aliases.names_of("place")):
        if any(name_key(alias) in seen for alias in group_names):
            continue
        for alias in group_names:
            match = find_name(doc.text, alias, doc.aliases, loose=False)
            if match and name_key(match.matched) not in seen:
                seen.add(name_key(match.matched))
                found.append(PlaceCandidate(match.matched, match.start, match.end, extra + i))
                break
    return [
        replace(p, precision=3, admin=True) if not p.typed and _region_of(doc, p, found) else p
        for p in found
    ]


def _region_of(doc: Document, place: PlaceCandidate, found: list[PlaceCandidate]) -> bool:
    """Whether an untyped name is a region here: a subdivision of a country the article
    names or puts a town in, where no town has that name. The countries of the other
    places' towns take the gazetteer (seconds to load), so they are asked only when the
    countries named cannot settle it."""
    subdivision_of = subdivision_countries(place.name)
    if not subdivision_of:
        return False
    towns = town_countries(place.name) & subdivision_of  # a stored table for these names
    named = named_countries(doc) & subdivision_of
    if named:
        if named & towns:  # "Kayes" in an article on Mali: the town
            return False
        if not towns:
            return True
    located: frozenset[str] = doc.memo(
        ("town_countries",), lambda: frozenset().union(*(town_countries(p.name) for p in found))
    )
    inside = named | (located & subdivision_of)
    return bool(inside) and not (inside & towns)


def named_countries(doc: Document) -> frozenset[str]:
    """ISO codes of the countries the article names, by name or demonym ("Pakistani")."""

    def read() -> frozenset[str]:
        names = set()
        for m in _CAPITALISED.finditer(doc.text):  # "Pakistan Army", "la République du Mali"
            parts = re.sub(r"[’']s\b", "", m.group()).split()
            names.update(" ".join(parts[i:j]) for i in range(len(parts))
                         for j in range(i + 1, len(parts) + 1))  # fmt: skip
        return frozenset(
            code for name in names if (code := country_code(name) or country_of_adjective(name))
        )

    return doc.memo(("named_countries",), read)


_CAPITALISED = re.compile(
    r"[A-ZÀ-Ý][\w’'\-]*(?:\s(?:d[eu]s?|of|the|la|le)?\s?[A-ZÀ-Ý][\w’'\-]*){0,3}"
)


def actor_candidates(doc: Document) -> list[ActorMention]:
    """Alias-table actors as the article writes them, and every generic or named actor
    phrase and acronym (actors.py), each mention in reading order."""
    text, found, seen = doc.text, [], set()
    for group_names in doc.aliases.names_of("actor"):
        for alias in group_names:
            if match := find_name(text, alias, doc.aliases, loose=False):
                key = name_key(match.matched)
                if key not in seen:
                    seen.add(key)
                    kind = doc.aliases.actor_type(match.matched) or actor_type(match.matched)
                    found.append(ActorMention(match.matched, match.start, match.end, kind))
                break
    found += generic_actors(doc)
    return sorted(found, key=lambda a: (a.start, -a.end))


def count_candidates(doc: Document) -> list[CountCandidate]:
    """Quantities of people (or of unknown things) with a fate word nearest them."""
    found: dict[tuple[int | None, str, bool], CountCandidate] = {}
    for q in doc.quantities:
        if q.is_count_of_people is False:
            continue
        categories = frozenset(nearest_categories(doc, q)) or _read_fates(doc, q)
        if not categories:
            continue
        label = " ".join(part for part in (q.surface, q.noun) if part)[:60]
        # A figure repeated (headline, then body) is offered once: the qualified
        # mention ("at least 80") over the bare one, else the later (body) one. A vague
        # word never repeats a numeral ("dozens" is 12 by convention, not the "12"), and
        # the same number for another fate or group in one sentence is another figure
        # ("four policemen dead and four others wounded", "12 soldats et des dizaines
        # de terroristes").
        vague = q.qualifier == "vague"
        key = (q.best, label, vague) if q.best is None else (q.best, "", vague)
        held = found.get(key)
        if (
            held is not None
            and (held.categories != categories or held.quantity.noun != q.noun)
            and doc.sentence_bounds(held.quantity.start, held.quantity.end)
            == doc.sentence_bounds(q.start, q.end)
        ):
            key = (q.best, " ".join(sorted(categories)) + f" {q.noun}", vague)
            held = found.get(key)
        if held is None or held.quantity.qualifier == "exact" or q.qualifier != "exact":
            found[key] = CountCandidate(label, q, categories)
    return list(found.values())


def _read_fates(doc: Document, q: Quantity) -> frozenset[str]:
    """The verifier's reading of the figure's fate, where no cue word is near it
    ("tuant 11 gendarmes", "ont retrouvé 79 corps", "sous les décombres")."""
    return frozenset(read_count(doc, q).fates) & set(COUNT_CATEGORIES)


def date_candidates(doc: Document) -> list[DateMention]:
    """Date mentions; a bare year ("since 2012") is background, not a date,
    and the article's date line is when it was written, not when the event happened.
    "Since Friday", a few days before it was written, gives those days."""
    kept: list[DateMention] = []
    line = doc.dateline
    for mention in doc.dates:
        if line is not None and (mention.start, mention.end) == (line.start, line.end):
            continue
        if not re.fullmatch(r"\d{4}", mention.surface.strip()):
            kept.append(mention)  # each where it is: "Sunday" may date two incidents
    # the verifier's reading of each: a statement's day ("the army said on Thursday"), a
    # wire dateline, a period's start or history is not when the event happened
    events = []
    for m in kept:
        role = date_role(doc, m)
        since = since_until_written(doc, m) if role == PERIOD_START else None
        if since and not _dates_a_toll(doc, m):
            since = None  # "the journalist, held since Friday, was freed on Saturday"
        if role == EVENT or since:
            events.append(since or m)  # "since Friday evening": Friday until written
    return events or kept


def _dates_a_toll(doc: Document, m: DateMention) -> bool:
    """A figure of the sentence is dated by the mention ("Since Friday evening, the
    fighting has resulted in 101 deaths")."""
    left, right = doc.sentence_bounds(m.start, m.end)
    return any(
        _read_fates(doc, q)
        and any(d.start == m.start for d in clause_dates(doc, q.start, q.noun_end or q.end))
        for q in doc.quantities
        if left <= q.start < right
    )


def quote_around(doc: Document, start: int, end: int, limit: int = MAX_QUOTE) -> str:
    """The verbatim sentence holding [start, end), cut to `limit` around the value."""
    left, right = doc.sentence_bounds(start, end)
    if right - left > limit:
        middle = (start + end) // 2
        left = max(left, min(middle - limit // 2, right - limit))
        right = min(right, left + limit)
    return doc.text[left:right].strip()


_CLAIM_VERB = re.compile(
    r"(?<![a-z])(?:said|says|claim|announc|declar|report|stat(?:ed|es)\b|according to|told"
    r"|selon|annonce|affirm|revendiqu|indique)"
)


def nearest_actor(actors: list[ActorMention], doc: Document, q: Quantity) -> str:
    """Who asserts the figure: the actor nearest the sentence's speech or claim verb
    ("FAMa claimed ... killing over 80"); with no such verb, the article."""
    left, right = doc.sentence_bounds(q.start, q.end)
    if not any(left <= a.start < right for a in actors) and left > 0:
        if _CLAIM_VERB.search(doc.folded, left, right):
            return "the article"  # "Au moins six morts, selon un communiqué": no party
        # "... resulted in the deaths of ten terrorists": the previous sentence says who
        left = doc.sentence_bounds(max(left - 2, 0), max(left - 2, 0))[0]
    sentence = doc.text[left:right]
    inside = [(a.start, a.name) for a in actors if left <= a.start < right]
    for group_names in doc.aliases.names_of("actor"):
        for alias in group_names:
            if match := find_name(sentence, alias, doc.aliases, loose=False):
                inside.append((left + match.start, match.matched))
                break
    if not inside:
        return "the article"
    verb = _CLAIM_VERB.search(doc.folded, left, right)
    if verb is None:
        return "the article"  # nobody speaks here: the parties named are not sources
    return min(inside, key=lambda found: abs(found[0] - verb.start()))[1]
