"""Entry point of a verification worker process (see offload.VerifyPool)."""

import os
import sys

from llm_extract.extraction.offload import serve

if __name__ == "__main__":
    serve()
    sys.stdout.flush()
    # Nothing to tear down, and the batch's end waits for this exit: skip the
    # interpreter's shutdown (freeing every module's objects one by one).
    os._exit(0)
