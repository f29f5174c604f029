"""OpenAI's Files and Batches endpoints on 127.0.0.1, enough for the real openai SDK,
for tests (and benchmarks) of `--via batch-api` that never leave the machine.

Each request line of a submitted batch is answered with a chat completion whose tool
call carries a scripted record (by default the llama.cpp server's recorded answer,
never a typed one). The server can be told to fail some lines (error file), to answer
some with records that do not validate, to expire with part of the output, and to take
N looks before a batch finishes; POST /v1/chat/completions answers live requests the
same way. Every request is logged, so tests count creates, uploads and live calls.

    with BatchAPIServer(polls=2, fail=lambda cid: "b" in cid) as server:
        ...  # base_url=server.url + "/v1"
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from tests.doubles import recorded_answer

Record = dict[str, Any]
Answer = Callable[[dict[str, Any]], Record]  # a request body -> the tool call's arguments
Which = Callable[[str], bool]  # a custom_id -> whether the rule applies to its line
INVALID_RECORD: Record = {"incidents": "not a list of incidents"}
EXPIRED = {
    "code": "batch_expired",
    "message": "This request could not be executed before the completion window expired.",
}


def item_of(custom_id: str) -> str:
    """The article id in a custom_id ("<key>:<id>")."""
    return custom_id.split(":", 1)[1]


def recorded(body: dict[str, Any]) -> Record:
    return recorded_answer()[0]


def never(custom_id: str) -> bool:
    return False


def completion(body: dict[str, Any], record: Record, number: int) -> dict[str, Any]:
    """A chat completion calling the request's own tool with `record` as arguments."""
    tools = body.get("tools") or [{"function": {"name": "ArticleExtraction"}}]
    name = tools[0]["function"]["name"]
    _, usage = recorded_answer()
    return {
        "id": f"chatcmpl-{number}",
        "object": "chat.completion",
        "created": 1_800_000_000,
        "model": body.get("model", "test-model"),
        "choices": [{
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": None, "tool_calls": [{
                "id": f"call_{number}", "type": "function",
                "function": {"name": name, "arguments": json.dumps(record)},
            }]},
        }],
        "usage": usage,
    }  # fmt: skip


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class _Batch:
    data: dict[str, Any]
    lines: list[dict[str, Any]]
    looks: int = 0
    cancelled: bool = False


@dataclass
class BatchAPIServer:
    """Context manager; `url` is scheme://host:port (append /v1 for the SDK)."""

    answer: Answer = recorded
    fail: Which = never  # lines answered HTTP 500 in the error file
    invalid: Which = never  # lines answered with a record that does not validate
    polls: int = 1  # looks at a batch before it has finished
    expire_after: int | None = None  # expire once this many lines are answered
    cancel_keeps: int = 0  # lines a cancelled batch has answered
    live_answer: Answer = recorded
    unauthorized: bool = False  # refuse every request with 401, echoing the key as some do
    seen: list[Seen] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    uploaded: dict[str, int] = field(default_factory=dict)  # file id -> created_at
    batches: dict[str, _Batch] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.api = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> BatchAPIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def count(self, method: str, pattern: str) -> int:
        """Requests so far whose method and path (a regular expression) match."""
        with self._lock:
            return sum(s.method == method and re.fullmatch(pattern, s.path) is not None
                       for s in self.seen)  # fmt: skip

    def sent_lines(self) -> list[dict[str, Any]]:
        """Every request line of every batch created, in order."""
        with self._lock:
            return [line for batch in self.batches.values() for line in batch.lines]

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        with self._lock:
            self.seen.append(Seen(method, path, headers, body))
            number = next(self._ids)
            if self.unauthorized:
                key = headers.get("authorization", "").removeprefix("Bearer ")
                message = f"Incorrect API key provided: {key}."
                return 401, {"error": {"message": message, "type": "invalid_request_error"}}
            if method == "POST" and path == "/v1/files":
                return self._upload(headers, body, number)
            if method == "GET" and (m := re.fullmatch(r"/v1/files/([^/]+)/content", path)):
                return self.files[m.group(1)][1]
            if method == "GET" and (m := re.fullmatch(r"/v1/files/([^/]+)", path)):
                name, data = self.files[m.group(1)]
                return {"id": m.group(1), "object": "file", "bytes": len(data),
                        "created_at": self.uploaded[m.group(1)], "filename": name,
                        "purpose": "batch", "status": "processed"}  # fmt: skip
            if method == "POST" and path == "/v1/batches":
                return self._create(json.loads(body), number)
            if method == "GET" and path.split("?")[0] == "/v1/batches":
                data = [b.data for b in reversed(self.batches.values())]
                return {"object": "list", "data": data, "has_more": False,
                        "first_id": data[0]["id"] if data else None,
                        "last_id": data[-1]["id"] if data else None}  # fmt: skip
            if method == "GET" and (m := re.fullmatch(r"/v1/batches/([^/]+)", path)):
                return self._look(self.batches[m.group(1)], number)
            if method == "POST" and (m := re.fullmatch(r"/v1/batches/([^/]+)/cancel", path)):
                batch = self.batches[m.group(1)]
                batch.cancelled = True
                batch.data["status"] = "cancelling"
                return batch.data
        if method == "POST" and path == "/v1/chat/completions":
            request = json.loads(body)
            return completion(request, self.live_answer(request), number)
        return 404, {"error": {"message": f"no route {method} {path}", "type": "not_found"}}

    def _upload(self, headers: dict[str, str], body: bytes, number: int) -> dict[str, Any]:
        fields = _multipart(headers["content-type"], body)
        name, data = fields["file"]
        file_id = f"file-{number}"
        self.files[file_id] = (name, data)
        self.uploaded[file_id] = int(time.time())
        return {"id": file_id, "object": "file", "bytes": len(data),
                "created_at": self.uploaded[file_id],
                "filename": name, "purpose": fields["purpose"][1].decode(),
                "status": "processed"}  # fmt: skip

    def _create(self, request: dict[str, Any], number: int) -> dict[str, Any]:
        _, data = self.files[request["input_file_id"]]
        lines = [json.loads(line) for line in data.splitlines() if line.strip()]
        batch_id = f"batch_{number}"
        self.batches[batch_id] = _Batch({
            "id": batch_id, "object": "batch", "endpoint": request["endpoint"],
            "input_file_id": request["input_file_id"], "completion_window": "24h",
            "status": "validating", "created_at": int(time.time()),
            "metadata": request.get("metadata"), "output_file_id": None, "error_file_id": None,
            "request_counts": {"completed": 0, "failed": 0, "total": len(lines)},
        }, lines)  # fmt: skip
        return self.batches[batch_id].data

    def _look(self, batch: _Batch, number: int) -> dict[str, Any]:
        """validating, in_progress, ..., then the batch's end on the `polls`-th look."""
        batch.looks += 1
        data = batch.data
        if data["status"] in ("completed", "expired", "cancelled", "failed"):
            return data
        if batch.cancelled:
            return self._finish(batch, "cancelled", self.cancel_keeps, number)
        if batch.looks < self.polls:
            data["status"] = "in_progress" if batch.looks > 1 else "validating"
            return data
        if self.expire_after is not None:
            return self._finish(batch, "expired", self.expire_after, number)
        return self._finish(batch, "completed", len(batch.lines), number)

    def _finish(self, batch: _Batch, status: str, answered: int, number: int) -> dict[str, Any]:
        output, errors = [], []
        for index, line in enumerate(batch.lines):
            custom_id = line["custom_id"]
            head = {"id": f"batch_req_{number}_{index}", "custom_id": custom_id}
            if index >= answered:
                errors.append({**head, "response": None, "error": EXPIRED})
            elif self.fail(custom_id):
                body = {"error": {"message": "The server had an error.", "type": "server_error"}}
                errors.append({**head, "response": _response(500, index, body), "error": None})
            else:
                record = INVALID_RECORD if self.invalid(custom_id) else self.answer(line["body"])
                body = completion(line["body"], record, number * 1000 + index)
                output.append({**head, "response": _response(200, index, body), "error": None})
        data = batch.data
        for kind, lines in (("output_file_id", output), ("error_file_id", errors)):
            if lines:
                file_id = f"file-{kind.split('_')[0]}-{data['id']}"
                text = "".join(json.dumps(line) + "\n" for line in lines)
                self.files[file_id] = (f"{kind}.jsonl", text.encode())
                data[kind] = file_id
        data["status"] = status
        data["request_counts"] = {"completed": len(output), "failed": len(errors),
                                  "total": len(batch.lines)}  # fmt: skip
        return data


def _response(status: int, index: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"status_code": status, "request_id": f"req_{index}", "body": body}


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str, bytes]]:
    """name: (filename, bytes) of each field of a multipart/form-data body."""
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    fields = {}
    for part in body.split(b"--" + boundary)[1:-1]:
        head, _, data = part.strip(b"\r\n").partition(b"\r\n\r\n")
        disposition = head.decode()
        name = re.search(r'name="([^"]*)"', disposition)
        filename = re.search(r'filename="([^"]*)"', disposition)
        assert name is not None
        fields[name.group(1)] = (filename.group(1) if filename else "", data)
    return fields


class Once:
    """A rule for the first line of each listed article only (follow-ups pass)."""

    def __init__(self, *item_ids: str) -> None:
        self._left = set(item_ids)

    def __call__(self, custom_id: str) -> bool:
        if item_of(custom_id) in self._left:
            self._left.discard(item_of(custom_id))
            return True
        return False


class _Server(ThreadingHTTPServer):
    api: BatchAPIServer
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = cast(_Server, self.server).api.route(method, self.path, headers, body)
        status = 200
        if isinstance(answer, tuple):
            status, answer = answer
        kind = "application/json"
        if isinstance(answer, bytes):
            data, kind = answer, "application/octet-stream"
        else:
            data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests count `BatchAPIServer.seen`."""
