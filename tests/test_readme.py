"""The README's commands are the ones CI runs, and they point at real things."""

from __future__ import annotations

import shlex
import subprocess

from tests.conftest import ROOT


def ci_block(name: str) -> str:
    """What .ci/run extracts for `name`, by running its own extraction function."""
    script = f'source <(sed -n "/^block_after()/,/^}}/p" .ci/run); block_after {name}'
    done = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout.strip()


def test_ci_runs_the_readme_install_and_test_commands() -> None:
    assert ci_block("install") == 'python -m pip install -e ".[dev]"'
    assert ci_block("test") == "python -m pytest"
    script = (ROOT / ".ci" / "run").read_text()
    assert script.index("block_after install") < script.index("block_after test")


def test_readme_run_command_names_a_seed_that_exists() -> None:
    words = shlex.split(ci_block("run"))
    assert words[:2] == ["llm-extract", "extract"]
    assert (ROOT / words[2]).is_file()
