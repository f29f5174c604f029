"""Hostile batch outputs and inputs: --out a device, a FIFO, a folder, someone else's
file, a file another batch is writing, a disk that fills up mid-batch; input files that
block, share a stem or start with a byte-order mark; an endpoint that is down. Nothing
here may cost a model call it does not need, lose a record, or leave a torn file."""

from __future__ import annotations

import errno
import fcntl
import os
import shlex
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.batch.drivers import run_batch
from llm_extract.batch.items import BatchOptions
from llm_extract.core.errors import InputError
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces.cli.main import main
from llm_extract.io.result_log import ResultLog
from tests.conftest import ROOT
from tests.doubles import CountingBackend
from tests.fault_server import FaultServer, Reply
from tests.test_batch_engine import VALID, output_ids, references, write_articles

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

CLOSED_PORT = "http://127.0.0.1:9/v1"  # any model call would fail with another error
CLI = [sys.executable, "-m", "llm_extract.interfaces.cli.main"]
NOT_OURS = "--out must be a JSONL file written by `llm-extract batch`; it was left unchanged"


def batch_args(folder: Path, out: Path, url: str = CLOSED_PORT) -> list[str]:
    return ["batch", str(folder), "--out", str(out), "--no-cache", "--workers", "0",
            "--concurrency", "1", "--base-url", url, "--model", "smollm2-135m",
            "--compact-schema"]  # fmt: skip


def refused(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("llm-extract: error: "), result.stderr
    return lines[0].removeprefix("llm-extract: error: ")


def counting() -> tuple[Extractor, CountingBackend]:
    backend = CountingBackend()
    return Extractor(Settings(use_cache=False), backend=backend), backend


def a_result_line(tmp_path: Path) -> str:
    """A real batch line (what `llm-extract batch` writes), without its newline."""
    out = tmp_path / "one.jsonl"
    extractor, _ = counting()
    list(run_batch(extractor, [("a000", "Gunmen killed 3 people in Gao.")], out=out))
    return out.read_text().removesuffix("\n")


# 1. --out that is not a regular file ----------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("make", "kind"),
    [("/dev/full", "a character device"), ("fifo", "a FIFO (named pipe)"),
     ("folder", "a directory")],
    ids=["dev-full", "fifo", "directory"],
)  # fmt: skip
def test_an_out_that_is_not_a_regular_file_is_refused(make: str, kind: str, tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 2)
    out = Path(make) if make.startswith("/") else tmp_path / make
    if make == "fifo":
        os.mkfifo(out)
    elif make == "folder":
        out.mkdir()
    message = refused(batch_args(tmp_path / "articles", out))
    assert message == (
        f"{out} is {kind}, not a regular file; give a path to a JSONL file (`llm-extract "
        "batch` output, or a new file)"
    )


@pytest.mark.timeout(60)
def test_out_to_a_pipe_is_refused_at_once_in_a_real_process(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 2)
    command = shlex.join([*CLI, *batch_args(tmp_path / "articles", Path("/dev/stdout"))])
    shell = f"{command} | head -c 100; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("llm-extract: error: /dev/stdout is a FIFO (named pipe), not")
    assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_resume_streams_the_out_file(tmp_path: Path) -> None:
    out = tmp_path / "big.jsonl"
    line = a_result_line(tmp_path) + "\n"
    with out.open("w") as handle:
        for _ in range(16 * 2**20 // len(line)):  # 16 MiB of one id, rewritten
            handle.write(line)
        handle.write(line[:40])  # and a torn tail to cut
    size = out.stat().st_size
    tracemalloc.start()
    log = ResultLog(out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    log.close()
    assert (log.done_ids(), log.repaired_bytes) == ({"a000"}, 40)
    assert out.stat().st_size == size - 40
    assert peak < 2**20, f"{peak:,} bytes at once while reading a 16 MiB file"


def test_a_giant_out_line_is_refused_and_the_file_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llm_extract.io import jsonl

    monkeypatch.setattr(jsonl, "MAX_JSON_BYTES", 1000)
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "pad": "' + "x" * 2000 + '"}\n')
    before = out.read_bytes()
    with pytest.raises(InputError) as caught:
        ResultLog(out)
    assert str(caught.value) == f"{out}:1 is too long (over 0 MiB on one line); {NOT_OURS}"
    assert out.read_bytes() == before


# 4. Someone else's file as --out: checked whole, left byte-identical ----------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"my notes\nlast line without newline", "{out}:1 is not a JSON line"),
        (b"a single line of prose", "{out}:1 is not a JSON line"),
        (b'{"status": "ok", "id": "a"}\n[1, 2]\n', '{out}:2: a line needs an object with an "id"'),
        (b'{"status": "ok", "id": "a"}\n{"no": "id"}', '{out}:2: a line needs an object with an '
         '"id"'),
        (b'{"id": "a"}\n\xff\xfe\n', "{out}:2: cannot read it as UTF-8 text: 'utf-8' codec can't "
         "decode byte 0xff in position 0: invalid start byte"),
    ],
    ids=["notes", "one-line", "array-line", "unterminated-object-without-id", "not-utf8"],
)  # fmt: skip
def test_an_out_that_is_not_batch_output_is_refused_unchanged(
    content: bytes, expected: str, tmp_path: Path
) -> None:
    write_articles(tmp_path / "articles", 1)
    out = tmp_path / "notes.txt"
    out.write_bytes(content)
    message = refused(batch_args(tmp_path / "articles", out))
    assert message == f"{expected.format(out=out)}; {NOT_OURS}"
    assert out.read_bytes() == content


def test_a_whole_last_record_without_newline_is_completed_not_cut(tmp_path: Path) -> None:
    line = a_result_line(tmp_path)
    out = tmp_path / "results.jsonl"
    out.write_text(line)  # valid, only the newline is missing
    extractor, backend = counting()
    items = [("a000", "Gunmen killed 3 people in Gao."), ("a001", "Soldiers killed 4 in Mopti.")]
    outcomes = list(run_batch(extractor, items, out=out))
    assert [o.id for o in outcomes] == ["a001"], "a000 was done: skipped, not redone"
    assert len(backend.calls) == 1
    assert out.read_text().startswith(line + "\n")
    assert output_ids(out) == ["a000", "a001"]


def test_a_torn_last_line_after_a_byte_order_mark_keeps_the_mark(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    out.write_bytes(b'\xef\xbb\xbf{"status": "ok", "id": "a0')
    log = ResultLog(out)
    log.close()
    assert (log.repaired_bytes, log.done_ids()) == (len('{"status": "ok", "id": "a0'), set())
    assert out.read_bytes() == b"\xef\xbb\xbf"


# 5. One batch at a time per output file ----------------------------------------------------


def hold_lock(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def test_a_second_batch_on_the_same_out_is_refused(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 2)
    out = tmp_path / "results.jsonl"
    holder = hold_lock(out)  # as the first batch's open file holds it
    try:
        with FaultServer(default=Reply(200, VALID)) as server:
            message = refused(batch_args(tmp_path / "articles", out, f"{server.url}/v1"))
            calls = len(server.requests)
    finally:
        os.close(holder)
    assert message == (
        f"{out} is locked by another batch writing to it; let it finish, or wait for it with "
        "--wait-lock"
    )
    assert calls == 0 and out.read_bytes() == b""


@pytest.mark.timeout(30)
def test_wait_lock_waits_for_the_other_batch(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    holder = hold_lock(out)
    threading.Timer(0.5, os.close, [holder]).start()
    extractor, backend = counting()
    started = time.monotonic()
    options = BatchOptions(wait_lock=True, workers=0)
    outcomes = list(run_batch(extractor, [("a", "Gunmen killed 3 in Gao.")], out=out,
                              options=options))  # fmt: skip
    assert time.monotonic() - started >= 0.5
    assert [o.status for o in outcomes] == ["ok"] and len(backend.calls) == 1


@pytest.mark.timeout(30)
def test_the_cli_waits_for_the_lock_with_wait_lock(tmp_path: Path) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    write_articles(folder, 2)
    holder = hold_lock(out)
    threading.Timer(0.5, os.close, [holder]).start()
    with FaultServer(default=Reply(200, VALID)) as server:
        result = CliRunner().invoke(
            main, [*batch_args(folder, out, f"{server.url}/v1"), "--wait-lock"]
        )
        calls = len(server.requests)
    assert result.exit_code == 0, result.stderr
    assert calls == 2 and output_ids(out) == ["a000", "a001"]


# 6. A full disk mid-batch ------------------------------------------------------------------


def fill_disk_after(out: Path, lines: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """os.write fails with ENOSPC on `out` after `lines` writes, half a line in."""
    real_write, written, state = os.write, [0], {"full": True}
    target = str(out.resolve())

    def write(fd: int, data: Any) -> int:
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            name = ""
        if name == target and state["full"]:
            if written[0] >= lines:
                real_write(fd, bytes(data[: len(data) // 2]))
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written[0] += 1
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    return state


@pytest.mark.timeout(60)
def test_a_full_disk_stops_the_batch_cleanly_and_a_rerun_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = tmp_path / "articles", tmp_path / "results.jsonl"
    write_articles(folder, 5)
    disk = fill_disk_after(out, 2, monkeypatch)
    with FaultServer(default=Reply(200, VALID)) as server:
        first = CliRunner().invoke(main, batch_args(folder, out, f"{server.url}/v1"))
        disk["full"] = False
        second = CliRunner().invoke(main, batch_args(folder, out, f"{server.url}/v1"))
        seen = references(server)
    assert first.exit_code == 5, first.stderr
    summary, error = first.stderr.strip().splitlines()
    assert summary.startswith("2 done, 0 failed; ")
    assert error == (
        f"llm-extract: error: cannot write to {out}: No space left on device; the records "
        "before this one are kept, and the same command resumes once it can write"
    )
    assert second.exit_code == 0, second.stderr
    assert "3 done, 0 failed, 2 already in results.jsonl" in second.stderr
    assert output_ids(out) == ["a000", "a001", "a002", "a003", "a004"]
    assert out.read_text().endswith("}\n")
    assert seen.count("a000") == seen.count("a001") == 1, "written records are not redone"
