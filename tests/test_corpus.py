"""The real-article corpus is well formed: records validate, quotes are the articles'
own words, the split follows its rule. Nothing here scores anything."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from llm_extract.core.records import ArticleExtraction

CORPUS = Path(__file__).parent / "corpus"
SPLITS = ("dev", "test")


def rows(split: str, name: str) -> list[dict[str, Any]]:
    text = (CORPUS / split / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def split_of(url: str) -> str:
    return "test" if int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) % 100 < 35 else "dev"


def test_the_corpus_is_as_large_and_wide_as_promised() -> None:
    meta = [m for s in SPLITS for m in rows(s, "articles.jsonl")]
    assert len(meta) >= 60
    assert sum(m["language"] == "fr" for m in meta) >= 25
    assert len({m["theatre"].split(" (")[0] for m in meta}) >= 10
    assert len(rows("test", "articles.jsonl")) >= 24
    assert len({m["id"] for m in meta}) == len(meta)
    assert all(m["url"].startswith(("http://", "https://")) and m["outlet"] for m in meta)
    assert {m["language"] for m in meta} == {"en", "fr"}


@pytest.mark.parametrize("split", SPLITS)
def test_every_article_is_in_the_split_its_url_says(split: str) -> None:
    assert all(split_of(m["url"]) == split for m in rows(split, "articles.jsonl"))


@pytest.mark.parametrize("split", SPLITS)
def test_gold_records_validate_and_quote_their_article(split: str) -> None:
    meta = {m["id"] for m in rows(split, "articles.jsonl")}
    gold = rows(split, "gold.jsonl")
    assert {g["id"] for g in gold} == meta
    for line in gold:
        text = (CORPUS / split / f"{line['id']}.txt").read_text(encoding="utf-8")
        record = ArticleExtraction.model_validate(line["record"])
        for incident in record.incidents:
            quotes = [incident.classification_quote, incident.date.quote]
            quotes += [x.quote for x in (*incident.locations, *incident.actors)]
            quotes += [x.quote for x in (*incident.counts, *incident.claims)]
            missing = [q for q in quotes if q not in text]
            assert not missing, (line["id"], missing[:2])
            for location in incident.locations:
                assert location.name.casefold() in location.quote.casefold(), line["id"]
            for count in incident.counts:
                assert count.surface.casefold() in count.quote.casefold(), line["id"]
