"""Grounded extraction: one short question at a time, answers chosen among the article's own.

Asked for the whole nested schema, a small model loops and invents. Here the article's
own numbers, places, actors and dates (candidates.py) become the only answers the
backend lets the model give (a grammar in-process, a JSON-schema constrained tool call
at an endpoint), the model picks among them one question at a time over a shared
article prefix, and the record is assembled in code (assemble.py) with each quote cut
from the sentence that holds the chosen value: every value is grounded by construction,
the model only chooses.
"""

from __future__ import annotations

import functools
from typing import Any

from llm_extract.backends.base import Asker, QuestionJob
from llm_extract.core.acled import SubEventType
from llm_extract.core.records import ArticleExtraction, CountCategory
from llm_extract.extraction.grounded.assemble import NONE, Choices, assemble
from llm_extract.extraction.grounded.candidates import (
    CountCandidate,
    actor_candidates,
    count_candidates,
    date_candidates,
    likely_kinds,
    near_the_event,
    place_candidates,
)
from llm_extract.text.grounding import Document

GROUNDED_VERSION = "9"
"""Bump when questions or candidates change: cached grounded records are keyed on it."""
MAX_PLACES_ASKED = 4
SYSTEM = "You answer questions about a news article using only the article."

EVENT_KINDS: dict[str, SubEventType] = {
    "fighting": SubEventType.ARMED_CLASH,
    "airstrike": SubEventType.AIR_DRONE_STRIKE,
    "bombing": SubEventType.REMOTE_EXPLOSIVE,
    "massacre": SubEventType.ATTACK,
    "kidnapping": SubEventType.ABDUCTION,
    "protest": SubEventType.PEACEFUL_PROTEST,
    "riot": SubEventType.VIOLENT_DEMONSTRATION,
    "arrests": SubEventType.ARRESTS,
}


def grounded_job(document: Document) -> QuestionJob:
    """The questions for one article, as a job any backend that constrains answers runs."""
    return QuestionJob(
        system=SYSTEM,
        context=f"Article:\n{document.text}\n\nQuestion: ",
        run=functools.partial(extract_grounded, document=document),
    )


def _choose(asker: Asker, question: str, options: list[str]) -> str:
    """One of `options`, or NONE: the model may always decline."""
    answer = asker.ask(question, {"type": "string", "enum": [*options, NONE]}, 48)
    return answer if isinstance(answer, str) else NONE


def extract_grounded(asker: Asker, document: Document) -> ArticleExtraction:
    """One incident (or none) whose values the model chose among the article's own."""
    places = place_candidates(document)
    if not places:
        return ArticleExtraction(incidents=[])
    actors = actor_candidates(document)
    counts = count_candidates(document)
    dates = date_candidates(document)

    kinds = likely_kinds(document)
    kind: Any = kinds[0]
    if len(kinds) > 1:  # the cue words leave a choice: the model settles it
        kind = asker.ask("In one word, what happened?", {"type": "string", "enum": kinds}, 24)
    sub_event = EVENT_KINDS.get(kind if isinstance(kind, str) else "", SubEventType.ARMED_CLASH)
    names = [p.name for p in places]
    picked = asker.ask(
        "Which places were attacked?",
        {
            "type": "array",
            "items": {"type": "string", "enum": names},
            "minItems": 1,
            "maxItems": MAX_PLACES_ASKED,
        },
        16 * MAX_PLACES_ASKED,
    )
    picked = picked if isinstance(picked, list) else names[:1]
    # A chosen list member brings its list: "The targeted areas were A, B and C".
    groups = {p.group for p in places if p.name in picked}
    chosen_places = [p for p in places if p.group in groups]

    parties = near_the_event(document, actors, chosen_places, counts)
    attacker = _choose(asker, "Who attacked?", parties) if actors else NONE
    target = _choose(asker, "Who was attacked?", parties) if actors else NONE

    chosen_counts: list[tuple[CountCandidate, str]] = []
    for category in CountCategory:
        taken = {id(c) for c, _ in chosen_counts}  # one figure, one fate
        options = [c for c in counts if category.value in c.categories and id(c) not in taken]
        if options:
            label = _choose(
                asker, f"How many people were {category.value}?", [c.label for c in options]
            )
            chosen_counts += [(c, category.value) for c in options if c.label == label][:1]
    date_label = (
        _choose(asker, "When did it happen?", [m.surface for m in dates]) if dates else NONE
    )
    choices = Choices(
        sub_event=sub_event,
        places=chosen_places,
        attacker=attacker,
        target=target,
        parties=parties,
        counts=chosen_counts,
        when=next((m for m in dates if m.surface == date_label), None),
    )
    return assemble(document, choices, actors, dates)
