"""Quality benchmark: the embedded model's extractions scored against the gold records,
per strategy, next to LangExtract driving the same model.

    python bench/quality.py [--articles seeds --gold tests/gold] [--strategies grounded,whole]
                            [--skip-langextract] [--out bench/results/quality.json]
    python bench/quality.py --corpus tests/corpus [--splits dev,test] ...  (corpus_quality.py)

What is measured, on every article of --articles that has a gold record:

- llm-extract, once per strategy: the embedded SmolLM2 GGUF in this process (backend
  "local", no endpoint, no key, use_cache=False so each latency is a real model run),
  one Extractor per strategy so that model load time is reported apart from the
  per-article latencies. Per article: latency, tokens as the result's usage reports
  them (grounded: one request per question, over one KV-cached article prefix), article
  F1, and the verifier's verdicts (policy "flag").
- LangExtract 1.7.1 on the same GGUF, served by llama-cpp-python's OpenAI-compatible
  server on a free 127.0.0.1 port (stopped at the end, on error and on Ctrl-C too);
  `lx.extract` with provider "openai", one call per article. Settings, prompt and the
  FICTITIOUS few-shot example are in bench/langextract_peer.py: LangExtract's defaults
  (max_char_buffer 1000, one extraction pass) except temperature 0, seed 0 and a 1536-token
  answer budget (as llm-extract samples), one worker (the server runs one generation at a
  time) and no schema constraints (the server rejects OpenAI's json_schema format, so the
  provider's plain JSON mode is used). Tokens are the server's own usage figures.
- Every system is scored by the project's evaluator (pipeline/evaluate.py: P/R/F1 per
  field group, micro-averaged overall) against the same gold, and its records are checked
  by the project's verifier. No publication date is passed to any system.

What the LangExtract mapping can and cannot represent. LangExtract returns flat
extractions (class, text, attributes, aligned span), so each article becomes at most ONE
incident holding all of them: multi-incident gold articles cost it recall by design.
Event type comes from an event extraction's ACLED attributes, else a fixed default
(Battles / Armed clash, the type of every gold incident: generous, counted per article).
Locations get precision 1 and no admin1/country; actors get their attributes or type 3,
role "other"; casualty figures are parsed by the project's own number parser
(text/numbers.py), victim side from the counted noun, category from an attribute or
keywords (default killed); the first date extraction gives the date words, ISO days only
from an attribute. Extraction classes other than event/date/location/actor/casualties/
claim are ignored. Where the schema requires a value LangExtract did not give (a date, a
location) a placeholder fills it; placeholders are left out of the verifier's tallies.
A quote is the article's span when LangExtract aligned the text exactly, else the text.
A chunk whose answer does not parse is dropped by LangExtract (its default); counted.
Extractions whose text is not in the article are counted, and those copied from the
example. An article where `lx.extract` or the mapping fails is an empty prediction with
its error. Prints two tables and writes JSON (gitignored). Latencies are wall time on
whatever else the machine is running: compare them within one run.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import json
import os
import platform
import signal
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from llm_extract import LLMExtractError, get_extractor, verify  # noqa: E402
from llm_extract.backends.local import default_model_path  # noqa: E402
from llm_extract.core.articles import Article  # noqa: E402
from llm_extract.core.records import ArticleExtraction  # noqa: E402
from llm_extract.evaluation.records import EvaluationReport, evaluate  # noqa: E402
from llm_extract.io.records import load_records  # noqa: E402

SHOWN_GROUPS = {"event_type": "event", "date": "date", "locations": "places",
                "actors": "actors", "killed": "killed", "claims": "claims"}  # fmt: skip
EMPTY = ArticleExtraction(incidents=[])


def load_articles(folder: Path, gold: dict[str, ArticleExtraction]) -> dict[str, str]:
    """Texts of the articles that have gold, by id (the file stem, as in gold.jsonl)."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    return {aid: texts[aid] for aid in sorted(gold) if aid in texts}


def run_ours(
    strategy: str, texts: dict[str, str], published: dict[str, date | None] | None = None
) -> dict[str, Any]:
    """One Extractor for all articles: its model loads once, timed on its own."""
    started = time.perf_counter()
    extractor = get_extractor(backend="local", strategy=strategy, use_cache=False)
    load = getattr(extractor.backend, "_load", None)  # llama.cpp loads lazily otherwise
    if load is not None:
        load()
    run: dict[str, Any] = {"load_s": time.perf_counter() - started, "articles": {}}
    predictions: dict[str, ArticleExtraction] = {}
    for aid, text in texts.items():
        row: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            when = (published or {}).get(aid)
            result = extractor.extract(Article(text, id=aid, published=when))
        except LLMExtractError as exc:
            row["error"] = f"{type(exc).__name__}: {exc}"
            predictions[aid] = EMPTY
        else:
            summary = result.verification.summary
            predictions[aid] = result.record
            row.update(
                prompt_tokens=result.usage.prompt_tokens,
                completion_tokens=result.usage.completion_tokens,
                requests=result.usage.requests,
                supported=summary.supported,
                unsupported=summary.unsupported,
                share_supported=summary.share_supported,
                record=result.record.model_dump(mode="json"),
                empty_reason=result.empty_reason,
            )
        row["latency_s"] = time.perf_counter() - started
        run["articles"][aid] = row
    run["predictions"] = predictions
    return run


def run_langextract(
    texts: dict[str, str], published: dict[str, date | None] | None = None
) -> dict[str, Any]:
    """LangExtract per article against the local server; failures become empty records.
    (`published` is accepted for a common signature; LangExtract takes no date.)"""
    from langextract_peer import SETTINGS, LlamaServer, describe, make_model, run_article, to_record

    started = time.perf_counter()
    run: dict[str, Any] = {"settings": SETTINGS, "articles": {}}
    predictions: dict[str, ArticleExtraction] = {}
    with LlamaServer() as server:
        run["load_s"] = time.perf_counter() - started
        model, meter = make_model(server.base_url)
        for aid, text in texts.items():
            row: dict[str, Any] = {}
            before = (
                (meter.prompt_tokens, meter.completion_tokens, meter.requests)
                if meter
                else (0, 0, 0)
            )
            started = time.perf_counter()
            predictions[aid] = EMPTY
            try:
                extractions, omitted = run_article(model, text)
                row["latency_s"] = time.perf_counter() - started
                row["chunks_omitted"] = omitted
                row["extractions"] = [describe(x, text) for x in extractions]
                record, notes = to_record(extractions, text)
                predictions[aid] = record
                row.update(notes=notes, record=record.model_dump(mode="json"))
                row.update(_verdicts(record, text, notes.get("placeholders", [])))
            except Exception as exc:  # a tiny model's bad JSON must not end the run
                row.setdefault("latency_s", time.perf_counter() - started)
                row["error"] = f"{type(exc).__name__}: {exc}"
            if meter:
                row["prompt_tokens"] = meter.prompt_tokens - before[0]
                row["completion_tokens"] = meter.completion_tokens - before[1]
                row["requests"] = meter.requests - before[2]
            run["articles"][aid] = row
    run["tokens_from_server"] = meter is not None
    run["predictions"] = predictions
    return run


def _verdicts(record: ArticleExtraction, text: str, placeholders: list[str]) -> dict[str, Any]:
    """The verifier's counts, without the verdicts on placeholder fields."""
    report = verify(record, text)
    kept = [v for v in report.verdicts if not any(v.path.startswith(p) for p in placeholders)]
    supported = sum(v.verdict == "supported" for v in kept)
    unsupported = sum(v.verdict == "unsupported" for v in kept)
    judged = supported + unsupported
    return {
        "supported": supported,
        "unsupported": unsupported,
        "share_supported": supported / judged if judged else None,
    }


def summarize(run: dict[str, Any], report: EvaluationReport) -> dict[str, Any]:
    """The table row of one system: scores, latencies, tokens, verifier share."""
    rows = run["articles"].values()
    latencies = [r["latency_s"] for r in rows]
    supported = sum(r.get("supported", 0) for r in rows)
    unsupported = sum(r.get("unsupported", 0) for r in rows)
    counted = all("prompt_tokens" in r for r in rows)
    tokens = sum(r["prompt_tokens"] + r["completion_tokens"] for r in rows) if counted else None
    return {
        "precision": report.overall.precision,
        "recall": report.overall.recall,
        "f1": report.overall.f1,
        "group_f1": {g: report.groups[g].f1 for g in SHOWN_GROUPS},
        "latency_median_s": statistics.median(latencies),
        "latency_max_s": max(latencies),
        "load_s": run["load_s"],
        "total_tokens": tokens,
        "share_supported": supported / judged if (judged := supported + unsupported) else None,
        "unsupported": unsupported,
        "errors": sum("error" in r for r in rows),
        **_copying(rows),
    }


def _copying(rows: Any) -> dict[str, int]:
    """LangExtract only: extractions outside the article, copied from the example, and
    articles whose event type fell back to the default."""
    found = [x for r in rows for x in r.get("extractions", [])]
    if not found:
        return {}
    return {
        "extractions": len(found),
        "not_in_article": sum(not x["in_article"] for x in found),
        "copied_from_example": sum(x["copied"] for x in found),
        "chunks_omitted": sum(len(r.get("chunks_omitted", [])) for r in rows),
        "requests": sum(r.get("requests", 0) for r in rows),
        "default_event_type": sum(
            r.get("notes", {}).get("classification_source") == "default" for r in rows
        ),
    }


def _cell(value: float | None, width: int = 6, digits: int = 3) -> str:
    return f"{'-' if value is None else f'{value:.{digits}f}':>{width}}"


def print_tables(systems: dict[str, dict[str, Any]]) -> None:
    heads = ["P", "R", "F1", *SHOWN_GROUPS.values(), "med s", "max s", "tokens", "suppd", "unsup"]
    print(f"{'system':<12}" + "".join(f"{h:>7}" for h in heads))
    for name, system in systems.items():
        s = system["summary"]
        cells = [s["precision"], s["recall"], s["f1"], *s["group_f1"].values()]
        line = f"{name:<12}" + "".join(" " + _cell(v) for v in cells)
        line += (
            " " + _cell(s["latency_median_s"], digits=1) + " " + _cell(s["latency_max_s"], digits=1)
        )
        tokens = "-" if s["total_tokens"] is None else str(s["total_tokens"])
        share = "-" if s["share_supported"] is None else f"{s['share_supported']:.1%}"
        print(f"{line}{tokens:>7}{share:>7}{s['unsupported']:>7}")
    print(
        "P, R, F1: overall; event..claims: F1 per field group; med/max s: latency per "
        "article; suppd: share of judged values the verifier supports; unsup: unsupported"
    )
    loads = ", ".join(f"{n} {s['summary']['load_s']:.1f} s" for n, s in systems.items())
    print(f"model load / server start (not in latencies): {loads}")
    for name, system in systems.items():
        s = system["summary"]
        if "extractions" in s:
            print(
                f"{name}: {s['extractions']} extractions, {s['not_in_article']} with text not "
                f"in the article, {s['copied_from_example']} copied from the fictitious "
                f"example; default event type on {s['default_event_type']} article(s); "
                f"{s['chunks_omitted']} of {s['requests']} chunk answers dropped as unparsable"
            )
        if s["errors"]:
            print(f"{name}: {s['errors']} article(s) failed (marked !), scored as empty")
    print(f"\n{'article':<22}" + "".join(f"{n[:10] + ' s':>14}{'F1':>6}" for n in systems))
    for aid in next(iter(systems.values()))["articles"]:
        line = f"{aid:<22}"
        for system in systems.values():
            row = system["articles"][aid]
            flag = "!" if "error" in row else " "
            line += f"{row['latency_s']:>13.1f}{flag}{system['per_article_f1'][aid]:>6.3f}"
        print(line)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def environment() -> dict[str, Any]:
    versions = {}
    for dist in ("llm-extract", "llama_cpp_python", "langextract", "openai"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "model_file": default_model_path().name,
        "versions": versions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ROOT / "seeds")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/gold")
    parser.add_argument("--strategies", default="grounded,whole")
    parser.add_argument("--skip-langextract", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, help="a corpus folder with split subfolders")
    parser.add_argument("--splits", default="dev,test", help="with --corpus")
    args = parser.parse_args()
    # A kill (SIGTERM) unwinds like Ctrl-C, so the LangExtract server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.corpus:
        from corpus_quality import run_corpus

        strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
        runners: dict[str, Any] = {s: functools.partial(run_ours, s) for s in strategies}
        if not args.skip_langextract:
            runners["LangExtract"] = run_langextract
        out = args.out or ROOT / "bench/results/quality_corpus.json"
        run_corpus(args.corpus, args.splits.split(","), runners, out)
        return
    args.out = args.out or ROOT / "bench/results/quality.json"

    gold = load_records(args.gold)
    texts = load_articles(args.articles, gold)
    if not texts:
        sys.exit(f"no article in {args.articles} has a gold record in {args.gold}")
    gold = {aid: gold[aid] for aid in texts}
    runs: dict[str, dict[str, Any]] = {}
    for strategy in [s.strip() for s in args.strategies.split(",") if s.strip()]:
        print(f"running {strategy} on {len(texts)} articles...", file=sys.stderr)
        runs[strategy] = run_ours(strategy, texts)
    if not args.skip_langextract:
        print(f"running LangExtract on {len(texts)} articles...", file=sys.stderr)
        runs["LangExtract"] = run_langextract(texts)

    for run in runs.values():
        report = evaluate(gold, run.pop("predictions"))
        run["evaluation"] = report.model_dump(mode="json")
        run["per_article_f1"] = report.per_article
        run["summary"] = summarize(run, report)
    print()
    print_tables(runs)
    f1 = {name: run["summary"]["f1"] for name, run in runs.items()}
    ratios = {
        "grounded_over_whole": _ratio(f1.get("grounded"), f1.get("whole")),
        "grounded_over_langextract": _ratio(f1.get("grounded"), f1.get("LangExtract")),
    }
    print()
    for label, value in (
        ("grounded F1 / whole F1", ratios["grounded_over_whole"]),
        ("grounded F1 / LangExtract F1", ratios["grounded_over_langextract"]),
    ):
        shown = "undefined (a denominator F1 is 0 or missing)" if value is None else f"{value:.2f}"
        print(f"{label}: {shown}")
    results = {
        "environment": environment(),
        "articles": list(texts),
        "systems": runs,
        "ratios": ratios,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
