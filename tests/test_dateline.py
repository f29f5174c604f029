"""An article's own date line anchors its relative dates when the caller gives none."""

from __future__ import annotations

from datetime import date

from llm_extract.extraction.grounded.candidates import date_candidates
from llm_extract.text.dates import DATELINE_CHARS, dateline
from llm_extract.text.grounding import Document

ARTICLE = "Army repels raids\nDate: July 2, 2025\n\nThe army said on Monday it repelled raids."


def test_date_lines_in_english_and_french():
    found = dateline(ARTICLE)
    assert found is not None and found.first == date(2025, 7, 2)
    assert ARTICLE[found.start : found.end] == "July 2, 2025"
    assert dateline("Title\nPosted on 3 March 2024\nText").first == date(2024, 3, 3)
    assert dateline("Titre\nPublié le 14 juillet 2025\nTexte").first == date(2025, 7, 14)


def test_no_date_line_without_a_year_a_label_or_near_the_top():
    assert dateline("Title\nDate: July 2\nText") is None  # no year: not a publication date
    assert dateline("Title\nOn July 2, 2025 the army said...") is None  # a story date
    assert dateline("x" * DATELINE_CHARS + "\nDate: July 2, 2025\n") is None


def test_relative_dates_resolve_against_it_unless_the_caller_says_otherwise():
    monday = next(m for m in Document.from_text(ARTICLE).dates if m.surface == "Monday")
    assert (monday.first, monday.last) == (date(2025, 6, 30), date(2025, 6, 30))
    given = Document.from_text(ARTICLE, published=date(2025, 7, 9))
    assert next(m for m in given.dates if m.surface == "Monday").first == date(2025, 7, 7)


def test_the_date_line_is_not_offered_as_the_events_date():
    surfaces = [m.surface for m in date_candidates(Document.from_text(ARTICLE))]
    assert surfaces == ["Monday"]
