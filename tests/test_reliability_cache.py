"""A cache is a convenience, never a reason to fail: corrupt ones are set aside,
read-only ones serve their hits, and `cache clear` always answers in one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from llm_extract.core.settings import Settings
from llm_extract.extraction.cache import ResultCache
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces.cli.main import main
from tests.conftest import ROOT, seed_text
from tests.doubles import CountingBackend

ARTICLE = seed_text("003_880e22595b6a996f.txt")


def _extract(cache_dir: Path, backend: CountingBackend) -> object:
    return Extractor(Settings(cache_dir=cache_dir), backend=backend).extract(ARTICLE)


def _warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("llm-extract: warning:")]


def test_a_corrupt_cache_is_set_aside_and_work_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "cache.db").write_bytes(b"this is not SQLite " * 64)
    backend = CountingBackend()
    first = _extract(cache_dir, backend)
    warned = _warnings(capsys.readouterr().err)
    assert len(warned) == 1 and "was corrupt" in warned[0] and "set it aside" in warned[0]
    aside = [p.name for p in cache_dir.iterdir() if p.name.startswith("cache.db.corrupt-")]
    assert len(aside) == 1, "the corrupt file is kept for inspection"
    assert (cache_dir / aside[0]).read_bytes().startswith(b"this is not SQLite")
    again = _extract(cache_dir, backend)
    assert (first.cached, again.cached) == (False, True)  # type: ignore[attr-defined]
    assert len(backend.calls) == 1
    assert _warnings(capsys.readouterr().err) == [], "the fresh cache is healthy"


def test_cache_clear_works_on_a_corrupt_cache(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "cache.db").write_bytes(b"\x00garbage" * 100)
    done = CliRunner().invoke(main, ["cache", "clear", "--cache-dir", str(cache_dir)])
    assert done.exit_code == 0, done.output
    assert "removed 0 cached result(s)" in done.stderr
    assert len(_warnings(done.stderr)) == 1
    stats = CliRunner().invoke(main, ["cache", "stats", "--cache-dir", str(cache_dir), "--json"])
    assert json.loads(stats.stdout)["entries"] == 0


def test_a_damaged_entry_reads_as_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c")
    cache.put("k", '{"a": 1}')
    cache._store.set("bad", b"not zlib")  # type: ignore[union-attr]
    assert (cache.get("k"), cache.get("bad"), cache.get("absent")) == ('{"a": 1}', None, None)


READ_ONLY_RUN = """
import json, sys
from pathlib import Path
from llm_extract.core.settings import Settings
from llm_extract.extraction.cache import ResultCache
from llm_extract.extraction.extractor import Extractor
from tests.conftest import seed_text
from tests.doubles import CountingBackend

backend = CountingBackend()
extractor = Extractor(Settings(cache_dir=Path(sys.argv[1])), backend=backend)
hit = extractor.extract(seed_text("003_880e22595b6a996f.txt"))
miss = extractor.extract("Gunmen killed 7 villagers in Gao on Monday, officials said.")
again = extractor.extract("Gunmen killed 7 villagers in Gao on Monday, officials said.")
cache = ResultCache(Path(sys.argv[1]))
print(json.dumps({"cached": [hit.cached, miss.cached, again.cached], "calls": len(backend.calls),
                  "read_only": cache.read_only, "entries": cache.stats().entries}))
"""


def _read_only_mount(source: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a mount namespace of its own where `source` is mounted read-only,
    as a read-only volume or another user's cache would be; nothing outlives the child."""
    inner = (
        f'mount --bind "{source}" "{source}" && mount -o remount,bind,ro "{source}" && '
        f'exec "{sys.executable}" -c "$0" "$@"'
    )
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", inner, script, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


@pytest.mark.timeout(180)
@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="a read-only bind mount needs root and unshare",
)
def test_a_read_only_cache_serves_hits_warns_once_and_stores_nothing(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    _extract(cache_dir, CountingBackend())
    entries = ResultCache(cache_dir).stats().entries
    done = _read_only_mount(cache_dir, READ_ONLY_RUN, str(cache_dir))
    if "mount:" in done.stderr and done.returncode != 0:
        pytest.skip(f"this machine allows no bind mount: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["cached"] == [True, False, False], "a hit is served; nothing new is stored"
    assert report["calls"] == 2, "the hit made no model call, each miss one"
    assert report["read_only"] is True
    assert report["entries"] == entries
    warned = _warnings(done.stderr)
    assert len(warned) == 2, warned  # one per ResultCache opened, never per article
    assert all("cannot be written" in line for line in warned)
