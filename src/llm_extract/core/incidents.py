"""Dataset-level incidents: one real event, reported by one or more articles.

A merged incident never averages or overwrites what a source said: every source
incident is kept whole (with its quotes and geocoded places), every figure is listed
with its article and claimant, and the agreed values sit beside them, with the rule
that produced each one.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from llm_extract.core.articles import ArticleSource
from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import CountCategory, Incident, Qualifier

MAX_FIGURE = 10_000_000
"""The largest people count a dataset row may carry: above any toll one incident or
campaign has had reported. A larger figure is a misreading (a year, a sum, a phone
number): merging leaves it out of the agreed figures, and a merged file holding one is
refused, so it is never exported as fatalities."""


def plausible_figure(value: int | None) -> bool:
    return value is None or 0 <= value <= MAX_FIGURE


def _plausible(value: int | None) -> int | None:
    if not plausible_figure(value):
        raise ValueError(f"a count of people above {MAX_FIGURE:,} is not a reported toll")
    return value


Figure = Annotated[int | None, AfterValidator(_plausible)]


class SourceIncident(BaseModel):
    """One article's incident, as extracted: the evidence a merged incident rests on."""

    article_id: str
    index: int = Field(ge=0, description="Position of the incident in the article's record.")
    incident: Incident
    places: list[GeocodedPlace] = Field(
        default_factory=list, description="The incident's locations geocoded, in order."
    )
    source: ArticleSource | None = Field(
        default=None, description="Where the article came from (outlet, url, title, date)."
    )

    @property
    def key(self) -> str:
        return f"{self.article_id}#{self.index}"


class MergedLocation(BaseModel):
    key: str = Field(description="What made two mentions the same place: gazetteer id or name.")
    name: str = Field(description="The most frequent spelling among the sources.")
    spellings: list[str]
    country: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    geo_precision: Literal[1, 2, 3]
    resolved: bool = Field(description="Whether the gazetteer knows the place.")
    articles: list[str]


class MergedActor(BaseModel):
    key: str = Field(description="Alias-normalised name: FAMa and 'Malian army' share one.")
    name: str
    spellings: list[str]
    actor_type: int
    roles: list[str]
    articles: list[str]


class CountReport(BaseModel):
    """One source's figure, exactly as that source gave it."""

    article_id: str
    surface: str
    qualifier: Qualifier
    low: Figure
    best: Figure
    high: Figure
    attributed_to: str
    victim_group: str
    provisional: bool
    quote: str


class MergedCount(BaseModel):
    """All sources' figures for one category and side, and the conservative agreement."""

    category: CountCategory
    side: str
    best: Figure = Field(
        description="Agreed point value: the lowest figure any source gives (ACLED's most "
        "conservative rule); null when no source gives a number."
    )
    low: Figure = Field(description="Lowest figure across sources (their low or point).")
    high: Figure = Field(description="Highest figure across sources (their high or point).")
    agreed_from: list[str] = Field(description="Articles whose figure is the agreed value.")
    reports: list[CountReport]


class MergedClaim(BaseModel):
    article_id: str
    claimant: str
    statement: str
    quote: str


class Decision(BaseModel):
    """Why two source incidents were merged, linked or kept apart."""

    a: str
    b: str
    outcome: Literal["merge", "link", "separate"]
    reasons: list[str]


class Link(BaseModel):
    incident_id: str
    reasons: list[str]


class MergedIncident(BaseModel):
    id: str = Field(description="Stable: derived from the source incidents' keys.")
    event_type: str
    sub_event_type: str
    date_start: date | None
    date_end: date | None
    time_precision: Literal[1, 2, 3]
    is_aggregate: bool
    summary: str = Field(description="The first source's summary (sources in key order).")
    locations: list[MergedLocation]
    actors: list[MergedActor]
    counts: list[MergedCount]
    claims: list[MergedClaim]
    articles: list[str]
    decisions: list[Decision] = Field(
        description="The pairwise decisions that joined the sources into this incident."
    )
    links: list[Link] = Field(
        default_factory=list,
        description="Other incidents that partly overlap this one (linked, not merged).",
    )
    sources: list[SourceIncident]
