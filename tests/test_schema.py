"""The record schema: ACLED pairs, UCDP bounds, exports in schemas/ kept current."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from llm_extract.core.acled import SUB_EVENTS
from llm_extract.core.records import ArticleExtraction, EventClass, Incident
from llm_extract.extraction.compact import LIST_BOUND, compact_model
from llm_extract.extraction.resources import resource_dir
from llm_extract.extraction.schemas import EXPORTS, schema_hash, stale_exports
from tests.doubles import recorded_answer


def incident() -> dict[str, Any]:
    """A full incident, the recorded model answer's first, to mutate per test."""
    answer, _ = recorded_answer()
    return copy.deepcopy(answer["incidents"][0])


def test_exports_in_schemas_folder_are_current() -> None:
    stale = stale_exports(resource_dir("schemas"))
    assert not stale, f"run `llm-extract export-schemas` to refresh: {stale}"


def test_a_changed_schema_is_detected_as_stale(tmp_path: Any) -> None:
    for name in EXPORTS:
        (tmp_path / name).write_text("{}\n")
    assert set(stale_exports(tmp_path)) == set(EXPORTS)


@pytest.mark.parametrize(
    ("event", "sub"), [(e.value, s.value) for e, subs in SUB_EVENTS.items() for s in subs]
)
def test_every_acled_pair_validates(event: str, sub: str) -> None:
    assert EventClass(event_type=event, sub_event_type=sub).sub_event_type.value == sub


def test_a_mismatched_pair_is_refused_with_the_allowed_list() -> None:
    with pytest.raises(ValidationError, match="allowed: Armed clash, Government regains"):
        EventClass(event_type="Battles", sub_event_type="Peaceful protest")


def test_pairs_are_published_as_json_schema_alternatives() -> None:
    schema = EventClass.model_json_schema()
    pairs = {
        (a["properties"]["event_type"]["const"], len(a["properties"]["sub_event_type"]["enum"]))
        for a in schema["anyOf"]
    }
    assert len(pairs) == 6
    assert sum(n for _, n in pairs) == 25


def test_count_bounds_must_be_ordered_and_non_negative() -> None:
    data = incident()
    count = {
        "category": "killed", "side": "side_b", "victim_group": "militants",
        "surface": "at least 80", "qualifier": "at_least", "low": 80, "best": 80, "high": None,
        "attributed_to": "Malian army", "provisional": False,
        "quote": "killing of at least 80 jihadist fighters",
    }  # fmt: skip
    data["counts"] = [count]
    assert Incident.model_validate(data).counts[0].best == 80
    data["counts"] = [{**count, "low": 90}]
    with pytest.raises(ValidationError, match="out of order"):
        Incident.model_validate(data)
    data["counts"] = [{**count, "best": -1}]
    with pytest.raises(ValidationError):
        Incident.model_validate(data)


def test_dates_must_not_run_backwards_and_locations_are_required() -> None:
    data = incident()
    data["date"] = {**data["date"], "start": "2025-07-02", "end": "2025-07-01"}
    with pytest.raises(ValidationError, match="before start"):
        Incident.model_validate(data)
    data = incident()
    data["locations"] = []
    with pytest.raises(ValidationError):
        Incident.model_validate(data)


def test_unknown_fields_are_refused() -> None:
    data = incident()
    data["casualties"] = 80
    with pytest.raises(ValidationError, match="Extra inputs"):
        Incident.model_validate(data)


def test_compact_variant_validates_like_the_record_but_publishes_tight_bounds() -> None:
    compact = compact_model(ArticleExtraction)
    assert compact.__name__ == "ArticleExtraction"
    assert schema_hash(compact) != schema_hash(ArticleExtraction)
    schema = compact.model_json_schema()
    assert schema["properties"]["incidents"]["maxItems"] == 1
    assert schema["$defs"]["Incident"]["properties"]["locations"]["maxItems"] == LIST_BOUND
    # validation is the full record's: three incidents are still a valid answer
    answer, _ = recorded_answer()
    three = {"incidents": answer["incidents"] * 3}
    assert len(compact.model_validate(three).incidents) == 3
