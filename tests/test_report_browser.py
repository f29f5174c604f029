"""The review page in headless Chromium: clean, offline, highlights on the right text,
hostile input inert, filters working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from llm_extract.core.results import ExtractionResult
from tests.report_inputs import (
    FAILED,
    HOSTILE_ID,
    HOSTILE_TEXT,
    offline_page,
)

# --- in a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_page(report_html: Path) -> Iterator[dict[str, Any]]:
    """The report opened from disk in Debian's Chromium (report_inputs.offline_page)."""
    with offline_page(report_html, viewport={"width": 1280, "height": 900}) as opened:
        yield opened


@pytest.mark.timeout(120)
def test_browser_page_runs_clean_and_offline(browser_page: dict[str, Any]) -> None:
    page, seen = browser_page["page"], browser_page["seen"]
    page.wait_for_timeout(300)
    assert page.title().startswith("Review: results.jsonl")
    assert [m.text for m in seen["console"]] == []
    assert [str(e) for e in seen["errors"]] == []
    assert seen["requests"] == [browser_page["url"]]


@pytest.mark.timeout(120)
def test_browser_highlights_land_on_the_verdicts_text(
    browser_page: dict[str, Any], inputs: dict[str, Any]
) -> None:
    shown = browser_page["page"].evaluate("""() => {
        const out = {};
        for (const row of document.querySelectorAll('tr[data-m]')) {
            const article = row.closest('section').dataset.article;
            const key = row.dataset.m;
            const parts = document.querySelectorAll('mark[data-m="' + key + '"]');
            out[article + '|' + row.dataset.path] = Array.from(parts, m => m.textContent).join('');
        }
        return out;
    }""")
    checked = set()
    for outcome in inputs["outcomes"]:
        if not isinstance(outcome, ExtractionResult):
            continue
        text = inputs["texts"][outcome.id]
        for v in outcome.verification.verdicts:
            if v.span and v.span.end > v.span.start:
                assert shown[f"{outcome.id}|{v.path}"] == text[v.span.start : v.span.end]
                checked.add(outcome.id)
    assert len(checked) == 6 and len(shown) > 100


@pytest.mark.timeout(120)
def test_browser_hostile_article_stays_text(browser_page: dict[str, Any]) -> None:
    page = browser_page["page"]
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    injected = "() => document.querySelectorAll('img,svg,iframe,object,embed,a,form').length"
    assert page.evaluate(injected) == 0
    assert page.evaluate("() => document.scripts.length") == 1
    text = page.evaluate(
        """id => Array.from(document.querySelectorAll('section.article'))
            .find(s => s.dataset.article === id).querySelector('pre.text').textContent""",
        HOSTILE_ID,
    )
    assert text == HOSTILE_TEXT
    assert page.get_by_text("Breaking <script>window.__pwned=1</script> from").is_visible()
    assert page.get_by_text(FAILED.message).is_visible()


@pytest.mark.timeout(120)
def test_browser_filters_hide_and_show_without_reload(browser_page: dict[str, Any]) -> None:
    page = browser_page["page"]
    page.evaluate("() => { window.__sameDocument = true; }")
    unsupported = page.locator('tr[data-verdict="unsupported"]')
    assert unsupported.count() >= 1 and unsupported.first.is_visible()
    red_marks = page.locator("mark.v-unsupported")
    assert red_marks.count() >= 1, "the false count's quote is found: a red highlight"
    page.locator('input[name="verdict"][value="unsupported"]').uncheck()
    assert all(not unsupported.nth(i).is_visible() for i in range(unsupported.count()))
    assert red_marks.count() == 0
    assert page.locator('tr[data-verdict="supported"]').first.is_visible()
    page.locator('input[name="verdict"][value="unsupported"]').check()
    assert unsupported.first.is_visible()
    page.select_option("#article-filter", label=HOSTILE_ID)
    assert page.locator("section.article:visible").count() == 1
    page.select_option("#article-filter", value="all")
    assert page.locator("section.article:visible").count() == 6
    row = page.locator('tr[data-m][data-path="incidents[0].locations[0].name"]').first
    row.click()
    key = row.get_attribute("data-m")
    assert "focus" in (page.locator(f'mark[data-m="{key}"]').first.get_attribute("class") or "")
    assert page.evaluate("() => window.__sameDocument") is True
