"""Backends are registry entries: built-ins and plugins alike, chosen by name from the
CLI and the API, imported only when chosen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from llm_extract import ConfigError, extract
from llm_extract.backends import registry
from llm_extract.interfaces.cli.main import main
from tests.conftest import SEEDS
from tests.plugin_example import EchoBackend

SEED = SEEDS / "003_880e22595b6a996f.txt"


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A distribution on sys.path whose entry point names tests.plugin_example, as
    `pip install llm-extract-echo` would leave it."""
    dist = tmp_path / "site" / "llm_extract_echo-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: llm-extract-echo\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[llm_extract.backends]\necho = tests.plugin_example:EchoBackend\n"
        "local = tests.plugin_example:EchoBackend\n"  # a built-in's name is never taken
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    registry._plugins.cache_clear()
    EchoBackend.calls.clear()
    yield
    registry._plugins.cache_clear()


def test_an_installed_plugin_is_listed_and_chosen_from_the_command_line(
    installed_plugin: None,
) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["backends"])
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[0]: line.split()[1] for line in listed.output.splitlines()}
    assert rows == {"openai": "built-in", "local": "built-in", "echo": "plugin"}

    done = runner.invoke(main, ["extract", str(SEED), "--backend", "echo", "--no-cache"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert payload["provenance"]["backend"] == "echo"
    assert payload["provenance"]["model"] == "echo-1"
    assert payload["record"] == {"incidents": []}
    assert len(EchoBackend.calls) == 1
    assert registry.lookup("local").target.startswith("llm_extract.backends.local:")


def test_a_plugin_without_questions_refuses_the_grounded_strategy(installed_plugin: None) -> None:
    with pytest.raises(ConfigError, match="echo backend cannot constrain answers"):
        extract(SEED.read_text(), backend="echo", strategy="grounded", use_cache=False)
    assert EchoBackend.calls == []


def test_an_unknown_backend_is_one_line_naming_the_available_ones(installed_plugin: None) -> None:
    done = CliRunner().invoke(main, ["extract", str(SEED), "--backend", "nope", "--no-cache"])
    assert done.exit_code == 2
    assert done.stderr.strip().splitlines() == [
        "llm-extract: error: unknown backend 'nope'; available: openai, local, echo"
    ]


def test_register_lazy_imports_the_factory_only_when_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "_registered", {})
    registry.register_lazy("later", "tests.no_such_module:Backend", "never imported")
    assert registry.backends()["later"].summary == "never imported"
    with pytest.raises(ConfigError, match="backend 'later' cannot be loaded"):
        registry.lookup("later").load()
    with pytest.raises(ConfigError, match="is a built-in's"):
        registry.register_lazy("openai", "tests.plugin_example:EchoBackend")
