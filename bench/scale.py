"""Scale: the same articles through the live batch, Ray Data on 2 CPUs and the Batch API,
against local servers; client CPU and wall time per article, and what 1,000,000
articles would take on each path.

    python bench/scale.py [--articles 2000] [--latency 0.2] [--concurrency 64]

(a) live: `extract_batch` over a JSONL corpus of the articles, as `llm-extract batch`;
(b) Ray: `extract_dataset` over a Dataset of the same rows, on a local one-node cluster
of 2 CPUs (one actor per CPU, `--concurrency` split between them; their start-up is
in the wall time); (c) Batch API: `extract_batch_api` against tests/batch_api_server.py
in a child process, which ends a batch at the first look (polled every 0.05 s), so no
batch window is simulated: the wall time is the client's own work.

CPU is process CPU time: this process's, its verification workers' (reaped children),
and for Ray every Ray process's, read with psutil while the job runs (the actors exit at
its end; a sample every 0.1 s loses at most that much of each). Ray's start-up
(`ray.init`) is timed apart: on a cluster it is already running. Every path runs
without the result cache, so each article costs a request. Prints a table and writes
bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from batch import MODEL, articles, cpu_seconds  # noqa: E402

from llm_extract import BatchOptions, Settings  # noqa: E402
from llm_extract.batch.limits import (  # noqa: E402
    PRICES_PER_MILLION,
    batch_prices,
    cost_of,
    live_prices,
)
from llm_extract.core.results import Usage  # noqa: E402
from llm_extract.interfaces.api import (  # noqa: E402
    MAX_LINES_PER_FILE,  # the Batch API's limit per input file
    batch_items,
    extract_batch,
    extract_dataset,
)

PROJECTED = 1_000_000
BATCH_WINDOW_H = 24  # the Batch API's completion window, on top of the client's hours
SAMPLE_S = 0.1
POLL_S = 0.05  # the Batch API run's wait between looks: the local server ends at the first
# The server reads the recorded answer from its cassette (YAML) for every line it
# answers: 40 s of its CPU for 2,000 lines, which the client would wait for as if it were
# the batch window. Read once here; the answers are the same.
BATCH_API_SERVER = (
    "-c",
    "import functools, sys; import tests.batch_api_server as api\n"
    "api.recorded_answer = functools.cache(api.recorded_answer)\n"
    "with api.BatchAPIServer() as server:\n"
    "    print(server.url, flush=True); sys.stdin.read()",
)
RAY_CPUS = 2


def rows(count: int) -> list[dict[str, Any]]:
    """bench/batch.py's distinct articles as corpus rows: id, text, date, url."""
    return [
        {"id": f"a{n:05d}", "text": text, "published": date(2025, 7, 1 + n % 28),
         "url": f"https://news.example/{n}"}
        for n, text in enumerate(articles(count))
    ]  # fmt: skip


def settings(url: str) -> Settings:
    return Settings(backend="openai", base_url=f"{url}/v1", model=MODEL, compact_schema=True,
                    use_cache=False)  # fmt: skip


def tally(lines: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """Counts and summed usage over result lines (the JSON the batch's --out holds)."""
    statuses: dict[str, int] = {}
    usage = Usage()
    for line in lines:
        statuses[line["status"]] = statuses.get(line["status"], 0) + 1
        usage = usage + Usage.model_validate(line["usage"])
    return {"statuses": statuses, "usage": usage.model_dump()}


def finish(report: dict[str, Any], count: int, wall: float, cpu: dict[str, float]) -> None:
    report.update(articles=count, seconds=wall, per_second=count / wall)
    report["cpu_ms_per_article"] = {name: s / count * 1000 for name, s in cpu.items()}
    report["cpu_ms_per_article"]["total"] = sum(cpu.values()) / count * 1000


def run_live(url: str, corpus: Path, count: int, concurrency: int) -> dict[str, Any]:
    """`llm-extract batch corpus.jsonl` in this process; its verification workers exit
    with the batch, so RUSAGE_CHILDREN holds their CPU."""
    import resource

    items = batch_items([corpus], notify=lambda message: None)
    options = BatchOptions(concurrency=concurrency)
    own, children = cpu_seconds(), cpu_seconds(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    outcomes = extract_batch(items, options=options, settings=settings(url))
    report = tally(outcome.model_dump(mode="json") for outcome in outcomes)
    wall = time.perf_counter() - wall
    cpu = {"client": cpu_seconds() - own,
           "verify_workers": cpu_seconds(resource.RUSAGE_CHILDREN) - children}  # fmt: skip
    finish(report, count, wall, cpu)
    report["concurrency"] = concurrency
    return report


class RayCpu:
    """CPU seconds of this process's descendants but `skip` (the latency server), by
    kind: Ray workers ("ray::..." processes: the actors) and Ray's own daemons."""

    def __init__(self, skip: set[int]) -> None:
        import psutil  # Ray ships it (ray/thirdparty_files), on the path once ray is imported

        self._me, self._skip = psutil.Process(), skip
        self._seen: dict[int, tuple[str, float]] = {}
        self._start = dict(self._read())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _read(self) -> Iterator[tuple[int, tuple[str, float]]]:
        import psutil

        for child in self._me.children(recursive=True):
            if child.pid in self._skip:
                continue
            try:
                times, name = child.cpu_times(), child.name()
            except psutil.Error:  # exited between listing and reading
                continue
            kind = "ray_workers" if name.startswith("ray::") else "ray_daemons"
            yield child.pid, (kind, times.user + times.system)

    def _poll(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self._seen.update(self._read())

    def __enter__(self) -> RayCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._seen.update(self._read())

    def seconds(self) -> dict[str, float]:
        totals = {"ray_workers": 0.0, "ray_daemons": 0.0}
        for pid, (kind, seconds) in self._seen.items():
            totals[kind] += seconds - self._start.get(pid, (kind, 0.0))[1]
        return totals


def run_ray(url: str, data: list[dict[str, Any]], concurrency: int, skip: set[int],
            batch_size: int) -> dict[str, Any]:  # fmt: skip
    """`extract_dataset` on a fresh local cluster of RAY_CPUS CPUs, one actor each."""
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=RAY_CPUS, include_dashboard=False, log_to_driver=False,
             _node_ip_address="127.0.0.1")  # fmt: skip
    ray.data.DataContext.get_current().enable_progress_bars = False
    init_s = time.perf_counter() - started
    try:
        dataset = ray.data.from_items(data)
        per_worker = max(1, concurrency // RAY_CPUS)
        own = cpu_seconds()
        with RayCpu(skip) as workers:
            wall = time.perf_counter()
            results = extract_dataset(dataset, workers=RAY_CPUS, concurrency=per_worker,
                                      batch_size=batch_size, settings=settings(url))  # fmt: skip
            report = tally(json.loads(row["result"]) for row in results.iter_rows())
            wall = time.perf_counter() - wall
        finish(report, len(data), wall, {"driver": cpu_seconds() - own, **workers.seconds()})
    finally:
        ray.shutdown()
    report.update(init_s=init_s, workers=RAY_CPUS, concurrency_per_worker=per_worker,
                  batch_size=batch_size)  # fmt: skip
    return report


def run_batch_api(corpus: Path, count: int, concurrency: int) -> dict[str, Any]:
    """`extract_batch_api` against tests/batch_api_server.py in a process of its own (its
    CPU is not the client's), which ends each batch at the first look: polls every
    POLL_S, so the simulated window is that, not 24 h. Answers are settled into --out."""
    import resource

    from llm_extract.interfaces.api import RemoteOptions, extract_batch_api

    items = batch_items([corpus], notify=lambda message: None)
    remote = RemoteOptions(poll_s=POLL_S, max_poll_s=POLL_S)
    out = corpus.with_name("batch-api.jsonl")
    with child_server(*BATCH_API_SERVER) as (api_url, _):
        own, children = cpu_seconds(), cpu_seconds(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        summary = extract_batch_api(items, out=out, remote=remote, notify=lambda line: None,
                                    options=BatchOptions(concurrency=concurrency),
                                    settings=settings(api_url))  # fmt: skip
        wall = time.perf_counter() - wall
        cpu = {"client": cpu_seconds() - own,
               "verify_workers": cpu_seconds(resource.RUSAGE_CHILDREN) - children}  # fmt: skip
    report = tally(json.loads(line) for line in out.read_text("utf-8").splitlines())
    finish(report, count, wall, cpu)
    report.update(poll_s=POLL_S, summary=json.loads(json.dumps(asdict(summary), default=str)))
    return report


def projection(report: dict[str, Any], model: str, batch: bool) -> dict[str, Any]:
    """1,000,000 articles at this path's measured rate and tokens per article, at the
    list price that path pays (the Batch API's batch rate, the others' live rate)."""
    done = sum(report["statuses"].values()) or 1
    usage = Usage.model_validate(report["usage"])
    per_article = Usage(prompt_tokens=round(usage.prompt_tokens / done),
                        completion_tokens=round(usage.completion_tokens / done))  # fmt: skip
    prices = batch_prices(model) if batch else live_prices(model)
    return {
        "articles": PROJECTED,
        "files": math.ceil(PROJECTED / MAX_LINES_PER_FILE) if batch else None,
        "client_hours": PROJECTED / report["per_second"] / 3600,
        "window_hours": BATCH_WINDOW_H if batch else 0,
        "tokens_per_article": {
            "prompt_tokens": per_article.prompt_tokens,
            "completion_tokens": per_article.completion_tokens,
        },
        "usd": cost_of(per_article, prices) * PROJECTED,
        "client_cpu_hours": report["cpu_ms_per_article"]["total"] * PROJECTED / 3.6e6,
    }


@contextmanager
def child_server(*command: str) -> Iterator[tuple[str, int]]:
    """A server in a child process that prints its URL and serves until stdin closes."""
    server = subprocess.Popen([sys.executable, *command], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert server.stdout is not None and server.stdin is not None
    try:
        yield server.stdout.readline().strip(), server.pid
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight, all told")
    parser.add_argument("--batch-size", type=int, default=250, help="rows per Ray batch")
    parser.add_argument("--price-model", default="gpt-4o-mini", choices=sorted(PRICES_PER_MILLION))
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/scale.json")
    args = parser.parse_args()
    data = rows(args.articles)
    results: dict[str, Any] = {
        "articles": args.articles, "latency_s": args.latency, "concurrency": args.concurrency,
        "machine": platform.machine(), "python": platform.python_version(),
        "price_model": args.price_model, "prices_per_million": PRICES_PER_MILLION[args.price_model],
    }  # fmt: skip
    paths: dict[str, Callable[[], dict[str, Any]]] = {}
    latency_server = (str(ROOT / "bench/latency_server.py"), "--latency", str(args.latency))
    with tempfile.TemporaryDirectory() as folder, child_server(*latency_server) as (url, pid):
        corpus = Path(folder) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r, default=str) + "\n" for r in data), "utf-8")
        list(extract_batch(articles(8), settings=settings(url)))  # imports and connections warm
        paths["live"] = lambda: run_live(url, corpus, len(data), args.concurrency)
        paths["ray"] = lambda: run_ray(url, data, args.concurrency, {pid}, args.batch_size)
        paths["batch_api"] = lambda: run_batch_api(corpus, len(data), args.concurrency)
        results["paths"] = {name: run() for name, run in paths.items()}
    results["projection"] = {
        name: projection(report, args.price_model, batch=name == "batch_api")
        for name, report in results["paths"].items()
        if "not_measured" not in report
    }
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


def print_table(results: dict[str, Any]) -> None:
    print(f"{results['articles']:,} articles, server latency {results['latency_s'] * 1000:.0f} ms, "
          f"{results['concurrency']} requests in flight\n")  # fmt: skip
    print(f"{'path':<10} {'ok':>6} {'err':>4} {'wall s':>7} {'per s':>7} {'cpu ms/art':>10}  parts")
    for name, report in results["paths"].items():
        if "not_measured" in report:
            print(f"{name:<10} not measured: {report['not_measured']}")
            continue
        cpu = report["cpu_ms_per_article"]
        parts = ", ".join(f"{k} {v:.2f}" for k, v in cpu.items() if k != "total")
        extra = f"; ray.init {report['init_s']:.1f} s apart" if "init_s" in report else ""
        print(f"{name:<10} {report['statuses'].get('ok', 0):>6} "
              f"{report['statuses'].get('error', 0):>4} {report['seconds']:>7.1f} "
              f"{report['per_second']:>7.1f} {cpu['total']:>10.2f}  {parts}{extra}")  # fmt: skip
    print(f"\n{PROJECTED:,} articles at the measured rates ({results['price_model']} list "
          "prices; the Batch API at half):")  # fmt: skip
    print(f"{'path':<10} {'files':>6} {'client h':>9} {'+window h':>9} {'tok in/out':>11} "
          f"{'USD':>9} {'cpu h':>6}")  # fmt: skip
    for name, row in results["projection"].items():
        tokens = row["tokens_per_article"]
        files = "-" if row["files"] is None else str(row["files"])
        print(f"{name:<10} {files:>6} {row['client_hours']:>9.2f} {row['window_hours']:>9} "
              f"{tokens['prompt_tokens']:>5}/{tokens['completion_tokens']:<5} "
              f"{row['usd']:>9,.0f} {row['client_cpu_hours']:>6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
