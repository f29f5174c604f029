"""Re-record every cassette by running the project's own tests against real servers.

    python scripts/record_cassettes.py

Starts the llama.cpp OpenAI-compatible server (llama-cpp-python[server]) with the
embedded SmolLM2 model on 127.0.0.1:8765, runs the cassette tests in record mode, and
stops the server. With OPENAI_API_KEY set, the OpenAI cassettes are recorded too.
Secrets are scrubbed by the vcr config in tests/conftest.py before anything is written.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT, ALIAS = "127.0.0.1", 8765, "smollm2-135m"


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"llama.cpp server exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"llama.cpp server not ready after {timeout_s:.0f}s")


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from llm_extract.backends.local import default_model_path

    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(default_model_path()), "--model_alias", ALIAS,
        "--host", HOST, "--port", str(PORT),
        "--n_ctx", "8192", "--n_threads", str(min(os.cpu_count() or 2, 4)), "--seed", "0",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://{HOST}:{PORT}/v1/models", server)
        env = {**os.environ, "LLM_EXTRACT_RECORDING": "1"}
        tests = [
            sys.executable, "-m", "pytest", "-m", "cassette", "--record-mode=rewrite",
            "--allowed-hosts=127.0.0.1", "-p", "no:randomly", "-q", *sys.argv[1:],
        ]  # fmt: skip
        return subprocess.run(tests, cwd=ROOT, env=env, check=False).returncode
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
