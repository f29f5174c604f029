"""Verifier benchmark: precision/recall of flagging false values on the labelled set,
per kind, next to a naive substring baseline; and verification time per seed article.

    python bench/verify.py [--labels FILE.jsonl] [--out bench/results/verify.json]
    python bench/verify.py --labels tests/verification/probe/heldout.jsonl \
        --seeds tests/verification/probe        # a real-article set: its folder of splits

Prints a table and writes JSON. Timings are on one core (this process): the median
(and best) of --repeat runs, each on a fresh copy of the article so nothing is cached.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from llm_extract.core.records import ArticleExtraction
from llm_extract.evaluation.verifier import Tally, load_items, score
from llm_extract.extraction.verify import verify, verify_record
from llm_extract.text.fold import fold

ROOT = Path(__file__).resolve().parent.parent


def naive_flags(item: dict[str, Any], text: str) -> bool:
    """Baseline: a value is supported when its plain string occurs in the article."""
    value, kind = item["value"], item["kind"]
    if kind == "number":
        needle = str(value["best"]) if value.get("best") is not None else value["surface"]
    elif kind == "date":
        needle = value.get("text") or ""
    else:
        needle = value.get("name") or value.get("quote") or ""
    return fold(needle) not in fold(text)


def naive_score(items: list[dict[str, Any]], seeds: Path) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for item in items:
        source = item.get("article") or item["seed"]  # a real set's article, or a seed
        text = (seeds / f"{source}.txt").read_text(encoding="utf-8")
        flagged = naive_flags(item, text)
        for bucket in (item["kind"], "all"):
            tallies[bucket].add(not item["label"], flagged, item["id"])
    return dict(tallies)


def record_from_labels(items: list[dict[str, Any]], text: str) -> ArticleExtraction:
    """A realistic-size record (every labelled place, actor, count and quote of a seed)
    to time verification with, true and false values alike."""
    quote = next(i["value"]["quote"] for i in items if i["kind"] == "quote")
    dates = [i["value"] for i in items if i["kind"] == "date"]
    incident = {
        "summary": "benchmark record",
        "classification": {"event_type": "Battles", "sub_event_type": "Armed clash"},
        "classification_quote": quote,
        "date": {"text": dates[0]["text"], "start": dates[0]["start"], "end": dates[0]["end"],
                 "precision": 1, "quote": quote},
        "locations": [{"name": i["value"]["name"], "admin1": None, "country": None,
                       "precision": 1, "quote": quote} for i in items if i["kind"] == "place"],
        "is_aggregate": True,
        "actors": [{"name": i["value"]["name"], "actor_type": 1, "role": "other", "quote": quote}
                   for i in items if i["kind"] == "actor"],
        "counts": [{**{k: v for k, v in i["value"].items()}, "side": "unknown",
                    "attributed_to": "the article", "provisional": False, "quote": quote}
                   for i in items if i["kind"] == "number"],
        "claims": [],
    }  # fmt: skip
    incident["locations"] = incident["locations"][:12]
    incident["actors"] = incident["actors"][:6]
    incident["counts"] = incident["counts"][:10]
    return ArticleExtraction.model_validate({"incidents": [incident]})


def time_seeds(items: list[dict[str, Any]], seeds: Path, repeat: int) -> list[dict[str, Any]]:
    rows = []
    by_seed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_seed[item["seed"]].append(item)
    for seed, seed_items in sorted(by_seed.items()):
        text = (seeds / f"{seed}.txt").read_text(encoding="utf-8")
        record = record_from_labels(seed_items, text)
        anchor = next((i["publication_date"] for i in seed_items if i["publication_date"]), None)
        published = date.fromisoformat(anchor) if anchor else None
        runs, naive_runs = [], []
        values = 0
        for n in range(repeat):
            variant = text + " " * n  # a new string each time: nothing cached across runs
            started = time.perf_counter()
            _, report = verify(record, variant, published=published)
            runs.append(time.perf_counter() - started)
            values = report.summary.total
            started = time.perf_counter()
            folded = fold(variant)
            for verdict in report.verdicts:
                _ = fold(verdict.value) in folded
            naive_runs.append(time.perf_counter() - started)
        rows.append({
            "seed": seed, "chars": len(text), "values": values,
            "verify_ms_median": round(statistics.median(runs) * 1000, 3),
            "verify_ms_best": round(min(runs) * 1000, 3),
            "naive_ms_median": round(statistics.median(naive_runs) * 1000, 3),
        })  # fmt: skip
    return rows


def real_record(items: list[dict[str, Any]], kinds: set[str]) -> ArticleExtraction:
    """One article's real-set values (true and false) as one record, only `kinds`."""
    from llm_extract.evaluation.verifier import _actor, _count, _date, _place

    quote = next(i["value"]["quote"] for i in items if i["value"].get("quote"))
    dates = [_date(i) for i in items if i["kind"] == "date"] if "date" in kinds else []
    incident = {
        "summary": "benchmark record",
        "classification": {"event_type": "Battles", "sub_event_type": "Armed clash"},
        "classification_quote": quote,
        "date": dates[0] if dates else {"text": "?", "start": None, "end": None,
                                        "precision": 3, "quote": quote},
        "locations": ([_place(i) for i in items if i["kind"] == "place"][:12]
                      if "place" in kinds else []) or [{"name": "x", "admin1": None,
                      "country": None, "precision": 3, "quote": quote}],
        "is_aggregate": True,
        "actors": [_actor(i) for i in items if i["kind"] == "actor"][:6] if "actor" in kinds
        else [],
        "counts": [_count(i) for i in items if i["kind"] == "number"][:10]
        if "number" in kinds else [],
        "claims": [],
    }  # fmt: skip
    return ArticleExtraction.model_validate({"incidents": [incident]})


def time_real(labels: Path, corpus: Path, repeat: int) -> dict[str, Any]:
    """Median verification time per real article (a record with every labelled value of
    the article), and where it goes: the same records with one kind of value each."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in load_items(labels):
        by_article[item["article"]].append(item)
    kinds = {"all": {"place", "actor", "number", "date"}, "place": {"place"},
             "actor": {"actor"}, "number": {"number"}, "date": {"date"}}  # fmt: skip
    medians: dict[str, list[float]] = defaultdict(list)
    for article, its in sorted(by_article.items()):
        text = (corpus / f"{article}.txt").read_text(encoding="utf-8")
        for name, wanted in kinds.items():
            record = real_record(its, wanted)
            runs = []
            for n in range(repeat):
                variant = text + " " * n
                started = time.perf_counter()
                verify(record, variant)
                runs.append(time.perf_counter() - started)
            medians[name].append(statistics.median(runs) * 1000)
    return {name: {"median_ms": round(statistics.median(v), 3), "max_ms": round(max(v), 3)}
            for name, v in medians.items()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "tests/verification/labels.jsonl")
    parser.add_argument("--seeds", type=Path, default=None, help="Folder of the articles.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/verify.json")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--real",
        type=Path,
        default=ROOT / "tests/verification/real/dev.jsonl",
        help="Real-article labelled set to time verification per article on.",
    )
    args = parser.parse_args()
    seeds = args.seeds or (
        ROOT / "seeds" if "heldout" not in str(args.labels) else args.labels.parent
    )
    items = load_items(args.labels)
    ours, naive = score(items, seeds, verify_record), naive_score(items, seeds)

    false_values = sum(not i["label"] for i in items)
    print(f"labelled set: {args.labels} ({len(items)} values, {false_values} false)")
    print(f"{'kind':<8} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>3} {'fn':>3} {'tn':>4}"
          f" | {'naive P':>8} {'naive R':>8}")  # fmt: skip
    for kind in ["number", "place", "actor", "date", "quote", "all"]:
        if kind not in ours:
            continue
        t, b = ours[kind], naive[kind]
        print(f"{kind:<8} {t.precision:>9.3f} {t.recall:>7.3f} {t.tp:>4} {t.fp:>3} {t.fn:>3}"
              f" {t.tn:>4} | {b.precision:>8.3f} {b.recall:>8.3f}")  # fmt: skip
    for code in sorted(k for k in ours if k.startswith("code:")):
        t = ours[code]
        print(f"  {code[5:]:<16} recall {t.recall:.3f} ({t.tp}/{t.tp + t.fn})")
    if "heldout" in str(args.labels):
        print("  (a held-out set: its misses are not printed)")
    else:
        for miss in ours["all"].misses:
            print(f"  miss: {miss}")

    # seed articles are timed one by one; a real set is timed below, per article
    rows = [] if any("article" in i for i in items) else time_seeds(items, seeds, args.repeat)
    header = ("article", "chars", "values", "verify ms", "naive ms", "ratio")
    print("\n{:<22} {:>6} {:>6} {:>10} {:>9} {:>6}".format(*header))
    for row in rows:
        ratio = row["verify_ms_median"] / row["naive_ms_median"] if row["naive_ms_median"] else 0
        print(
            f"{row['seed']:<22} {row['chars']:>6} {row['values']:>6} "
            f"{row['verify_ms_median']:>10.3f} {row['naive_ms_median']:>9.3f} {ratio:>6.1f}"
        )

    started = time.perf_counter()
    from llm_extract.places.enrich import load_gazetteer

    load_gazetteer()  # once per process, and only for a record that gives a country
    gazetteer_s = time.perf_counter() - started
    real = time_real(args.real, ROOT / "tests/corpus", max(3, args.repeat // 10))
    print(f"\nreal articles ({args.real.name}): median ms per article, by kind of value")
    for name, row in real.items():
        print(f"  {name:<7} median {row['median_ms']:>8.3f}  max {row['max_ms']:>8.3f}")
    print(f"  gazetteer load, once per process (records with a country): {gazetteer_s:.1f} s")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "labels": str(args.labels),
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "quality": {k: {"precision": v.precision, "recall": v.recall, "tp": v.tp, "fp": v.fp,
                        "fn": v.fn, "tn": v.tn,
                        "misses": [] if "heldout" in str(args.labels) else v.misses}
                    for k, v in ours.items()},
        "naive_baseline": {k: {"precision": v.precision, "recall": v.recall}
                           for k, v in naive.items()},
        "timing": rows,
        "timing_real": real,
        "gazetteer_load_s": round(gazetteer_s, 2),
    }  # fmt: skip
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
