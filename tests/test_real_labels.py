"""The real-article labelled set for the verifier is well formed (it scores nothing)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parent
REAL = ROOT / "verification" / "real"
CODES = {"other_fate", "projection", "other_event", "wrong_side", "wrong_claimant",
         "reference_place", "background", "not_a_place", "wrong_region", "wrong_role",
         "absent"}  # fmt: skip


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
