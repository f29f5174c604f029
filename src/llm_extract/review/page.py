"""The HTML review page of a batch: each article's text with every verified value
highlighted where the verifier found it, and per incident a table of the values.

One self-contained file a reviewer can open from disk or mail around: inline CSS and JS
only, every string from an article or a model escaped, and a Content-Security-Policy
that allows nothing but the page's own inline style and script (by hash), so even a
slip in escaping could neither run injected code nor load anything from the network.
The page needs no JSON island: the script reads data-* attributes only.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib.resources import files

from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError
from llm_extract.core.places import GeocodedPlace
from llm_extract.core.records import Incident
from llm_extract.core.results import ExtractionResult, ItemError, Outcome
from llm_extract.core.verification import Verdict
from llm_extract.review.articles import ArticleText

LABELS = ("unsupported", "unverifiable", "supported")  # worst first: a shared mark shows it
_INDEX = re.compile(r"\[(\d+)\]")
# What the verifier writes: incidents[i] then fields and list entries; a few digits an
# index, since no record holds more entries than its schema allows.
_PATH = re.compile(r"incidents\[\d{1,4}\](?:\.[a-z_0-9]+(?:\[\d{1,4}\])?)*(?:\.start/end)?")


@dataclass
class ReportStats:
    articles: int = 0
    failed: int = 0
    incidents: int = 0
    values: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))


def _e(value: object) -> str:
    """Escape for text and (double- or single-quoted) attribute contexts alike."""
    return escape(str(value), quote=True)


def stats_of(outcomes: Sequence[Outcome]) -> ReportStats:
    stats = ReportStats()
    for outcome in outcomes:
        if isinstance(outcome, ItemError):
            stats.failed += 1
            continue
        stats.articles += 1
        stats.incidents += len(outcome.record.incidents)
        stats.values += len(outcome.verification.verdicts)
        for verdict in outcome.verification.verdicts:
            stats.counts[verdict.verdict] += 1
    return stats


def _asset(name: str, closing: str) -> str:
    text = (files("llm_extract.review") / "assets" / name).read_text("utf-8")
    if closing in text.lower():  # it would end the inline element early
        raise RuntimeError(f"{name} must not contain {closing}")
    return text


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_page(
    outcomes: Sequence[Outcome], articles: Mapping[str, ArticleText], *, source: str
) -> str:
    """The whole page; the same input gives the same bytes (no clock, no randomness)."""
    css, js = _asset("report.css", "</style"), _asset("report.js", "</script")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    outcomes = sorted(outcomes, key=lambda o: (o.id, o.status))
    results = [o for o in outcomes if isinstance(o, ExtractionResult)]
    for result in results:
        _check_paths(result)
    missing = ArticleText(None, "no article text was given")
    sections = [_article(f"a{n}", r, articles.get(r.id, missing)) for n, r in enumerate(results)]
    head = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',  # ours: no quotes
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Review: {_e(source)} — llm-extract</title>\n<style>{css}</style>\n</head>",
    ]
    body = ["<body>", _header(outcomes, results, source), '<main id="articles">', *sections]
    return "\n".join([*head, *body, f"</main>\n<script>{js}</script>\n</body>\n</html>\n"])


def _header(outcomes: Sequence[Outcome], results: Sequence[ExtractionResult], source: str) -> str:
    stats = stats_of(outcomes)
    judged = stats.counts["supported"] + stats.counts["unsupported"]
    share = f"{stats.counts['supported'] / judged:.0%} of judged" if judged else "none judged"
    cards = [
        ("articles", stats.articles, f"{stats.failed} failed" if stats.failed else "all ok"),
        ("incidents", stats.incidents, ""),
        ("values", stats.values, "checked"),
        ("supported", stats.counts["supported"], share),
        ("unsupported", stats.counts["unsupported"], "not in the text"),
        ("unverifiable", stats.counts["unverifiable"], "cannot be checked"),
    ]
    card_html = "".join(
        f'<div class="card c-{name}"><span class="num">{value}</span>'
        f'<span class="lbl">{name}</span><span class="sub">{_e(sub)}</span></div>'
        for name, value, sub in cards
    )
    failed = [o for o in outcomes if isinstance(o, ItemError)]
    failures = ""
    if failed:
        items = "".join(
            f"<li><b>{_e(f.id)}</b> <code>{_e(f.error_type)}</code> {_e(f.message)}</li>"
            for f in failed
        )
        failures = f'<div class="failures"><h2>Failed articles</h2><ul>{items}</ul></div>'
    boxes = "".join(
        f'<label class="chk l-{label}"><input type="checkbox" name="verdict" value="{label}" '
        f'checked><span class="swatch s-{label}"></span>{label}</label>'
        for label in ("supported", "unsupported", "unverifiable")
    )
    options = "".join(f'<option value="a{n}">{_e(r.id)}</option>' for n, r in enumerate(results))
    return (
        f'<header class="top"><div class="title"><h1>Extraction review</h1>'
        f'<p class="src">{_e(source)}</p></div><div class="cards">{card_html}</div>'
        f'<div class="controls"><fieldset class="verdicts"><legend>Show verdicts</legend>'
        f'{boxes}</fieldset><label class="pick">Article <select id="article-filter">'
        f'<option value="all">All articles ({len(results)})</option>{options}</select></label>'
        f'<p class="legend"><span class="eg eg-quote">quote</span> quoted passage · '
        f'<span class="eg eg-value">value</span> number, place, actor or date · '
        f"click a row to find it in the text</p></div>{failures}</header>"
    )


def _article(key: str, result: ExtractionResult, article: ArticleText) -> str:
    verdicts = result.verification.verdicts
    marks = _marks(verdicts, key) if article.text is not None else {}
    s = result.verification.summary
    chips = f'<span class="chip">{s.total} values</span>' + "".join(
        f'<span class="chip ch-{label}">{getattr(s, label)} {label}</span>'
        for label in LABELS
        if getattr(s, label)
    )
    if result.verification.injection_suspected:
        chips += (
            '<span class="chip ch-unsupported" title="The article holds text addressed to the '
            'model; nothing in it was taken as support">injection suspected</span>'
        )
    p = result.provenance
    meta = f"{p.model} · {p.mode} · policy {result.verification.policy}"
    if article.text is None:
        body = (
            f'<div class="notice"><b>Highlights unavailable:</b> {_e(article.problem)}. '
            "The values and verdicts below are as the batch recorded them.</div>"
        )
    else:
        body = f'<pre class="text" id="{key}-text">{_highlight(article.text, marks)}</pre>'
    tables = _incident_tables(key, result, marks)
    if result.empty_reason:  # never a silent empty record: the reason heads its column
        tables = (
            f'<div class="notice empty"><b>No incident:</b> {_e(result.empty_reason)}</div>'
            + tables
        )
    return (
        f'<section class="article" id="{key}" data-article="{_e(result.id)}">'
        f'<div class="ahead"><h2>{_e(result.id)}</h2><div class="chips">{chips}</div>'
        f'<p class="meta">{_e(meta)}</p>{_origin(p.source)}</div>'
        f'<div class="layout{" no-text" if article.text is None else ""}">'
        f'<div class="textcol">{body}</div><div class="valcol">{tables}</div></div></section>'
    )


def _origin(source: ArticleSource | None) -> str:
    """Outlet, date, headline and URL as the corpus gave them, all as text: the URL is
    no link, so the page still points at nothing (one click selects it to copy)."""
    if source is None:
        return ""
    published = source.published.isoformat() if source.published else None
    shown = {"outlet": source.outlet, "date": published, "title": source.title, "url": source.url}
    parts = [f'<span class="o-{name}">{_e(value)}</span>' for name, value in shown.items() if value]
    return f'<p class="origin">{" · ".join(parts)}</p>' if parts else ""


@dataclass
class _Mark:
    """One highlighted range; values found at the very same place share it."""

    key: str
    start: int
    end: int
    verdicts: list[Verdict] = field(default_factory=list)


def _marks(verdicts: Sequence[Verdict], prefix: str) -> dict[tuple[int, int], _Mark]:
    ranges = sorted(
        {(v.span.start, v.span.end) for v in verdicts if v.span and v.span.end > v.span.start},
        key=lambda r: (r[0], -r[1]),
    )
    marks = {r: _Mark(f"{prefix}m{n}", *r) for n, r in enumerate(ranges)}
    for v in verdicts:
        if v.span and (v.span.start, v.span.end) in marks:
            marks[(v.span.start, v.span.end)].verdicts.append(v)
    return marks


def _open_tag(mark: _Mark) -> str:
    labels = [label for label in LABELS if any(v.verdict == label for v in mark.verdicts)]
    kind = "quote" if all(v.kind == "quote" for v in mark.verdicts) else "value"
    title = "\n".join(
        f"{v.verdict} {v.kind}: " + (v.path if v.kind == "quote" else v.value)
        for v in mark.verdicts
    )
    return (
        f'<mark class="hl k-{kind} v-{labels[0]}" data-m="{mark.key}" '
        f'data-labels="{" ".join(labels)}" title="{_e(title)}">'
    )


def _highlight(text: str, marks: Mapping[tuple[int, int], _Mark]) -> str:
    """The escaped text with properly nested <mark>s: a range inside another nests; a
    range that crosses another's end is closed there and reopened (split in parts)."""
    starts: dict[int, list[_Mark]] = defaultdict(list)
    for mark in marks.values():
        starts[mark.start].append(mark)
    points = sorted(
        {0, len(text), *(m.start for m in marks.values()), *(m.end for m in marks.values())}
    )
    out: list[str] = []
    stack: list[_Mark] = []
    for n, here in enumerate(points):
        ending = [i for i, m in enumerate(stack) if m.end == here]
        if ending:
            depth = ending[0]
            out.append("</mark>" * (len(stack) - depth))
            reopen = [m for m in stack[depth:] if m.end != here]
            del stack[depth:]
            for mark in reopen:
                out.append(_open_tag(mark))
                stack.append(mark)
        for mark in sorted(starts.get(here, []), key=lambda m: -m.end):
            out.append(_open_tag(mark))
            stack.append(mark)
        if n + 1 < len(points):
            out.append(_e(text[here : points[n + 1]]))
    return "".join(out)


def _check_paths(result: ExtractionResult) -> None:
    """Paths come from a file someone may have edited: each must be one the verifier
    writes and land on an incident of the record, or the page is refused in one line."""
    report = result.verification
    for path in [v.path for v in report.verdicts] + report.removed:
        if not _PATH.fullmatch(path):
            raise InputError(f"{result.id}: {path!r} is not a path into a record")
    for verdict in report.verdicts:
        final = _final_path(verdict.path.split(".")[0], report.removed)
        if final and int(_INDEX.findall(final)[0]) >= len(result.record.incidents):
            raise InputError(
                f"{result.id}: {verdict.path!r} points past the record's "
                f"{len(result.record.incidents)} incident(s)"
            )


def _final_path(path: str, removed: Sequence[str]) -> str | None:
    """Where a verified value's entry sits in the record after policy 'drop' removed
    entries (verdict paths index the record before); None if it was removed."""
    parts = path.split(".")
    for depth in range(len(parts)):
        prefix = ".".join(parts[: depth + 1])
        if prefix in removed:
            return None
        if match := _INDEX.search(parts[depth]):
            index = int(match.group(1))
            parent = ".".join([*parts[:depth], parts[depth][: match.start()]])
            gone = sum(1 for k in range(index) if f"{parent}[{k}]" in removed)
            parts[depth] = f"{parts[depth][: match.start()]}[{index - gone}]"
    return ".".join(parts)


def _incident_tables(
    key: str, result: ExtractionResult, marks: Mapping[tuple[int, int], _Mark]
) -> str:
    groups: dict[int, list[Verdict]] = defaultdict(list)
    for verdict in result.verification.verdicts:  # every path starts incidents[i]
        groups[int(_INDEX.findall(verdict.path)[0])].append(verdict)
    removed = result.verification.removed
    places = {p.path: p for p in result.places}
    out = []
    for number in sorted(groups):
        final = _final_path(f"incidents[{number}]", removed)
        incident = result.record.incidents[int(_INDEX.findall(final)[0])] if final else None
        rows = "".join(_row(v, marks, places, removed) for v in groups[number])
        out.append(
            f'<div class="incident">{_incident_head(number, incident)}'
            '<table class="values"><thead><tr><th>value</th><th>kind</th><th>verdict</th>'
            f'<th>reason</th></tr></thead><tbody>{rows}<tr class="empty" hidden><td colspan="4">'
            "no value matches the filter</td></tr></tbody></table></div>"
        )
    if not out:
        out.append('<p class="none">No incidents were extracted from this article.</p>')
    return "".join(out)


def _incident_head(number: int, incident: Incident | None) -> str:
    if incident is None:
        return f'<h3>Incident {number + 1} <span class="tag">removed by policy drop</span></h3>'
    c = incident.classification
    label = f"{c.event_type.value} › {c.sub_event_type.value} · {incident.date.text}"
    return (
        f'<h3>Incident {number + 1} <span class="cls">{_e(label)}</span></h3>'
        f'<p class="summary">{_e(incident.summary)}</p>'
    )


def _row(
    v: Verdict,
    marks: Mapping[tuple[int, int], _Mark],
    places: Mapping[str, GeocodedPlace],
    removed: Sequence[str],
) -> str:
    mark = marks.get((v.span.start, v.span.end)) if v.span else None
    shown = v.path.split(".", 1)[1] if v.path.startswith("incidents[") else v.path
    notes = []
    if v.span is None and v.verdict == "unsupported":
        notes.append("not found in the text")
    elif v.span is not None and mark is None:
        notes.append(f"at {v.span.start}-{v.span.end}; no highlight without the article text")
    owner = _final_path(v.path.removesuffix(".name"), removed) if v.path.endswith(".name") else None
    if owner and (place := places.get(owner)):
        notes.append(_place(place))
    if _final_path(v.path, removed) is None:
        notes.append("removed by policy drop")
    note = "".join(f'<span class="note">{_e(n)}</span>' for n in notes)
    attrs = f' data-m="{mark.key}" tabindex="0" title="click: show in the text"' if mark else ""
    classes = f"row r-{v.verdict} k-{v.kind}" + ("" if mark else " nospan")
    code = (
        f'<span class="code c-{_e(v.code)}">{_e(v.code)}</span> '
        if v.code and v.code != "ok"
        else ""
    )
    return (
        f'<tr class="{classes}" data-verdict="{v.verdict}" data-code="{_e(v.code or "")}"'
        f' data-path="{_e(v.path)}"{attrs}>'
        f'<td class="val"><span class="v">{_e(v.value)}</span>'
        f'<span class="path">{_e(shown)}</span>{note}</td><td class="kind">{v.kind}</td>'
        f'<td><span class="badge b-{v.verdict}">{v.verdict}</span></td>'
        f'<td class="why">{code}{_e(v.reason)}</td></tr>'
    )


def _place(place: GeocodedPlace) -> str:
    if not place.resolved:
        return f"not geocoded: {place.reason}"
    where = ", ".join(x for x in (place.name, place.admin1, place.country) if x)
    if place.latitude is not None and place.longitude is not None:
        where += f" ({place.latitude:.3f}, {place.longitude:.3f})"
    precision = f", geo precision {place.geo_precision}" if place.geo_precision else ""
    return f"geocoded: {where}{precision}"
