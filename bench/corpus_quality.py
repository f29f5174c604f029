"""Quality on the real-article corpus (tests/corpus/): each split apart, per language and
per theatre, for every system bench/quality.py runs (llm-extract's strategies and
LangExtract on the same model).

    python bench/quality.py --corpus tests/corpus [--splits dev,test] [--skip-langextract]

The figures are the ones the corpus issue sets targets on, all from the project's
evaluator (incidents paired first, then facts within each pair):
- casualty figure recall/precision: counts matched on category and best value;
- with side: on category, best value and UCDP side;
- places, actors: names, equivalent by the evaluator's rule;
- silent empties: articles whose gold has a casualty figure that came back with no
  incident and no `empty_reason`;
- median seconds per article (model load apart).
`test/` is the held-out split: run it to score, never to tune.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from llm_extract.core.records import ArticleExtraction
from llm_extract.evaluation.records import EvaluationReport, Score, evaluate
from llm_extract.io.records import load_records

Runner = Callable[[dict[str, str], dict[str, date | None]], dict[str, Any]]


def load_split(
    folder: Path,
) -> tuple[dict[str, ArticleExtraction], dict[str, str], dict[str, dict]]:
    """Gold records, texts and metadata (language, theatre, published) of one split."""
    gold = load_records(folder / "gold.jsonl")
    meta = {
        row["id"]: row
        for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and (row := json.loads(line))
    }
    texts = {aid: (folder / f"{aid}.txt").read_text(encoding="utf-8") for aid in sorted(gold)}
    return gold, texts, meta


def published_dates(meta: dict[str, dict]) -> dict[str, date | None]:
    return {
        aid: date.fromisoformat(row["published"][:10]) if row.get("published") else None
        for aid, row in meta.items()
    }


def _pooled(scores: dict[str, Score]) -> Score:
    total = Score()
    for score in scores.values():
        total.add(score)
    return total


def headline(report: EvaluationReport) -> dict[str, float | None]:
    figures = _pooled(report.figure_only)
    g = report.groups
    return {
        "casualty_recall": figures.recall,
        "casualty_precision": figures.precision,
        "side_recall": report.figure_and_side.recall,
        "side_precision": report.figure_and_side.precision,
        "places_recall": g["locations"].recall,
        "places_precision": g["locations"].precision,
        "actors_recall": g["actors"].recall,
        "actors_precision": g["actors"].precision,
        "incidents_recall": report.incidents.recall,
        "overall_f1": report.overall.f1,
    }


def silent_empties(gold: dict[str, ArticleExtraction], run: dict[str, Any]) -> list[str]:
    found = []
    for aid, record in gold.items():
        row = run["articles"][aid]
        tolled = any(i.counts for i in record.incidents)
        empty = not (row.get("record") or {}).get("incidents")
        if tolled and empty and not row.get("empty_reason"):
            found.append(aid)
    return found


def score_groups(
    gold: dict[str, ArticleExtraction], run: dict[str, Any], meta: dict[str, dict]
) -> dict[str, dict[str, Any]]:
    """Headline figures for the whole split, each language and each theatre."""
    predictions: dict[str, ArticleExtraction] = run["predictions"]
    groups: dict[str, list[str]] = {"all": sorted(gold)}
    for key in ("language", "theatre"):
        for aid in sorted(gold, key=lambda a: str(meta[a].get(key))):
            groups.setdefault(f"{key}={meta[aid].get(key)}", []).append(aid)
    scored = {}
    for name, ids in groups.items():
        report = evaluate({a: gold[a] for a in ids}, {a: predictions[a] for a in ids})
        latencies = [run["articles"][a]["latency_s"] for a in ids]
        scored[name] = {
            "articles": len(ids),
            **headline(report),
            "median_s": statistics.median(latencies),
        }
    scored["all"]["silent_empty"] = silent_empties(gold, run)
    return scored


COLUMNS = (("casualty_recall", "fig R"), ("casualty_precision", "fig P"),
           ("side_recall", "side R"), ("places_recall", "plc R"),
           ("places_precision", "plc P"), ("actors_recall", "act R"),
           ("actors_precision", "act P"), ("incidents_recall", "inc R"),
           ("overall_f1", "F1"), ("median_s", "med s"))  # fmt: skip


def print_split(split: str, systems: dict[str, dict[str, dict[str, Any]]]) -> None:
    print(f"\n== {split} ==")
    print(f"{'group':<24}{'system':<12}{'n':>4}" + "".join(f"{h:>7}" for _, h in COLUMNS))
    names = list(next(iter(systems.values())))
    for group in names:
        for system, scored in systems.items():
            row = scored[group]
            cells = "".join(f"{'-' if row[k] is None else f'{row[k]:.2f}':>7}" for k, _ in COLUMNS)
            print(f"{group[:23]:<24}{system[:11]:<12}{row['articles']:>4}{cells}")
    for system, scored in systems.items():
        silent = scored["all"]["silent_empty"]
        print(f"{system}: {len(silent)} article(s) with a gold toll came back empty and silent"
              + (f": {', '.join(silent)}" if silent else ""))  # fmt: skip


def run_corpus(
    root: Path, splits: list[str], runners: dict[str, Runner], out: Path
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for split in splits:
        gold, texts, meta = load_split(root / split)
        dates = published_dates(meta)
        systems: dict[str, dict[str, dict[str, Any]]] = {}
        for name, runner in runners.items():
            run = runner(texts, dates)
            systems[name] = score_groups(gold, run, meta)
        print_split(split, systems)
        results[split] = systems
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return results
