"""Entry point of a verification worker process (see offload.VerifyPool)."""

from llm_extract.pipeline.offload import serve

if __name__ == "__main__":
    serve()
