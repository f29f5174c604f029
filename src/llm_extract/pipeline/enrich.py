"""Deterministic enrichment after extraction: where each place is (geocoding).

Opt-in (`--geocode`): the offline gazetteer takes ~6 s and ~250 MB to load, a cost
a cache hit or a quick run should not pay. Verified results are cached with their
places, so a hit needs no gazetteer at all.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import ArticleExtraction
from llm_extract.text.geocode import Gazetteer


@cache
def load_gazetteer(extra: tuple[Path, ...] = ()) -> Gazetteer:
    """The default gazetteer plus the user's GeoNames-format files, built once."""
    gazetteer = Gazetteer.default()
    for path in extra:
        gazetteer.add_geonames_file(path)
    return gazetteer


def geocode_record(record: ArticleExtraction, gazetteer: Gazetteer) -> list[GeocodedPlace]:
    """One entry per location of every incident, resolved or saying why not."""
    places = []
    for i, incident in enumerate(record.incidents):
        for j, location in enumerate(incident.locations):
            found = gazetteer.resolve(location.name, country_hint=location.country)
            place = found.place
            places.append(
                GeocodedPlace(
                    path=f"incidents[{i}].locations[{j}]",
                    query=location.name,
                    resolved=place is not None,
                    reason=found.reason,
                    **(
                        {
                            "name": place.name,
                            "country": place.country,
                            "country_code": place.country_code,
                            "admin1": place.admin1,
                            "latitude": place.latitude,
                            "longitude": place.longitude,
                            "geonameid": place.geonameid,
                            "geo_precision": place.geo_precision,
                            "source": place.source,
                        }
                        if place
                        else {}
                    ),
                )
            )
    return places


def gazetteer_fingerprint(extra: tuple[Path, ...]) -> str:
    """Changes when a user gazetteer file does: part of the verified-result key."""
    parts = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in extra if p.exists()]
    return "|".join(parts) or "default"
