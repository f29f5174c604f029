"""Inputs for the review-page tests: real pipeline results for the seeds (a backend
double answers with the gold records), one false count, a hostile article."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.core.articles import Article
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.results import ExtractionResult, ItemError, Outcome, Usage
from llm_extract.core.settings import Settings
from llm_extract.core.verification import Policy
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces.cli.main import main
from llm_extract.io.articles import read_source
from llm_extract.review.articles import match_article
from llm_extract.review.page import render_page
from tests.conftest import ROOT, SEEDS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@contextlib.contextmanager
def offline_page(path: Path, **page_options: Any) -> Iterator[dict[str, Any]]:
    """`path` opened from disk in Debian's Chromium, with every request, console error
    and page error recorded; requests other than the page itself are refused."""
    if os.environ.get("LLM_EXTRACT_SKIP_BROWSER") == "1":
        pytest.skip("LLM_EXTRACT_SKIP_BROWSER=1")
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install "
            "chromium), or set LLM_EXTRACT_SKIP_BROWSER=1 to skip the browser tests"
        )
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    seen: dict[str, Any] = {"requests": [], "console": [], "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(**page_options)
            page.on("console", lambda m: seen["console"].append(m) if m.type == "error" else None)
            page.on("pageerror", lambda exc: seen["errors"].append(exc))
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url == url else route.abort(),
            )
            page.goto(url, wait_until="load")
            yield {"page": page, "url": url, "seen": seen}
        finally:
            browser.close()


HOSTILE_ID = 'hostile"><svg onload="window.__pwned=1">'
HOSTILE_TEXT = """Breaking <script>window.__pwned=1</script> from the Sahel.
Gunmen killed 12 civilians near Gao on Monday, officials said. <img src=x onerror="window.__pwned=1">
A second claim: "><svg onload="window.__pwned=1"> and </script></style></pre> & <!-- ends here\u2028.
"""  # noqa: E501 (the article's lines are what they are)
FAILED = ItemError(
    id='005_failed"><img src=x onerror="window.__pwned=1">',
    error_type="TransportError",
    message="endpoint said <script>window.__pwned=1</script>",
)
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "div", "h1", "h2",
                "h3", "p", "span", "label", "input", "fieldset", "legend", "select", "option",
                "main", "section", "pre", "mark", "table", "thead", "tbody", "tr", "th", "td",
                "ul", "li", "b", "code", "script"}  # fmt: skip


class FixedBackend:
    """Answers every request with one given record, like a model that got it right."""

    name, endpoint_kind, mode, prefers_compact_schema = "fixed", "test-double", "tool_call", False
    answers_questions, default_strategy = False, "whole"

    def __init__(self, record: ArticleExtraction) -> None:
        self.model = "gold-double"
        self.record = record

    def default_sampling(self) -> dict[str, Any]:
        return {}

    def complete(self, request: ModelRequest) -> ModelReply:
        return ModelReply(value=self.record, usage=Usage(requests=1))

    async def acomplete(self, request: ModelRequest) -> ModelReply:
        return self.complete(request)


def _extract(
    record: dict[str, Any], text: str, item_id: str, policy: Policy = "flag"
) -> ExtractionResult:
    backend = FixedBackend(ArticleExtraction.model_validate(record))
    settings = Settings(use_cache=False, policy=policy)
    extractor = Extractor(settings, backend=backend)  # type: ignore[arg-type]
    return extractor.extract(Article(text, id=item_id))


def _hostile_record() -> dict[str, Any]:
    return {"incidents": [{
        "summary": "</script><script>window.__pwned=1</script> attack near Gao",
        "classification": {"event_type": "Violence against civilians", "sub_event_type": "Attack"},
        "classification_quote": "Gunmen killed 12 civilians near Gao",
        "date": {"text": "on Monday", "start": None, "end": None, "precision": 1,
                 "quote": "near Gao on Monday"},
        "locations": [{"name": "Gao", "admin1": None, "country": '"><svg onload=alert(1)>',
                       "precision": 1, "quote": "Gunmen killed 12 civilians near Gao"}],
        "is_aggregate": False,
        "actors": [{"name": '<img src=x onerror="window.__pwned=1">', "actor_type": 3,
                    "role": "attacker", "quote": '<img src=x onerror="window.__pwned=1">'}],
        "counts": [{"category": "killed", "side": "civilians", "victim_group": "civilians",
                    "surface": "12", "qualifier": "exact", "low": 12, "best": 12, "high": 12,
                    "attributed_to": "officials", "provisional": False,
                    "quote": "Gunmen killed 12 civilians near Gao on Monday, officials said."}],
        "claims": [{"claimant": "officials", "statement": "</pre><b>bold</b>",
                    "quote": '"><svg onload="window.__pwned=1">'}],
    }]}  # fmt: skip


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A batch output of the five seeds (gold records, one false count), a hostile
    article and a failed item; the article folder; and the texts by id."""
    base = tmp_path_factory.mktemp("report")
    articles = base / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / f"{HOSTILE_ID}.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    gold = [json.loads(line) for line in (ROOT / "tests/gold/gold.jsonl").read_text().splitlines()]
    results: list[Outcome] = []
    for line in gold:
        record = line["record"]
        if line["id"].startswith("003_"):
            count = record["incidents"][0]["counts"][0]
            count.update(surface="999", low=999, best=999, high=None)
        text = read_source(articles / f"{line['id']}.txt", max_chars=10**7)
        results.append(_extract(record, text, line["id"]))
    results.append(_extract(_hostile_record(), HOSTILE_TEXT, HOSTILE_ID))
    results.append(FAILED)
    jsonl = base / "results.jsonl"
    jsonl.write_text("".join(o.model_dump_json() + "\n" for o in results), encoding="utf-8")
    texts = {p.stem: read_source(p, max_chars=10**7) for p in articles.glob("*.txt")}
    return {"base": base, "articles": articles, "jsonl": jsonl, "outcomes": results,
            "texts": texts}  # fmt: skip


@pytest.fixture(scope="module")
def report_html(inputs: dict[str, Any]) -> Path:
    out = inputs["base"] / "report.html"
    run = _run_report(inputs, out)
    assert run.exit_code == 0, run.output
    return out


def _run_report(inputs: dict[str, Any], out: Path) -> Result:
    args = [str(inputs["jsonl"]), "--articles", str(inputs["articles"]), "--out", str(out)]
    return CliRunner().invoke(main, ["report", *args])


def _page(inputs: dict[str, Any]) -> str:
    articles = {o.id: match_article(o, [inputs["texts"][o.id]])
                for o in inputs["outcomes"] if isinstance(o, ExtractionResult)}  # fmt: skip
    return render_page(inputs["outcomes"], articles, source="results.jsonl")


class Markup(HTMLParser):
    """Checks nesting as it parses; collects each mark's text and each row's mark."""

    VOID: ClassVar[set[str]] = {"meta", "input", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.open_marks: list[str] = []
        self.mark_text: dict[str, str] = {}
        self.rows: dict[tuple[str, str], str | None] = {}
        self.article = ""
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        found = dict(attrs)
        if tag == "section":
            self.article = found["data-article"] or ""
        if tag == "mark":
            self.open_marks.append(found["data-m"] or "")
        if tag == "tr" and "data-path" in found:
            self.rows[(self.article, found["data-path"] or "")] = found.get("data-m")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()
        if tag == "mark":
            self.open_marks.pop()

    def handle_data(self, data: str) -> None:
        for key in self.open_marks:
            self.mark_text[key] = self.mark_text.get(key, "") + data
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)


def parse(page: str) -> Markup:
    markup = Markup()
    markup.feed(page)
    markup.close()
    assert markup.stack == [], markup.stack
    return markup
