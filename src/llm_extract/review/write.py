"""`llm-extract report` as one call: results and articles in, the page written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from llm_extract.core.errors import InputError
from llm_extract.core.results import ExtractionResult
from llm_extract.io.records import read_outcomes
from llm_extract.review.articles import ArticleText, match_article, read_articles
from llm_extract.review.page import ReportStats, render_page, stats_of


@dataclass(frozen=True)
class Review:
    """What a written page holds, and how many results got no highlighted text."""

    path: Path
    stats: ReportStats
    unmatched: int


def write_review(
    results: Path, out: Path, articles: Iterable[Path] = (), *, encoding: str | None = None
) -> Review:
    """The review page of a batch's output, with the articles' texts where they match."""
    outcomes = read_outcomes(results)
    if not outcomes:
        raise InputError(f"{results} holds no results")
    texts, unreadable = read_articles(articles, encoding=encoding)
    matched: dict[str, ArticleText] = {
        o.id: match_article(o, texts.get(o.id, []), unreadable.get(o.id))
        for o in outcomes
        if isinstance(o, ExtractionResult)
    }
    page = render_page(outcomes, matched, source=results.name)
    try:
        out.write_text(page, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    unmatched = sum(1 for a in matched.values() if a.text is None)
    return Review(out, stats_of(outcomes), unmatched)
