"""What a batch says: a progress bar on a terminal (rich), nothing at all in a pipe, and
the summary lines at its end."""

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


def summary_parts(summary: BatchSummary, out_name: str, *middle: str) -> list[str]:
    """The counts every batch path ends with: done, failed, then `middle`, then what an
    earlier run or the cache answered."""
    parts = [f"{summary.done} done", f"{summary.failed} failed", *middle]
    if summary.skipped:
        parts.append(f"{summary.skipped} already in {out_name}")
    if summary.cached:
        parts.append(f"{summary.cached} from cache")
    return parts


def empty_warning(summary: BatchSummary) -> str:
    """A line naming the articles that report violence yet gave no incident, or ""."""
    if not summary.empty:
        return ""
    shown = ", ".join(printable(i) for i in summary.empty[:5])
    more = f" and {len(summary.empty) - 5} more" if len(summary.empty) > 5 else ""
    return (
        f"\nwarning: {len(summary.empty)} article(s) report a casualty figure or an attack "
        f"but gave no incident ({shown}{more}); each result's empty_reason says why"
    )
