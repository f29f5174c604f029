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
    assert ci_block("install") == "bash scripts/install.sh"
    install = (ROOT / "scripts" / "install.sh").read_text()
    assert 'python -m pip install -e ".[dev]"' in install
    # the embedded model is proven to run (one token), not only installed
    assert install.rstrip().endswith("smoke\nfi")
    assert "apt-get install -y --no-install-recommends chromium" in install
    assert ci_block("test") == "python -m pytest"
    script = (ROOT / ".ci" / "run").read_text()
    assert script.index("block_after install") < script.index("block_after test")


def test_readme_run_command_names_a_seed_that_exists() -> None:
    words = shlex.split(ci_block("run"))
    assert words[:2] == ["llm-extract", "extract"]
    assert (ROOT / words[2]).is_file()


def test_every_command_the_readme_shows_exists() -> None:
    from llm_extract.interfaces.cli.main import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = {
        line.split()[1]
        for line in readme.splitlines()
        if line.startswith("llm-extract ") and not line.split()[1].startswith("-")
    }
    assert {"extract", "batch", "merge", "export", "report", "eval"} <= shown
    assert shown <= set(main.commands), shown - set(main.commands)
