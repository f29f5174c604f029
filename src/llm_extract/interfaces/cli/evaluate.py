"""`llm-extract eval`: score batch output against gold records, per field group."""

from __future__ import annotations

from pathlib import Path

import click

from llm_extract.interfaces import api
from llm_extract.interfaces.api import (
    CLAIM_OVERLAP_MIN,
    NAME_FUZZY_MIN,
    WEIGHTS,
    EvaluationReport,
    Score,
)
from llm_extract.interfaces.cli.options import aliases_option, dump_json, friendly_errors
from llm_extract.interfaces.cli.terminal import echo

_LABELS = {"locations": "locations", "actors": "actors", "date": "dates",
           "event_type": "event type", "sub_event_type": "sub-event type"}  # fmt: skip
_TERMS = [f"{WEIGHTS[key]} {label}" for key, label in _LABELS.items()]
EVAL_HELP = f"""Score predicted records (--pred) against gold records (--gold).

Both are JSONL: one {{"id": ..., "record": ...}} per line, such as `llm-extract batch`
output. --gold may be a folder (its *.jsonl files). A prediction line with
"status": "error" counts as an empty prediction; the last line for an id wins.
Gold ids without a prediction are scored as empty; predicted ids without gold are
listed, not scored.

\b
Matching rule:
 - Names are equivalent when their folded words (case, accents, apostrophes,
   hyphens) are equal, ignoring filler words (the, of, region, town...), or they
   share an alias group, or one is found inside the other as an alias, acronym
   or spelling variant (ratio >= {NAME_FUZZY_MIN:g}) with only filler words left over.
 - Incidents of an article may pair only if they share a location, or share an
   actor and their date ranges overlap. Similarity = {" + ".join(_TERMS[:2])}
   + {" + ".join(_TERMS[2:])} (names matched one to
   one / longer list; dates 1 if they overlap; types 1 if equal). Pairs are taken
   greedily, best first, ties broken by content (list order never matters).
   Facts of unpaired incidents are false negatives (gold) or false positives
   (predicted).
 - Facts of a pair, matched one to one: event_type, sub_event_type (equal); date
   (start, end) (equal); each location and actor name (equivalent); each count
   per category killed/injured/abducted/captured/missing (best and qualifier
   equal, attributed_to equivalent; "figure" rows: best alone; "figure+side":
   best and side); claims (claimant
   equivalent, statement content-word overlap >= {CLAIM_OVERLAP_MIN}).
 - overall is micro-averaged over the strict groups; P, R, F1 are 0 when a
   denominator is 0 and "-" for a group with no facts on either side.

\b
Exit codes: 0 scored; 2 unusable input (missing path, bad line, bad record).
"""


@click.command("eval", help=EVAL_HELP)
@click.option(
    "--gold",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold JSONL file, or a folder of *.jsonl files.",
)
@click.option(
    "--pred",
    required=True,
    type=click.Path(path_type=Path),
    help="Predictions: `llm-extract batch` output (JSONL).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@aliases_option
@friendly_errors
def eval_command(gold: Path, pred: Path, as_json: bool, aliases: Path | None) -> None:
    report = api.evaluate(gold, pred, aliases=aliases)
    if as_json:
        click.echo(dump_json(report.model_dump(mode="json")))
    else:
        echo(render_evaluation(report))


def render_evaluation(report: EvaluationReport) -> str:
    """A fixed-width table: strict groups, figure-only rows that have facts, overall."""
    rows = [(group, score) for group, score in report.groups.items()]
    rows += [(f"{g} (figure)", s) for g, s in report.figure_only.items() if not s.empty]
    if not report.figure_and_side.empty:
        rows.append(("all (figure+side)", report.figure_and_side))
    lines = [f"{'group':<18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    lines += [_row(name, score) for name, score in rows]
    lines += [
        "-" * len(lines[0]),
        _row("overall", report.overall),
        _row("incidents", report.incidents),
    ]
    note = (
        "; (figure): counts matched on best value alone; (figure+side): every category, "
        "on category, best value and side"
        if len(rows) > len(report.groups)
        else ""
    )
    lines.append(f"\n{len(report.per_article)} article(s) scored{note}")
    if report.missing_predictions:
        lines.append(f"no prediction (scored as empty): {', '.join(report.missing_predictions)}")
    if report.missing_gold:
        lines.append(f"no gold (not scored): {', '.join(report.missing_gold)}")
    below = [(f1, i) for i, f1 in report.per_article.items() if f1 < 1.0]
    if worst := [(i, f1) for f1, i in sorted(below)[:3]]:
        lines.append("lowest article F1: " + ", ".join(f"{i} {f1:.3f}" for i, f1 in worst))
    return "\n".join(lines)


def _row(name: str, score: Score) -> str:
    figures = [score.precision, score.recall, score.f1]
    cells = "".join(f"{'-' if v is None else f'{v:.3f}':>7}" for v in figures)
    return f"{name:<18}{cells}{score.tp:>6}{score.fp:>6}{score.fn:>6}"
