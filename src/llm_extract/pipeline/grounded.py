"""Grounded extraction for the embedded model: one short question at a time.

Asked for the whole nested schema, a 135M model loops and invents. Here the article's
own numbers, places, actors and dates (pipeline/candidates.py) become the only answers a
grammar allows, the model picks among them one question at a time (the article is a
shared prompt prefix, so llama.cpp reuses its KV cache), and the record is assembled in
code with each quote cut from the sentence that holds the chosen value: every value is
grounded by construction, the model only chooses.
"""

from __future__ import annotations

import json
from typing import Any

from llm_extract.core.acled import EVENT_OF_SUB_EVENT, SubEventType
from llm_extract.core.records import ArticleExtraction, CountCategory
from llm_extract.core.results import Usage
from llm_extract.pipeline.candidates import (
    MAX_ACTORS,
    ActorMention,
    CountCandidate,
    Place,
    actor_candidates,
    count_candidates,
    date_candidates,
    likely_kinds,
    near_the_event,
    nearest_actor,
    place_candidates,
    quote_around,
    same_actor,
    side_of,
)
from llm_extract.pipeline.claims import claims_in
from llm_extract.text.dates import DateMention
from llm_extract.text.fold import fold
from llm_extract.text.grounding import Document

GROUNDED_VERSION = "9"
"""Bump when questions or candidates change: cached grounded records are keyed on it."""
MAX_PLACES_ASKED = 4
NONE = "none"
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
_STATE_WORDS = ("army", "armed forces", "military", "fama", "forces", "troops", "soldiers")


class _Asker:
    """Questions sharing one prompt prefix (system + article): llama.cpp keeps the
    prefix's KV cache between calls, so each question costs only its own tokens."""

    def __init__(self, llama: Any, doc: Document) -> None:
        self.llama = llama
        self.prefix = (
            f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n"
            f"Article:\n{doc.text}\n\nQuestion: "
        )
        self.usage = Usage()  # every question is a request of its own

    def ask(self, question: str, schema: dict[str, Any], max_tokens: int = 48) -> Any:
        from llama_cpp import LlamaGrammar

        grammar = LlamaGrammar.from_json_schema(
            json.dumps(
                {"type": "object", "properties": {"answer": schema}, "required": ["answer"]}
            ),
            verbose=False,
        )
        prompt = f"{self.prefix}{question}<|im_end|>\n<|im_start|>assistant\n"
        out = self.llama.create_completion(
            prompt, max_tokens=max_tokens, temperature=0.0, grammar=grammar
        )
        used = out["usage"]
        self.usage += Usage(prompt_tokens=int(used["prompt_tokens"]),
                            completion_tokens=int(used["completion_tokens"]),
                            total_tokens=int(used["total_tokens"]), requests=1)  # fmt: skip
        try:
            return json.loads(out["choices"][0]["text"])["answer"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return None  # cut off by max_tokens: treated as no answer

    def choose(self, question: str, options: list[str]) -> str:
        answer = self.ask(question, {"type": "string", "enum": [*options, NONE]})
        return answer if isinstance(answer, str) else NONE


def _actor_type(name: str) -> int:
    return 1 if any(w in fold(name) for w in _STATE_WORDS) else 2


def extract_grounded(llama: Any, document: Document) -> tuple[ArticleExtraction, Usage]:
    """One incident (or none) whose values the model chose among the article's own."""
    places = place_candidates(document)
    if not places:
        return ArticleExtraction(incidents=[]), Usage()
    actors = actor_candidates(document)
    counts = count_candidates(document)
    dates = date_candidates(document)
    asker = _Asker(llama, document)

    kinds = likely_kinds(document)
    if len(kinds) > 1:  # the cue words leave a choice: the model settles it
        kind = asker.ask(
            "In one word, what happened?", {"type": "string", "enum": kinds}, max_tokens=24
        )
    else:
        kind = kinds[0]
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
        max_tokens=16 * MAX_PLACES_ASKED,
    )
    picked = picked if isinstance(picked, list) else names[:1]
    # A chosen list member brings its list: "The targeted areas were A, B and C".
    groups = {p.group for p in places if p.name in picked}
    chosen_places = [p for p in places if p.group in groups]

    actor_names = near_the_event(document, actors, chosen_places, counts)
    attacker = asker.choose("Who attacked?", actor_names) if actors else NONE
    target = asker.choose("Who was attacked?", actor_names) if actors else NONE

    chosen_counts: list[tuple[CountCandidate, str]] = []
    for category in CountCategory:
        taken = {id(c) for c, _ in chosen_counts}  # one figure, one fate
        options = [c for c in counts if category.value in c.categories and id(c) not in taken]
        if options:
            label = asker.choose(
                f"How many people were {category.value}?", [c.label for c in options]
            )
            chosen_counts += [(c, category.value) for c in options if c.label == label][:1]
    date_label = asker.choose("When did it happen?", [m.surface for m in dates]) if dates else NONE
    record = _assemble(
        document,
        sub_event,
        chosen_places,
        actors,
        (attacker, target),
        actor_names,
        chosen_counts,
        next((m for m in dates if m.surface == date_label), None),
        dates,
    )
    return record, asker.usage


def _assemble(
    doc: Document,
    sub_event: SubEventType,
    places: list[Place],
    actors: list[ActorMention],
    roles: tuple[str, str],
    others: list[str],
    counts: list[tuple[CountCandidate, str]],
    when: DateMention | None,
    dates: list[DateMention],
) -> ArticleExtraction:
    """Build the record in code: quotes are the article's sentences, never the model's."""
    anchor = counts[0][0].quantity if counts else None
    classification_quote = (
        quote_around(doc, anchor.start, anchor.end)
        if anchor
        else quote_around(doc, places[0].start, places[0].end)
    )
    actor_entries = []
    for role, name in zip(("attacker", "target"), roles, strict=True):
        mention = next((a for a in actors if a.name == name), None)
        if mention and all(e["name"] != name for e in actor_entries):
            actor_entries.append(
                {
                    "name": name,
                    "actor_type": _actor_type(name),
                    "role": role,
                    "quote": quote_around(doc, mention.start, mention.end),
                }
            )
    for name in others:  # the rest of the event's parties, once per alias group
        mention = next((a for a in actors if a.name == name), None)
        if (
            mention
            and len(actor_entries) < MAX_ACTORS
            and not any(same_actor(name, e["name"]) for e in actor_entries)
        ):
            actor_entries.append(
                {
                    "name": name,
                    "actor_type": _actor_type(name),
                    "role": "participant",
                    "quote": quote_around(doc, mention.start, mention.end),
                }
            )
    count_entries = []
    for candidate, category in counts:
        q = candidate.quantity
        count_entries.append(
            {
                "category": category,
                "side": side_of(q.noun),
                "victim_group": q.noun or "people",
                "surface": q.surface,
                "qualifier": q.qualifier,
                "low": q.low,
                "best": q.best,
                "high": q.high,
                "attributed_to": nearest_actor(actors, doc, q),
                "provisional": False,
                "quote": quote_around(doc, q.start, q.noun_end or q.end),
            }
        )
    shown = when or (dates[0] if dates else None)
    # A year taken from context ("July 15" in an article that names no year) is a guess:
    # keep the words, leave the calendar dates empty.
    dated = when is not None and (when.year_stated or when.relative)
    if shown is not None:
        date_entry = {
            "text": shown.surface[:120],
            "start": when.first if when and dated else None,
            "end": when.last if when and dated else None,
            "precision": min(max(shown.precision, 1), 3),
            "quote": quote_around(doc, shown.start, shown.end),
        }
    else:  # no date words at all: the classification sentence's first word stands in
        date_entry = {
            "text": classification_quote.split()[0][:120],
            "start": None,
            "end": None,
            "precision": 3,
            "quote": classification_quote,
        }
    who = roles[0] if roles[0] != NONE else "Unknown actors"
    summary = f"{who} attacked {', '.join(p.name for p in places)}"
    if roles[1] != NONE:
        summary += f", targeting {roles[1]}"
    incident = {
        "summary": (summary + ".")[:300],
        "classification": {
            "event_type": EVENT_OF_SUB_EVENT[sub_event].value,
            "sub_event_type": sub_event.value,
        },
        "classification_quote": classification_quote,
        "date": date_entry,
        "locations": [
            {
                "name": p.name,
                "admin1": None,
                "country": None,
                "precision": 1,
                "quote": quote_around(doc, p.start, p.end),
            }
            for p in places[:12]
        ],
        "is_aggregate": len(places) > 1,
        "actors": actor_entries,
        "counts": count_entries[:10],
        "claims": claims_in(doc, actors),
    }
    return ArticleExtraction.model_validate({"incidents": [incident]})
