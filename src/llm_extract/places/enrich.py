"""Deterministic enrichment after extraction: where each place is (geocoding).

Opt-in (`--geocode`): the offline gazetteer takes seconds and hundreds of MB to
load, a cost a cache hit or a quick run should not pay. Verified results are cached with their
places, so a hit needs no gazetteer at all.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import ArticleExtraction
from llm_extract.places.gazetteer import Gazetteer, Geocode


@cache
def load_gazetteer(extra: tuple[Path, ...] = ()) -> Gazetteer:
    """The default gazetteer plus the user's GeoNames-format files, built once."""
    gazetteer = Gazetteer.default()
    for path in extra:
        gazetteer.add_geonames_file(path)
    return gazetteer


def geocode_record(record: ArticleExtraction, gazetteer: Gazetteer) -> list[GeocodedPlace]:
    """One entry per location of every incident, resolved or saying why not."""
    return [
        geocoded_place(
            f"incidents[{i}].locations[{j}]",
            gazetteer.resolve(location.name, country_hint=location.country),
        )
        for i, incident in enumerate(record.incidents)
        for j, location in enumerate(incident.locations)
    ]


def geocoded_place(path: str, found: Geocode) -> GeocodedPlace:
    """The gazetteer's answer as the record's enrichment: the place, or why there is none."""
    place = found.place
    if place is None:
        return GeocodedPlace(path=path, query=found.query, resolved=False, reason=found.reason)
    return GeocodedPlace(
        path=path,
        query=found.query,
        resolved=True,
        reason=found.reason,
        name=place.name,
        country=place.country,
        country_code=place.country_code,
        admin1=place.admin1,
        latitude=place.latitude,
        longitude=place.longitude,
        geonameid=place.geonameid,
        geo_precision=place.geo_precision,
        source=place.source,
    )


def gazetteer_fingerprint(extra: tuple[Path, ...]) -> str:
    """Changes when a user gazetteer file does: part of the verified-result key."""
    parts = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in extra if p.exists()]
    return "|".join(parts) or "default"
