"""The layering in pyproject.toml (import-linter contracts) holds."""

from __future__ import annotations

import shutil
import subprocess

from tests.conftest import ROOT


def test_import_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports")
    assert lint_imports, "import-linter is a dev dependency"
    done = subprocess.run(
        [lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout
