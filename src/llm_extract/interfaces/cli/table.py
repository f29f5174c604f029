"""Plain-text rendering of verification reports for the terminal."""

from __future__ import annotations

from llm_extract.core.verification import VerificationReport
from llm_extract.interfaces.cli.terminal import printable


def render_verification(report: VerificationReport, *, show_all: bool = False) -> str:
    """A table a person can read: one line per value, unsupported ones first."""
    order = {"unsupported": 0, "unverifiable": 1, "supported": 2}
    rows = sorted(report.verdicts, key=lambda v: order[v.verdict])
    if not show_all:
        rows = [v for v in rows if v.verdict != "supported"]
    lines = [f"{'verdict':<13} {'value at':<34} {'value':<30} {'offsets':<11} reason"]
    for v in rows:
        where = f"{v.span.start}-{v.span.end}" if v.span else "-"
        path = v.path.replace("incidents", "inc")
        value, reason = printable(v.value), printable(v.reason)
        lines.append(
            f"{v.verdict:<13} {_clip(printable(path), 34):<34} {_clip(value, 30):<30} "
            f"{where:<11} {reason}"
        )
    s = report.summary
    lines.append(
        f"{s.total} values: {s.supported} supported, {s.unsupported} unsupported, "
        f"{s.unverifiable} unverifiable ({s.share_supported:.0%} of those judged supported)"
        + ("" if show_all else "; --all lists the supported ones too")
    )
    if warning := injection_warning(report):
        lines.append(warning)
    return "\n".join(lines)


def injection_warning(report: VerificationReport) -> str | None:
    """The line that tells a reader the article tried to steer the model."""
    if not report.injection_suspected:
        return None
    spans = report.instruction_spans
    where = ", ".join(f"{s.start}-{s.end}" for s in spans[:3]) + (" …" if len(spans) > 3 else "")
    return (
        f"warning: injection suspected: {len(spans)} sentence(s) addressed to the model "
        f"(offsets {where}); nothing in them was taken as support"
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
