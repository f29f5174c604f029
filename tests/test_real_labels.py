"""The real-article labelled sets for the verifier are well formed, and their dev splits
score through the production verifier (held-out splits are never scored here)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parent
REAL = ROOT / "verification" / "real"
CODES = {"other_fate", "projection", "other_event", "wrong_side", "wrong_claimant",
         "reference_place", "background", "not_a_place", "wrong_region", "wrong_role",
         "absent"}  # fmt: skip
# probe3's labellers also wrote `mismatch`: a value its own quote does not support
PROBE_CODES = CODES | {"mismatch"}


def items() -> list[dict[str, object]]:
    lines = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        text = (REAL / name).read_text(encoding="utf-8")
        lines += [json.loads(line) for line in text.splitlines() if line.strip()]
    return lines


def test_labels_resolve_quote_their_articles_and_cover_every_reason() -> None:
    labelled = items()
    assert len({i["id"] for i in labelled}) == len(labelled) > 1000
    reasons: Counter[object] = Counter()
    for item in labelled:
        article = (ROOT / "corpus" / f"{item['article']}.txt").read_text(encoding="utf-8")
        value = item["value"]
        assert isinstance(value, dict)
        if item["label"]:
            assert item["reason"] is None
            assert value["quote"] in article, item["id"]
        else:
            assert item["reason"] in CODES, item["id"]
            reasons[item["reason"]] += 1
    assert set(reasons) == CODES and min(reasons.values()) >= 15
    splits = {str(i["article"]).split("/")[0] for i in labelled}
    assert splits == {"dev", "test"}
    heldout = (REAL / "heldout.jsonl").read_text(encoding="utf-8")
    assert all(json.loads(line)["article"].startswith("test/") for line in heldout.splitlines())


# Today's recall per reason code on dev.jsonl (a floor, a little under today's figure).
DEV_RECALL_FLOORS = {"absent": 1.0, "other_fate": 0.9, "projection": 0.85, "wrong_role": 0.8,
                     "reference_place": 0.95, "not_a_place": 0.95, "wrong_side": 0.9,
                     "wrong_claimant": 0.77, "background": 0.76, "other_event": 0.66,
                     "wrong_region": 0.7}  # fmt: skip


def test_dev_split_is_scored_through_the_production_verifier_per_reason_code() -> None:
    """dev.jsonl through extraction.verify.verify_record, per reason code. The floors
    are today's figures (issue 15's targets, 0.98 / 0.95 / 0.90 per code, are not met
    yet): a change that lowers them is a regression. heldout.jsonl is never scored here."""
    from llm_extract.evaluation.verifier import load_items, score
    from llm_extract.extraction.verify import verify_record

    tallies = score(load_items(REAL / "dev.jsonl"), ROOT / "corpus", verify_record)
    overall = tallies["all"]
    assert overall.precision >= 0.98, overall.misses
    assert overall.recall >= 0.84, overall.misses
    assert {f"code:{c}" for c in CODES} <= set(tallies)
    for code, floor in DEV_RECALL_FLOORS.items():
        assert tallies[f"code:{code}"].recall >= floor, (code, tallies[f"code:{code}"].misses)


def test_every_unsupported_dev_gold_value_is_a_listed_dispute() -> None:
    """The dev corpus gold through the production verifier: what it rates unsupported is
    exactly what gold_disputes.md lists (article and path), each with a judgement."""
    import re
    from datetime import date

    from llm_extract.core.records import ArticleExtraction
    from llm_extract.extraction.verify import verify_record
    from llm_extract.text.grounding import Document

    dev = ROOT / "corpus" / "dev"
    published = {
        a["id"]: a.get("published")
        for a in map(json.loads, (dev / "articles.jsonl").read_text().splitlines())
    }
    found = set()
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        when = published.get(gold["id"])
        text = (dev / f"{gold['id']}.txt").read_text(encoding="utf-8")
        doc = Document.from_text(text, date.fromisoformat(when[:10]) if when else None)
        _, report = verify_record(ArticleExtraction.model_validate(gold["record"]), doc)
        found |= {(gold["id"], v.path) for v in report.unsupported()}
    listed = set(re.findall(r"^\| ([\w-]+) \| (incidents\[[^ |]+) \|",
                            (REAL / "gold_disputes.md").read_text(), re.MULTILINE))  # fmt: skip
    assert found == listed, (sorted(found - listed), sorted(listed - found))


PROBES = {"probe": (0.94, 0.82), "probe2": (0.91, 0.84), "probe3": (0.72, 0.69)}  # dev floors: P, R


def probe_items(probe: Path, split: str) -> list[dict[str, object]]:
    text = (probe / f"{split}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_probe_sets_are_well_formed_and_split_by_their_rule(name: str) -> None:
    """The blind labelled sets written after the verifier (verification/probe*/README.md):
    every value resolves to its article and quotes it, and each article sits in the
    split its URL's hash says."""
    import hashlib

    probe = ROOT / "verification" / name
    seen: set[object] = set()
    for split in ("dev", "heldout"):
        rows = (probe / split / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        for row in map(json.loads, rows):
            number = int(hashlib.sha256(row["url"].encode()).hexdigest()[:8], 16) % 100
            assert (split == "heldout") == (number < 50), row["id"]
            assert (
                row["language"] in ("en", "fr") and (probe / split / f"{row['id']}.txt").is_file()
            )
        for item in probe_items(probe, split):
            assert item["id"] not in seen and str(item["article"]).startswith(f"{split}/")
            seen.add(item["id"])
            article = (probe / f"{item['article']}.txt").read_text(encoding="utf-8")
            value = item["value"]
            assert isinstance(value, dict)
            if item["label"]:
                assert item["reason"] is None and value["quote"] in article, item["id"]
            else:
                assert item["reason"] in PROBE_CODES, item["id"]
    assert len(seen) >= 300


@pytest.mark.parametrize("name", sorted(PROBES))
def test_the_probe_dev_splits_are_scored_through_the_production_verifier(name: str) -> None:
    """probe*/dev.jsonl, a floor a little under today's figure; the held-out splits are
    scored only by bench/verify.py, never here."""
    from llm_extract.evaluation.verifier import load_items, score
    from llm_extract.extraction.verify import verify_record

    probe = ROOT / "verification" / name
    overall = score(load_items(probe / "dev.jsonl"), probe, verify_record)["all"]
    precision, recall = PROBES[name]
    assert overall.precision >= precision, overall.misses
    assert overall.recall >= recall, overall.misses
