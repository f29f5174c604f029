"""The article texts a review page highlights: read from the files batch read, and
matched to each result by the hash of the text it was extracted from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from llm_extract.core.errors import InputError
from llm_extract.core.results import ExtractionResult
from llm_extract.io.articles import article_files, article_ids, read_source
from llm_extract.text.article import normalize_article, sha256_text

MAX_ARTICLE_CHARS = 10**7  # the report reads what batch accepted; only absurd files are refused


@dataclass(frozen=True)
class ArticleText:
    """An article's text to highlight, or why highlights are unavailable."""

    text: str | None
    problem: str | None = None


def read_articles(
    paths: Iterable[Path], encoding: str | None = None
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Texts by id, and why unreadable files could not be read: one bad file costs only
    its highlights. A file is found under its stem and, when two files share a stem,
    under the id `batch` derives for it too ("a/x"), so either naming finds it.

    An id may get several texts (two folders): the one that matches the result is used."""
    texts: dict[str, list[str]] = defaultdict(list)
    unreadable: dict[str, str] = {}
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder (--articles)")
        found = article_files(path)
        if not found:
            raise InputError(f"{path}: no *.txt files in this folder")
        files += found
    for item_id, file in article_ids(files):
        names = dict.fromkeys((file.stem, item_id))
        try:
            text = read_source(file, max_chars=MAX_ARTICLE_CHARS, encoding=encoding)
        except InputError as exc:
            unreadable.update(dict.fromkeys(names, str(exc)))
            continue
        for name in names:
            texts[name].append(text)
    return dict(texts), unreadable


def match_article(
    result: ExtractionResult, texts: Sequence[str], unreadable: str | None = None
) -> ArticleText:
    """The text the result's offsets index, checked by hash and span by span."""
    problem = unreadable or (
        f"no article text was given for this id: pass --articles with "
        f"the file {result.id}.txt or its folder"
    )
    wanted = result.provenance.article_sha256
    for text in texts:
        got = sha256_text(normalize_article(text))  # as Extractor hashes the checked article
        if got != wanted:
            problem = (
                f"the given text is not the article that was extracted (sha256 "
                f"{got[:12]}… instead of {wanted[:12]}…)"
            )
            continue
        bad = next(
            (
                v
                for v in result.verification.verdicts
                if v.span
                and not (
                    0 <= v.span.start <= v.span.end <= len(text)
                    and text[v.span.start : v.span.end] == v.span.text
                )
            ),
            None,
        )
        if bad is None:
            return ArticleText(text)
        problem = (
            f"the given text differs from the extracted one in line endings or "
            f"spacing, so offsets do not line up (first at {bad.path})"
        )
    return ArticleText(None, problem)
