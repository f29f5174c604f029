"""Cross-article merging on the seeds' gold records, on damaged copies, and as a property:
order-independent and idempotent."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llm_extract
from llm_extract.core.incidents import MergedIncident, SourceIncident
from llm_extract.dataset.merge import merge, sources_from_lines
from llm_extract.interfaces.cli.main import main
from llm_extract.io.jsonl import json_lines
from llm_extract.places.enrich import load_gazetteer

GOLD = Path(__file__).parent / "gold" / "gold.jsonl"
JULY_1 = {"000_16f55f85dcef49e5#1", "001_42dbdfaf130e5adc#0", "003_880e22595b6a996f#0",
          "004_b565bea953493acf#0"}  # fmt: skip


@pytest.fixture(scope="module")
def sources() -> list[SourceIncident]:
    """Gold incidents, geocoded once so the property tests need no gazetteer."""
    raw = sources_from_lines(json_lines(GOLD))
    unmerged = merge(raw, gazetteer=load_gazetteer(), combine=False).incidents
    return [source for incident in unmerged for source in incident.sources]


def _by_source(incidents: list[MergedIncident]) -> dict[str, MergedIncident]:
    return {s.key: i for i in incidents for s in i.sources}


def _dump(incidents: list[MergedIncident]) -> list[str]:
    return [i.model_dump_json() for i in incidents]


def test_gold_july_attacks_are_one_incident_with_four_sources(sources: list[SourceIncident]):
    incidents = merge(sources).incidents
    owner = _by_source(incidents)
    july = owner["001_42dbdfaf130e5adc#0"]
    assert {s.key for s in july.sources} == JULY_1
    assert len(july.articles) == 4
    assert (july.date_start.isoformat(), july.date_end.isoformat()) == ("2025-07-01",) * 2
    assert july.time_precision == 1  # the most precise source (001) sets the date
    killed = next(c for c in july.counts if c.category == "killed" and c.side == "side_b")
    assert killed.best == 80 and len(killed.reports) == 4
    assert sorted(r.surface for r in killed.reports) == ["80", "80", "at least 80", "over 80"]
    assert {r.attributed_to for r in killed.reports} == {"FAMa", "Malian army"}
    towns = {loc.name for loc in july.locations if loc.geo_precision == 1}
    assert {"Kayes", "Nioro du Sahel", "Niono", "Molodo", "Diboli"} <= towns
    nioro = next(loc for loc in july.locations if loc.name == "Nioro du Sahel")
    assert nioro.spellings == ["Nioro du Sahel", "Nioro"] and nioro.admin1 == "Kayes"
    sandare = next(loc for loc in july.locations if "Sandaré" in loc.spellings)
    assert set(sandare.spellings) == {"Sandaré", "Sandere"} and not sandare.resolved
    assert len(july.claims) == sum(len(s.incident.claims) for s in july.sources)
    assert all(d.outcome == "merge" for d in july.decisions) and len(july.decisions) == 6


def test_gold_mid_july_operation_and_counter_offensive_stay_apart(sources):
    incidents = merge(sources).incidents
    owner = _by_source(incidents)
    mid_july, counter = owner["000_16f55f85dcef49e5#0"], owner["002_478af1d20671a3e8#0"]
    assert [s.key for s in mid_july.sources] == ["000_16f55f85dcef49e5#0"]
    assert [s.key for s in counter.sources] == ["002_478af1d20671a3e8#0"]
    # They share the Ménaka region and FAMa, with no date: linked, not merged, both ways.
    assert [link.incident_id for link in mid_july.links] == [counter.id]
    assert [link.incident_id for link in counter.links] == [mid_july.id]
    assert "Menaka" in counter.links[0].reasons[0]
    assert len(incidents) == 7  # 10 gold incidents; the four July-1 reports became one


def test_explain_cli_writes_incidents_and_reasons(tmp_path):
    out = tmp_path / "incidents.jsonl"
    result = CliRunner().invoke(main, ["merge", str(GOLD), "--out", str(out), "--explain"])
    assert result.exit_code == 0, result.output
    assert "10 incidents from 5 articles -> 7 events (1 reported by several articles, " \
           "2 links)" in result.stderr  # fmt: skip
    assert "merge decisions (6):" in result.stderr
    assert "figures match: killed side_b 80 and 80" in result.stderr
    assert "places shared: 7 of 7" in result.stderr
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 7
    again = tmp_path / "again.jsonl"
    result = CliRunner().invoke(main, ["merge", str(out), "--out", str(again), "--no-geocode"])
    assert result.exit_code == 0, result.output
    assert again.read_text("utf-8") == out.read_text("utf-8")  # idempotent through files


def test_dates_too_far_apart_are_never_merged(sources):
    chosen = [s for s in sources if s.key in {"001_42dbdfaf130e5adc#0", "004_b565bea953493acf#0"}]
    moved = chosen[1].incident.date.model_copy(
        update={"start": chosen[1].incident.date.start + timedelta(days=30),
                "end": chosen[1].incident.date.end + timedelta(days=30)})  # fmt: skip
    late = chosen[1].model_copy(
        update={"incident": chosen[1].incident.model_copy(update={"date": moved})}
    )
    outcome = merge([chosen[0], late])
    assert len(outcome.incidents) == 2
    [decision] = outcome.decisions
    assert decision.outcome == "separate" and decision.reasons[0].startswith("dates conflict")
    # Within the tolerance they merge again.
    assert len(merge([chosen[0], late], tolerance_days=30).incidents) == 1


def test_two_incidents_of_one_article_never_join_one_event(sources):
    july_001 = next(s for s in sources if s.key == "001_42dbdfaf130e5adc#0")
    twin = july_001.model_copy(update={"index": 7})  # the same report, seen twice in 001
    july_004 = next(s for s in sources if s.key == "004_b565bea953493acf#0")
    outcome = merge([july_001, twin, july_004])
    owner = _by_source(outcome.incidents)
    assert owner[july_001.key].id != owner[twin.key].id
    assert len(outcome.incidents) == 2
    refused = owner[twin.key] if len(owner[twin.key].sources) == 1 else owner[july_001.key]
    assert refused.links, "the refused merge is kept as a link"


def test_generic_actors_alone_do_not_merge(sources):
    july_001 = next(s for s in sources if s.key == "001_42dbdfaf130e5adc#0")
    july_004 = next(s for s in sources if s.key == "004_b565bea953493acf#0")
    anonymous = july_004.incident.model_copy(update={"actors": [
        a.model_copy(update={"name": "militants", "actor_type": 3})
        for a in july_004.incident.actors
    ]})  # fmt: skip
    outcome = merge([july_001, july_004.model_copy(update={"incident": anonymous})])
    assert len(outcome.incidents) == 2
    assert outcome.decisions[0].outcome == "link"  # same towns, but no named actor in common


def test_api_merges_results_and_files(sources, tmp_path):
    lines = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines()]
    from_objects = llm_extract.merge(lines)
    from_path = llm_extract.merge(GOLD)
    assert _dump(from_objects.incidents) == _dump(from_path.incidents)
    assert len(from_path.decisions) == 31  # of 38 cross-article pairs, those sharing something
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', "utf-8")
    with pytest.raises(llm_extract.InputError, match=r"bad.jsonl:1: expected a result"):
        llm_extract.merge(bad)


def test_a_later_record_of_an_article_replaces_all_its_incidents():
    lines = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines()]
    first = next(line for line in lines if line["id"].startswith("001_"))  # 3 incidents
    rerun = {**first, "record": {"incidents": first["record"]["incidents"][:1]}}
    sources = sources_from_lines([("a", first), ("b", {"status": "error", "id": first["id"]}),
                                  ("c", rerun)])  # fmt: skip
    assert [s.key for s in sources] == ["001_42dbdfaf130e5adc#0"]


# --- properties --------------------------------------------------------------------------

ARTICLES = [f"a{n}" for n in range(4)]


@st.composite
def datasets(draw, pool):
    """Gold incidents re-attributed to a few articles, some dates shifted, places dropped."""
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=10))
    result, next_index = [], dict.fromkeys(ARTICLES, 0)
    for source in chosen:
        article = draw(st.sampled_from(ARTICLES))
        incident = source.incident
        if incident.date.start and draw(st.booleans()):
            shift = timedelta(days=draw(st.integers(-20, 20)))
            incident = incident.model_copy(
                update={
                    "date": incident.date.model_copy(
                        update={
                            "start": incident.date.start + shift,
                            "end": incident.date.end + shift,
                        }
                    )
                }
            )
        keep = draw(st.integers(1, len(incident.locations)))
        incident = incident.model_copy(update={"locations": incident.locations[:keep]})
        result.append(
            SourceIncident(
                article_id=article,
                index=next_index[article],
                incident=incident,
                places=source.places[:keep],
            )
        )
        next_index[article] += 1
    return result  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_merge_is_order_independent_and_idempotent(sources, data):
    dataset = data.draw(datasets(sources))
    expected = _dump(merge(dataset).incidents)
    shuffled = data.draw(st.permutations(dataset))
    assert _dump(merge(shuffled).incidents) == expected
    merged_lines = [("line", json.loads(line)) for line in expected]
    again = merge(sources_from_lines(merged_lines)).incidents
    assert _dump(again) == expected
