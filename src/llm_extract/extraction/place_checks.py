"""The verifier's checks that read the gazetteer or the extractor's place phrases: a
place's country and region against where the gazetteer has it, a region against the
towns the text names it with, and a count, date or actor against the place its passage
names."""

from __future__ import annotations

import re

from llm_extract.core.records import Incident
from llm_extract.roles.clauses import mentions, paragraph
from llm_extract.roles.figures.count_place import Named, NamesIn, other_place, prior_story
from llm_extract.roles.places import EVENT, REFERENCE, place_role
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Check, Document, check_name


def elsewhere(
    doc: Document,
    incident: Incident,
    surface: str,
    check: Check,
    named: NamesIn,
    at: tuple[int, int] | None = None,
) -> Check:
    """A supported count or date turned down when its passage (`at`, else where the
    check found it) puts it at another place ("On September 4, a terrorist was killed
    in Reasi" for the Narla encounter) or in an earlier story the text recalls ("it
    came days after ...") that the incident's places are not in."""
    at = at or (None if check.start is None else (check.start, check.end or check.start))
    if check.verdict == "unsupported" or at is None:
        return check  # an unverifiable date ("le mois dernier") is still read where it is
    own = _own_places(incident)
    if prior_story(doc, at[0], _names(incident)):
        return _recalled(surface, check, "other_event")
    place = passage_place(doc, at[0], at[1], own, named)
    if place is None:
        return check
    return Check("unsupported", f"the text puts {surface!r} at {place!r}, another place "
                 "than the incident's", check.start, check.end, code="other_event")  # fmt: skip


def passage_place(
    doc: Document, start: int, end: int, own: list[str], named: NamesIn
) -> str | None:
    """The other place than `own` (a record's places, regions, countries) that the
    passage holding [start, end) puts its events at, if it does."""
    return other_place(doc, start, end, own, named, _is_town)


def place_elsewhere(doc: Document, incident: Incident, j: int, check: Check) -> Check:
    """A supported place turned down when every mention of it is in an earlier story
    the text recalls while the incident's other places are named outside it ("the
    shelling followed a drone attack on a base in Khamis Mushait")."""
    name = incident.locations[j].name
    others = [n for n in _names(incident) if name_key(n) != name_key(name)]
    spots = mentions(doc, name)
    if check.verdict != "supported" or not others or not spots:
        return check
    if not all(prior_story(doc, s, others) for s, _ in spots):
        return check
    return _recalled(name, check)


def _recalled(surface: str, check: Check, code: str = "background") -> Check:
    return Check("unsupported", f"{surface!r} is named only for an earlier event the text "
                 "recalls", check.start, check.end, code=code)  # fmt: skip


def _names(incident: Incident) -> list[str]:
    return [loc.name for loc in incident.locations]


def _own_places(incident: Incident) -> list[str]:
    """The incident's places with their regions and countries: where its passages are."""
    return [n for loc in incident.locations for n in (loc.name, loc.admin1, loc.country) if n]


def actor_elsewhere(
    doc: Document, incident: Incident, name: str, check: Check, named: NamesIn
) -> Check:
    """A supported actor turned down when every passage naming it puts its events at
    another place ("In Helmand province, US-led troops killed several Taliban" for a
    bombing near Kabul), or every mention is in an earlier story the text recalls: a
    party of another incident of the article."""
    if check.verdict != "supported":
        return check
    own = _own_places(incident)
    spots = mentions(doc, name)
    if not own or not spots:
        return check
    if all(prior_story(doc, s, _names(incident)) for s, _ in spots):
        return _recalled(name, check)
    at_own = [a for n in own for a, _ in mentions(doc, n)]
    places = []
    for s, e in spots:
        left, right = paragraph(doc, s, e)
        if any(left <= a < right for a in at_own):
            return check  # "... 23 morts à travers le pays, dont Alep ... Douze à Naoua"
        places.append(passage_place(doc, s, e, own, named))
    if any(place is None for place in places):
        return check
    return Check("unsupported", f"{name!r} is named only for events at another place "
                 f"({places[0]!r}) than the incident's", check.start, check.end,
                 code="background")  # fmt: skip


def named_places(doc: Document) -> NamesIn:
    """Towns and areas the article's location phrases name between two offsets (the
    extractor's reading), read only where asked and once."""
    from llm_extract.extraction.grounded.places import phrase_places
    from llm_extract.text.world import is_country

    def read(left: int, right: int) -> list[Named]:
        return [Named(p.start, p.end, p.name, p.admin, p.typed)
                for p in phrase_places(doc, (left, right))
                if p.precision < 3 and not is_country(p.name)]  # fmt: skip

    return lambda left, right: doc.memo(("named", left, right), lambda: read(left, right))


def country_of_places(
    doc: Document, place: str, country: str, check: Check, named: NamesIn
) -> Check:
    """The country against the countries the gazetteer puts the article's towns in. One
    the article never names is supported when a town is in it (a report from Ituri that
    says "Bunia" and never "RDC"); one it names only apart from the place (a neighbour,
    a member of a force, never where events happen) is unsupported when the towns are
    all in other countries."""
    from llm_extract.text.world import country_code

    wanted = {c for n in {country, *doc.aliases.aliases(country)} if (c := country_code(n))}
    if not wanted:
        return check
    if check.verdict != "supported":
        if check_name(doc, country).verdict == "supported":
            return check
        story = _story_countries(doc, named)
        hit = next((story[c] for c in wanted if c in story), None)
        if hit is None:
            return check
        why = f"the article names no country, but {hit[2]!r} is in {country} (gazetteer)"
        return Check("supported", why, hit[0], hit[1], code="ok")
    spots = mentions(doc, country)
    if spots and all(_STATE_AFTER.match(doc.text, b) for _, b in spots):
        why = f"the text names {country!r} only as a state ('{country} state'), not the country"
        return Check("unsupported", why, code="wrong_region")
    if _named_with(doc, place, country) or any(place_role(doc, a, b) == EVENT for a, b in spots):
        return check  # named with the place, or where the text sets events ("au Cameroun")
    story = _story_countries(doc, named)
    if not story or wanted & set(story):
        return check
    towns = ", ".join(sorted({hit[2] for hit in story.values()}))
    return Check("unsupported", f"the text names {country!r} only apart from {place!r}, and "
                 f"its towns ({towns}) are elsewhere (gazetteer)", code="wrong_region")  # fmt: skip


# "Niger state", Nigeria's; not "Burkina Faso state television" or "state-run media"
_STATE_AFTER = re.compile(
    r"\s+(?:state|State)\b(?!-|\s+(?:media|television|tv|radio|broadcaster|news|agency|forces"
    r"|security|department|official|officials|governments?|\w+ion\b))"
)


def _named_with(doc: Document, place: str, other: str) -> bool:
    """Some paragraph names both."""
    spots = mentions(doc, other)
    return any(
        any(left <= a < right for a, _ in spots)
        for left, right in (paragraph(doc, a, b) for a, b in mentions(doc, place))
    )


def _story_countries(doc: Document, named: NamesIn) -> dict[str, tuple[int, int, str]]:
    """The countries of the towns the article puts events or references in, by the
    gazetteer (exact names only), with the first such town of each."""

    def read() -> dict[str, tuple[int, int, str]]:
        from llm_extract.places.geonames import load_base, name_keys
        from llm_extract.text.world import is_country

        towns = load_base().layer.towns
        spots = [(p.start, p.end, p.name) for p in named(0, len(doc.text))]
        # and names mid-sentence ("à 55 km au nord de Bunia"): references locate it too
        spots += [
            (m.start("name"), m.end("name"), m["name"])
            for m in _MID_SENTENCE_NAME.finditer(doc.text)
        ]
        found: dict[str, tuple[int, int, str]] = {}
        for start, end, name in spots:
            entries = [place for place, main in towns.get(name_keys([name])[0], ()) if main]
            if not entries or is_country(name):
                continue
            # the town of that name most people live in: Kabul is Afghanistan's
            largest = max(entries, key=lambda place: place.population or 0)
            if place_role(doc, start, end) in (EVENT, REFERENCE):  # not "heure de Paris"
                found.setdefault(largest.country_code, (start, end, name))
        return found

    return doc.memo(("story_countries",), read)


_MID_SENTENCE_NAME = re.compile(
    r"\b(?:de|du|of|from|in|at|near|à|a|au|vers|toward|towards) "
    r"(?P<name>[A-ZÀ-Ý][a-zà-ÿ]{2,}(?:[\s\-][A-ZÀ-Ý][a-zà-ÿ]+)?)"
)


def _is_town(name: str) -> bool:
    """The gazetteer knows a town of that name (loaded once, only when asked)."""
    from llm_extract.places.geonames import load_base, name_keys

    return name_keys([name])[0] in load_base().layer.towns


def gazetteer_country(name: str, country: str) -> Check | None:
    """The gazetteer knows the place only in a neighbouring country ("Torodi" given as
    in Burkina Faso: the only Torodi is in Niger). Loaded once per process, and only
    for a record that gives a country."""
    from llm_extract.places.enrich import load_gazetteer

    found = load_gazetteer().resolve(name, country_hint=country)
    if found.place is None or "no such place in" not in found.reason:
        return None
    return Check(
        "unsupported",
        f"the gazetteer has {name!r} in {found.place.country}, not {country!r} ({found.reason})",
        code="wrong_region",
    )


_UNIT_WORDS = re.compile(
    r"\b(?:province|region|state|department|governorate|gouvernorat|oblast|r[eé]gion"
    r"|d[eé]partement|prefecture|pr[eé]fecture)\b(?:\s+(?:of|de|du|d'))?",
    re.IGNORECASE,
)
_NAMESAKE_MIN_POPULATION = 20_000
"""A first-level region is known by a city of its name only when that city is large:
the region's seat (Kirkuk, Erbil, Donetsk), not a village that shares the name."""


def gazetteer_admin1(name: str, region: str, country: str | None) -> Check | None:
    """The gazetteer puts every town of that name in another first-level region than
    the region's namesake city (or Mali's region) of the same country ("Dibis" given in
    Erbil: Dibis is in Kirkuk governorate). GeoNames names regions of Mali only, so a
    region is compared by its admin1 code; no namesake, or several: nothing is said."""
    from llm_extract.places.geonames import load_base, name_keys

    base = load_base()
    place_key, region_key = name_keys([name, _UNIT_WORDS.sub(" ", region)])
    if not place_key or not region_key or place_key == region_key:
        return None
    wanted = base.codes.get(country.strip().upper()) if country else None
    if country and wanted is None:
        wanted = next((cc for cc, n in base.country_names.items() if n == country), None)
    towns = [p for p, _ in base.layer.towns.get(place_key, ()) if p.admin1_code]
    seats = [p for p, _ in base.layer.regions.get(region_key, ())] + [
        p
        for p, _ in base.layer.towns.get(region_key, ())
        if (p.population or 0) >= _NAMESAKE_MIN_POPULATION
    ]
    verdicts = []
    for cc in sorted({p.country_code for p in towns} & {p.country_code for p in seats}):
        if wanted and cc != wanted:
            continue
        codes = {p.admin1_code for p in seats if p.country_code == cc and p.admin1_code}
        here = {p.admin1_code for p in towns if p.country_code == cc}
        if len(codes) == 1 and not codes & here:
            verdicts.append((cc, here))
    if len(verdicts) != 1:
        return None
    return Check(
        "unsupported",
        f"the gazetteer has no {name!r} in {region!r} (first-level region {sorted(verdicts[0][1])}"
        f", not that of {region!r}'s seat)",
        code="wrong_region",
    )


def region_elsewhere(doc: Document, place: str, region: str, check: Check, named: NamesIn) -> Check:
    """A supported region turned down when the text names it only with other places,
    never with the place or a place named with it ("North Darfur" said of El Fasher,
    given for a refinery north of Khartoum; but "Simbolongo, in Mucojo" and "Mucojo, in
    Macomia district, in Cabo Delgado" chain Simbolongo to Cabo Delgado)."""
    if check.verdict != "supported":
        return check
    places, regions = mentions(doc, place), mentions(doc, region)
    if not places or not regions:
        return check
    reach = {paragraph(doc, a, b) for a, b in places}
    linked = {p.name for x, y in reach for p in named(x, y)}
    reach |= {paragraph(doc, a, b) for name in linked for a, b in mentions(doc, name)}
    if any(paragraph(doc, a, b) in reach for a, b in regions):
        return check
    want, key = name_key(region), name_key(place)
    for a, b in regions:
        left, right = doc.sentence_bounds(a, b)
        other = next((p for p in named(left, right) if not p.admin
                      and name_key(p.name) not in (want, key)
                      and want not in name_key(p.name)), None)  # fmt: skip
        if other is None:  # named alone, or with the units of a container chain ("in
            return check  # Macomia district, in the province of Cabo Delgado")
    return Check("unsupported", f"the text names {region!r} only with other places "
                 f"({other.name!r}), never with {place!r}", regions[0][0], regions[0][1],
                 code="wrong_region")  # fmt: skip
