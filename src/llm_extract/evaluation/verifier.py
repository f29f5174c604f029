"""Scoring the verifier on a labelled set (tests/verification/labels.jsonl format).

The positive class is "the value is false"; the verifier flags it by saying
"unsupported". Precision: flagged values that are false. Recall: false values flagged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from llm_extract.text.counts import check_count
from llm_extract.text.grounding import Check, Document, check_date, check_name, check_quote


@dataclass
class Tally:
    tp: int = 0  # false value, flagged
    fp: int = 0  # true value, flagged
    fn: int = 0  # false value, not flagged
    tn: int = 0  # true value, not flagged
    misses: list[str] = field(default_factory=list)

    def add(self, is_false: bool, flagged: bool, item_id: str) -> None:
        if is_false and flagged:
            self.tp += 1
        elif flagged:
            self.fp += 1
            self.misses.append(f"{item_id}: true value flagged")
        elif is_false:
            self.fn += 1
            self.misses.append(f"{item_id}: false value not flagged")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def check_item(doc: Document, item: dict[str, Any]) -> Check:
    value = item["value"]
    kind = item["kind"]
    if kind == "number":
        return check_count(doc, **value)
    if kind in ("place", "actor"):
        return check_name(doc, value["name"])
    if kind == "date":
        start, end = (date.fromisoformat(v) if v else None for v in (value["start"], value["end"]))
        return check_date(doc, start, end, value.get("text") or "")
    return check_quote(doc, value["quote"], value.get("value"))


def load_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(items: list[dict[str, Any]], seeds: Path) -> dict[str, Tally]:
    """Tallies per kind and overall ("all"), preparing each article once per anchor."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    documents: dict[tuple[str, str | None], Document] = {}
    for item in items:
        anchor = item.get("publication_date")
        key = (item["seed"], anchor)
        if key not in documents:
            text = (seeds / f"{item['seed']}.txt").read_text(encoding="utf-8")
            documents[key] = Document.from_text(
                text, date.fromisoformat(anchor) if anchor else None
            )
        flagged = check_item(documents[key], item).verdict == "unsupported"
        for bucket in (item["kind"], "all"):
            tallies[bucket].add(not item["label"], flagged, item["id"])
    return dict(tallies)
