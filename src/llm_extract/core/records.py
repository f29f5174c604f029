"""Incident records: what the model must return for one article.

ACLED supplies the vocabulary (event types, actor types, precision codes); UCDP adds
low/best/high estimates, deaths by side and who a figure came from. Every value carries
the verbatim quote it came from so the verifier can ground it. Lengths and list sizes
are bounded on purpose: the bounds become grammar limits for small local models, so a
model that starts repeating itself is cut off by the schema, not by the token limit.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from llm_extract.core.acled import (
    ACTOR_TYPES,
    GEO_PRECISION,
    SUB_EVENTS,
    TIME_PRECISION,
    EventType,
    SubEventType,
    describe_codes,
)

SCHEMA_VERSION = "1.0"

Quote = Annotated[
    str,
    Field(
        min_length=1,
        max_length=400,
        description="Verbatim span copied from the article that states this value. "
        "Copy it character for character; never paraphrase.",
    ),
]
ShortText = Annotated[str, Field(min_length=1, max_length=120)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class EventClass(_Record):
    """An ACLED event type with one of its own sub-event types.

    Its JSON Schema lists the valid pairs (anyOf), so a grammar-constrained model can
    only produce a valid pair and a remote model sees which pairs exist.
    """

    event_type: EventType = Field(description="ACLED event type.")
    sub_event_type: SubEventType = Field(
        description="ACLED sub-event type; must belong to the event type."
    )

    @model_validator(mode="after")
    def _pair_is_valid(self) -> EventClass:
        allowed = SUB_EVENTS[self.event_type]
        if self.sub_event_type not in allowed:
            names = ", ".join(s.value for s in allowed)
            raise ValueError(
                f"sub-event type {self.sub_event_type.value!r} does not belong to "
                f"event type {self.event_type.value!r} (allowed: {names})"
            )
        return self

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        base = handler.resolve_ref_schema(handler(core_schema))
        pairs: list[dict[str, Any]] = [
            {
                "type": "object",
                "properties": {
                    "event_type": {"const": event.value, "type": "string"},
                    "sub_event_type": {
                        "enum": [sub.value for sub in subs],
                        "type": "string",
                    },
                },
                "required": ["event_type", "sub_event_type"],
                "additionalProperties": False,
            }
            for event, subs in SUB_EVENTS.items()
        ]
        return {
            "title": base.get("title", cls.__name__),
            "description": base.get("description", ""),
            "anyOf": pairs,
        }


class IncidentDate(_Record):
    text: ShortText = Field(
        description="The date words as written in the article, e.g. 'on Sunday and Monday' "
        "or 'between July 15 and 19'."
    )
    start: date | None = Field(
        description="First day as YYYY-MM-DD when the article allows it, else null."
    )
    end: date | None = Field(
        description="Last day as YYYY-MM-DD for multi-day events; same as start for one day; "
        "null when unknown."
    )
    precision: Literal[1, 2, 3] = Field(
        description=f"ACLED time precision: {describe_codes(TIME_PRECISION)}."
    )
    quote: Quote

    @model_validator(mode="after")
    def _ordered(self) -> IncidentDate:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"date end {self.end} is before start {self.start}")
        return self


class Location(_Record):
    name: ShortText = Field(
        description="Place name exactly as spelled in the article (town, village, region)."
    )
    admin1: str | None = Field(
        max_length=80,
        description="First-level region (e.g. 'Kayes' region) when the article names it, "
        "else null. Do not guess.",
    )
    country: str | None = Field(max_length=60, description="Country name, or null.")
    precision: Literal[1, 2, 3] = Field(
        description=f"ACLED geo precision: {describe_codes(GEO_PRECISION)}."
    )
    quote: Quote


class Actor(_Record):
    name: ShortText = Field(
        description="Actor name as written in the article, e.g. 'FAMa' or 'JNIM'."
    )
    actor_type: Literal[1, 2, 3, 4, 5, 6, 7, 8] = Field(
        description=f"ACLED actor type: {describe_codes(ACTOR_TYPES)}."
    )
    role: Literal["attacker", "target", "participant", "claimant", "other"] = Field(
        description="The actor's role in this incident. ACLED actor order says nothing "
        "about who attacked, so state it here."
    )
    quote: Quote


class CountCategory(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    ABDUCTED = "abducted"
    CAPTURED = "captured"
    MISSING = "missing"


COUNT_CATEGORIES = tuple(c.value for c in CountCategory)
"""The categories' names in their order: the one list candidates, readers and scores use."""


class Qualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    APPROXIMATE = "approximate"
    RANGE = "range"
    VAGUE = "vague"


class CasualtyCount(_Record):
    """One reported figure, attributed; rival figures are separate counts, never merged."""

    category: CountCategory = Field(
        description="What happened to the people counted. 'Casualties' is not 'killed'; "
        "'neutralised' may mean killed or captured: use the article's meaning."
    )
    side: Literal["side_a", "side_b", "civilians", "unknown"] = Field(
        description="UCDP side of the people counted: side_a = state forces, "
        "side_b = their armed opponent, civilians, or unknown."
    )
    victim_group: ShortText = Field(
        description="The noun the number counts, as written: 'militants', 'soldiers', 'civilians'."
    )
    surface: ShortText = Field(
        description="The number words exactly as written, with their qualifier: "
        "'at least 80', 'dozens', 'une trentaine'."
    )
    qualifier: Qualifier = Field(
        description="exact; at_least (at least, more than, over); at_most (up to, as many "
        "as); approximate (about, around, nearly); range (70-80); vague (dozens, scores)."
    )
    low: int | None = Field(ge=0, description="Lowest figure the text allows, or null.")
    best: int | None = Field(
        ge=0,
        description="Most conservative point value (ACLED): 'dozens' = 12, 'tens' = 10, "
        "'hundreds' = 100; null when the text gives no number ('several').",
    )
    high: int | None = Field(ge=0, description="Highest figure the text allows, or null.")
    attributed_to: ShortText = Field(
        description="Who asserts the figure: 'Malian army', 'JNIM', 'local sources', or "
        "'the article' when nobody is cited."
    )
    provisional: bool = Field(
        description="True for preliminary or running totals ('toll rose to')."
    )
    quote: Quote

    @model_validator(mode="after")
    def _bounds_ordered(self) -> CasualtyCount:
        values = [v for v in (self.low, self.best, self.high) if v is not None]
        if values != sorted(values):
            raise ValueError(
                f"count bounds out of order: low={self.low} best={self.best} high={self.high}"
            )
        return self


class Claim(_Record):
    """A non-numeric assertion, kept with who made it (e.g. a group's claim of seizure)."""

    claimant: ShortText = Field(description="Who makes the claim.")
    statement: Annotated[str, Field(min_length=1, max_length=240)] = Field(
        description="The claim in a few words."
    )
    quote: Quote


class Incident(_Record):
    summary: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="One sentence: who did what to whom, where and when."
    )
    classification: EventClass = Field(description="ACLED event type and sub-event type.")
    classification_quote: Quote
    date: IncidentDate
    locations: list[Location] = Field(
        min_length=1,
        max_length=12,
        description="Every place where the incident happened, one entry per place.",
    )
    is_aggregate: bool = Field(
        description="True when the article reports several places or days as one incident "
        "(ACLED would code one event per place and day)."
    )
    actors: list[Actor] = Field(max_length=6, description="Parties to the incident.")
    counts: list[CasualtyCount] = Field(
        max_length=10,
        description="Every reported number of people killed, injured, abducted, captured or "
        "missing; one entry per figure and per claimant.",
    )
    claims: list[Claim] = Field(
        max_length=6, description="Non-numeric claims, each with its claimant."
    )


class ArticleExtraction(_Record):
    """All incidents one article reports. An article with no incident has an empty list."""

    incidents: list[Incident] = Field(
        max_length=8,
        description="Incidents of political violence or protest reported in the article.",
    )
