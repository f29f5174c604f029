"""What the commands print is safe for a terminal: record values, ids and paths come
from articles and files anyone can write, and a control sequence in them could retitle
the terminal, hide text or reorder a line (bidirectional overrides). Such characters
are printed as visible escapes (\\x1b, \\u202e); JSON output escapes them the JSON
way, so it stays the same data. The verification table is drawn here too."""

from __future__ import annotations

import re

import click

from llm_extract.core.verification import VerificationReport

# C0 and C1 controls (tab and newline are handled by the callers), DEL, and the
# invisible bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_BREAK = re.compile(f"[\n\t{_UNSAFE.pattern[1:-1]}]")


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` on one line, every unsafe character (newlines too) shown as an escape."""
    return _UNSAFE_OR_BREAK.sub(_escape, str(text))


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo for text of several lines: unsafe characters escaped, lines kept."""
    click.echo(_UNSAFE.sub(_escape, text), err=err, nl=nl)


def json_safe(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw under ensure_ascii=False
    (C1 controls, bidirectional controls) written as \\u escapes: the same data."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_verification(report: VerificationReport, *, show_all: bool = False) -> str:
    """A table a person can read: one line per value, unsupported ones first."""
    order = {"unsupported": 0, "unverifiable": 1, "supported": 2}
    rows = sorted(report.verdicts, key=lambda v: order[v.verdict])
    if not show_all:
        rows = [v for v in rows if v.verdict != "supported"]
    lines = [f"{'verdict':<13} {'code':<16} {'value at':<34} {'value':<30} {'offsets':<11} reason"]
    for v in rows:
        where = f"{v.span.start}-{v.span.end}" if v.span else "-"
        path = v.path.replace("incidents", "inc")
        value, reason = printable(v.value), printable(v.reason)
        lines.append(
            f"{v.verdict:<13} {v.code or '-':<16} {_clip(printable(path), 34):<34} "
            f"{_clip(value, 30):<30} "
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
