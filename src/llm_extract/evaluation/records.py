"""Scoring predicted records against gold records: precision, recall and F1 per field.

A single F1 hides what a model gets wrong, so facts are scored per field group, and
pairing is strict enough that a right number in the wrong incident does not count.

Matching rule
-------------
1. Articles. The gold ids are the evaluation set. A gold id with no prediction is scored
   as an empty prediction and listed in `missing_predictions`; a predicted id with no
   gold is listed in `missing_gold` and not scored. A prediction line with
   "status": "error" is an empty prediction. The last line for an id wins.
2. Names (locations, actors, attributions, claimants) are equivalent when their folded
   words (case, diacritics, apostrophes, hyphens) are equal once filler words ("the",
   "of", "du", "region", "town", ...) are set aside; or one is in the other's alias
   group; or both name one state force (text.forces: "soldats maliens", "Mali's army"
   and, by its alias group, "FAMa"; "the army" and "soldiers"; a force named without
   its country is the force of the gold incident's country (its first place's), so "the
   army" is "the Burkinabe army" in Burkina Faso and not in Mali); or `find_name` finds
   one inside the other (alias, acronym, or a spelling variant with ratio >= 85,
   text.names.NAME_FUZZY_MIN) and the match leaves only filler words and a party's
   generic nouns over ("Wagner mercenaries" and "Wagner", "rebelles du M23" and "M23").
   A name written with its acronym, "New People's Army (NPA)", is equivalent to what
   either of its two forms is equivalent to.
3. Incidents are paired within an article. A gold and a predicted incident may pair
   only if they share a location, or share an actor and their [start, end] dates
   overlap. Their similarity is 0.3 locations + 0.2 actors + 0.2 dates + 0.2 event
   type + 0.1 sub-event type, where locations and actors are the names matched one to
   one divided by the longer list, dates is 1 when the ranges overlap, and the types
   are 1 when equal. Pairs are taken greedily, highest similarity first, ties broken
   by the incidents' canonical JSON (so list order never matters); each incident pairs
   at most once. Facts of unpaired gold incidents are false negatives, facts of
   unpaired predicted incidents false positives.
4. Facts of a pair are matched one to one (maximum matching) within each group:
   event_type, sub_event_type: the incident's value, equal;
   date: (start, end), end defaulting to start, when either is known, equal;
   locations, actors: each distinct name, equivalent by rule 2;
   killed, injured, abducted, captured, missing: each count of that category, matched
   when best and qualifier are equal and attributed_to is equivalent; the looser
   `figure_only` score matches on best alone, `figure_and_side` (all categories
   together) on category, best and side (UCDP's side of those counted);
   claims: claimants equivalent and statement overlap >= 0.5 (shared content words
   divided by the content words of the longer statement).
5. P = tp / (tp + fp), R = tp / (tp + fn), F1 their harmonic mean, 0 when a denominator
   is 0, None for a group without facts on either side. `overall` is micro-averaged
   over the strict groups (not figure_only); an article's F1 likewise over its facts,
   1.0 when neither side has any.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, Field, computed_field

from llm_extract.core.records import (
    COUNT_CATEGORIES,
    ArticleExtraction,
    CasualtyCount,
    Claim,
    CountCategory,
    Incident,
)
from llm_extract.evaluation.names import FILLER, NameMatcher, distinct_names
from llm_extract.text.fold import words
from llm_extract.text.names import AliasTable, default_aliases
from llm_extract.text.world import country_code

COUNT_GROUPS = COUNT_CATEGORIES
GROUPS = ("event_type", "sub_event_type", "date", "locations", "actors", *COUNT_GROUPS, "claims")
WEIGHTS = {"locations": 0.3, "actors": 0.2, "date": 0.2, "event_type": 0.2, "sub_event_type": 0.1}
CLAIM_OVERLAP_MIN = 0.5
STOPWORDS = FILLER | {"and", "et", "in", "on", "at", "to", "by", "for", "with", "from",
                      "was", "were", "is", "are", "has", "have", "had", "its", "their",
                      "en", "au", "aux", "dans", "par", "pour", "sur", "un", "une"}  # fmt: skip
EMPTY = ArticleExtraction(incidents=[])

T = TypeVar("T")
U = TypeVar("U")


class Score(BaseModel):
    """Fact counts of one group, with the figures derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return None if self.empty else _ratio(self.tp, self.tp + self.fp)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return None if self.empty else _ratio(self.tp, self.tp + self.fn)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        if self.empty:
            return None
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


class EvaluationReport(BaseModel):
    groups: dict[str, Score] = Field(description="Strict score per field group, in GROUPS order.")
    figure_only: dict[str, Score] = Field(description="Counts matched on the best value alone.")
    figure_and_side: Score = Field(
        default_factory=Score,
        description="Counts of every category matched on category, best value and side.",
    )
    overall: Score = Field(description="Micro-average over every strict group.")
    incidents: Score = Field(description="tp: paired; fn: gold unpaired; fp: predicted unpaired.")
    per_article: dict[str, float] = Field(description="Overall F1 of each scored article.")
    missing_predictions: list[str] = Field(description="Gold ids without a prediction.")
    missing_gold: list[str] = Field(description="Predicted ids without gold (not scored).")


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def max_matching(left: Sequence[T], right: Sequence[U], same: Callable[[T, U], bool]) -> int:
    """Size of a maximum one-to-one matching (augmenting paths): unlike a greedy pass,
    it does not depend on the order of either list."""
    edges = [[j for j, item in enumerate(right) if same(a, item)] for a in left]
    owner: list[int | None] = [None] * len(right)

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                current = owner[j]
                if current is None or augment(current, seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(left)))


def _content_words(text: str) -> set[str]:
    tokens = set(words(text))
    return (tokens - STOPWORDS) or tokens


def _span(incident: Incident) -> tuple[date, date] | None:
    start, end = incident.date.start, incident.date.end
    first, last = start or end, end or start
    return (first, last) if first and last else None


def _dates_overlap(a: Incident, b: Incident) -> bool:
    span_a, span_b = _span(a), _span(b)
    return bool(span_a and span_b and span_a[0] <= span_b[1] and span_b[0] <= span_a[1])


def _canonical(value: Any) -> Any:
    """The same incident with every list sorted: a tie-break that ignores list order."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _incident_key(incident: Incident) -> str:
    return json.dumps(_canonical(incident.model_dump(mode="json")), sort_keys=True)


def _facts(incident: Incident | None) -> dict[str, list[Any]]:
    if incident is None:
        return {group: [] for group in GROUPS}
    start, end = incident.date.start, incident.date.end
    facts: dict[str, list[Any]] = {
        "event_type": [incident.classification.event_type],
        "sub_event_type": [incident.classification.sub_event_type],
        "date": [(start, end or start)] if start or end else [],
        "locations": distinct_names(loc.name for loc in incident.locations),
        "actors": distinct_names(actor.name for actor in incident.actors),
        "claims": list(incident.claims),
    }
    for category in CountCategory:
        facts[category.value] = [c for c in incident.counts if c.category == category]
    return facts


class _Tally:
    """Scores of one article, merged into the report's totals afterwards."""

    def __init__(self) -> None:
        self.groups = {group: Score() for group in GROUPS}
        self.figures = {group: Score() for group in COUNT_GROUPS}
        self.sided = Score()
        self.incidents = Score()

    def overall(self) -> Score:
        total = Score()
        for score in self.groups.values():
            total.add(score)
        return total


class Scorer:
    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.names = NameMatcher(aliases or default_aliases())

    def similarity(self, gold: Incident, pred: Incident) -> float | None:
        """Rule 3's similarity, or None when the two may not be paired."""
        same = self.names.within(_country(gold))
        locations = self._overlap(
            [x.name for x in gold.locations], [x.name for x in pred.locations], same
        )
        actors = self._overlap([x.name for x in gold.actors], [x.name for x in pred.actors], same)
        dates = _dates_overlap(gold, pred)
        # Shared actors pair incidents whose dates overlap, or when a side has no date
        # (the article gave none): dates cannot then tell two incidents apart.
        undated = _span(gold) is None or _span(pred) is None
        if not (locations > 0 or (actors > 0 and (dates or undated))):
            return None
        g, p = gold.classification, pred.classification
        parts = {
            "locations": locations,
            "actors": actors,
            "date": float(dates),
            "event_type": float(g.event_type == p.event_type),
            "sub_event_type": float(g.sub_event_type == p.sub_event_type),
        }
        return sum(WEIGHTS[name] * value for name, value in parts.items())

    @staticmethod
    def _overlap(gold: list[str], pred: list[str], same: Callable[[str, str], bool]) -> float:
        gold, pred = distinct_names(gold), distinct_names(pred)
        if not gold or not pred:
            return 0.0
        return max_matching(gold, pred, same) / max(len(gold), len(pred))

    def pair(
        self, gold: Sequence[Incident], pred: Sequence[Incident]
    ) -> Iterator[tuple[Incident | None, Incident | None]]:
        """Paired incidents, then unpaired gold (None, ...) and unpaired predictions."""
        gold_keys, pred_keys = [_incident_key(i) for i in gold], [_incident_key(i) for i in pred]
        candidates = []
        for i, g in enumerate(gold):
            for j, p in enumerate(pred):
                if (sim := self.similarity(g, p)) is not None:
                    candidates.append((-sim, gold_keys[i], pred_keys[j], i, j))
        used_gold: set[int] = set()
        used_pred: set[int] = set()
        for _, _, _, i, j in sorted(candidates):
            if i not in used_gold and j not in used_pred:
                used_gold.add(i)
                used_pred.add(j)
                yield gold[i], pred[j]
        yield from ((g, None) for i, g in enumerate(gold) if i not in used_gold)
        yield from ((None, p) for j, p in enumerate(pred) if j not in used_pred)

    def article(self, gold: ArticleExtraction, pred: ArticleExtraction) -> _Tally:
        tally = _Tally()
        for g, p in self.pair(gold.incidents, pred.incidents):
            tally.incidents.add(Score(tp=int(bool(g and p)), fn=int(p is None), fp=int(g is None)))
            gold_facts, pred_facts = _facts(g), _facts(p)
            same = self.names.within(_country(g or p))
            for group in GROUPS:
                tally.groups[group].add(
                    _match(gold_facts[group], pred_facts[group], self._rule(group, same))
                )
            for group in COUNT_GROUPS:
                tally.figures[group].add(_match(gold_facts[group], pred_facts[group], _same_figure))
                tally.sided.add(_match(gold_facts[group], pred_facts[group], _same_side))
        return tally

    @staticmethod
    def _rule(group: str, same: Callable[[str, str], bool]) -> Callable[[Any, Any], bool]:
        if group in ("locations", "actors"):
            return same
        if group in COUNT_GROUPS:
            return functools.partial(_same_count, same=same)
        if group == "claims":
            return functools.partial(_same_claim, same=same)
        return operator.eq


def _same_count(gold: CasualtyCount, pred: CasualtyCount, same: Callable[[str, str], bool]) -> bool:
    return (
        gold.best == pred.best
        and gold.qualifier == pred.qualifier
        and same(gold.attributed_to, pred.attributed_to)
    )


def _same_claim(gold: Claim, pred: Claim, same: Callable[[str, str], bool]) -> bool:
    if not same(gold.claimant, pred.claimant):
        return False
    a, b = _content_words(gold.statement), _content_words(pred.statement)
    longer = max(len(a), len(b))
    return bool(longer) and len(a & b) / longer >= CLAIM_OVERLAP_MIN


def _country(incident: Incident | None) -> str | None:
    """The ISO code of the first of the incident's places whose country is known."""
    for location in incident.locations if incident else ():
        if location.country and (code := country_code(location.country)):
            return code
    return None


def _same_figure(gold: CasualtyCount, pred: CasualtyCount) -> bool:
    return gold.best == pred.best


def _same_side(gold: CasualtyCount, pred: CasualtyCount) -> bool:
    return gold.best == pred.best and gold.side == pred.side


def _match(gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]) -> Score:
    tp = max_matching(gold, pred, same)
    return Score(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def evaluate(
    gold: Mapping[str, ArticleExtraction],
    predicted: Mapping[str, ArticleExtraction],
    *,
    aliases: AliasTable | None = None,
) -> EvaluationReport:
    """Score `predicted` against `gold` by the matching rule in this module's docstring."""
    scorer = Scorer(aliases)
    total = _Tally()
    per_article: dict[str, float] = {}
    for article_id in sorted(gold):
        tally = scorer.article(gold[article_id], predicted.get(article_id, EMPTY))
        for group in GROUPS:
            total.groups[group].add(tally.groups[group])
        for group in COUNT_GROUPS:
            total.figures[group].add(tally.figures[group])
        total.sided.add(tally.sided)
        total.incidents.add(tally.incidents)
        overall = tally.overall()
        per_article[article_id] = 1.0 if overall.f1 is None else overall.f1
    return EvaluationReport(
        groups=total.groups,
        figure_only=total.figures,
        figure_and_side=total.sided,
        overall=total.overall(),
        incidents=total.incidents,
        per_article=per_article,
        missing_predictions=sorted(set(gold) - set(predicted)),
        missing_gold=sorted(set(predicted) - set(gold)),
    )
