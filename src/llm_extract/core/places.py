"""Where a record's places are: the geocoding enrichment added after extraction.

Computed from a gazetteer, never asked of the model, and honest about failure: a
place the gazetteer does not know comes back unresolved with the reason."""

from __future__ import annotations

from pydantic import BaseModel, Field


class GeocodedPlace(BaseModel):
    path: str = Field(description="The location in the record, e.g. incidents[0].locations[2].")
    query: str = Field(description="The name as the record gives it.")
    resolved: bool
    reason: str
    name: str | None = None
    country: str | None = None
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    geo_precision: int | None = Field(default=None, description="ACLED geo precision, 1-3.")
    source: str | None = Field(default=None, description="The gazetteer that resolved it.")
