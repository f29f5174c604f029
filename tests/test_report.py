"""`llm-extract report`: the HTML review page, checked as markup and in a real browser.

Inputs come from the real pipeline, offline: the gold records of the seeds go through
the Extractor (a backend double answers with them), so provenance, verdicts and spans
are exactly what a batch writes; one count is made false (999) to get an unsupported
value, and a hostile article and hostile model values test the escaping.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from html import escape
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from llm_extract.core.places import GeocodedPlace
from llm_extract.core.results import ExtractionResult, ItemError
from llm_extract.interfaces.cli.main import main
from llm_extract.io.records import read_outcomes
from llm_extract.review.articles import ArticleText, match_article
from llm_extract.review.page import render_page
from tests.conftest import ROOT
from tests.report_inputs import (
    ALLOWED_TAGS,
    HOSTILE_TEXT,
    _extract,
    _hostile_record,
    _page,
    _run_report,
    parse,
)


def test_cli_writes_the_page_and_one_summary_line(inputs: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run = _run_report(inputs, out)
    assert run.exit_code == 0, run.output
    values = sum(len(o.verification.verdicts) for o in inputs["outcomes"]
                 if isinstance(o, ExtractionResult))  # fmt: skip
    unsupported = sum(len(o.verification.unsupported()) for o in inputs["outcomes"]
                      if isinstance(o, ExtractionResult))  # fmt: skip
    assert unsupported >= 1
    assert f"wrote {out} (6 articles, {values} values, {unsupported} unsupported)" in run.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Failed articles" in page and "TransportError" in page


def test_cli_errors_are_one_line(inputs: dict[str, Any], tmp_path: Path) -> None:
    gold = ROOT / "tests/gold/gold.jsonl"
    for args, expected in [
        ([str(tmp_path / "missing.jsonl")], "no such file"),
        ([str(gold)], "not a result of `llm-extract batch`"),
        ([str(inputs["jsonl"]), "--articles", str(tmp_path / "nope")], "no such file or folder"),
    ]:
        run = CliRunner().invoke(main, ["report", *args, "--out", str(tmp_path / "r.html")])
        assert run.exit_code == 2, run.output
        assert expected in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_hostile_article_and_model_values_are_escaped(inputs: dict[str, Any]) -> None:
    page = _page(inputs)
    for raw in ("<script>window", "<img", "<svg", "</pre><b>", "<b>bold", 'm=1">'):
        assert raw not in page, raw
    assert page.count("<script") == 1 and page.count("</script>") == 1
    assert page.count("<style") == 1 and page.count("</style>") == 1
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in page
    markup = parse(page)
    assert markup.tags <= ALLOWED_TAGS, markup.tags - ALLOWED_TAGS
    assert not [a for a in markup.attributes if a[1].startswith("on")]
    assert any("<img src=x" in text for text in markup.mark_text.values()), "highlighted too"


def test_same_input_gives_the_same_bytes(inputs: dict[str, Any], report_html: Path) -> None:
    page = _page(inputs)
    shuffled = {**inputs, "outcomes": list(reversed(inputs["outcomes"]))}
    assert _page(shuffled) == page, "order of lines does not matter (sorted by id)"
    assert report_html.read_bytes() == page.encode("utf-8")
    again = inputs["base"] / "again.html"
    assert _run_report(inputs, again).exit_code == 0
    assert again.read_bytes() == report_html.read_bytes()


def test_page_loads_nothing_and_its_policy_allows_only_its_own_script(report_html: Path) -> None:
    page = report_html.read_text(encoding="utf-8")
    markup = parse(page)
    loading = {"src", "href", "action", "srcset", "poster", "data", "formaction", "background"}
    assert [a for a in markup.attributes if a[1] in loading] == []
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "url(" not in page and "@import" not in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp and "default-src 'none'" in csp.group(1) and page.index(csp.group(0)) < 150
    for directive, element in (("script-src", "script"), ("style-src", "style")):
        inline = page.split(f"<{element}>")[1].split(f"</{element}>")[0]
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}';" in csp.group(1)
    assert "unsafe-inline" not in csp.group(1) and "unsafe-eval" not in csp.group(1)


def test_overlapping_spans_nest_or_split_into_well_formed_marks(inputs: dict[str, Any]) -> None:
    """Every verdict's highlight holds exactly its span's text, however spans overlap."""
    markup = parse(_page(inputs))
    checked = nested = 0
    for outcome in inputs["outcomes"]:
        if not isinstance(outcome, ExtractionResult):
            continue
        text = inputs["texts"][outcome.id]
        spans = [v.span for v in outcome.verification.verdicts if v.span]
        for verdict in outcome.verification.verdicts:
            key = markup.rows[(outcome.id, verdict.path)]
            if verdict.span is None or verdict.span.end == verdict.span.start:
                assert key is None
                continue
            assert key is not None
            assert markup.mark_text[key] == text[verdict.span.start : verdict.span.end]
            checked += 1
            s = verdict.span
            nested += any(o.start <= s.start and s.end <= o.end and o != s for o in spans)
    assert checked > 100 and nested > 10


def test_crossing_spans_are_split_and_rejoin() -> None:
    """Spans that cross (neither holds the other) become parts of one mark."""
    text = "Gunmen killed 12 civilians near Gao on Monday."
    record = _hostile_record()
    incident = record["incidents"][0]
    incident["classification_quote"] = "killed 12 civilians near"  # crosses the next one
    incident["date"]["quote"] = "civilians near Gao on Monday"
    result = _extract(record, text, "crossing")
    by_path = {v.path: v for v in result.verification.verdicts}
    a, b = by_path["incidents[0].classification_quote"], by_path["incidents[0].date.quote"]
    assert a.span and b.span and a.span.start < b.span.start < a.span.end < b.span.end
    page = render_page([result], {"crossing": ArticleText(text)}, source="x")
    markup = parse(page)
    for verdict in (a, b):
        key = markup.rows[("crossing", verdict.path)]
        assert key and markup.mark_text[key] == verdict.span.text  # type: ignore[union-attr]
    later = markup.rows[("crossing", b.path)]  # opened inside a, so closed and reopened
    assert len(re.findall(f'<mark [^>]*data-m="{later}"', page)) > 1


def test_changed_or_missing_article_gets_no_highlights_and_says_why(
    inputs: dict[str, Any],
) -> None:
    result = next(o for o in inputs["outcomes"] if o.id.startswith("003_"))
    assert isinstance(result, ExtractionResult)
    text = inputs["texts"][result.id]
    edited = match_article(result, [text.replace("80", "90", 1)])
    assert edited.text is None and "not the article that was extracted" in (edited.problem or "")
    crlf = match_article(result, [text.replace("\n", "\r\n")])
    assert crlf.text is None and "offsets do not line up" in (crlf.problem or "")
    missing = match_article(result, [])
    assert missing.text is None and f"{result.id}.txt" in (missing.problem or "")
    assert match_article(result, [text.replace("80", "90", 1), text]).text == text
    for article in (edited, crlf, missing):
        page = render_page([result], {result.id: article}, source="results.jsonl")
        assert "<mark" not in page and "Highlights unavailable" in page
        assert article.problem and article.problem.split(" (")[0] in page
        assert all(f'data-path="{v.path}"' in page for v in result.verification.verdicts)


def test_policy_drop_and_geocoding_land_on_the_right_rows() -> None:
    """Verdict paths index the record before 'drop'; places index the record after it."""
    record = _hostile_record()
    gao = record["incidents"][0]["locations"][0]
    # Gao keeps no invented country: under 'drop' an unsupported part takes a place down.
    # "killed 12 civilians near Gao": Gao is a nearby reference, so ACLED geo precision 2.
    near_gao = {**gao, "country": None, "precision": 2}
    record["incidents"][0]["locations"] = [{**gao, "name": "Timbuktu"}, near_gao]
    result = _extract(record, HOSTILE_TEXT, "drop", policy="drop")
    assert "incidents[0].locations[0]" in result.verification.removed
    assert [loc.name for loc in result.record.incidents[0].locations] == ["Gao"]
    at_gao = _extract({**record, "incidents": [{**record["incidents"][0], "locations": [
        {**near_gao, "precision": 1}]}]}, HOSTILE_TEXT, "at", policy="flag")  # fmt: skip
    verdict = next(v for v in at_gao.verification.verdicts if v.path.endswith("[0].name"))
    assert verdict.code == "reference_place" and "precision 2" in verdict.reason
    gazetteer_says = {"resolved": True, "reason": "town", "name": "Gao", "country": "Mali"}
    result.places = [GeocodedPlace(path="incidents[0].locations[0]", query="Gao", **gazetteer_says)]
    page = render_page([result], {"drop": ArticleText(HOSTILE_TEXT)}, source="x")

    def row(path: str) -> str:
        found = re.search(rf'data-path="{re.escape(path)}"[^>]*>(.*?)</tr>', page)
        assert found, path
        return found.group(1)

    assert "removed by policy drop" in row("incidents[0].locations[0].name")
    assert "geocoded" not in row("incidents[0].locations[0].name")
    assert "geocoded: Gao, Mali" in row("incidents[0].locations[1].name")
    assert "removed by policy drop" not in row("incidents[0].locations[1].name")
    assert escape(result.record.incidents[0].summary) in page


def test_an_unreadable_article_costs_only_its_highlights(
    inputs: dict[str, Any], tmp_path: Path
) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(inputs["articles"], articles)
    broken = next(articles.glob("003_*.txt"))
    broken.write_bytes(b"binary\x00data")
    out = tmp_path / "r.html"
    run = _run_report({**inputs, "articles": articles}, out)
    assert run.exit_code == 0, run.output
    assert "note: 1 article(s) without highlights" in run.stderr
    page = out.read_text(encoding="utf-8")
    assert "Highlights unavailable:</b> " + escape(str(broken)) + " contains a NUL byte" in page
    assert page.count("Highlights unavailable") == 1


def test_reading_results_keeps_the_last_line_per_id(inputs: dict[str, Any], tmp_path: Path) -> None:
    jsonl = tmp_path / "r.jsonl"
    ok = next(o for o in inputs["outcomes"] if isinstance(o, ExtractionResult))
    failed = ItemError(id=ok.id, error_type="TransportError", message="503")
    jsonl.write_text(failed.model_dump_json() + "\n\n" + ok.model_dump_json() + "\n")
    assert read_outcomes(jsonl) == [ok]


def test_an_article_that_reports_violence_but_gave_no_incident_says_why() -> None:
    """Never a silent empty record: the page shows the result's empty_reason."""
    text = "Des hommes armés ont tué douze villageois lundi soir, selon des sources locales."
    result = _extract({"incidents": []}, text, "no-place")
    assert result.empty_reason and "no place candidate" in result.empty_reason
    page = render_page([result], {"no-place": ArticleText(text, None)}, source="r.jsonl")
    assert "No incident:</b> " + escape(result.empty_reason) in page
