"""`llm-extract report`: a batch's results as one HTML page for a person to review."""

from __future__ import annotations

from pathlib import Path

import click

from llm_extract.interfaces import api
from llm_extract.interfaces.cli.options import friendly_errors
from llm_extract.interfaces.cli.terminal import printable


@click.command("report")
@click.argument("results", metavar="RESULTS.jsonl", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (self-contained: open it from disk, mail it around).",
)
@click.option(
    "--articles",
    "article_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Article file or folder (its *.txt files; the file stem is the id, as in batch). "
    "Repeatable. Without it the page lists values and verdicts but highlights nothing.",
)
@click.option("--encoding", help="Decode the articles with this encoding instead of UTF-8.")
@friendly_errors
def report(results: Path, out: Path, article_paths: tuple[Path, ...], encoding: str | None) -> None:
    """Write an HTML page to review the output of `llm-extract batch`.

    Each article's text is shown with every checked value highlighted where the
    verifier found it (green: supported, red: unsupported, grey: unverifiable),
    next to a table of each incident's values; click a row to find it in the text,
    and filter by verdict or article. Articles are matched to results by id and by
    the text's sha256: an article whose text differs gets no highlights, and says so.

    \b
    Example:
      llm-extract batch seeds --out results.jsonl
      llm-extract report results.jsonl --articles seeds --out report.html
    """
    review = api.write_review(results, out, article_paths, encoding=encoding)
    if article_paths and review.unmatched:
        click.echo(
            f"note: {review.unmatched} article(s) without highlights; the page says why", err=True
        )
    stats = review.stats
    click.echo(
        f"wrote {printable(out)} ({stats.articles} articles, {stats.values} values, "
        f"{stats.counts['unsupported']} unsupported)",
        err=True,
    )
