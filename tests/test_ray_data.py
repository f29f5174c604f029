"""extract_dataset on a local one-node Ray cluster against a loopback endpoint: the same
JSON lines, record by record, as the live batch on the same rows; no row lost.

Ray's own sockets stay on 127.0.0.1 (`_node_ip_address`), and every Ray worker process
runs pytest-recording's network guard too (a setup hook), so --block-network holds in
the workers that make the requests, not only in this process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from llm_extract.batch.items import BatchOptions
from llm_extract.batch.ray_data import ExtractBatches, require_ray
from llm_extract.core.errors import ConfigError
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces.api import batch_items, extract_batch, extract_dataset
from tests.conftest import RECORD_MODEL, SEEDS
from tests.doubles import RECORDED, CountingBackend
from tests.fault_server import FaultServer, Planned, Received, Reply, api_error, recorded_bodies

LOOPBACK = "127.0.0.1"
pytestmark = [
    pytest.mark.block_network(allowed_hosts=[LOOPBACK]),
    # Ray Data reads its own deprecated settings when a job starts; not ours to fix.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context"),
]
ARTICLES = 20
FAILING = "a13"  # the endpoint refuses this article's request (400, not retried)
SECRETS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_EXTRACT_MODEL", "LLM_EXTRACT_MODEL_PATH")


def article_rows() -> list[dict[str, Any]]:
    """Seed texts made distinct (as bench/batch.py does), with dates and urls."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return [
        {
            "id": f"a{n:02d}",
            "text": f"{texts[n % len(texts)]}\nReference {n:05d}.",
            "published": date(2025, 7, 1 + n % 5),
            "url": f"https://news.example/{n}",
        }
        for n in range(ARTICLES)
    ]


def answer(received: Received) -> Planned:
    if f"Reference {int(FAILING[1:]):05d}." in json.dumps(received.body):
        return api_error(400, "the request exceeds the context", "invalid_request_error")
    return Reply(200, RECORDED_BODY)


RECORDED_BODY = recorded_bodies(RECORDED)[0]


def settings(url: str, cache: Path) -> Settings:
    return Settings(backend="openai", base_url=f"{url}/v1", model=RECORD_MODEL,
                    compact_schema=True, cache_dir=cache)  # fmt: skip


def comparable(line: dict[str, Any]) -> dict[str, Any]:
    """A result line without what differs between two runs: when and how long."""
    line = json.loads(json.dumps(line))
    line.pop("duration_s", None)
    line.get("provenance", {}).pop("created_at", None)
    return line


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[ModuleType]:
    """One local node, 2 CPUs, no dashboard, bound to loopback; shut down at the end."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    from pytest_recording import network

    def guard() -> None:  # runs in every worker process (pickled by value)
        from pytest_recording import network

        network.block(allowed_hosts=[LOOPBACK])

    with pytest.MonkeyPatch.context() as env, network.blocking_context([LOOPBACK]):
        for name in SECRETS:  # the workers inherit the raylet's environment, set here
            env.delenv(name, raising=False)
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            _node_ip_address=LOOPBACK,
            runtime_env={"worker_process_setup_hook": guard},
        )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


def test_ray_rows_equal_the_live_batch_and_none_is_lost(
    ray_cluster: ModuleType, tmp_path: Path
) -> None:
    rows = article_rows()
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(row, default=str) + "\n" for row in rows), "utf-8")
    out = tmp_path / "live.jsonl"
    with FaultServer(default=answer) as server:
        items = batch_items([corpus], notify=lambda message: None)
        live_settings = settings(server.url, tmp_path / "live-cache")
        list(extract_batch(items, concurrency=4, out=out, settings=live_settings))
        dataset = ray_cluster.data.from_items(rows)
        ray_settings = settings(server.url, tmp_path / "ray-cache")
        results = extract_dataset(dataset, workers=2, batch_size=5, concurrency=4,
                                  settings=ray_settings)  # fmt: skip
        first = results.take_all()
        asked = len(server.requests)
        again = results.take_all()  # the workers' cache answers all but the failure
        assert len(server.requests) == asked + 1

    live = {line["id"]: line for line in map(json.loads, out.read_text("utf-8").splitlines())}
    assert len(live) == ARTICLES
    assert sorted(row["id"] for row in first) == sorted(row["id"] for row in rows)
    for row in first:
        line = json.loads(row["result"])
        assert row["id"] == line["id"] and row["status"] == line["status"]
        assert comparable(line) == comparable(live[row["id"]]), row["id"]
    assert [row["id"] for row in first if row["status"] == "error"] == [FAILING]
    assert json.loads(next(r["result"] for r in first if r["id"] == FAILING))["error_type"]
    hits = [json.loads(row["result"]) for row in again if row["status"] == "ok"]
    assert len(hits) == ARTICLES - 1 and all(hit["cached"] for hit in hits)


def test_ray_workers_cannot_reach_past_loopback(ray_cluster: ModuleType) -> None:
    @ray_cluster.remote
    def connect() -> str:
        import socket

        with socket.socket() as sock:
            try:
                sock.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed
            except RuntimeError as exc:
                return str(exc)
        return "connected"

    assert "Network is disabled" in ray_cluster.get(connect.remote(), timeout=30)


def test_a_batch_keeps_every_row_its_run_cannot_do(tmp_path: Path) -> None:
    """No cluster needed: the callable class on one Arrow batch (repeat, no text, ok)."""
    pyarrow = pytest.importorskip("pyarrow")
    options = BatchOptions(concurrency=2, workers=0)
    worker = ExtractBatches(Settings(cache_dir=tmp_path, use_cache=False), options)
    worker.extractor = Extractor(worker.extractor.settings, backend=CountingBackend())
    text = article_rows()[0]["text"]
    batch = pyarrow.table({"ID": ["x", "x", "y"], "Body": [text, text + " Again.", " "]})
    out = worker(batch).to_pylist()
    assert [(row["id"], row["status"]) for row in out] == [
        ("x", "ok"),
        ("x", "error"),
        ("y", "error"),
    ]
    assert "repeats the id 'x'" in json.loads(out[1]["result"])["message"]
    assert "has no text" in json.loads(out[2]["result"])["message"]


def test_limits_that_would_reset_every_batch_are_refused() -> None:
    with pytest.raises(ConfigError, match="max_cost"):
        extract_dataset(object(), options=BatchOptions(max_cost=1.0))  # type: ignore[arg-type]


def test_importing_the_package_does_not_import_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    code = "import sys, llm_extract; sys.exit('ray' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(ConfigError, match=r"llm-extract\[ray\]"):
        require_ray()


def test_a_row_without_an_id_is_named_by_its_text_in_every_batch(tmp_path: Path) -> None:
    """Batches are numbered from 1 each: a row number would repeat across them."""
    pyarrow = pytest.importorskip("pyarrow")
    options = BatchOptions(concurrency=2, workers=0)
    worker = ExtractBatches(Settings(cache_dir=tmp_path, use_cache=False), options)
    worker.extractor = Extractor(worker.extractor.settings, backend=CountingBackend())
    texts = [row["text"] for row in article_rows()[:2]]
    first = worker(pyarrow.table({"text": [texts[0]]})).to_pylist()
    second = worker(pyarrow.table({"text": [texts[1]]})).to_pylist()
    again = worker(pyarrow.table({"text": [texts[0]]})).to_pylist()
    assert first[0]["id"].startswith("dataset:") and first[0]["id"] != second[0]["id"]
    assert again[0]["id"] == first[0]["id"]
