"""Where a corpus row's article came from, downstream: the ACLED-like CSV's `source`
column, the SQLite and Parquet `articles` tables (an older database gains the
columns), and the review page, which shows outlet, date, headline and URL as inert
text, hostile strings included, in markup and in a real browser."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from llm_extract.batch.drivers import run_batch
from llm_extract.batch.items import BatchOptions
from llm_extract.core.articles import Article, ArticleSource
from llm_extract.interfaces import api
from llm_extract.review.articles import match_article
from llm_extract.review.page import render_page
from tests.report_inputs import ALLOWED_TAGS, offline_page, parse
from tests.test_corpus_inputs import SUNDAY_TEXT, extractor_for, write_jsonl

ROWS = [
    {
        "id": "r1",
        "text": SUNDAY_TEXT,
        "url": "https://one.example/a?x=1&y=2",
        "publisher": "One Daily",
        "headline": "Twelve killed, officials say",
        "date": "2025-07-02",
    },
    {"id": "r2", "text": SUNDAY_TEXT + " Residents returned.", "publisher": "Two Times"},
    {"id": "r3", "text": SUNDAY_TEXT + " Quiet since."},
]


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """Batch output of three corpus rows: full source, outlet only, none."""
    corpus = write_jsonl(tmp_path / "corpus.jsonl", ROWS)
    extractor, _ = extractor_for(tmp_path, cache=False)
    out = tmp_path / "results.jsonl"
    items = api.batch_items([corpus], notify=lambda _: None)
    list(run_batch(extractor, items, out=out, options=BatchOptions(workers=0)))
    return out


def acled_rows(results: Path) -> dict[str, dict[str, str]]:
    merged = api.merge(results, geocode=False)
    text = api.export(merged.incidents, "acled-csv").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return {row["incident_id"]: row for row in rows}


def test_acled_source_column_names_outlet_date_title_and_url(results: Path) -> None:
    merged = api.merge(results, geocode=False)
    by_article = {i.articles[0]: i.id for i in merged.incidents}
    assert sorted(by_article) == ["r1", "r2", "r3"], "one event per article here"
    rows = acled_rows(results)
    assert rows[by_article["r1"]]["source"] == (
        "One Daily (2025-07-02, Twelve killed, officials say, https://one.example/a?x=1&y=2)"
    )
    assert rows[by_article["r2"]]["source"] == "Two Times"
    assert rows[by_article["r3"]]["source"] == "r3", "known by nothing else: its id, as before"


def test_a_merged_event_lists_each_articles_source(tmp_path: Path) -> None:
    from llm_extract.core.incidents import MergedIncident

    corpus = write_jsonl(tmp_path / "c.jsonl", ROWS[:2])
    extractor, _ = extractor_for(tmp_path, cache=False)
    items = api.batch_items([corpus], notify=lambda _: None)
    results = list(run_batch(extractor, items, options=BatchOptions(workers=0)))
    [one] = api.merge(results[:1], geocode=False).incidents
    [two] = api.merge(results[1:], geocode=False).incidents
    both = MergedIncident.model_validate(
        {**one.model_dump(), "articles": ["r1", "r2"], "sources": [*one.sources, *two.sources]}
    )
    [row] = list(csv.DictReader(io.StringIO(api.export([both]).removeprefix("\ufeff"))))
    assert row["source"].startswith("One Daily (2025-07-02, ") and row["source"].endswith(
        "; Two Times"
    )


def test_a_hostile_outlet_cannot_become_a_spreadsheet_formula(tmp_path: Path) -> None:
    rows = [{"id": "h", "text": SUNDAY_TEXT, "outlet": '=HYPERLINK("http://evil.example")'}]
    corpus = write_jsonl(tmp_path / "c.jsonl", rows)
    extractor, _ = extractor_for(tmp_path, cache=False)
    items = api.batch_items([corpus], notify=lambda _: None)
    outcomes = list(run_batch(extractor, items, options=BatchOptions(workers=0)))
    [row] = acled_rows_of(outcomes)
    assert not row["source"].startswith("=") and "HYPERLINK" in row["source"]


def acled_rows_of(outcomes: list[Any]) -> list[dict[str, str]]:
    text = api.export(api.merge(outcomes, geocode=False).incidents, "acled-csv")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_sqlite_articles_table_says_where_each_article_came_from(
    results: Path, tmp_path: Path
) -> None:
    db = tmp_path / "d.sqlite"
    api.export_dataset(results, db, "sqlite")
    with sqlite3.connect(db) as connection:
        found = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT article_id, url, outlet, title, published, status FROM articles"
            )
        }
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    assert found == {
        "r1": (
            "https://one.example/a?x=1&y=2",
            "One Daily",
            "Twelve killed, officials say",
            "2025-07-02",
            "ok",
        ),
        "r2": (None, "Two Times", None, None, "ok"),
        "r3": (None, None, None, None, "ok"),
    }


def test_an_older_database_gains_the_source_columns(results: Path, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    api.export_dataset(results, db, "sqlite")
    with sqlite3.connect(db) as connection:  # as schema 1 wrote it
        for column in ("url", "outlet", "title", "published"):
            connection.execute(f"ALTER TABLE articles DROP COLUMN {column}")
        connection.execute("PRAGMA user_version = 1")
    api.export_dataset(results, db, "sqlite")
    with sqlite3.connect(db) as connection:
        outlet = connection.execute("SELECT outlet FROM articles WHERE article_id = 'r2'")
        assert outlet.fetchone() == ("Two Times",)


def test_parquet_articles_table_has_the_source_columns(results: Path, tmp_path: Path) -> None:
    api.export_dataset(results, tmp_path / "pq", "parquet")
    table = pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()
    first = next(row for row in table if row["article_id"] == "r1")
    assert (first["url"], first["outlet"], first["published"]) == (
        "https://one.example/a?x=1&y=2",
        "One Daily",
        "2025-07-02",
    )


# --- the review page ------------------------------------------------------------------------

HOSTILE = ArticleSource(
    url='javascript:window.__pwned=1//"><script>window.__pwned=1</script>',
    outlet='<img src=x onerror="window.__pwned=1">Daily',
    title="</p><svg onload=\"window.__pwned=1\"> & 'quotes'",
    published=date(2025, 7, 2),
)
PLAIN = ArticleSource(url="https://news.example/a?b=1&c=2", outlet="Sahel Daily")


def page_of(tmp_path: Path) -> str:
    extractor, _ = extractor_for(tmp_path, cache=False)
    results = [
        extractor.extract(Article(SUNDAY_TEXT, id="hostile", source=HOSTILE)),
        extractor.extract(Article(SUNDAY_TEXT + " B.", id="plain", source=PLAIN)),
        extractor.extract(Article(SUNDAY_TEXT + " C.", id="unknown")),
    ]
    texts = {"hostile": SUNDAY_TEXT, "plain": SUNDAY_TEXT + " B.", "unknown": SUNDAY_TEXT + " C."}
    articles = {r.id: match_article(r, [texts[r.id]]) for r in results}
    return render_page(results, articles, source="results.jsonl")


def section(page: str, article_id: str) -> str:
    return page.split(f'data-article="{article_id}"')[1].split("</section>")[0]


def test_each_article_shows_its_outlet_date_and_url_as_text(tmp_path: Path) -> None:
    page = page_of(tmp_path)
    assert (
        '<p class="origin"><span class="o-outlet">Sahel Daily</span> · '
        '<span class="o-url">https://news.example/a?b=1&amp;c=2</span></p>'
    ) in section(page, "plain")
    hostile = section(page, "hostile")
    assert '<span class="o-date">2025-07-02</span>' in hostile
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;Daily" in hostile
    assert "javascript:window.__pwned=1//&quot;&gt;&lt;script&gt;" in hostile
    assert 'class="origin"' not in section(page, "unknown"), "nothing known, nothing shown"


def test_source_strings_add_no_markup_no_link_and_no_loosened_policy(tmp_path: Path) -> None:
    page = page_of(tmp_path)
    markup = parse(page)
    assert markup.tags <= ALLOWED_TAGS, markup.tags - ALLOWED_TAGS
    assert "a" not in markup.tags, "a URL is text: nothing to follow or load"
    loading = {"src", "href", "action", "srcset", "poster", "data", "formaction", "background"}
    assert [a for a in markup.attributes if a[1] in loading or a[1].startswith("on")] == []
    assert page.count("<script") == 1 and "<svg" not in page and "<img" not in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None
    policy = re.sub(r"'sha256-[^']+'", "HASH", csp.group(1))
    assert policy == (
        "default-src 'none'; style-src HASH; script-src HASH; img-src 'none'; font-src 'none'; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[dict[str, Any]]:
    path = tmp_path / "report.html"
    path.write_text(page_of(tmp_path), encoding="utf-8")
    with offline_page(path) as opened:
        yield opened


@pytest.mark.timeout(120)
def test_browser_hostile_source_stays_text_and_loads_nothing(browser: dict[str, Any]) -> None:
    page, seen = browser["page"], browser["seen"]
    origin = page.locator('section[data-article="hostile"] p.origin')
    origin.locator(".o-url").click()  # a click on the URL selects it, nothing more
    page.wait_for_timeout(200)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img,svg,a,iframe').length") == 0
    assert origin.locator(".o-outlet").text_content() == HOSTILE.outlet
    assert origin.locator(".o-url").text_content() == HOSTILE.url
    assert origin.is_visible() and page.url == browser["url"]
    assert seen["requests"] == [browser["url"]] and seen["errors"] == []
