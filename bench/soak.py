"""Soak: many articles through the batch engine against the latency server with a share
of faulty answers of every kind (bench/latency_server.py FAULTS), checking that every
id is written exactly once, no line is torn, and memory does not grow with the batch.

    python bench/soak.py [--articles 10000] [--baseline 1000] [--fault-rate 0.05]

Each batch runs in a child process of its own, reading a folder of article files as
`llm-extract batch` does; the child reports its peak RSS (and its verification
workers'). Prints a table and writes bench/results/soak.json.
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

CHILD = """
import json, resource, sys, time
from pathlib import Path
from llm_extract import BatchOptions, extract_batch
from llm_extract.interfaces.api import batch_items

folder, out, url, concurrency = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
started = time.perf_counter()
statuses = {}
for outcome in extract_batch(
    batch_items([folder]), out=out, options=BatchOptions(concurrency=concurrency),
    backend="openai", base_url=url + "/v1", model=sys.argv[5], compact_schema=True,
    use_cache=False, max_retry_wait_s=2.0,
):
    statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "statuses": statuses,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "workers_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def check_output(out: Path, ids: set[str]) -> dict[str, Any]:
    """Every id once, every line a whole JSON object, the file ending in a newline."""
    data = out.read_bytes()
    lines = data.split(b"\n")
    torn = 0 if data.endswith(b"\n") else 1
    seen: dict[str, int] = {}
    unparsable = 0
    for raw in lines[:-1] if not torn else lines:
        try:
            line = json.loads(raw)
        except json.JSONDecodeError:
            unparsable += 1
            continue
        seen[line["id"]] = seen.get(line["id"], 0) + 1
    return {
        "lines": len(lines) - 1 + torn,
        "torn_tail": bool(torn),
        "unparsable_lines": unparsable,
        "ids_missing": len(ids - set(seen)),
        "ids_written_twice": sum(1 for n in seen.values() if n > 1),
        "ids_unknown": len(set(seen) - ids),
    }


def run_child(script: str, *args: str) -> dict[str, Any]:
    """Run a batch script in a child process of its own; its last line is its report."""
    child = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False,
        cwd=ROOT,
    )  # fmt: skip
    if child.returncode != 0:
        raise SystemExit(f"the batch failed:\n{child.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return report


def run(count: int, url: str, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for n, text in enumerate(articles(count)):
            (folder / f"a{n:05d}.txt").write_text(text, encoding="utf-8")
        out = Path(tmp) / "results.jsonl"
        report = run_child(CHILD, str(folder), str(out), url, str(concurrency), MODEL)
        report.update(articles=count, **check_output(out, {f"a{n:05d}" for n in range(count)}))
        return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--also", type=int, nargs="*", default=[], help="sizes in between")
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/soak.json")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench/latency_server.py"), "--latency", str(args.latency),
         "--fault-rate", str(args.fault_rate)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    started = time.perf_counter()
    try:
        sizes = (args.baseline, *args.also, args.articles)
        rows = [run(n, url, args.concurrency) for n in sizes]
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(timeout=30)
    small, large = rows[0], rows[-1]
    results = {
        "machine": platform.machine(), "python": platform.python_version(),
        "fault_rate": args.fault_rate, "latency_s": args.latency,
        "concurrency": args.concurrency, "rows": rows,
        "rss_ratio_large_to_baseline": large["peak_rss_mib"] / small["peak_rss_mib"],
        "wall_s": time.perf_counter() - started,
    }  # fmt: skip
    print(f"{'articles':>9} {'seconds':>8} {'ok':>6} {'error':>6} {'lines':>6} {'torn':>5} "
          f"{'missing':>8} {'twice':>6} {'RSS MiB':>8} {'workers MiB':>12}")  # fmt: skip
    for r in rows:
        print(f"{r['articles']:>9} {r['seconds']:>8.1f} {r['statuses'].get('ok', 0):>6} "
              f"{r['statuses'].get('error', 0):>6} {r['lines']:>6} {r['torn_tail']!s:>5} "
              f"{r['ids_missing']:>8} {r['ids_written_twice']:>6} {r['peak_rss_mib']:>8.1f} "
              f"{r['workers_peak_rss_mib']:>12.1f}")  # fmt: skip
    print(f"peak RSS at {args.articles:,} / at {args.baseline:,}: "
          f"{results['rss_ratio_large_to_baseline']:.3f}")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
