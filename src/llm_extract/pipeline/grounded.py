"""Grounded extraction for the embedded model: one short question at a time.

Asked for the whole nested schema, a 135M model loops and invents. Here the article's
own numbers, places, actors and dates become the only answers a grammar allows, the
model picks among them one question at a time (the article is a shared prompt prefix,
so llama.cpp reuses its KV cache), and the record is assembled in code with each quote
cut from the sentence that holds the chosen value: every value is grounded by
construction, the model only chooses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from llm_extract.core.acled import EVENT_OF_SUB_EVENT, SubEventType
from llm_extract.core.records import ArticleExtraction, CountCategory
from llm_extract.text.counts import nearest_categories, victim_class
from llm_extract.text.dates import DateMention
from llm_extract.text.fold import fold, words
from llm_extract.text.grounding import Document
from llm_extract.text.names import default_aliases, find_name
from llm_extract.text.numbers import Quantity

GROUNDED_VERSION = "5"
"""Bump when questions or candidates change: cached grounded records are keyed on it."""
MAX_QUOTE = 400
MAX_PLACES_ASKED = 4
NONE = "none"
SYSTEM = "You answer questions about a news article using only the article."
_CAP = r"[A-ZÀ-Ý][\w’'\-]*"
_PLACE = rf"{_CAP}(?: (?:du|de|del|el|al) {_CAP}| {_CAP})*"
_LIST_SEP = r"(?: ?, ?(?:and )?| and )"
_PLACE_CUE = re.compile(
    r"(?<![\w’'])(?:[Ii]n|[Aa]t|[Nn]ear|[Aa]cross|[Oo]n|including|along with|regions? of"
    rf"|areas were)[^\w\n]{{1,3}}(?:the )?(?P<list>{_PLACE}(?:{_LIST_SEP}{_PLACE})*)"
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z ]{1,10}[A-Z])\)")
_NOT_PLACES = frozenset(
    re.findall(
        r"\w+",
        "the a an this that monday tuesday wednesday thursday friday saturday sunday january "
        "february march april may june july august september october november december "
        "comments images weapons official about let subscribe risk press",
    )
)
# Plain words a small model can match to the article, first the most common in this news.
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


@dataclass(frozen=True)
class Place:
    """A capitalised name after a location cue; `group` ties the members of one list."""

    name: str
    start: int
    end: int
    group: int


@dataclass(frozen=True)
class ActorMention:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class CountCandidate:
    label: str
    quantity: Quantity
    categories: frozenset[str]


# Cue words for each kind of event (ACLED's distinctions), EN and FR stems on folded text.
# A 135M model asked "what happened?" answers almost at random; the article's own words
# narrow the choice first, and the model only breaks ties.
KIND_CUES: dict[str, tuple[str, ...]] = {
    "fighting": ("clash", "fighting", "combat", "repel", "repuls", "assault", "offensive",
                 "ambush", "embuscade", "affrontement", "attacks on military", "garrison",
                 "army position", "military post", "barrack", "camp"),
    "airstrike": ("airstrike", "air strike", "drone", "aerial", "frappe aerienne"),
    "bombing": ("ied$", "ieds$", "improvised explosive", "landmine", "engin explosif"),
    "massacre": ("massacre", "civilians were killed", "villagers were killed", "tue des civils"),
    "kidnapping": ("kidnap", "abduct", "hostage", "enleve", "otage"),
    "protest": ("protest", "demonstrat", "manifest", "rally"),
    "riot": ("riot", "emeute", "looting", "pillage"),
    "arrests": ("arrest", "detained", "interpelle"),
}  # fmt: skip
# A cue starts a word; one ending in "$" is a whole word ("ied" is not in "rallied").
_KIND_PATTERNS = {
    kind: re.compile(
        "|".join(
            rf"(?<![a-z]){re.escape(c.rstrip('$'))}" + ("(?![a-z])" if c.endswith("$") else "")
            for c in sorted(cues, key=len, reverse=True)
        )
    )
    for kind, cues in KIND_CUES.items()
}


def likely_kinds(document: Document) -> list[str]:
    """The event kinds whose cue words the article uses most (all tied ones, in order)."""
    counts = {kind: len(p.findall(document.folded)) for kind, p in _KIND_PATTERNS.items()}
    best = max(counts.values())
    if best == 0:
        return ["fighting"]
    return [kind for kind, n in counts.items() if n == best]


MAX_ACTORS = 4


def _same_actor(a: str, b: str) -> bool:
    folded_a, folded_b = " ".join(words(a)), " ".join(words(b))
    return folded_a == folded_b or folded_b in default_aliases().aliases(a)


def _near_the_event(
    document: Document,
    actors: list[ActorMention],
    places: list[Place],
    counts: list[CountCandidate],
) -> list[str]:
    """Actors named in the sentences of the chosen places and counts, else all of them:
    organisations mentioned only in background paragraphs are not offered as parties."""
    spans = [document.sentence_bounds(p.start, p.end) for p in places]
    spans += [document.sentence_bounds(c.quantity.start, c.quantity.end) for c in counts]
    near = [a.name for a in actors if any(a0 <= a.start < a1 for a0, a1 in spans)]
    return list(dict.fromkeys(near)) or [a.name for a in actors]


@cache
def _alias_names(kind: str) -> tuple[tuple[str, ...], ...]:
    """The alias groups of one kind (the AliasTable forgets kinds, the JSON keeps them)."""
    data = json.loads((files("llm_extract") / "data" / "aliases.json").read_text("utf-8"))
    return tuple(tuple(g["names"]) for g in data["groups"] if g.get("kind") == kind)


def _strip_possessive(name: str) -> str:
    return re.sub(r"[’']s$", "", name)


def place_candidates(doc: Document) -> list[Place]:
    """Capitalised phrases after location cues, list members kept together, plus the
    alias table's places that the article names; actors and weekdays are left out."""
    text, found, seen = doc.text, [], set()
    actor_words = {" ".join(words(n)) for group in _alias_names("actor") for n in group}
    for group, cue in enumerate(_PLACE_CUE.finditer(text)):
        offset = cue.start("list")
        for part in re.finditer(_PLACE, cue.group("list")):
            name = _strip_possessive(part.group())
            key = " ".join(words(name))
            if not key or key.split()[0] in _NOT_PLACES or key in actor_words or key in seen:
                continue
            if len(key.split()) > 4:
                continue
            seen.add(key)
            found.append(
                Place(name, offset + part.start(), offset + part.start() + len(name), group)
            )
    extra = len(found) + 1000
    for i, group_names in enumerate(_alias_names("place")):
        if any(" ".join(words(alias)) in seen for alias in group_names):
            continue
        for alias in group_names:
            match = find_name(text, alias, doc.aliases, loose=False)
            if match and " ".join(words(match.matched)) not in seen:
                seen.add(" ".join(words(match.matched)))
                found.append(Place(match.matched, match.start, match.end, extra + i))
                break
    return found


def actor_candidates(doc: Document) -> list[ActorMention]:
    """Alias-table actors as the article writes them, plus acronyms in parentheses."""
    text, found, seen = doc.text, [], set()
    for group_names in _alias_names("actor"):
        for alias in group_names:
            if match := find_name(text, alias, doc.aliases, loose=False):
                key = " ".join(words(match.matched))
                if key not in seen:
                    seen.add(key)
                    found.append(ActorMention(match.matched, match.start, match.end))
                break
    for paren in _ACRONYM.finditer(text):
        key = " ".join(words(paren.group(1)))
        if key not in seen:
            seen.add(key)
            found.append(ActorMention(paren.group(1), paren.start(1), paren.end(1)))
    return found


def count_candidates(doc: Document) -> list[CountCandidate]:
    """Quantities of people (or of unknown things) with a fate word nearest them."""
    found: dict[tuple[int | None, str], CountCandidate] = {}
    for q in doc.quantities:
        if q.is_count_of_people is False:
            continue
        categories = frozenset(nearest_categories(doc, q))
        if not categories:
            continue
        label = " ".join(part for part in (q.surface, q.noun) if part)[:60]
        # A figure repeated (headline, then body) is offered once: the qualified
        # mention ("at least 80") over the bare one, else the later (body) one.
        key = (q.best, label) if q.best is None else (q.best, "")
        held = found.get(key)
        if held is None or held.quantity.qualifier == "exact" or q.qualifier != "exact":
            found[key] = CountCandidate(label, q, categories)
    return list(found.values())


def date_candidates(doc: Document) -> list[DateMention]:
    """Date mentions, once each; a bare year ("since 2012") is background, not a date."""
    kept: dict[str, DateMention] = {}
    for mention in doc.dates:
        if not re.fullmatch(r"\d{4}", mention.surface.strip()):
            kept.setdefault(mention.surface, mention)
    return list(kept.values())


def quote_around(doc: Document, start: int, end: int, limit: int = MAX_QUOTE) -> str:
    """The verbatim sentence holding [start, end), cut to `limit` around the value."""
    left, right = doc.sentence_bounds(start, end)
    if right - left > limit:
        middle = (start + end) // 2
        left = max(left, min(middle - limit // 2, right - limit))
        right = min(right, left + limit)
    return doc.text[left:right].strip()


class _Asker:
    """Questions sharing one prompt prefix (system + article): llama.cpp keeps the
    prefix's KV cache between calls, so each question costs only its own tokens."""

    def __init__(self, llama: Any, doc: Document) -> None:
        self.llama = llama
        self.prefix = (
            f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n"
            f"Article:\n{doc.text}\n\nQuestion: "
        )
        self.tokens = 0

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
        self.tokens += int(out["usage"]["total_tokens"])
        try:
            return json.loads(out["choices"][0]["text"])["answer"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return None  # cut off by max_tokens: treated as no answer

    def choose(self, question: str, options: list[str]) -> str:
        answer = self.ask(question, {"type": "string", "enum": [*options, NONE]})
        return answer if isinstance(answer, str) else NONE


def _actor_type(name: str) -> int:
    return 1 if any(w in fold(name) for w in _STATE_WORDS) else 2


_CLAIM_VERB = re.compile(
    r"(?<![a-z])(?:said|says|claim|announc|declar|report|stat(?:ed|es)\b|according to|told"
    r"|selon|annonce|affirm|revendiqu|indique)"
)


def _nearest_actor(actors: list[ActorMention], doc: Document, q: Quantity) -> str:
    """Who asserts the figure: the actor nearest the sentence's speech or claim verb
    ("FAMa claimed ... killing over 80"), else the actor nearest the figure."""
    left, right = doc.sentence_bounds(q.start, q.end)
    if not any(left <= a.start < right for a in actors) and left > 0:
        # "... resulted in the deaths of ten terrorists": the previous sentence says who
        left = doc.sentence_bounds(max(left - 2, 0), max(left - 2, 0))[0]
    sentence = doc.text[left:right]
    inside = [(a.start, a.name) for a in actors if left <= a.start < right]
    for group_names in _alias_names("actor"):
        for alias in group_names:
            if match := find_name(sentence, alias, doc.aliases, loose=False):
                inside.append((left + match.start, match.matched))
                break
    if not inside:
        return "the article"
    verb = _CLAIM_VERB.search(doc.folded, left, right)
    anchor = verb.start() if verb else q.start
    return min(inside, key=lambda found: abs(found[0] - anchor))[1]


def _side(noun: str | None) -> str:
    return {"armed": "side_b", "forces": "side_a", "civilians": "civilians"}.get(
        victim_class(noun or "") or "", "unknown"
    )


def extract_grounded(llama: Any, document: Document) -> tuple[ArticleExtraction, int]:
    """One incident (or none) whose values the model chose among the article's own."""
    places = place_candidates(document)
    if not places:
        return ArticleExtraction(incidents=[]), 0
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

    actor_names = _near_the_event(document, actors, chosen_places, counts)
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
    return record, asker.tokens


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
            and not any(_same_actor(name, e["name"]) for e in actor_entries)
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
                "side": _side(q.noun),
                "victim_group": q.noun or "people",
                "surface": q.surface,
                "qualifier": q.qualifier,
                "low": q.low,
                "best": q.best,
                "high": q.high,
                "attributed_to": _nearest_actor(actors, doc, q),
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
        "claims": [],
    }
    return ArticleExtraction.model_validate({"incidents": [incident]})
