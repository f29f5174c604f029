"""Evaluation: fact matching, incident pairing and the `eval` command, on hand-counted cases."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.core.errors import InputError
from llm_extract.core.records import ArticleExtraction
from llm_extract.evaluation.records import (
    GROUPS,
    EvaluationReport,
    NameMatcher,
    evaluate,
)
from llm_extract.interfaces.cli.evaluate import eval_command
from llm_extract.io.records import load_records
from llm_extract.text.names import NAME_FUZZY_MIN, default_aliases

QUOTE = "The Malian army said it killed 80 militants in Kayes, Diboli and Sandaré."


def count(category: str, best: int, qualifier: str, by: str, side: str = "side_b") -> dict:
    return {
        "category": category,
        "side": side,
        "victim_group": "militants",
        "surface": str(best),
        "qualifier": qualifier,
        "low": None,
        "best": best,
        "high": None,
        "attributed_to": by,
        "provisional": False,
        "quote": QUOTE,
    }


def incident(
    kind: tuple[str, str],
    days: tuple[str, str],
    places: list[str],
    actors: list[tuple[str, int, str]],
    counts: list[dict] | None = None,
    claims: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "summary": f"{kind[1]} in {', '.join(places)}",
        "classification": {"event_type": kind[0], "sub_event_type": kind[1]},
        "classification_quote": QUOTE,
        "date": {
            "text": "on Tuesday",
            "start": days[0],
            "end": days[1],
            "precision": 1,
            "quote": QUOTE,
        },
        "locations": [
            {"name": p, "admin1": "Kayes", "country": "Mali", "precision": 1, "quote": QUOTE}
            for p in places
        ],
        "is_aggregate": len(places) > 1,
        "actors": [{"name": n, "actor_type": t, "role": r, "quote": QUOTE} for n, t, r in actors],
        "counts": counts or [],
        "claims": [{"claimant": c, "statement": s, "quote": QUOTE} for c, s in claims or []],
    }


CLASH = ("Battles", "Armed clash")
STRIKE = ("Explosions/Remote violence", "Air/drone strike")
ABDUCTION = ("Violence against civilians", "Abduction/forced disappearance")
PROTEST = ("Protests", "Peaceful protest")
JNIM_ATTACKS = [("JNIM", 2, "attacker"), ("Malian Armed Forces", 1, "target")]
ARMY_STRIKES = [("FAMa", 1, "attacker"), ("JNIM", 2, "target")]


def gold_dicts() -> dict[str, dict[str, Any]]:
    """25 facts: 18 in a1 (two incidents), 7 in a2."""
    a1 = [
        incident(
            CLASH,
            ("2025-07-01", "2025-07-01"),
            ["Kayes", "Diboli", "Sandaré"],
            JNIM_ATTACKS,
            [
                count("killed", 80, "exact", "Malian army"),
                count("injured", 20, "at_least", "Malian army", side="side_a"),
            ],
            [("JNIM", "seized three army barracks in Kayes")],
        ),
        incident(
            STRIKE,
            ("2025-07-02", "2025-07-03"),
            ["Nioro du Sahel"],
            ARMY_STRIKES,
            [count("killed", 12, "vague", "local sources")],
        ),
    ]
    a2 = [
        incident(
            ABDUCTION,
            ("2025-07-10", "2025-07-10"),
            ["Ségou"],
            [("JNIM", 2, "attacker"), ("civilians", 7, "target")],
            [count("abducted", 12, "exact", "local sources", side="civilians")],
        ),
    ]
    return {"a1": {"incidents": a1}, "a2": {"incidents": a2}}


def records(data: dict[str, dict[str, Any]]) -> dict[str, ArticleExtraction]:
    return {key: ArticleExtraction.model_validate(value) for key, value in data.items()}


def damaged_dicts() -> dict[str, dict[str, Any]]:
    """Gold with one best value changed, a location dropped, an actor renamed to an alias,
    one event type changed, a spurious incident added and article a2 removed."""
    data = gold_dicts()
    first, second = data["a1"]["incidents"]
    first["counts"][0]["best"] = 70
    first["locations"].pop()  # Sandaré
    first["actors"][1]["name"] = "FAMa"  # alias of Malian Armed Forces: still a match
    second["classification"] = {"event_type": "Battles", "sub_event_type": "Armed clash"}
    second["counts"][0]["attributed_to"] = "Local Sources"  # folds to the same name
    data["a1"]["incidents"].append(
        incident(
            PROTEST, ("2025-07-05", "2025-07-05"), ["Bamako"], [("protesters", 6, "participant")]
        )
    )
    del data["a2"]
    return data


def counts_of(report: EvaluationReport) -> dict[str, tuple[int, int, int]]:
    return {g: (s.tp, s.fp, s.fn) for g, s in report.groups.items()}


def test_gold_against_itself_scores_one_for_every_group_present() -> None:
    gold = records(gold_dicts())
    report = evaluate(gold, gold)
    present = {g for g, s in report.groups.items() if not s.empty}
    assert present == set(GROUPS) - {"captured", "missing"}
    for group in present:
        score = report.groups[group]
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0), group
    assert report.groups["captured"].f1 is None
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (25, 0, 0)
    assert report.overall.f1 == 1.0
    assert report.per_article == {"a1": 1.0, "a2": 1.0}
    assert report.missing_predictions == report.missing_gold == []


def test_damaged_copy_gives_the_hand_counted_figures() -> None:
    report = evaluate(records(gold_dicts()), records(damaged_dicts()))
    assert counts_of(report) == {
        "event_type": (1, 2, 2),  # strike retyped (fp+fn), spurious (fp), a2 (fn)
        "sub_event_type": (1, 2, 2),
        "date": (2, 1, 1),
        "locations": (3, 1, 2),  # Sandaré dropped, Bamako spurious, Ségou missing
        "actors": (4, 1, 2),  # FAMa matches Malian Armed Forces
        "killed": (1, 1, 1),  # 70 is not 80
        "injured": (1, 0, 0),
        "abducted": (0, 0, 1),
        "captured": (0, 0, 0),
        "missing": (0, 0, 0),
        "claims": (1, 0, 0),
    }
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (14, 8, 11)
    assert report.overall.precision == pytest.approx(14 / 22)
    assert report.overall.recall == pytest.approx(14 / 25)
    assert report.overall.f1 == pytest.approx(28 / 47)
    assert report.groups["abducted"].precision == 0.0
    assert report.groups["abducted"].f1 == 0.0
    assert report.groups["locations"].f1 == pytest.approx(6 / 9)
    killed = report.figure_only["killed"]
    assert (killed.tp, killed.fp, killed.fn) == (1, 1, 1)
    assert (report.incidents.tp, report.incidents.fp, report.incidents.fn) == (2, 1, 1)
    assert report.per_article == {"a1": pytest.approx(0.7), "a2": 0.0}  # a1: 28 / (28+8+4)
    assert report.missing_predictions == ["a2"]
    assert report.missing_gold == []


def test_wrong_attribution_fails_strict_but_passes_figure_only() -> None:
    gold = records(gold_dicts())
    data = gold_dicts()
    data["a1"]["incidents"][0]["counts"][0]["attributed_to"] = "JNIM"
    data["a1"]["incidents"][0]["counts"][1]["qualifier"] = "exact"
    data["a1"]["incidents"][1]["counts"][0]["attributed_to"] = "the Malian army"
    report = evaluate(gold, records(data))
    assert counts_of(report)["killed"] == (0, 2, 2)
    assert counts_of(report)["injured"] == (0, 1, 1)
    figures = report.figure_only
    assert [(figures[g].tp, figures[g].fp, figures[g].fn) for g in ("killed", "injured")] == [
        (2, 0, 0),
        (1, 0, 0),
    ]


def test_pairing_ignores_the_order_of_incidents_and_lists() -> None:
    gold, damaged = gold_dicts(), damaged_dicts()
    expected = evaluate(records(gold), records(damaged)).model_dump()
    rng = random.Random(7)
    for _ in range(5):
        for data in (gold, damaged):
            for article in data.values():
                rng.shuffle(article["incidents"])
                for item in article["incidents"]:
                    rng.shuffle(item["locations"])
                    rng.shuffle(item["actors"])
        assert evaluate(records(gold), records(damaged)).model_dump() == expected


def test_incidents_sharing_only_a_type_are_not_paired() -> None:
    gold = records(
        {
            "x": {
                "incidents": [
                    incident(CLASH, ("2025-07-01", "2025-07-01"), ["Kayes"], JNIM_ATTACKS)
                ]
            }
        }
    )
    elsewhere = incident(CLASH, ("2025-07-01", "2025-07-01"), ["Gao"], [("ISSP", 2, "attacker")])
    report = evaluate(gold, records({"x": {"incidents": [elsewhere]}}))
    assert (report.incidents.tp, report.incidents.fp, report.incidents.fn) == (0, 1, 1)
    assert counts_of(report)["event_type"] == (0, 1, 1)
    # Same actors on overlapping dates is enough, even at a place the other side lacks.
    nearby = incident(CLASH, ("2025-06-30", "2025-07-02"), ["Bafoulabé"], ARMY_STRIKES)
    report = evaluate(gold, records({"x": {"incidents": [nearby]}}))
    assert counts_of(report)["event_type"] == (1, 0, 0)
    assert counts_of(report)["locations"] == (0, 1, 1)
    assert counts_of(report)["date"] == (0, 1, 1)


def test_claims_match_on_claimant_and_statement_overlap() -> None:
    gold = records(gold_dicts())
    data = gold_dicts()
    first = data["a1"]["incidents"][0]
    first["claims"] = [
        {"claimant": "GSIM", "statement": "JNIM seized three barracks", "quote": QUOTE}
    ]
    assert counts_of(evaluate(gold, records(data)))["claims"] == (1, 0, 0)  # 3 of 5 words
    first["claims"][0]["statement"] = "attacked an army convoy"
    assert counts_of(evaluate(gold, records(data)))["claims"] == (0, 1, 1)
    first["claims"][0] = {
        "claimant": "Malian army",
        "statement": "seized three army barracks in Kayes",
        "quote": QUOTE,
    }
    assert counts_of(evaluate(gold, records(data)))["claims"] == (0, 1, 1)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("FAMa", "Malian Armed Forces", True),
        ("Forces Armées Maliennes", "FAMa", True),
        ("JNIM", "Jama’at Nusrat al-Islam wal-Muslimin", True),
        ("Sandaré", "Sandere", True),
        ("Nioro", "Nioro du Sahel", True),
        ("Kayes region", "Kayes", True),
        ("the Malian army", "Malian army", True),
        ("Diboli", "Dibolli", True),  # spelling variant
        ("Kayes", "Kati", False),
        ("Niono", "Nioro", False),
        ("army", "Burkinabe army", False),
        ("Mali", "Malian army", False),
        # one state force, however worded (text.forces)
        ("soldats maliens", "FAMa", True),
        ("Mali's army", "Malian soldiers", True),
        ("Burkinabe army", "soldats burkinabè", True),
        ("forces armées de la République démocratique du Congo", "Congolese army", True),
        ("soldiers", "the military", True),
        ("soldats nigériens", "Nigerian army", False),  # Niger's, not Nigeria's
        ("Kurdish forces", "Syrian army", False),
        ("police", "army", False),
        ("police officials", "Mexican police", False),
    ],
)
def test_name_equivalence(a: str, b: str, same: bool) -> None:
    names = NameMatcher(default_aliases())
    assert names.same(a, b) is same
    assert names.same(b, a) is same


@pytest.mark.parametrize(
    ("a", "b", "country", "same"),
    [
        ("army", "Burkinabe army", "BF", True),  # where the incident is says whose
        ("army", "Burkinabe army", "ML", False),
        ("police officials", "Mexican police", "MX", True),
        ("Malian soldiers", "Burkinabe army", "ML", False),
        ("Wagner mercenaries", "Wagner", None, True),  # a party's generic noun
        ("rebelles du M23", "M23", None, True),
        ("terroristes", "groupes terroristes", None, True),
        ("Kuki-Zo militants", "militants", None, False),  # the proper name is not filler
        ("Wagner mercenaries", "mercenaries", None, False),
    ],
)
def test_name_equivalence_in_a_country(a: str, b: str, country: str | None, same: bool) -> None:
    names = NameMatcher(default_aliases())
    assert names.same(a, b, country) is same
    assert names.same(b, a, country) is same


def test_a_bare_force_is_the_gold_incidents_country_force() -> None:
    def record(actor: str, country: str) -> dict[str, ArticleExtraction]:
        data = gold_dicts()
        first = data["a1"]["incidents"][0]
        first["actors"][0]["name"] = actor
        for location in first["locations"]:
            location["country"] = country
        return records(data)

    for country, tp in (("Burkina Faso", 1), ("Mali", 0)):
        gold, pred = record("the army", country), record("Burkinabe army", country)
        _, _, missed = counts_of(evaluate(gold, pred))["actors"]
        assert missed == 1 - tp


def test_documented_fuzzy_threshold_is_the_one_in_use() -> None:
    assert NAME_FUZZY_MIN == 85.0  # quoted in evaluate's docstring and the eval help


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return path


def test_load_records_reads_folders_and_counts_error_lines_as_empty(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for key, record in gold_dicts().items():
        write_jsonl(gold_dir / f"{key}.jsonl", [{"id": key, "record": record}])
    pred = write_jsonl(
        tmp_path / "pred.jsonl",
        [
            {"status": "ok", "id": "a1", "record": gold_dicts()["a1"], "cached": False},
            {"status": "error", "id": "a2", "error_type": "TransportError", "message": "HTTP 503"},
        ],
    )
    gold, predicted = load_records(gold_dir), load_records(pred)
    assert sorted(gold) == ["a1", "a2"]
    assert predicted["a2"].incidents == []
    report = evaluate(gold, predicted)
    assert report.per_article == {"a1": 1.0, "a2": 0.0}
    assert report.missing_predictions == []
    assert counts_of(report)["abducted"] == (0, 0, 1)


def test_load_records_rejects_bad_lines_in_one_line(tmp_path: Path) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "a1", "record": {"incidents": [{}]}}])
    with pytest.raises(InputError, match=r"bad\.jsonl:1: record of id 'a1' is invalid"):
        load_records(bad)
    (tmp_path / "torn.jsonl").write_text('{"id": "a1", "rec')
    with pytest.raises(InputError, match=r"torn\.jsonl:1 is not a JSON line"):
        load_records(tmp_path / "torn.jsonl")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    gold = write_jsonl(
        tmp_path / "gold.jsonl", [{"id": k, "record": r} for k, r in gold_dicts().items()]
    )
    pred = write_jsonl(
        tmp_path / "pred.jsonl",
        [{"status": "ok", "id": k, "record": r} for k, r in damaged_dicts().items()],
    )
    return gold, pred


def test_cli_prints_a_table(files: tuple[Path, Path]) -> None:
    gold, pred = files
    result = CliRunner().invoke(eval_command, ["--gold", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["group", "P", "R", "F1", "tp", "fp", "fn"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:] if line.strip()}
    assert rows["event_type"] == ["0.333", "0.333", "0.333", "1", "2", "2"]
    assert rows["captured"] == ["-", "-", "-", "0", "0", "0"]
    assert rows["overall"] == ["0.636", "0.560", "0.596", "14", "8", "11"]
    assert "killed (figure)" in result.stdout
    assert "no prediction (scored as empty): a2" in result.stdout


def test_cli_json_parses_and_equals_the_api(files: tuple[Path, Path]) -> None:
    gold, pred = files
    result = CliRunner().invoke(eval_command, ["--gold", str(gold), "--pred", str(pred), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = evaluate(records(gold_dicts()), records(damaged_dicts()))
    assert payload == expected.model_dump(mode="json")
    assert payload["overall"]["f1"] == pytest.approx(28 / 47)


def test_cli_missing_gold_is_a_one_line_error(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _, pred = files
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(eval_command, ["--gold", str(missing), "--pred", str(pred)])
    assert result.exit_code == 2
    assert result.stderr == f"llm-extract: error: {missing}: no such file or folder\n"
    assert result.stdout == ""


def test_cli_help_states_the_matching_rule() -> None:
    result = CliRunner().invoke(eval_command, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Similarity = 0.3 locations + 0.2 actors + 0.2 dates" in text
    assert "overlap >= 0.5" in text
    assert "ratio >= 85" in text


def test_cli_refuses_predictions_inside_the_gold_folder(files: tuple[Path, Path]) -> None:
    gold, pred = files
    result = CliRunner().invoke(eval_command, ["--gold", str(gold.parent), "--pred", str(pred)])
    assert result.exit_code == 2
    assert "inside the --gold folder" in result.stderr
    assert len(result.stderr.splitlines()) == 1
