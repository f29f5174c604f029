"""Geocoding as a pipeline step: opt-in, per location, unresolved when unknown, cached."""

from __future__ import annotations

from pathlib import Path

from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.io.records import load_records
from llm_extract.places.enrich import geocode_record, load_gazetteer
from tests.conftest import ROOT, seed_text
from tests.doubles import CountingBackend

GOLD = load_records(ROOT / "tests" / "gold" / "gold.jsonl")


def test_gold_places_of_seed_001_resolve_or_say_why_not() -> None:
    places = {p.query: p for p in geocode_record(GOLD["001_42dbdfaf130e5adc"], load_gazetteer())}
    kayes, niono = places["Kayes"], places["Niono"]
    assert (kayes.resolved, kayes.country_code, kayes.admin1, kayes.geo_precision) == (
        True, "ML", "Kayes", 1,
    )  # fmt: skip
    assert niono.admin1 == "Ségou" and niono.latitude and niono.longitude
    for unknown in ("Diboli", "Sandere", "Gogoui"):
        assert not places[unknown].resolved and "not in the gazetteer" in places[unknown].reason
    assert all(p.path.startswith("incidents[") for p in places.values())


def test_a_user_gazetteer_resolves_what_the_default_cannot(tmp_path: Path) -> None:
    extra = tmp_path / "extra.txt"
    row = ["1", "Diboli", "Diboli", "", "14.52", "-11.93", "P", "PPL", "ML", "", "03"]
    extra.write_text("\t".join([*row, "", "", "", "0"]) + "\n", encoding="utf-8")
    places = {p.query: p for p in geocode_record(GOLD["001_42dbdfaf130e5adc"],
                                                 load_gazetteer((extra,)))}  # fmt: skip
    assert places["Diboli"].resolved and places["Diboli"].source == str(extra)


def test_extraction_geocodes_only_when_asked_and_caches_the_places(tmp_path: Path) -> None:
    text, backend = seed_text("001_42dbdfaf130e5adc.txt"), CountingBackend()
    plain = Extractor(Settings(cache_dir=tmp_path), backend=backend).extract(text)
    assert plain.places == []
    geocoded = Extractor(Settings(cache_dir=tmp_path, geocode=True), backend=backend).extract(text)
    locations = sum(len(i.locations) for i in geocoded.record.incidents)
    assert len(geocoded.places) == locations > 0
    again = Extractor(Settings(cache_dir=tmp_path, geocode=True), backend=backend).extract(text)
    assert again.cached and again.places == geocoded.places
    assert len(backend.calls) == 1
