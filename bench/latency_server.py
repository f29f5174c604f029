"""The benchmark's endpoint: OpenAI-compatible, on 127.0.0.1, every answer after the
same fixed latency, run in its own process.

Built on aiohttp's server rather than tests/fault_server.py: a thread per connection
under one interpreter lock added 15-40 ms of jitter per request at 64 in flight, which
a benchmark of the client would then have charged to the client. Tool calls get the
recorded llama.cpp answer from the cassettes; LangExtract's prompts get a minimal
answer in LangExtract's own format (peers.py).

    python bench/latency_server.py --latency 0.2     # prints its URL, serves until stdin closes
    python bench/latency_server.py --fault-rate 0.05 # and 5 % of answers are faults

With --fault-rate, that share of requests (chosen by a seeded generator, so runs are
repeatable) get one of FAULTS in turn: what a flaky endpoint or proxy sends. Each
fault is derived from the recorded answer or is an HTTP error, never a made-up record.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import re
import sys
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

_TOOLS_KEY = re.compile(rb'"tools"\s*:')
RECORDED = (
    ROOT
    / "cassettes"
    / "test_replay"
    / ("test_seed_extracts_and_second_run_is_served_from_cache[llamacpp].yaml")
)


FAULTS = (
    "429 retry-after 1", "429 retry-after soon", "429 retry-after nan", "500", "503",
    "drop", "truncated", "html 200", "no choices", "invalid tool arguments", "slow",
    "oversized",
)  # fmt: skip


def fault_response(kind: str, recorded: dict, request: web.Request) -> web.StreamResponse | None:
    """The reply for one fault kind; None means "answer normally, only later"."""
    if kind.startswith("429"):
        return web.json_response({"error": {"message": "slow down", "type": "rate_limit"}},
                                 status=429, headers={"Retry-After": kind.split()[-1]})  # fmt: skip
    if kind in ("500", "503"):
        return web.json_response({"error": {"message": "overloaded", "type": "server"}},
                                 status=int(kind))  # fmt: skip
    if kind == "drop":
        assert request.transport is not None
        request.transport.close()
        return web.Response(status=500)
    if kind == "truncated":
        return web.Response(
            body=json.dumps(recorded).encode()[:200], content_type="application/json"
        )
    if kind == "html 200":
        return web.Response(text="<html><body>Bad gateway</body></html>", content_type="text/html")
    if kind == "no choices":
        return web.json_response({**recorded, "choices": []})
    if kind == "invalid tool arguments":
        broken = json.loads(json.dumps(recorded))
        call = broken["choices"][0]["message"]["tool_calls"][0]["function"]
        call["arguments"] = call["arguments"][: len(call["arguments"]) // 2]
        return web.json_response(broken)
    if kind == "oversized":  # a real answer padded past any sane response cap
        return web.json_response({**recorded, "padding": "x" * (12 * 1024 * 1024)})
    return None  # "slow": the right answer after twice the latency


def application(latency: float, fault_rate: float = 0.0, seed: int = 0) -> web.Application:
    from peers import langextract_answer
    from tests.fault_server import recorded_bodies

    recorded_body = recorded_bodies(RECORDED)[0]
    recorded = json.dumps(recorded_body).encode()
    chance, kinds = random.Random(seed), itertools.cycle(FAULTS)

    async def chat(request: web.Request) -> web.StreamResponse:
        # Only LangExtract's bodies are parsed: this process shares the machine with
        # the clients measured, and parsing 20 KB of JSON per request cost them CPU a
        # remote endpoint would not. An unescaped "tools" key marks a tool call.
        body = await request.read()
        await asyncio.sleep(latency)
        if fault_rate and chance.random() < fault_rate:
            kind = next(kinds)
            if (faulty := fault_response(kind, recorded_body, request)) is not None:
                return faulty
            await asyncio.sleep(latency)
        if _TOOLS_KEY.search(body):
            return web.Response(body=recorded, content_type="application/json")
        return web.json_response(langextract_answer(json.loads(body)))

    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", chat)
    return app


async def serve(latency: float, fault_rate: float = 0.0, seed: int = 0) -> None:
    runner = web.AppRunner(application(latency, fault_rate, seed), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    host, port = runner.addresses[0][:2]
    print(f"http://{host}:{port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of faulty answers")
    parser.add_argument("--seed", type=int, default=0, help="which requests get the faults")
    args = parser.parse_args()
    asyncio.run(serve(args.latency, args.fault_rate, args.seed))


if __name__ == "__main__":
    main()
