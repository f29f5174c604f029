"""A batch progress bar on a terminal (rich), and nothing at all in a pipe."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from llm_extract.core.results import Outcome
from llm_extract.interfaces.api import BatchSummary, EventKind
from llm_extract.interfaces.cli.terminal import printable


class Progress:
    """Done, failed, cached, tokens, rate and ETA, refreshed as outcomes arrive."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.enabled = enabled
        self._console = Console(stderr=True, soft_wrap=True)  # a note stays one line
        self._bar = RichProgress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
            disable=not enabled,
        )
        self._task = self._bar.add_task("batch", total=total, detail="")
        self._tokens = 0

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.enabled:
            self._bar.stop()

    def update(self, kind: EventKind, summary: BatchSummary, outcome: Outcome | None) -> None:
        if not self.enabled or kind == "started":
            return
        completed = summary.done + summary.failed + summary.skipped + summary.not_started
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rate = (summary.done + summary.failed) / elapsed if elapsed > 0 else 0.0
        if kind == "finished" and outcome is not None:
            self._tokens += outcome.usage.total_tokens
        detail = (
            f"ok {summary.done} · failed {summary.failed} · cached {summary.cached} · "
            f"{self._tokens:,} tok · {rate:.1f}/s"
        )
        self._bar.update(self._task, completed=completed, detail=detail)

    def note(self, message: str) -> None:
        """A line above the bar (or on stderr when there is no bar)."""
        self._console.print(printable(message), markup=False, highlight=False)
