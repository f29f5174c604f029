"""The state of a run on OpenAI's Batch API, in a JSON file beside --out.

Written atomically (a temporary file in the same folder, fsynced, then renamed) before
anything is uploaded, and again after each upload and each submission: a run killed at
any point is resumed by the same command, which collects the batches the file names
instead of submitting them again. A part uploaded whose submission is not recorded is
looked up among the account's batches by its file id before it is ever submitted.
The file holds ids and counts only: no key, no article text, no URL credentials.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from llm_extract.core.errors import InputError

STATE_SUFFIX = ".batch-state.json"
STATE_VERSION = 1
Stage = Literal["written", "uploaded", "submitted", "collected"]


def state_path(out: Path) -> Path:
    """Where the state of the batches writing `out` lives."""
    return out.with_name(out.name + STATE_SUFFIX)


def parts_folder(out: Path) -> Path:
    """Request and answer files of the batches writing `out` (removed once collected)."""
    return out.with_name(out.name + ".batch-files")


class Part(BaseModel):
    """One request file and the batch made of it."""

    name: str
    model: str
    round: int = Field(0, description="0: first asked; n: the n-th follow-up batch")
    lines: int
    bytes: int
    custom_ids: list[str]
    stage: Stage = "written"
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None  # the Batch API's word, as last seen
    completed: int = 0
    failed: int = 0

    @property
    def requests_file(self) -> str:
        return f"{self.name}.requests.jsonl"


class BatchState(BaseModel):
    version: int = STATE_VERSION
    endpoint: str  # where the batches live: scheme://host/path, never credentials
    parts: list[Part] = Field(default_factory=list)

    def open_parts(self) -> list[Part]:
        return [part for part in self.parts if part.stage != "collected"]

    def waiting(self) -> dict[str, Part]:
        """custom_id: the part whose answer it waits for (the latest round's)."""
        found: dict[str, Part] = {}
        for part in sorted(self.open_parts(), key=lambda p: p.round):
            found.update(dict.fromkeys(part.custom_ids, part))
        return found


def load_state(path: Path) -> BatchState | None:
    """The state in `path`, None if there is none; refused in one line if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        state = BatchState.model_validate_json(text)
    except ValidationError:
        raise InputError(
            f"{path} is not a batch state file written by llm-extract; move it away"
        ) from None
    if state.version != STATE_VERSION:
        raise InputError(f"{path} is a batch state of version {state.version}; expected 1")
    return state


def save_state(state: BatchState, path: Path) -> None:
    """Replace `path` with `state` in one rename: never half written."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(state.model_dump_json(indent=1))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # the rename itself made durable
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
