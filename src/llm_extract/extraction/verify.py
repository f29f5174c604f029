"""The verifier: every number, name, date and quote of a record checked against the
article, then the caller's policy applied (flag, drop, or re-ask the model)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from llm_extract.core.records import ArticleExtraction, Incident
from llm_extract.core.verification import (
    Policy,
    ValueKind,
    Verdict,
    VerificationReport,
    summarize,
)
from llm_extract.extraction.place_checks import (
    NamesIn,
    actor_elsewhere,
    country_of_places,
    elsewhere,
    gazetteer_admin1,
    gazetteer_country,
    named_places,
    place_elsewhere,
    region_elsewhere,
)
from llm_extract.roles.checks import (
    UNATTRIBUTED,
    check_actor,
    check_count,
    check_date_role,
    check_place,
    check_region,
    same_actor,
)
from llm_extract.roles.clauses import quote_span
from llm_extract.roles.figures.claimant_check import party_name
from llm_extract.roles.statements import check_statement
from llm_extract.text.grounding import Check, Document, check_date, check_name, check_quote
from llm_extract.text.names import AliasTable

VERIFIER_VERSION = "43"
"""Bump when a change to grounding could change a verdict: cached reports are keyed on it."""
INSTRUCTION_TEXT = "instruction text"
"""How a reason starts when the value stands only in text addressed to the model."""


@dataclass(frozen=True)
class _Item:
    """One checked value; `owner` is the list element it belongs to, for 'drop'."""

    verdict: Verdict
    owner: str | None


def _code(check: Check) -> str:
    if check.code is not None:
        return check.code
    return {"supported": "ok", "unverifiable": "unverifiable"}.get(check.verdict, "absent")


def _verdict(path: str, kind: ValueKind, value: str, check: Check, doc: Document) -> Verdict:
    return Verdict(
        path=path,
        kind=kind,
        value=value,
        verdict=check.verdict,
        reason=check.reason,
        code=_code(check),  # type: ignore[arg-type]
        span=doc.span(check.start, check.end),
        alignment=check.alignment,
        score=check.score,
    )


def _incident_items(
    doc: Document, incident: Incident, base: str, named: NamesIn
) -> Iterator[_Item]:
    def item(path: str, kind: ValueKind, value: str, check: Check, owner: str | None) -> _Item:
        return _Item(_verdict(path, kind, value, check, doc), owner)

    quote = f"{base}.classification_quote"
    yield item(
        quote,
        "quote",
        incident.classification_quote,
        check_quote(doc, incident.classification_quote),
        None,
    )
    d = incident.date
    shown = f"{d.start or '?'}..{d.end or '?'} ({d.text})"
    anchors = tuple(
        span
        for quote_text in [loc.quote for loc in incident.locations]
        + [c.quote for c in incident.counts]
        if (span := quote_span(doc, quote_text))
    )
    date_check = check_date_role(
        doc, check_date(doc, d.start, d.end, d.text), d.quote, (d.start, d.end), d.text,
        d.precision, anchors,
    )  # fmt: skip
    # the date's own sentence, not the earlier one "le même jour" points back to
    date_check = elsewhere(doc, incident, d.text, date_check, named, quote_span(doc, d.quote))
    yield item(f"{base}.date", "date", shown, date_check, None)
    yield item(
        f"{base}.date.quote", "quote", d.quote, _date_quote(doc, d.quote, d.text, date_check), None
    )
    for j, loc in enumerate(incident.locations):
        path = f"{base}.locations[{j}]"
        place = check_place(doc, loc.name, loc.precision, loc.quote, (d.start, d.end))
        place = place_elsewhere(doc, incident, j, place)
        yield item(f"{path}.name", "place", loc.name, place, path)
        for field_name, region in (("admin1", loc.admin1), ("country", loc.country)):
            if region:  # part of the place: an unsupported region takes it down in 'drop'
                check = check_region(doc, loc.name, region, loc.quote, field_name)
                if field_name == "country":
                    if check.verdict == "supported":
                        check = gazetteer_country(loc.name, region) or check
                    check = country_of_places(doc, loc.name, region, check, named)
                elif check.verdict == "supported":
                    check = gazetteer_admin1(loc.name, region, loc.country) or check
                    check = region_elsewhere(doc, loc.name, region, check, named)
                yield item(f"{path}.{field_name}", "place", region, check, path)
        yield item(f"{path}.quote", "quote", loc.quote, check_quote(doc, loc.quote, loc.name), path)
    for j, actor in enumerate(incident.actors):
        path = f"{base}.actors[{j}]"
        check = check_actor(doc, actor.name, actor.role, actor.quote)
        if check.verdict == "supported" and _on_both_sides(incident, j):
            check = Check(
                "unsupported",
                f"{actor.name!r} is on both sides of this incident (attacker and target)",
                check.start,
                check.end,
                code="wrong_role",
            )
        check = actor_elsewhere(doc, incident, actor.name, check, named)
        yield item(f"{path}.name", "actor", actor.name, check, path)
        yield item(
            f"{path}.quote", "quote", actor.quote, check_quote(doc, actor.quote, actor.name), path
        )
    for j, count in enumerate(incident.counts):
        path = f"{base}.counts[{j}]"
        check = check_count(
            doc,
            category=count.category.value,
            victim_group=count.victim_group,
            surface=count.surface,
            qualifier=count.qualifier.value,
            low=count.low,
            best=count.best,
            high=count.high,
            side=count.side,
            attributed_to=party_name(count.attributed_to),
            quote=count.quote,
            when=(d.start, d.end),
        )
        check = elsewhere(doc, incident, count.surface, check, named)
        shown = f"{count.surface} {count.victim_group} {count.category.value}"
        yield item(path, "number", shown, check, path)
        yield item(
            f"{path}.quote",
            "quote",
            count.quote,
            check_quote(doc, count.quote, count.surface),
            path,
        )
        if count.attributed_to.strip().lower() not in UNATTRIBUTED:
            yield item(
                f"{path}.attributed_to",
                "actor",
                count.attributed_to,
                check_name(doc, party_name(count.attributed_to)),
                None,
            )
    for j, claim in enumerate(incident.claims):
        path = f"{base}.claims[{j}]"
        if claim.claimant.strip().lower() not in UNATTRIBUTED:  # "the article" is no name
            yield item(
                f"{path}.claimant",
                "actor",
                claim.claimant,
                check_name(doc, party_name(claim.claimant)),
                path,
            )
        yield item(f"{path}.quote", "quote", claim.quote, check_quote(doc, claim.quote), path)
        said = check_statement(doc, claim.statement, claim.quote)
        yield item(f"{path}.statement", "quote", claim.statement, said, path)


_LEADING_PREPOSITIONS = re.compile(
    r"^(?:(?:as of|as at|on|in|at|between|from|since|until|by|during|early|late|le|la|les|en"
    r"|au|du|des|entre|depuis|dans|vers|pendant|courant)\s+)+",
    re.IGNORECASE,
)


def _date_quote(doc: Document, quote: str, text: str, found: Check) -> Check:
    """A date's quote mentions the date when it holds the mention that gives its days
    ("July 15 and 19" for "between July 15 and 19"), or the record's date words."""
    check = check_quote(doc, quote, text)
    if check.code != "mismatch" or check.alignment == "fuzzy":
        return check
    bare = _LEADING_PREPOSITIONS.sub("", text)
    if bare != text and check_quote(doc, quote, bare).verdict == "supported":
        return check_quote(doc, quote, bare)  # "2 July" for "as of 2 July"
    if found.verdict != "supported" or found.start is None or found.end is None:
        return check
    inside = check.start is not None and check.end is not None
    if inside and check.start <= found.start and found.end <= check.end:  # type: ignore[operator]
        said = doc.text[found.start : found.end]
        return Check("supported", f"found verbatim; it gives the date as {said!r}",
                     check.start, check.end, check.alignment, check.score)  # fmt: skip
    return check


def _on_both_sides(incident: Incident, j: int) -> bool:
    """One actor given as attacker and as target of the same incident."""
    actor = incident.actors[j]
    sides = {a.role for a in incident.actors if same_actor(a.name, actor.name)}
    return {"attacker", "target"} <= sides


def verify_record(
    record: ArticleExtraction, doc: Document, policy: Policy = "flag"
) -> tuple[ArticleExtraction, VerificationReport]:
    """Check every value; with policy 'drop', also return the record without the
    list entries (places, actors, counts, claims) that hold an unsupported value."""
    items = _items(record, doc)
    if doc.instructions:
        items = _mark_instruction_text(items, _items(record, doc.instruction_view()))
    verdicts = [item.verdict for item in items]
    removed: list[str] = []
    if policy == "drop":
        doomed = {i.owner for i in items if i.owner and i.verdict.verdict == "unsupported"}
        record, removed = _drop(record, doomed, verdicts)
    report = VerificationReport(
        policy=policy,
        verdicts=verdicts,
        summary=summarize(verdicts),
        removed=removed,
        injection_suspected=bool(doc.instructions),
        instruction_spans=[span for a, b in doc.instructions if (span := doc.span(a, b))],
    )
    return record, report


def _items(record: ArticleExtraction, doc: Document) -> list[_Item]:
    named = named_places(doc)
    return [
        item
        for i, incident in enumerate(record.incidents)
        for item in _incident_items(doc, incident, f"incidents[{i}]", named)
    ]


def _mark_instruction_text(items: list[_Item], injected: list[_Item]) -> list[_Item]:
    """An unsupported value that only the article's text addressed to the model gives
    says so: the reader learns it was planted, not merely missed."""
    marked = []
    for item, there in zip(items, injected, strict=True):
        if item.verdict.verdict == "unsupported" and there.verdict.verdict == "supported":
            reason = (
                f"{INSTRUCTION_TEXT}: given only by text addressed to the model "
                f"({there.verdict.reason}), which is never support"
            )
            update = {"reason": reason, "span": there.verdict.span, "code": "instruction_text"}
            verdict = item.verdict.model_copy(update=update)
            item = _Item(verdict, item.owner)
        marked.append(item)
    return marked


def _drop(
    record: ArticleExtraction, doomed: set[str], verdicts: list[Verdict]
) -> tuple[ArticleExtraction, list[str]]:
    removed: list[str] = []
    incidents = []
    for i, incident in enumerate(record.incidents):
        base = f"incidents[{i}]"
        kept = {}
        for name in ("locations", "actors", "counts", "claims"):
            entries = getattr(incident, name)
            paths = [f"{base}.{name}[{j}]" for j in range(len(entries))]
            removed += [p for p in paths if p in doomed]
            kept[name] = [e for e, p in zip(entries, paths, strict=True) if p not in doomed]
        date_value = incident.date
        if any(v.path == f"{base}.date" and v.verdict == "unsupported" for v in verdicts):
            date_value = date_value.model_copy(update={"start": None, "end": None})
            removed.append(f"{base}.date.start/end")
        if not kept["locations"]:  # an incident must happen somewhere the article names
            removed.append(base)
            continue
        incidents.append(incident.model_copy(update={**kept, "date": date_value}))
    return ArticleExtraction(incidents=incidents), removed


def verify(
    record: ArticleExtraction | dict[str, object],
    text: str,
    *,
    published: date | None = None,
    policy: Policy = "flag",
    aliases: AliasTable | None = None,
) -> tuple[ArticleExtraction, VerificationReport]:
    """Verify a record against the text it came from (the text as the user gave it)."""
    parsed = (
        record
        if isinstance(record, ArticleExtraction)
        else ArticleExtraction.model_validate(record)
    )
    return verify_record(parsed, Document.from_text(text, published, aliases), policy)


def findings_for_model(report: VerificationReport, limit: int = 12) -> str:
    """The unsupported values as a message the model can act on (policy 'reask')."""
    lines = [f"- {v.path} = {v.value!r}: {v.reason}" for v in report.unsupported()[:limit]]
    return (
        "A check against the article found these values unsupported:\n"
        + "\n".join(lines)
        + "\nReturn the corrected record. Use only values the article states, with quotes "
        "copied verbatim; remove entries the article does not support."
    )
