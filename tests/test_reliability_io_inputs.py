"""Hostile inputs and destinations for one article: FIFOs and devices, closed stdin and
stdout, an --out that cannot be written, text without words, JSON built to exhaust the
parser. Each is one line on stderr and a set exit code, before any model call unless
the failure can only happen after it (a full stdout)."""

from __future__ import annotations

import errno
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.batch.drivers import run_batch
from llm_extract.batch.items import BatchItem
from llm_extract.core.errors import InputError
from llm_extract.core.settings import Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.main import main
from llm_extract.io import jsonl
from llm_extract.io.articles import read_source
from llm_extract.io.jsonl import (
    MAX_JSON_BYTES,
    MAX_JSON_DEPTH,
    MAX_JSON_INT_DIGITS,
    json_lines,
    read_json_document,
)
from llm_extract.text.article import check_article
from tests.conftest import ROOT, SEEDS
from tests.doubles import CountingBackend
from tests.fault_server import FaultServer, Reply
from tests.test_faults import VALID

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

CLOSED_PORT = "http://127.0.0.1:9/v1"  # any model call would fail with another error
CLI = [sys.executable, "-m", "llm_extract.interfaces.cli.main"]
SEED = SEEDS / "001_42dbdfaf130e5adc.txt"  # the article VALID answers


def endpoint_args(server: FaultServer) -> list[str]:
    return ["--base-url", f"{server.url}/v1", "--model", "smollm2-135m", "--compact-schema",
            "--no-cache"]  # fmt: skip


def refused(args: list[str], **kwargs: Any) -> str:
    """The one stderr line of a command that must exit 2 and print nothing on stdout."""
    result = CliRunner().invoke(main, args, **kwargs)
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("llm-extract: error: "), result.stderr
    assert result.stdout == ""
    return lines[0].removeprefix("llm-extract: error: ")


def in_shell(command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, check=False)  # fmt: skip


# 2. FIFOs and devices as articles ----------------------------------------------------


@pytest.mark.timeout(20)
def test_a_fifo_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    message = refused(["extract", str(fifo), "--base-url", CLOSED_PORT])
    assert message == (
        f"{fifo} is a FIFO (named pipe), not a regular file; give an article file "
        "('-' reads standard input, 'batch' reads a folder)"
    )


@pytest.mark.timeout(20)
def test_a_device_is_refused_not_read_forever() -> None:
    message = refused(["extract", "/dev/zero", "--base-url", CLOSED_PORT])
    assert message.startswith("/dev/zero is a character device, not a regular file; ")
    with pytest.raises(InputError, match="is a character device"):
        api.read_article("/dev/urandom")


# 10. A closed standard input -----------------------------------------------------------


@pytest.mark.timeout(60)
def test_closed_stdin_is_one_line_and_exit_2_in_a_real_process() -> None:
    done = in_shell(f"{shlex.join([*CLI, 'extract', '-', '--base-url', CLOSED_PORT])} <&-")
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "llm-extract: error: standard input is closed: pipe an article into '-', or give a file\n"
    )
    assert done.stdout == ""


# 7. Destinations checked before the model is paid ---------------------------------------


@pytest.mark.timeout(60)
def test_closed_stdout_is_refused_before_any_model_call_in_a_real_process() -> None:
    with FaultServer(default=Reply(200, VALID)) as server:
        command = shlex.join([*CLI, "extract", str(SEED), *endpoint_args(server)])
        done = in_shell(f"{command} >&-")
        calls = len(server.requests)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "llm-extract: error: standard output is closed: nowhere to print the JSON; use --out\n"
    )
    assert calls == 0


@pytest.mark.timeout(60)
def test_a_full_stdout_is_one_line_and_exit_1_in_a_real_process() -> None:
    with FaultServer(default=Reply(200, VALID)) as server:
        command = shlex.join([*CLI, "extract", str(SEED), *endpoint_args(server)])
        done = in_shell(f"{command} > /dev/full")
        calls = len(server.requests)
    assert calls == 1
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "llm-extract: error: cannot write the JSON to standard output: No space left on device\n"
    )


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("missing/x.json", "--out {out}: the folder {tmp}/missing does not exist"),
        (".", "--out {out} is a directory; give a file path (or omit --out for stdout)"),
        ("/dev/full", "--out {out} is not a regular file (a device, FIFO or socket); give a "
         "file path (or omit --out for stdout)"),
    ],
    ids=["missing-folder", "directory", "dev-full"],
)  # fmt: skip
def test_an_unwritable_out_is_refused_before_any_model_call(
    out: str, expected: str, tmp_path: Path
) -> None:
    target = out if out.startswith("/") else str(tmp_path / out)
    with FaultServer(default=Reply(200, VALID)) as server:
        message = refused(["extract", str(SEED), "--out", target, *endpoint_args(server)])
        calls = len(server.requests)
    assert message == expected.format(out=target, tmp=tmp_path)
    assert calls == 0


def test_a_failed_out_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "record.json"
    out.write_text("the previous result\n")
    real_replace = os.replace

    def full_disk(source: Any, target: Any) -> None:
        if Path(target) == out:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full_disk)
    with FaultServer(default=Reply(200, VALID)) as server:
        result = CliRunner().invoke(
            main, ["extract", str(SEED), "--out", str(out), *endpoint_args(server)]
        )
    assert result.exit_code == 1
    assert result.stderr == (
        f"llm-extract: error: cannot write {out}: No space left on device; it was left as it was\n"
    )
    assert out.read_text() == "the previous result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"], "no temporary file left"


def test_out_is_written_whole_with_the_usual_mode(tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    with FaultServer(default=Reply(200, VALID)) as server:
        result = CliRunner().invoke(
            main, ["extract", str(SEED), "--out", str(out), *endpoint_args(server)]
        )
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["status"] == "ok"
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


# 9. Text without words -------------------------------------------------------------------

NO_WORDS: dict[str, bytes] = {
    "zero-width-space": "\u200b".encode(),
    "utf16-bom-garbage": b"\xff\xfeab",  # decodes to one CJK character
    "digits-and-punctuation": "80 — 12 !! 2025-07-01".encode(),
    "one-word": b"Attack",
}


@pytest.mark.parametrize("case", sorted(NO_WORDS))
def test_text_without_words_is_refused_by_extract_batch_and_the_api(
    case: str, tmp_path: Path
) -> None:
    article = tmp_path / f"{case}.txt"
    article.write_bytes(NO_WORDS[case])
    message = refused(["extract", str(article), "--base-url", CLOSED_PORT])
    assert message == (
        f"{article} contains no words (at least 2 runs of letters are needed): nothing to extract"
    )
    backend = CountingBackend()
    extractor = Extractor(Settings(use_cache=False), backend=backend)
    (outcome,) = run_batch(extractor, [BatchItem(id=case, path=article)])
    assert outcome.status == "error" and outcome.error_type == "InputError"
    assert outcome.message == message
    with pytest.raises(InputError, match="contains no words"):
        extractor.extract(read_source(article, max_chars=1000))
    assert backend.calls == []


@pytest.mark.parametrize(
    "text",
    ["Gunmen killed 3 people in Gao.", "马里军队称打死80名武装分子，另有5人受伤。",
     "قتل مسلحون ثلاثة أشخاص في غاو", "Боевики убили трёх человек", "नमस्ते दुनिया"],
)  # fmt: skip
def test_articles_in_any_script_have_words(text: str) -> None:
    assert check_article(text, max_chars=1000) == text


# 11. JSON bounded in size, depth and integer digits ----------------------------------------


def test_json_limits_are_the_documented_constants() -> None:
    assert (MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_JSON_INT_DIGITS) == (64 * 2**20, 64, 18)
    for name in ("MAX_JSON_BYTES", "MAX_JSON_DEPTH", "MAX_JSON_INT_DIGITS"):
        assert name in (jsonl.__doc__ or "") or name in (read_json_document.__doc__ or "")


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "nests JSON deeper than 64 levels (the limit)"),
        ("[" * 65 + "]" * 65, "nests JSON deeper than 64 levels (the limit)"),
        ('{"n": ' + "9" * 5000 + "}", "holds an integer of more than 18 digits (the limit); "
         "it cannot be a count or an offset"),
        ('{"n": -1234567890123456789}', "holds an integer of more than 18 digits (the limit); "
         "it cannot be a count or an offset"),
    ],
    ids=["depth-100k", "depth-65", "int-5000-digits", "int-19-digits"],
)  # fmt: skip
def test_hostile_json_is_refused_in_one_line(document: str, expected: str, tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_text(document)
    with pytest.raises(InputError) as caught:
        read_json_document(record)
    assert str(caught.value) == f"{record} {expected}"
    message = refused(["verify", str(record), "--source", str(SEED)])
    assert message == f"{record} {expected}"
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"id": "a"}\n' + document + "\n")
    with pytest.raises(InputError) as caught:
        list(json_lines(lines))
    assert str(caught.value) == f"{lines}:2 {expected}"


def test_json_at_the_limits_is_accepted(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_text("\ufeff" + "[" * 63 + '{"n": -123456789012345678}' + "]" * 63)
    value = read_json_document(record)
    for _ in range(63):
        value = value[0]
    assert value == {"n": -123456789012345678}


@pytest.mark.timeout(30)
def test_a_json_document_over_64_mib_is_refused_unread(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    with record.open("wb") as handle:
        handle.truncate(MAX_JSON_BYTES + 1)  # sparse: nothing is really written
    message = refused(["verify", str(record), "--source", str(SEED)])
    assert message == f"{record} is larger than 64 MiB, the limit for a JSON document"


@pytest.mark.timeout(60)
def test_a_jsonl_line_over_64_mib_is_refused_as_too_long(tmp_path: Path) -> None:
    lines = tmp_path / "huge.jsonl"
    with lines.open("wb") as handle:
        handle.write(b'{"id": "a"}\n')
        handle.truncate(12 + MAX_JSON_BYTES + 1)  # a line of NULs with no newline
    with pytest.raises(InputError) as caught:
        list(json_lines(lines))
    assert str(caught.value) == f"{lines}:2 is too long (over 64 MiB on one line)"


def test_a_record_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "record.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        read_json_document(fifo)
    assert (
        str(caught.value) == f"{fifo} is a FIFO (named pipe), not a regular file; give a JSON file"
    )
