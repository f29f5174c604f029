"""What an endpoint's reply must be before it is trusted, the same for both HTTP clients:
a body capped while it is read and decoded, a chat completion with choices, and an error
kept to a one-line excerpt of what the server said."""

from __future__ import annotations

import json
import re
import zlib
from typing import Any

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from llm_extract.backends.structured import MalformedResponse

KIB, MIB = 1024, 1024 * 1024
ERROR_BODY_LIMIT = 16 * KIB
"""Error bodies are read this far: room for any message, and a flood stays unread."""
EXCERPT_CHARS = 300
ACCEPT_ENCODING = "gzip, deflate"
"""What both clients ask for, and all BodyReader decodes (so the cap counts it expanded)."""

_MESSAGE = re.compile(r'"message"\s*:\s*"((?:[^"\\]|\\.)*)')
_CUT_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{0,3})?$")


class ResponseTooLarge(Exception):
    """A success body over the cap. Not retried: the same answer would come again."""

    def __init__(self, status: int, cap: int) -> None:
        super().__init__(f"answered {status} with a body over the {size_text(cap)} limit")


def size_text(size: int) -> str:
    for unit, scale in (("MiB", MIB), ("KiB", KIB)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def excerpt(text: str) -> str:
    """One line of at most EXCERPT_CHARS characters."""
    return " ".join(text.split())[:EXCERPT_CHARS]


class BodyReader:
    """One response body as it arrives. A success body over `cap` raises ResponseTooLarge
    and an error body stops at ERROR_BODY_LIMIT (`done`): either way the rest is never
    read. gzip and deflate are decoded here, so that the cap counts what they expand to.
    """

    def __init__(self, status: int, content_encoding: str | None, cap: int) -> None:
        self.status, self.cap = status, cap
        self.limit = cap if status < 400 else min(cap, ERROR_BODY_LIMIT)
        self.size, self.done = 0, False
        self.encoding = encoding = (content_encoding or "identity").strip().lower()
        self.decodes = encoding in ("gzip", "x-gzip", "deflate")
        # wbits 47: a zlib or gzip header, whichever the body has.
        self._zlib = zlib.decompressobj(47) if self.decodes else None
        if encoding not in ("identity", "") and not self.decodes and status < 400:
            raise MalformedResponse(
                f"answered {status} in Content-Encoding {encoding!r}, which was not asked for"
            )

    def check_length(self, content_length: str | None) -> None:
        """Refuse a success whose announced length is over the cap, before reading it."""
        length = content_length.strip() if content_length else ""
        if self.status < 400 and length.isdigit() and int(length) > self.cap:
            raise ResponseTooLarge(self.status, self.cap)

    def fits(self, content_length: str | None) -> bool:
        """Whether a plain body of this announced length can be read whole at once."""
        length = content_length.strip() if content_length else ""
        return not self.decodes and length.isdigit() and int(length) <= self.limit

    def feed(self, raw: bytes) -> bytes:
        """The decoded bytes of `raw` that are within the limit."""
        if self._zlib is None:
            return self._take(raw)
        try:
            data = self._zlib.decompress(self._zlib.unconsumed_tail + raw, self._room() + 1)
        except zlib.error:
            return self._undecodable()
        return self._take(data)

    def flush(self) -> bytes:
        if self._zlib is None or self.done:
            return b""
        try:
            return self._take(self._zlib.flush())
        except zlib.error:
            return self._undecodable()

    def _room(self) -> int:
        return max(self.limit - self.size, 0)

    def _take(self, data: bytes) -> bytes:
        room = self._room()
        if len(data) > room:
            if self.status < 400:
                raise ResponseTooLarge(self.status, self.cap)
            data = data[:room]
        self.size += len(data)
        self.done = self.status >= 400 and self.size >= self.limit
        return data

    def _undecodable(self) -> bytes:
        if self.status < 400:
            raise MalformedResponse(
                f"answered {self.status} with a body that does not decode as {self.encoding}"
            )
        self.done = True
        return b""


def completion_from(status: int, content: bytes, content_type: str | None) -> ChatCompletion:
    """The chat completion in a success body, or MalformedResponse saying what it is.

    Strict parsing first (fast, in Rust); a body it refuses is checked for what a chat
    completion needs, then built leniently as the SDK would (servers leave out fields)."""
    try:
        completion = ChatCompletion.model_validate_json(content)
    except ValidationError:
        completion = ChatCompletion.construct(**_completion_object(status, content, content_type))
    if not completion.choices:
        raise MalformedResponse(f"answered {status} without choices")
    return completion


def _completion_object(status: int, content: bytes, content_type: str | None) -> dict[str, Any]:
    if not content.strip():
        raise MalformedResponse(f"answered {status} with an empty body")
    try:
        data = json.loads(content)
    except ValueError as exc:
        mime = (content_type or "").split(";")[0].strip().lower()
        if mime and not mime.endswith("json"):
            raise MalformedResponse(
                f"answered {status} with a body that is not JSON ({mime})"
            ) from None
        raise MalformedResponse(
            f"answered {status} with a malformed body ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(data, dict):
        raise MalformedResponse(f"answered {status} with JSON that is not an object")
    choices = data.get("choices")
    if not choices and "error" in data:
        raise MalformedResponse(
            f"answered {status} with an error instead of choices: {error_detail(data, '')}"
        )
    if not isinstance(choices, list) or not choices:
        raise MalformedResponse(f"answered {status} without choices")
    if not all(isinstance(c, dict) and isinstance(c.get("message"), dict) for c in choices):
        raise MalformedResponse(f"answered {status} with a choice that has no message")
    return data


def error_detail(body: object, text: str) -> str:
    """The server's own words about an error, as one short line: the `message` of an
    OpenAI-style error, even in a body cut short, else the start of the text."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if isinstance(message, str) and message.strip():
            return excerpt(message)
    raw = body if isinstance(body, str) else text
    if match := _MESSAGE.search(raw):
        cut = _CUT_ESCAPE.sub("", match.group(1))  # the body may stop inside an escape
        try:
            return excerpt(json.loads(f'"{cut}"'))
        except ValueError:
            pass
    return excerpt(raw)
