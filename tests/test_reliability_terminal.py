"""Whatever a record, an id or a path holds, what the commands print cannot drive the
terminal: control sequences and bidirectional overrides are shown as escapes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from llm_extract.interfaces.cli.main import main
from llm_extract.interfaces.cli.terminal import json_safe, printable
from tests.conftest import SEEDS
from tests.test_verify import recorded_record

RETITLE = "\x1b]0;pwned\x07"
RLO = "\u202e"


def test_printable_escapes_controls_and_bidi_but_keeps_text() -> None:
    assert printable(f"Gao{RETITLE}") == "Gao\\x1b]0;pwned\\x07"
    assert printable(f"a\nb\t{RLO}c é") == "a\\nb\\t\\u202ec é"
    assert json.loads(json_safe(json.dumps({"v": f"x{RLO}\x85"}, ensure_ascii=False))) == {
        "v": f"x{RLO}\x85"
    }


def test_verify_prints_hostile_record_values_as_escapes(tmp_path: Path) -> None:
    record = recorded_record().model_copy(deep=True)
    record.incidents[0].locations[0].name = f"Gao{RETITLE}{RLO}evil"
    path = tmp_path / "record.json"
    path.write_text(record.model_dump_json(), encoding="utf-8")
    for extra in ([], ["--json"]):
        done = CliRunner().invoke(
            main, ["verify", str(path), "--source", str(SEEDS / "001_42dbdfaf130e5adc.txt"), *extra]
        )
        assert done.exit_code == 1
        assert "\x1b" not in done.output and "\x07" not in done.output and RLO not in done.output
    assert "Gao\\x1b]0;pwned\\x07\\u202eevil" in done.output or "\\u001b" in done.output


def test_paths_with_newlines_and_overrides_are_one_escaped_line(tmp_path: Path) -> None:
    hostile = tmp_path / f"evil\nllm-extract: fake line{RLO}.txt"
    done = CliRunner().invoke(main, ["extract", str(hostile), "--no-cache"])
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "evil\\nllm-extract: fake line\\u202e.txt" in lines[0]
