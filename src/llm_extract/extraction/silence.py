"""Never a silent empty record: why an article that reports violence gave no incident.

A record with no incident is a claim ("nothing happened here"), so it is made only
when the article reports nothing: no figure of people with a fate, no attack word in a
sentence. Otherwise the result carries the reason, and every interface shows it.
"""

from __future__ import annotations

from llm_extract.core.records import ArticleExtraction
from llm_extract.extraction.grounded.candidates import actor_candidates, place_candidates
from llm_extract.extraction.grounded.incidents import is_event_sentence
from llm_extract.extraction.grounded.places import event_places
from llm_extract.roles.figures.counts import read_count
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document
from llm_extract.text.sentences import sentence_spans


def _reported_toll(doc: Document) -> str | None:
    for q in doc.quantities:
        if q.is_count_of_people is False or q.best is None:
            continue
        reading = read_count(doc, q)
        if reading.fates and reading.modality == "reported":
            return f"{q.surface} {sorted(reading.fates)[0]}"
    return None


def why_empty(doc: Document, record: ArticleExtraction) -> str | None:
    """The reason the record holds no incident although the article reports a casualty
    figure or an attack; None when it holds one or the article reports neither."""
    if record.incidents:
        return None
    toll = _reported_toll(doc)
    events = [span for span in sentence_spans(doc.text) if is_event_sentence(doc, *span)]
    if toll is None and not events:
        return None
    what = f"a casualty figure ({toll})" if toll else "an attack"
    actors = {name_key(a.name) for a in actor_candidates(doc)}
    places = event_places(doc, place_candidates(doc), actors)
    if not places:
        return f"the article reports {what} but no place candidate was found"
    return f"the article reports {what} but no incident was extracted"
