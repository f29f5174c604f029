"""What the verifier says about each extracted value, and about the record as a whole."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

VerdictLabel = Literal["supported", "unsupported", "unverifiable"]
ValueKind = Literal["number", "place", "actor", "date", "quote"]
Alignment = Literal["exact", "normalized", "alias", "acronym", "fuzzy", "resolved"]
Policy = Literal["flag", "drop", "reask"]
ReasonCode = Literal[
    "ok",
    "absent",
    "mismatch",
    "other_fate",
    "projection",
    "other_event",
    "wrong_side",
    "wrong_claimant",
    "reference_place",
    "background",
    "not_a_place",
    "wrong_region",
    "wrong_role",
    "instruction_text",
    "unverifiable",
]
"""Why, for machines: "ok" for a supported value; "absent" (the article never gives it:
invented), "mismatch" (given differently: another qualifier, a paraphrased quote, date
words that disagree), the role codes (the words are there, in another role: another fate,
a projection or negation, another event, another side, another claimant, a reference
point, background, not a place, another region, another role), "instruction_text" (only
text addressed to the model gives it) and "unverifiable" (nothing to check it with)."""


class Span(BaseModel):
    """Character offsets into the text the user gave (not the cleaned text)."""

    start: int
    end: int
    text: str


class Verdict(BaseModel):
    path: str = Field(description="Where the value sits, e.g. incidents[0].counts[1].")
    kind: ValueKind
    value: str = Field(description="The value as the record states it.")
    verdict: VerdictLabel
    reason: str = Field(description="Why: what was found, or what is missing.")
    code: ReasonCode | None = Field(
        default=None,
        description="Machine-readable reason: 'ok' when supported; for an unsupported value "
        "'absent' (invented) or 'mismatch' (given differently) or the role it has instead "
        "(other_fate, projection, other_event, wrong_side, wrong_claimant, reference_place, "
        "background, not_a_place, wrong_region, wrong_role) or 'instruction_text'.",
    )
    span: Span | None = None
    alignment: Alignment | None = None
    score: float | None = Field(default=None, description="Fuzzy similarity, 0-100.")


class KindSummary(BaseModel):
    supported: int = 0
    unsupported: int = 0
    unverifiable: int = 0


class VerificationSummary(BaseModel):
    total: int
    supported: int
    unsupported: int
    unverifiable: int
    share_supported: float = Field(description="supported / (supported + unsupported).")
    by_kind: dict[str, KindSummary]


class VerificationReport(BaseModel):
    policy: Policy = "flag"
    verdicts: list[Verdict]
    summary: VerificationSummary
    removed: list[str] = Field(
        default_factory=list, description="Paths removed from the record by policy 'drop'."
    )
    injection_suspected: bool = Field(
        default=False,
        description="The article holds text addressed to the model (a prompt injection "
        "attempt); it was never taken as support.",
    )
    instruction_spans: list[Span] = Field(
        default_factory=list, description="Where that text is, in the text as given."
    )

    def unsupported(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.verdict == "unsupported"]


def summarize(verdicts: list[Verdict]) -> VerificationSummary:
    by_kind: dict[str, KindSummary] = {}
    for verdict in verdicts:
        bucket = by_kind.setdefault(verdict.kind, KindSummary())
        setattr(bucket, verdict.verdict, getattr(bucket, verdict.verdict) + 1)
    counts = {
        label: sum(v.verdict == label for v in verdicts)
        for label in ("supported", "unsupported", "unverifiable")
    }
    judged = counts["supported"] + counts["unsupported"]
    return VerificationSummary(
        total=len(verdicts),
        share_supported=round(counts["supported"] / judged, 4) if judged else 0.0,
        by_kind=by_kind,
        **counts,
    )
