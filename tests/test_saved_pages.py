"""Saved web pages (.html, .htm): the article's main text reaches the model, with every
sentence of its body and none of the page's furniture; the page's title, outlet, URL
and date become the article's source; verification offsets slice the main text."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract.backends.base import ModelReply, ModelRequest
from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError
from llm_extract.core.results import ExtractionResult, Usage
from llm_extract.core.settings import DEFAULT_MAX_CHARS, Settings
from llm_extract.extraction.extractor import Extractor
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.main import main
from llm_extract.io.articles import read_with_source
from llm_extract.io.html import read_page
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "pages"
CORPUS = ROOT / "tests" / "corpus" / "dev"
MANIFEST: list[dict[str, Any]] = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
BY_PAGE = {entry["page"]: entry for entry in MANIFEST}
PAGE = PAGES / "burkina-en-01.html"  # "on Monday", published 2023-06-28 by its page


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def corpus_rows() -> dict[str, dict[str, Any]]:
    lines = (CORPUS / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["id"]: row for row in map(json.loads, lines)}


def gold_record(article_id: str) -> dict[str, Any]:
    for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == article_id:
            return dict(row["record"])
    raise KeyError(article_id)


def page_text(name: str) -> str:
    return api.read_article(PAGES / name)


class GoldBackend:
    """Answers with the article's gold record and keeps every prompt it was sent."""

    name = "gold"
    endpoint_kind = "test-double"
    mode = "tool_call"
    model = "gold-1"
    prefers_compact_schema = False
    answers_questions = False
    default_strategy = "whole"

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.prompts: list[str] = []

    def default_sampling(self) -> dict[str, Any]:
        return {}

    def complete(self, request: ModelRequest) -> ModelReply:
        self.prompts.append("\n".join(message["content"] for message in request.messages))
        value = request.response_model.model_validate(self.record)
        return ModelReply(value=value, usage=Usage(total_tokens=1, requests=1))

    async def acomplete(self, request: ModelRequest) -> ModelReply:
        return self.complete(request)


@pytest.fixture
def gold_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GoldBackend:
    """The API's (and so the CLI's) extractor answers from the burkina-en-01 gold."""
    backend = GoldBackend(gold_record("burkina-en-01"))
    extractor = Extractor(Settings(cache_dir=tmp_path / "cache"), backend=backend)
    monkeypatch.setattr(api, "get_extractor", lambda *args, **kwargs: extractor)
    return backend


def test_the_pages_wrap_at_least_ten_corpus_articles_in_five_layouts() -> None:
    assert len(MANIFEST) >= 10
    assert len({entry["layout"] for entry in MANIFEST}) >= 5
    for entry in MANIFEST:
        article = flat((CORPUS / f"{entry['article']}.txt").read_text(encoding="utf-8"))
        assert all(flat(block) in article for block in entry["body"]), entry["page"]
        kinds = {kind for kind, strings in entry["furniture"].items() if strings}
        assert {"navigation", "ads", "related", "cookie banner", "footer"} <= kinds
    assert sum(bool(entry["furniture"]["comments"]) for entry in MANIFEST) >= 10


@pytest.mark.parametrize("name", sorted(BY_PAGE))
def test_main_text_keeps_every_sentence_of_the_body(name: str) -> None:
    text = flat(page_text(name))
    missing = [block for block in BY_PAGE[name]["body"] if flat(block) not in text]
    assert missing == []


@pytest.mark.parametrize("name", sorted(BY_PAGE))
def test_main_text_leaves_out_all_furniture(name: str) -> None:
    """Menus, ads, other headlines, comments, consent banners, share buttons, promos and
    footers: none of their strings (the headline aside, which is the source's title)."""
    text = flat(page_text(name))
    title = BY_PAGE[name]["metadata"]["title"]
    leaked = {
        kind: [s for s in strings if flat(s) in text and s not in title]
        for kind, strings in BY_PAGE[name]["furniture"].items()
    }
    assert {kind: strings for kind, strings in leaked.items() if strings} == {}
    assert "Win 500 dollars in Paris" not in text and "500 dollars à Paris" not in text


@pytest.mark.parametrize("name", sorted(BY_PAGE))
def test_metadata_is_read_from_the_page(name: str) -> None:
    row = corpus_rows()[BY_PAGE[name]["article"]]
    _, source = read_with_source(PAGES / name, max_chars=DEFAULT_MAX_CHARS)
    expected = {key: row[key] for key in ("title", "url", "outlet")}
    assert source is not None
    assert source.model_dump(exclude={"published"}) == expected
    published = date.fromisoformat(row["published"]) if row["published"] else None
    assert source.published == published


def test_each_kind_of_metadata_is_read_where_a_page_keeps_it() -> None:
    """JSON-LD alone, og: alone, a Yoast @graph, <title> with the outlet after a pipe."""
    jsonld_only = BY_PAGE["pakistan-en-01.html"]  # no og:, date in JSON-LD with +05:00
    assert jsonld_only["metadata"]["published"] == "2025-04-26"
    page = read_page(
        b"<html><head><title>Ten killed in Gao | Le Sahel</title>"
        b'<script type="application/ld+json">{broken</script>'
        b'<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},'
        b'{"@type": ["NewsArticle"], "datePublished": "2024-03-18T23:30:00-04:00"}]}</script>'
        b"</head><body><article><p>Ten people were killed in Gao on Sunday, "
        b"residents said, in an attack on the market.</p></article></body></html>",
        name="page.html",
    )
    assert page.source == ArticleSource(
        title="Ten killed in Gao", outlet="Le Sahel", published=date(2024, 3, 18)
    )  # the date as the page writes it, not converted to UTC
    assert page.text == (
        "Ten people were killed in Gao on Sunday, residents said, in an attack on the market."
    )


def test_a_story_is_kept_whatever_its_wrapper_is_called() -> None:
    """Class names are hints: a wrapper holding most of the paragraphs ("no-ads"), or a
    list inside the story, is the article, not an ad or a menu."""
    page = read_page(
        b'<html><body><div class="menu"><a href="/">Home</a></div>'
        b'<div class="article-body no-ads"><p>Ten people were killed in Gao on Sunday when '
        b"gunmen attacked the market, residents said.</p><div><ul><li>Four wounded in Gao"
        b"</li><li>Two missing in Ansongo</li></ul></div><p>Another four were wounded and "
        b"taken to the regional hospital, a doctor said.</p></div>"
        b'<div class="comments"><p>Sad news from Gao.</p></div></body></html>',
        name="page.html",
    )
    assert page.text.split("\n\n") == [
        "Ten people were killed in Gao on Sunday when gunmen attacked the market, residents said.",
        "Four wounded in Gao",
        "Two missing in Ansongo",
        "Another four were wounded and taken to the regional hospital, a doctor said.",
    ]


def test_a_page_declaring_another_charset_is_decoded_by_it() -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Tués à Ségou</title></head><body>'
        "<article><p>Trois soldats ont été tués à Ségou, selon l’armée malienne.</p>"
        "<p>Deux autres ont été blessés lors de l’attaque.</p></article></body></html>"
    )
    page = read_page(html.encode("cp1252"), name="page.html")
    assert "tués à Ségou, selon l’armée" in page.text and page.source.title == "Tués à Ségou"


def test_a_page_with_no_article_is_refused_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "index.html"
    empty.write_text(
        "<html><body><nav><a href='/'>Home</a><a href='/w'>World</a></nav>"
        "<footer><p>Copyright 2024</p></footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"index\.html: no article text found") as caught:
        api.read_article(empty)
    assert "\n" not in str(caught.value)


def test_a_page_is_held_to_its_own_size_limit_not_the_article_s(tmp_path: Path) -> None:
    """Scripts make a page far larger than its article: a page over --max-chars * 4
    bytes is read, and its main text is what --max-chars is checked against."""
    big = tmp_path / "big.html"
    script = "<script>var x='" + "a" * 50_000 + "';</script>"
    big.write_text(PAGE.read_text(encoding="utf-8").replace("</head>", script + "</head>"))
    text = api.read_article(big, max_chars=5_000)
    assert len(text) < 5_000 and "At least 31 soldiers" in text


def test_extract_on_a_page_gives_spans_that_slice_its_main_text(
    gold_backend: GoldBackend,
) -> None:
    text = page_text(PAGE.name)
    result = api.extract_file(PAGE)
    spans = [v.span for v in result.verification.verdicts if v.span is not None]
    assert len(spans) >= 20
    assert all(text[span.start : span.end] == span.text for span in spans)
    (prompt,) = gold_backend.prompts
    assert flat(text) in flat(prompt)
    furniture = [s for strings in BY_PAGE[PAGE.name]["furniture"].values() for s in strings]
    assert furniture and not [s for s in furniture if flat(s) in flat(prompt)]


def test_a_page_verifies_as_its_article_text_does(gold_backend: GoldBackend) -> None:
    """Every value gets the verdict it gets against the corpus text of the article."""
    from_page = api.extract_file(PAGE)
    text = (CORPUS / "burkina-en-01.txt").read_text(encoding="utf-8")
    from_text = api.extract(text, published=date(2023, 6, 28))
    verdicts = [
        [(v.path, v.verdict) for v in r.verification.verdicts] for r in (from_page, from_text)
    ]
    assert verdicts[0] == verdicts[1]
    assert from_page.verification.summary.supported >= 60


def test_the_page_s_source_and_date_travel_with_the_result(gold_backend: GoldBackend) -> None:
    """Its date anchors "on Monday" (2023-06-26) as --published would."""
    result = api.extract_file(PAGE)
    assert result.provenance.source == read_with_source(PAGE, max_chars=DEFAULT_MAX_CHARS)[1]
    dates = [v for v in result.verification.verdicts if v.kind == "date"]
    assert dates and all(v.verdict == "supported" for v in dates)


def test_a_date_the_user_gives_wins_over_the_page_s(gold_backend: GoldBackend) -> None:
    result = api.extract_file(PAGE, published=date(2023, 7, 5))  # Monday = 3 July
    dates = [v for v in result.verification.verdicts if v.kind == "date"]
    assert dates and all(v.verdict == "unsupported" for v in dates)


def test_the_cli_extracts_a_page_with_spans_that_slice_its_main_text(
    gold_backend: GoldBackend,
) -> None:
    done = CliRunner().invoke(main, ["extract", str(PAGE), "--one-line"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    text = page_text(PAGE.name)
    spans = [v["span"] for v in payload["verification"]["verdicts"] if v["span"]]
    assert spans and all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    assert payload["provenance"]["source"]["outlet"] == "Africanews"


def test_a_batch_folder_contributes_its_pages_with_their_stems_as_ids(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plain.txt").write_text("Five people were killed in Mopti on Sunday.", "utf-8")
    (folder / "burkina.html").write_bytes(PAGE.read_bytes())
    (folder / "drc.htm").write_bytes((PAGES / "drc-fr-01.html").read_bytes())
    (folder / "notes.md").write_text("not an article", "utf-8")
    items = {item.id: item for item in api.batch_items([folder])}
    assert sorted(items) == ["burkina", "drc", "plain"]
    assert items["burkina"].published == date(2023, 6, 28)
    assert items["burkina"].source is not None and items["burkina"].source.outlet == "Africanews"
    assert items["drc"].published is None and items["plain"].source is None
    given = api.batch_items([folder], published=date(2023, 7, 5))
    assert {item.published for item in given} == {date(2023, 7, 5)}


def test_a_batch_of_pages_extracts_their_main_text(
    gold_backend: GoldBackend, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "burkina.html").write_bytes(PAGE.read_bytes())
    outcomes = list(
        api.extract_batch(api.batch_items([folder]), options=api.BatchOptions(workers=0))
    )
    (result,) = outcomes
    assert isinstance(result, ExtractionResult) and result.id == "burkina"
    text = page_text(PAGE.name)
    spans = [v.span for v in result.verification.verdicts if v.span is not None]
    assert spans and all(text[span.start : span.end] == span.text for span in spans)
    assert all(v.verdict == "supported" for v in result.verification.verdicts if v.kind == "date")
