"""Corpus inputs: JSONL and Parquet corpora of 10,000 articles (and 1,000 for
comparison) through the batch engine against the latency server, checking that every
id is written exactly once with its own row's source, and that peak memory does not
grow with the corpus (the rows are streamed, never all in memory).

    python bench/corpus_inputs.py [--rows 10000] [--baseline 1000] [--row-group 1000]

Each batch runs in a child process of its own, reading the corpus file as
`llm-extract batch corpus.jsonl` does (`batch_items` then `extract_batch`); the child
reports its own peak RSS (VmHWM), and its verification workers' as the kernel counts
children (ru_maxrss, which includes what their parent held when it spawned them, so
it is an upper bound; bench/soak.py reports the same). Parquet is written twice: as
pyarrow and pandas write it by default ("parquet": one row group up to a million
rows), and in groups of --row-group rows ("parquet-groups"). Prints a table and writes
bench/results/corpus_inputs.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from batch import MODEL, articles  # noqa: E402
from soak import check_output, run_child  # noqa: E402

FORMATS = ("jsonl", "parquet", "parquet-groups")
CHILD = """
import json, resource, sys, time
from pathlib import Path
from llm_extract import BatchOptions, extract_batch
from llm_extract.interfaces.api import batch_items

def peak_rss_mib():
    # VmHWM is this process's own high-water mark; ru_maxrss would also count the
    # parent's memory at the moment it spawned this child, and the parent holds the
    # corpus it just wrote.
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

corpus, out, url, concurrency = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
said = []
started = time.perf_counter()
items = batch_items([corpus], notify=said.append)
scanned = time.perf_counter() - started
scan_rss = peak_rss_mib()
statuses = {}
for outcome in extract_batch(
    items, out=out, options=BatchOptions(concurrency=concurrency),
    backend="openai", base_url=url + "/v1", model=sys.argv[5], compact_schema=True,
    use_cache=False, max_retry_wait_s=2.0,
):
    statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "scan_seconds": scanned,
    "said": said,
    "rss_after_id_pass_mib": scan_rss,
    "statuses": statuses,
    "peak_rss_mib": peak_rss_mib(),
    "workers_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def rows(count: int) -> list[dict[str, Any]]:
    """Corpus rows under the usual column names, each with its own URL, outlet, title
    and date, so that a source landing on another row's result is seen."""
    return [
        {"id": f"a{n:05d}", "text": text, "url": f"https://news.example/{n:05d}",
         "outlet": f"Outlet {n % 7}", "title": f"Report {n:05d}",
         "published": f"2025-07-{1 + n % 28:02d}"}
        for n, text in enumerate(articles(count))
    ]  # fmt: skip


def write_corpus(path: Path, count: int, row_group: int | None) -> None:
    data = rows(count)
    if path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in data)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(data)
    pq.write_table(table, path, **({"row_group_size": row_group} if row_group else {}))
    del table


def wrong_sources(out: Path) -> int:
    """Result lines whose provenance names another row's URL (or none)."""
    wrong = 0
    with out.open(encoding="utf-8") as handle:
        for raw in handle:
            line = json.loads(raw)
            if line.get("status") != "ok":
                continue
            source = line["provenance"].get("source") or {}
            wrong += source.get("url") != f"https://news.example/{line['id'][1:]}"
    return wrong


def run(fmt: str, count: int, url: str, concurrency: int, row_group: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / f"corpus.{fmt.split('-')[0]}"
        write_corpus(corpus, count, row_group if fmt == "parquet-groups" else None)
        out = Path(tmp) / "results.jsonl"
        report = run_child(CHILD, str(corpus), str(out), url, str(concurrency), MODEL)
        ids = {f"a{n:05d}" for n in range(count)}
        report.update(format=fmt, rows=count, corpus_mib=corpus.stat().st_size / 2**20,
                      **check_output(out, ids), sources_wrong=wrong_sources(out))  # fmt: skip
        return report


def print_table(results: dict[str, Any]) -> None:
    print(f"{'format':>14} {'rows':>7} {'MiB in':>7} {'seconds':>8} {'id pass':>8} {'ok':>6} "
          f"{'error':>6} {'lines':>6} {'missing':>8} {'twice':>6} {'wrong src':>9} "
          f"{'RSS MiB':>8} {'workers MiB':>12}")  # fmt: skip
    for r in results["rows"]:
        print(f"{r['format']:>14} {r['rows']:>7} {r['corpus_mib']:>7.1f} {r['seconds']:>8.1f} "
              f"{r['scan_seconds']:>8.2f} {r['statuses'].get('ok', 0):>6} "
              f"{r['statuses'].get('error', 0):>6} {r['lines']:>6} {r['ids_missing']:>8} "
              f"{r['ids_written_twice']:>6} {r['sources_wrong']:>9} {r['peak_rss_mib']:>8.1f} "
              f"{r['workers_peak_rss_mib']:>12.1f}")  # fmt: skip
    for fmt, ratio in results["rss_ratio_large_to_baseline"].items():
        verdict = "within" if ratio <= 1.2 else "OVER"
        print(f"{fmt}: peak RSS at {results['large']:,} / at {results['baseline']:,} rows: "
              f"{ratio:.3f} ({verdict} 20 %)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--row-group", type=int, default=1000, help="rows per group")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/corpus_inputs.json")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench/latency_server.py"), "--latency", str(args.latency)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    started = time.perf_counter()
    try:
        table = [run(fmt, n, url, args.concurrency, args.row_group)
                 for fmt in args.formats for n in (args.baseline, args.rows)]  # fmt: skip
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(timeout=30)
    peak = {(r["format"], r["rows"]): r["peak_rss_mib"] for r in table}
    results = {
        "machine": platform.machine(), "python": platform.python_version(),
        "latency_s": args.latency, "concurrency": args.concurrency,
        "parquet_groups_rows_per_group": args.row_group,
        "baseline": args.baseline, "large": args.rows, "rows": table,
        "rss_ratio_large_to_baseline": {
            fmt: peak[(fmt, args.rows)] / peak[(fmt, args.baseline)] for fmt in args.formats},
        "wall_s": time.perf_counter() - started,
    }  # fmt: skip
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
