"""Answers a request JSONL as `vllm run-batch -i IN -o OUT` does, without a GPU: one
output line per request in vLLM's own format ({id, custom_id, response: {status_code,
request_id, body}, error}), the body a chat completion calling the request's tool with
the recorded llama.cpp answer. `--fail ID` answers that article as vLLM reports a
failed request (status 400, no body, the error as a string); `--invalid ID` with a
record that does not validate.

    python -m tests.vllm_batch_answers -i requests.jsonl -o answers.jsonl --fail 001_x
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.batch_api_server import INVALID_RECORD, completion, item_of, recorded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-i", "--input-file", required=True, type=Path)
    parser.add_argument("-o", "--output-file", required=True, type=Path)
    parser.add_argument("--fail", action="append", default=[])
    parser.add_argument("--invalid", action="append", default=[])
    args = parser.parse_args()
    lines = []
    for number, raw in enumerate(args.input_file.read_text(encoding="utf-8").splitlines()):
        request = json.loads(raw)
        custom_id, body = request["custom_id"], request["body"]
        head = {"id": f"vllm-{uuid.uuid4().hex}", "custom_id": custom_id}
        request_id = f"vllm-batch-{uuid.uuid4().hex}"
        if item_of(custom_id) in args.fail:
            response = {"status_code": 400, "request_id": request_id, "body": None}
            lines.append({**head, "response": response, "error": "KV cache is full"})
            continue
        record = INVALID_RECORD if item_of(custom_id) in args.invalid else recorded(body)
        response = {"status_code": 200, "request_id": request_id,
                    "body": completion(body, record, number)}  # fmt: skip
        lines.append({**head, "response": response, "error": None})
    args.output_file.write_text("".join(json.dumps(line) + "\n" for line in lines))


if __name__ == "__main__":
    main()
