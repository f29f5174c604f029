"""The benchmark's endpoint: OpenAI-compatible, on 127.0.0.1, every answer after the
same fixed latency, run in its own process.

Built on aiohttp's server rather than tests/fault_server.py: a thread per connection
under one interpreter lock added 15-40 ms of jitter per request at 64 in flight, which
a benchmark of the client would then have charged to the client. Tool calls get the
recorded llama.cpp answer from the cassettes; LangExtract's prompts get a minimal
answer in LangExtract's own format (peers.py).

    python bench/latency_server.py --latency 0.2     # prints its URL, serves until stdin closes
"""

from __future__ import annotations

import argparse
import asyncio
import json
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


def application(latency: float) -> web.Application:
    from peers import langextract_answer
    from tests.fault_server import recorded_bodies

    recorded = json.dumps(recorded_bodies(RECORDED)[0]).encode()

    async def chat(request: web.Request) -> web.Response:
        # Only LangExtract's bodies are parsed: this process shares the machine with
        # the clients measured, and parsing 20 KB of JSON per request cost them CPU a
        # remote endpoint would not. An unescaped "tools" key marks a tool call.
        body = await request.read()
        await asyncio.sleep(latency)
        if _TOOLS_KEY.search(body):
            return web.Response(body=recorded, content_type="application/json")
        return web.json_response(langextract_answer(json.loads(body)))

    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", chat)
    return app


async def serve(latency: float) -> None:
    runner = web.AppRunner(application(latency), access_log=None)
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
    asyncio.run(serve(parser.parse_args().latency))


if __name__ == "__main__":
    main()
