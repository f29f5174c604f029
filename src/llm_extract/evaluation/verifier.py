"""Scoring the verifier on a labelled set, through the verifier production uses.

Two formats: the seed set (tests/verification/labels.jsonl: items keyed by `seed`) and
the real-article set (tests/verification/real/*.jsonl: keyed by `article`, each value
written as an extractor returns it, with its quote and role). Every item becomes a value
of an incident record (ArticleExtraction) and the record goes through
`extraction.verify.verify_record` (passed in as `verify`: the layers keep evaluation/
from importing extraction/), the function `llm_extract.verify` and the extractor call;
the item is flagged when its entry would be removed under policy "drop", i.e.
when any of its parts (name, region, quote, figure) is unsupported. For the real set the
record also holds the same incident's true places, actors and date (the context a
careful extractor gives), so checks that read the incident (one actor on both sides)
see it; only the item's own verdicts are scored.

The positive class is "the value is false"; precision: flagged values that are false;
recall: false values flagged. Tallies are per kind, per reason code and overall ("all").
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from llm_extract.core.records import ArticleExtraction
from llm_extract.core.verification import Verdict, VerificationReport
from llm_extract.text.grounding import Document

VerifyRecord = Callable[[ArticleExtraction, Document], tuple[ArticleExtraction, VerificationReport]]
"""`extraction.verify.verify_record`: passed in, since evaluation/ sits beside
extraction/ in the layers and may not import it."""


@dataclass
class Tally:
    tp: int = 0  # false value, flagged
    fp: int = 0  # true value, flagged
    fn: int = 0  # false value, not flagged
    tn: int = 0  # true value, not flagged
    misses: list[str] = field(default_factory=list)

    def add(self, is_false: bool, flagged: bool, item_id: str, why: str = "") -> None:
        if is_false and flagged:
            self.tp += 1
        elif flagged:
            self.fp += 1
            self.misses.append(f"{item_id}: true value flagged {why}".rstrip())
        elif is_false:
            self.fn += 1
            self.misses.append(f"{item_id}: false value not flagged")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


_FILLER_PLACE = {"name": "(context)", "admin1": None, "country": None, "precision": 3,
                 "quote": "(context)"}  # fmt: skip
_FATE_WORDS = (
    ("injured", r"injur|wound|bless"),
    ("abducted", r"abduct|kidnap|enlev"),
    ("captured", r"captur|arrest"),
    ("missing", r"missing|disparu"),
)


def _quote_of(item: dict[str, Any]) -> str:
    """The item's quote. A seed item has none, only the `surface` its value was read
    from; a place or actor is then quoted by the name as that surface writes it (a date
    by its date words): the item states a value, not the clause around it, so no role
    is read from its context."""
    value = item["value"]
    if value.get("quote"):
        return str(value["quote"])
    surface, name = item.get("surface"), value.get("name")
    if surface and name:
        from llm_extract.text.names import find_name

        found = find_name(surface, name)
        return surface[found.start : found.end] if found else surface
    return surface or name or "(none)"


def _place(item: dict[str, Any]) -> dict[str, Any]:
    v = item["value"]
    return {"name": v["name"], "admin1": v.get("admin1"), "country": v.get("country"),
            "precision": v.get("precision") or 2, "quote": _quote_of(item)}  # fmt: skip


def _actor(item: dict[str, Any]) -> dict[str, Any]:
    v = item["value"]
    return {"name": v["name"], "actor_type": v.get("actor_type") or 8,
            "role": v.get("role") or "other", "quote": _quote_of(item)}  # fmt: skip


def _count(item: dict[str, Any]) -> dict[str, Any]:
    v = item["value"]
    return {"category": v["category"], "side": v.get("side") or "unknown",
            "victim_group": v.get("victim_group") or "people", "surface": v["surface"],
            "qualifier": v["qualifier"], "low": v.get("low"), "best": v.get("best"),
            "high": v.get("high"), "attributed_to": v.get("attributed_to") or "the article",
            "provisional": False, "quote": _quote_of(item)}  # fmt: skip


def _date(item: dict[str, Any]) -> dict[str, Any]:
    v = item["value"]
    quote = _quote_of(item)
    if not v.get("quote") and item.get("surface"):  # a seed item: its date words alone
        from llm_extract.text.dates import find_dates

        anchor = item.get("publication_date")
        said = find_dates(quote, date.fromisoformat(anchor) if anchor else None)
        quote = quote[said[0].start : said[-1].end] if said else quote
    return {"text": v.get("text") or "?", "start": v.get("start"), "end": v.get("end"),
            "precision": v.get("precision") or 1, "quote": quote}  # fmt: skip


_STATEMENT_WORDS = 4
"""A value of this many words or more is a statement, not a name or a figure."""
_FATE_IN_VALUE = re.compile(r"\b(?:killed|dead|died|deaths?|tues?|tuees?|morts?|injured|wounded"
                            r"|blesses?|abducted|kidnapped|enleves?|captured|arrested|missing"
                            r"|disparus?)\b")  # fmt: skip


def _quote_value(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A quote offered as evidence for a value. A figure with its fate ("20 killed",
    "six morts") is a count, checked as one; a statement ("al-Shabaab claimed the
    attack") is a claim, whose quote must say it; anything else ("Soumpi", "80") is what
    the quote must mention, the check every quote of a record gets (here as the date's
    quote, whose date words are the value and give no calendar date)."""
    from llm_extract.text.figures.numbers import parse_quantity
    from llm_extract.text.fold import fold, words

    quote, value = item["value"]["quote"], item["value"].get("value") or ""
    found = parse_quantity(value)
    fate = _FATE_IN_VALUE.search(fold(value), found.end if found else 0)
    if found is not None and found.best is not None and fate:
        # the figure's own fate: the first after it ("nine dead, 11 wounded" is nine killed)
        category = next((c for c, p in _FATE_WORDS if re.match(p, fate.group())), "killed")
        rest = fold(value)[found.end :].split()
        group = next((w for w in rest if not _FATE_IN_VALUE.fullmatch(w)), "people")
        count = {"category": category, "side": "unknown", "victim_group": group,
                 "surface": found.surface, "qualifier": found.qualifier, "low": found.low,
                 "best": found.best, "high": found.high, "attributed_to": "the article",
                 "provisional": False, "quote": quote}  # fmt: skip
        return "counts", count
    if len(words(value)) >= _STATEMENT_WORDS:  # "al-Shabaab claimed the attack": a claim
        return "claims", {"claimant": "the article", "statement": value[:240], "quote": quote}
    return "date", {"text": (value or "?")[:120], "start": None, "end": None, "precision": 3,
                    "quote": quote}  # fmt: skip


def value_record(
    item: dict[str, Any], context: list[dict[str, Any]]
) -> tuple[ArticleExtraction, str]:
    """The record holding the item's value (and its incident's true values), and the
    path of the item's entry in it."""
    places = [_place(c) for c in context if c["kind"] == "place"][:11]
    actors = [_actor(c) for c in context if c["kind"] == "actor"][:5]
    dates = [_date(c) for c in context if c["kind"] == "date"]
    counts: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    kind = item["kind"]
    quote = _quote_of(item)
    if kind == "place":
        places.append(_place(item))
        path = f"incidents[0].locations[{len(places) - 1}]"
    elif kind == "actor":
        actors.append(_actor(item))
        path = f"incidents[0].actors[{len(actors) - 1}]"
    elif kind == "number":
        counts.append(_count(item))
        path = "incidents[0].counts[0]"
    elif kind == "date":
        dates = [_date(item)]
        path = "incidents[0].date"
    else:
        where, entry = _quote_value(item)
        if where == "counts":
            counts.append(entry)
            path = "incidents[0].counts[0]"
        elif where == "claims":
            claims.append(entry)
            path = "incidents[0].claims[0]"
        else:
            dates = [entry]
            path = "incidents[0].date"
    incident = {
        "summary": item.get("incident") or "labelled value",
        "classification": {"event_type": "Battles", "sub_event_type": "Armed clash"},
        "classification_quote": quote,
        "date": dates[0] if dates else {"text": "unknown", "start": None, "end": None,
                                        "precision": 3, "quote": quote},
        "locations": places or [_FILLER_PLACE],
        "is_aggregate": len(places) > 1,
        "actors": actors,
        "counts": counts,
        "claims": claims,
    }  # fmt: skip
    return ArticleExtraction.model_validate({"incidents": [incident]}), path


def item_verdicts(
    doc: Document, item: dict[str, Any], context: list[dict[str, Any]], verify: VerifyRecord
) -> list[Verdict]:
    record, path = value_record(item, context)
    _, report = verify(record, doc)
    owned = [v for v in report.verdicts if v.path == path or v.path.startswith(path + ".")]
    if path.endswith(".date"):  # the date entry and its quote
        owned = [v for v in report.verdicts if v.path.startswith(path)]
    if item["kind"] == "number":  # who gives it is part of the figure, checked there
        owned = [v for v in owned if not v.path.endswith(".attributed_to")]
    return owned


def flagged_by(verdicts: list[Verdict]) -> Verdict | None:
    return next((v for v in verdicts if v.verdict == "unsupported"), None)


@functools.cache
def _corpus_dates(folder: Path) -> dict[str, str]:
    listing = folder / "articles.jsonl"
    if not listing.is_file():
        return {}
    rows = [json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines()]
    return {r["id"]: str(r["published"])[:10] for r in rows if r.get("published")}


def _published(root: Path, article: str | None) -> str | None:
    """A corpus article's publication date from its split's articles.jsonl: the date a
    user gives with --published, so relative dates resolve as they would for them."""
    if not article or "/" not in article:
        return None
    split, name = article.rsplit("/", 1)
    return _corpus_dates(root / split).get(name)


def score(items: list[dict[str, Any]], root: Path, verify: VerifyRecord) -> dict[str, Tally]:
    """Tallies per kind, per reason code ("code:<code>") and overall ("all"), preparing
    each article once. `root` holds `<seed>.txt` (seed set) or `<article>.txt` (real)."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    documents: dict[tuple[str, str | None], Document] = {}
    by_incident: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item.get("label") and "article" in item:
            by_incident[(item["article"], item.get("incident") or "")].append(item)
    for item in items:
        source = item.get("article") or item["seed"]
        anchor = item.get("publication_date") or _published(root, item.get("article"))
        key = (source, anchor)
        if key not in documents:
            text = (root / f"{source}.txt").read_text(encoding="utf-8")
            documents[key] = Document.from_text(
                text, date.fromisoformat(anchor) if anchor else None
            )
        context = [
            c for c in by_incident.get((source, item.get("incident") or ""), []) if c is not item
        ]
        hit = flagged_by(item_verdicts(documents[key], item, context, verify))
        why = f"({hit.path.split('.')[-1]}: {hit.code}: {hit.reason})" if hit else ""
        buckets = [item["kind"], "all"]
        if not item["label"] and item.get("reason"):
            buckets.append(f"code:{item['reason']}")
        for bucket in buckets:
            tallies[bucket].add(not item["label"], hit is not None, item["id"], why)
    return dict(tallies)
