"""Bad input: one clear line on stderr, a non-zero exit, no traceback, no model call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from llm_extract.interfaces.cli.main import main
from llm_extract.text.article import check_article, decode_article

CASES: dict[str, bytes | None] = {
    "empty": b"",
    "whitespace": b"  \n\t \r\n  ",
    "nul": b"Mali army said\x00 80 killed",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "zip": b"PK\x03\x04\x14\x00\x00\x00",
    "latin1": "Les soldats ont été tués à Kayes".encode("latin-1"),
    "oversize": ("Mali. " * 30).encode(),
}
EXPECTED = {
    "missing": "no such file",
    "directory": "is a directory",
    "empty": "empty or only whitespace",
    "whitespace": "empty or only whitespace",
    "nul": "NUL byte at offset 14",
    "pdf": "looks like a PDF document",
    "png": "looks like a PNG image",
    "zip": "looks like a ZIP archive",
    "latin1": "byte 0xe9 at offset 16 is invalid under a byte-order mark if present, else "
    "strict UTF-8",
    "oversize": "has 179 characters, over the limit of 100",
}


def make_input(tmp_path: Path, case: str) -> Path:
    if case == "missing":
        return tmp_path / "nope.txt"
    if case == "directory":
        return tmp_path
    path = tmp_path / f"{case}.bin"
    path.write_bytes(CASES[case] or b"")
    return path


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_cli_rejects_bad_input_with_one_line(case: str, tmp_path: Path) -> None:
    path = make_input(tmp_path, case)
    # --base-url to a closed port: any model call would fail loudly with another error.
    args = ["extract", str(path), "--max-chars", "100", "--base-url", "http://127.0.0.1:9/v1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("llm-extract: error: ")
    assert EXPECTED[case] in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_batch_rejects_an_empty_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", str(tmp_path), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "no articles found" in result.stderr


def test_stdin_is_read_and_checked_in_a_real_process() -> None:
    """The installed console entry point, with stdin as the article: no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "llm_extract.interfaces.cli.main", "extract", "-"],
        input=b"\x00\x01binary",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "llm-extract: error: standard input contains a NUL byte at offset 0: binary data, not text"
    )


def test_encoding_option_decodes_what_utf8_cannot() -> None:
    data = "tués à Kayes".encode("cp1252")
    assert decode_article(data, encoding="cp1252") == "tués à Kayes"


def test_byte_order_marks_are_honoured() -> None:
    text = "Ménaka, Tombouctou"
    assert decode_article(("\ufeff" + text).encode("utf-8")) == text
    assert decode_article(text.encode("utf-16")) == text


def test_normalisation_makes_equivalent_articles_equal() -> None:
    nfd = "Ségou\r\n\r\nDioïla  ".replace("é", "e\u0301")
    assert check_article(nfd, max_chars=100) == "Ségou\n\nDioïla"
