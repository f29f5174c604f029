"""What a batch without a cache remembers of finished articles, to answer a repeat
further down the list without asking the model again."""

from __future__ import annotations

from collections import OrderedDict

from llm_extract.core.results import Outcome

# Finished results remembered, as JSON text, for repeats further down the list when there
# is no cache: bounded in bytes, so a batch's memory does not grow with its length.
RECENT_BYTES = 8 * 1024 * 1024


class Recent:
    """Finished results by article key, oldest forgotten first once their JSON passes
    `max_bytes` (the latest is always kept)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.bytes = max_bytes, 0
        self._items: OrderedDict[str, tuple[type[Outcome], str]] = OrderedDict()

    def get(self, key: str) -> tuple[type[Outcome], str] | None:
        return self._items.get(key)

    def add(self, key: str, kind: type[Outcome], stored: str) -> None:
        if (old := self._items.pop(key, None)) is not None:
            self.bytes -= len(old[1])
        self._items[key] = (kind, stored)
        self.bytes += len(stored)
        while self.bytes > self.max_bytes and len(self._items) > 1:
            self.bytes -= len(self._items.popitem(last=False)[1][1])

    def __len__(self) -> int:
        return len(self._items)
