"""Batch benchmark: llm-extract against the ideal, its own cache, LangExtract and a plain
instructor + asyncio loop, all in one run against the same local server.

    pip install -e ".[bench]"        # LangExtract, for the side-by-side rows
    python bench/batch.py [--latency 0.2] [--out bench/results/batch.json]

The bare HTTP rows (peers.run_bare_http) post the same bodies and do nothing else: the
floor the server and this machine allow. Overhead per article at concurrency 1 is
llm-extract's time per article minus theirs.

The server (bench/latency_server.py, in a separate process so it does not share this
process's interpreter lock) answers every request after a fixed latency: tool calls
with the recorded llama.cpp answer from the cassettes, LangExtract's prompts with a
minimal synthetic answer in LangExtract's format (bench/peers.py). Prints a table and
writes JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

MODEL = "smollm2-135m"


def articles(count: int) -> list[str]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    return [f"{texts[n % len(texts)]}\nReference {n:05d}." for n in range(count)]


def request_bodies(texts: list[str]) -> list[bytes]:
    """The chat-completions bodies llm-extract sends for `texts`, for the bare client."""
    import instructor
    import orjson

    from llm_extract.backends.structured import prepare
    from llm_extract.core.records import ArticleExtraction
    from llm_extract.extraction.compact import compact_model
    from llm_extract.extraction.prompts import load_prompt

    model = compact_model(ArticleExtraction)
    arguments = prepare(model, instructor.Mode.TOOLS).arguments
    prompt = load_prompt("extract_incidents")
    return [orjson.dumps({**arguments, "messages": prompt.render(text, model), "model": MODEL})
            for text in texts]  # fmt: skip


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_ours(
    url: str,
    texts: list[str],
    concurrency: int,
    cache_dir: Path | None,
    workers: int | None = None,
) -> dict[str, Any]:
    """One batch; CPU is this process's plus its verification workers' (they exit when
    the batch ends, so RUSAGE_CHILDREN has them; the server is not a child that ended)."""
    from llm_extract import BatchOptions
    from llm_extract.batch.drivers import collector_tuned
    from llm_extract.batch.engine import BatchRun
    from llm_extract.core.settings import Settings
    from llm_extract.extraction.extractor import Extractor

    settings = Settings(backend="openai", base_url=f"{url}/v1", model=MODEL, compact_schema=True,
                        use_cache=cache_dir is not None, cache_dir=cache_dir)  # fmt: skip
    extractor = Extractor(settings)
    items = [(f"a{n:05d}", text) for n, text in enumerate(texts)]

    async def drain() -> tuple[int, int]:
        options = BatchOptions(concurrency=concurrency, workers=workers)
        run = BatchRun(extractor, items, options=options)
        ok = cached = 0
        async for outcome in run.run():
            ok += outcome.status == "ok"
            cached += getattr(outcome, "cached", False)
        return ok, cached

    children = resource.RUSAGE_CHILDREN
    cpu, workers_cpu, wall = cpu_seconds(), cpu_seconds(children), time.perf_counter()
    with collector_tuned():
        ok, cached = asyncio.run(drain())
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    workers_cpu = cpu_seconds(children) - workers_cpu
    return {"articles": len(texts), "ok": ok, "cached": cached, "seconds": wall,
            "per_second": len(texts) / wall,
            "cpu_ms_per_article": cpu / len(texts) * 1000,
            "workers_cpu_ms_per_article": workers_cpu / len(texts) * 1000}  # fmt: skip


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median rate: this machine's speed drifts between runs."""
    ordered = sorted(runs, key=lambda run: run["per_second"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_per_second"] = [round(run["per_second"], 1) for run in runs]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/batch.json")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the median is kept")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench/latency_server.py"), "--latency", str(args.latency)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    from peers import run_bare_http

    latency = args.latency
    results: dict[str, Any] = {"latency_s": latency, "machine": platform.machine(),
                               "python": platform.python_version()}  # fmt: skip
    try:
        run_ours(url, articles(8), 8, None)  # warm up imports and connections
        rows = []
        for concurrency, count in ((1, 20), (8, 160), (32, 640), (64, 1280)):
            row = median_run([run_ours(url, articles(count), concurrency, None)
                              for _ in range(args.repeat)])  # fmt: skip
            bodies = request_bodies(articles(count))
            bare = sorted(run_bare_http(bodies, f"{url}/v1/chat/completions",
                                        concurrency=concurrency)
                          for _ in range(args.repeat))[args.repeat // 2]  # fmt: skip
            ideal = min(concurrency, count) / latency
            row.update(concurrency=concurrency, ideal_per_second=ideal,
                       share_of_ideal=row["per_second"] / ideal,
                       bare_http_seconds=bare, bare_http_per_second=count / bare)  # fmt: skip
            rows.append(row)
        results["ours"] = rows
        in_place = median_run([run_ours(url, articles(1280), 64, None, workers=0)
                               for _ in range(args.repeat)])  # fmt: skip
        in_place["share_of_ideal"] = in_place["per_second"] / (64 / latency)
        results["ours_c64_verifying_in_place"] = in_place
        serial, busy = rows[0], rows[-1]
        per_article = serial["seconds"] / serial["articles"]
        results["overhead_ms_per_article"] = {
            "wall_at_concurrency_1_vs_bare_http": (
                per_article - serial["bare_http_seconds"] / serial["articles"]
            )
            * 1000,
            "wall_at_concurrency_1_vs_latency": (per_article - latency) * 1000,
            "cpu_at_concurrency_64": busy["cpu_ms_per_article"],
            "workers_cpu_at_concurrency_64": busy["workers_cpu_ms_per_article"],
            "cpu_at_concurrency_64_in_place": in_place["cpu_ms_per_article"],
        }

        with tempfile.TemporaryDirectory() as cache_dir:
            texts = articles(2000)
            run_ours(url, texts, 64, Path(cache_dir))  # fill
            results["cache_hits"] = median_run(
                [run_ours(url, texts, 64, Path(cache_dir)) for _ in range(args.repeat)]
            )

        results["peers"] = peers_rows(url, latency)
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(timeout=30)

    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


def peers_rows(url: str, latency: float) -> dict[str, Any]:
    from peers import run_langextract, run_plain_instructor

    from llm_extract.core.records import ArticleExtraction
    from llm_extract.extraction.compact import compact_model
    from llm_extract.extraction.prompts import load_prompt

    texts = articles(64)
    peers: dict[str, Any] = {"articles": len(texts)}
    ours = run_ours(url, texts, 64, None)
    peers["llm_extract_c64"] = ours["per_second"]
    model = compact_model(ArticleExtraction)
    prompt = load_prompt("extract_incidents")
    seconds, _ = run_plain_instructor(
        texts, f"{url}/v1", concurrency=64, response_model=model,
        messages_for=lambda text: prompt.render(text, model), model=MODEL,
    )  # fmt: skip
    peers["plain_instructor_c64"] = len(texts) / seconds
    lx: dict[str, float] = {}
    try:
        for workers in (8, 32, 64):
            for buffer in (1000, 100_000):
                seconds, _ = run_langextract(
                    texts, f"{url}/v1", max_workers=workers, max_char_buffer=buffer,
                    batch_length=max(workers, 10),
                )  # fmt: skip
                lx[f"workers={workers},max_char_buffer={buffer}"] = len(texts) / seconds
    except ImportError as exc:
        peers["langextract_error"] = str(exc)
    peers["langextract"] = lx
    if lx:
        best = max(lx, key=lx.__getitem__)
        peers["langextract_best"] = {"setting": best, "per_second": lx[best]}
        peers["ratio_vs_langextract_best"] = ours["per_second"] / lx[best]
    return peers


def print_table(results: dict[str, Any]) -> None:
    latency = results["latency_s"]
    print(f"server latency {latency * 1000:.0f} ms per request\n")
    print(f"{'concurrency':>11} {'articles':>8} {'per s':>8} {'ideal':>7} {'share':>6} "
          f"{'bare http':>9} {'share':>6} {'cpu ms/art':>10} {'+workers':>8}")  # fmt: skip
    for row in results["ours"]:
        cpu, workers = row["cpu_ms_per_article"], row["workers_cpu_ms_per_article"]
        bare = row["bare_http_per_second"]
        print(f"{row['concurrency']:>11} {row['articles']:>8} {row['per_second']:>8.1f} "
              f"{row['ideal_per_second']:>7.0f} {row['share_of_ideal']:>6.1%} "
              f"{bare:>9.1f} {bare / row['ideal_per_second']:>6.1%} "
              f"{cpu:>10.2f} {workers:>8.2f}")  # fmt: skip
    in_place = results["ours_c64_verifying_in_place"]
    share, cpu = in_place["share_of_ideal"], in_place["cpu_ms_per_article"]
    print(f"{'64, no workers':>11} {in_place['articles']:>8} {in_place['per_second']:>8.1f} "
          f"{'':>7} {share:>6.1%} {cpu:>10.2f}")  # fmt: skip
    overhead = results["overhead_ms_per_article"]
    print(f"\noverhead per article: {overhead['wall_at_concurrency_1_vs_bare_http']:.2f} ms "
          f"wall at concurrency 1 over the bare HTTP client "
          f"({overhead['wall_at_concurrency_1_vs_latency']:.2f} ms over the server's latency); "
          f"CPU at 64: {overhead['cpu_at_concurrency_64']:.2f} ms in the "
          f"event loop's process + {overhead['workers_cpu_at_concurrency_64']:.2f} ms in "
          f"workers ({overhead['cpu_at_concurrency_64_in_place']:.2f} ms all in one "
          "process without workers)")  # fmt: skip
    hits = results["cache_hits"]
    print(
        f"cache hits: {hits['per_second']:.0f} results/s ({hits['cached']} of {hits['articles']})"
    )
    peers = results["peers"]
    print(f"\nsame {peers['articles']} articles, same server:")
    print(f"  llm-extract, concurrency 64        {peers['llm_extract_c64']:8.1f}/s")
    print(f"  plain instructor + asyncio, 64     {peers['plain_instructor_c64']:8.1f}/s")
    for setting, rate in peers.get("langextract", {}).items():
        print(f"  LangExtract {setting:<24} {rate:8.1f}/s")
    if "ratio_vs_langextract_best" in peers:
        print(f"  llm-extract / LangExtract's best: {peers['ratio_vs_langextract_best']:.2f}x")
    if "langextract_error" in peers:
        print(f"  LangExtract not run: {peers['langextract_error']}")


if __name__ == "__main__":
    main()
