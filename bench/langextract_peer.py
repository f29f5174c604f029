"""LangExtract 1.7.1 on the embedded model, for bench/quality.py.

`LlamaServer` serves the embedded GGUF with llama-cpp-python's OpenAI-compatible server
(the same start command as scripts/record_cassettes.py, on a free port), so LangExtract
drives the very weights llm-extract runs in-process. `run_article` calls `lx.extract` on
one article and `to_record` maps its flat extractions onto our `ArticleExtraction`.

The few-shot example (`EXAMPLE`) is FICTITIOUS: the Red Ridge Brigade, Talvora and the
fuel convoy do not occur in the seeds. LangExtract requires examples and its README
warns that models copy them, so every extraction whose text is not in the article is
counted (`not_in_article`), and those found in the example text instead (`copied`).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import langextract as lx

from llm_extract.backends.local import MAX_TOKENS, default_model_path
from llm_extract.core.acled import SUB_EVENTS, EventType, SubEventType
from llm_extract.core.records import ArticleExtraction, CountCategory, Incident
from llm_extract.text.figures.counts import CATEGORY_CUES, victim_class
from llm_extract.text.figures.numbers import parse_quantity

ALIAS = "smollm2-135m"
LOCAL_KEY = "sk-local"  # the local server ignores it; the OpenAI SDK insists on one
DEFAULT_CLASS = (EventType.BATTLES, SubEventType.ARMED_CLASH)
"""Used when no event extraction carries a valid ACLED type. It is the type of all 10
gold incidents, so event_type scores for articles that fell back to it are generous;
`classification_source` in the JSON says which articles did."""
SIDES = {"armed": "side_b", "forces": "side_a", "civilians": "civilians"}
LIMITS = {"locations": 12, "actors": 6, "counts": 10, "claims": 6}  # from core/records.py

_TYPES = "; ".join(
    f"{event.value} ({', '.join(sub.value for sub in subs)})" for event, subs in SUB_EVENTS.items()
)
PROMPT = (
    "Extract the conflict incidents reported in the news article. Use the article's exact "
    "words for every extraction, in order of appearance; never paraphrase or invent values. "
    "Classes: event (the violent act; attributes event_type and sub_event_type, from ACLED: "
    f"{_TYPES}); date (the date words; attribute iso_date as YYYY-MM-DD only when the article "
    "gives day, month and year); location (each place name); actor (each force, armed group "
    "or party; attributes actor_type, an ACLED inter code 1-8, and role: attacker, target, "
    "participant, claimant or other); casualties (a number of people killed, injured, "
    "abducted, captured or missing, with words like 'at least'; attributes category and "
    "claimant, who gives the figure); claim (a non-numeric assertion; attribute claimant)."
)
EXAMPLE_TEXT = (
    "Gunmen of the Red Ridge Brigade ambushed a fuel convoy near Talvora on 12 March 2019, "
    "killing at least 14 drivers, the provincial governor said. The brigade said it had "
    "seized three tankers."
)


def _x(cls: str, text: str, **attributes: str) -> Any:
    return lx.data.Extraction(extraction_class=cls, extraction_text=text,
                              attributes=attributes or None)  # fmt: skip


EXAMPLE = lx.data.ExampleData(
    text=EXAMPLE_TEXT,
    extractions=[
        _x("actor", "Red Ridge Brigade", actor_type="3", role="attacker"),
        _x(
            "event",
            "ambushed a fuel convoy",
            event_type="Violence against civilians",
            sub_event_type="Attack",
        ),
        _x("location", "Talvora"),
        _x("date", "on 12 March 2019", iso_date="2019-03-12"),
        _x(
            "casualties",
            "at least 14 drivers",
            category="killed",
            claimant="the provincial governor",
        ),
        _x("claim", "it had seized three tankers", claimant="The brigade"),
    ],
)
SETTINGS: dict[str, Any] = {
    "max_char_buffer": 1000,  # LangExtract's default: seeds of ~2.5k chars become 3 chunks
    "extraction_passes": 1,  # default; more passes re-read every chunk (cost x passes)
    "batch_length": 10,  # default
    "max_workers": 1,  # the server generates one answer at a time: more would only queue
    "use_schema_constraints": False,  # llama-cpp-python 0.3.36 answers "json_schema" with a 500
    "fence_output": False,  # the provider asks for response_format json_object: raw JSON
    "temperature": 0.0,  # as llm-extract samples; the server's own default is 0.8
    "seed": 0,
    "max_output_tokens": MAX_TOKENS,  # the embedded backend's answer budget, per request
}


class LlamaServer:
    """llama-cpp-python's OpenAI-compatible server on a free 127.0.0.1 port; a context
    manager so it stops on error and Ctrl-C too (own session: SIGINT reaches us only)."""

    def __init__(self, model: Path | None = None, timeout_s: float = 180.0) -> None:
        self.model = model or default_model_path()
        self.timeout_s = timeout_s
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LlamaServer:
        command = [
            sys.executable, "-m", "llama_cpp.server", "--model", str(self.model),
            "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", "8192", "--n_threads", str(min(os.cpu_count() or 2, 4)), "--seed", "0",
        ]  # fmt: skip
        self._process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # fmt: skip
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited ({self._process.returncode}):\n"
                                   f"{self._tail()}")  # fmt: skip
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"llama.cpp server not ready after {self.timeout_s:.0f}s")

    def _tail(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-2000:]

    def __exit__(self, *_: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


class UsageMeter:
    """Sums the server's `usage` of every chat completion LangExtract sends."""

    def __init__(self) -> None:
        self.prompt_tokens = self.completion_tokens = self.requests = 0

    def wrap(self, model: Any) -> bool:
        client = getattr(model, "_client", None)  # private in LangExtract: may vanish
        if client is None:
            return False
        create = client.chat.completions.create

        def counted(*args: Any, **kwargs: Any) -> Any:
            response = create(*args, **kwargs)
            self.requests += 1
            if response.usage is not None:
                self.prompt_tokens += response.usage.prompt_tokens
                self.completion_tokens += response.usage.completion_tokens
            return response

        client.chat.completions.create = counted
        return True


def make_model(base_url: str) -> tuple[Any, UsageMeter | None]:
    """LangExtract's OpenAI provider for the local server, built from a ModelConfig as
    `lx.extract(config=...)` would, so that its client can be metered."""
    kwargs = {"base_url": base_url, "api_key": LOCAL_KEY, "max_workers": SETTINGS["max_workers"],
              **{k: SETTINGS[k] for k in ("temperature", "seed", "max_output_tokens")}}  # fmt: skip
    config = lx.factory.ModelConfig(model_id=ALIAS, provider="openai", provider_kwargs=kwargs)
    model = lx.factory.create_model(config)
    meter = UsageMeter()
    return model, meter if meter.wrap(model) else None


class _Omitted(logging.Handler):
    """Collects LangExtract's "Chunk omitted" warnings: with suppress_parse_errors (its
    default) a chunk whose answer does not parse is dropped with only a log line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "omitted" in (message := record.getMessage()):
            self.messages.append(message.split(". Set resolver_params")[0])


def run_article(model: Any, text: str) -> tuple[list[Any], list[str]]:
    """One `lx.extract` call on one article: its extractions in document order, and the
    chunks LangExtract dropped because the model's answer did not parse."""
    omitted = _Omitted()
    logger = logging.getLogger("absl")
    logger.addHandler(omitted)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = lx.extract(
                text_or_documents=text, prompt_description=PROMPT, examples=[EXAMPLE],
                model=model, use_schema_constraints=SETTINGS["use_schema_constraints"],
                fence_output=SETTINGS["fence_output"],
                max_char_buffer=SETTINGS["max_char_buffer"],
                extraction_passes=SETTINGS["extraction_passes"],
                batch_length=SETTINGS["batch_length"], max_workers=SETTINGS["max_workers"],
                show_progress=False,
            )  # fmt: skip
    finally:
        logger.removeHandler(omitted)
    return list(result.extractions or []), omitted.messages


def describe(extraction: Any, text: str) -> dict[str, Any]:
    """An extraction as JSON, with where it sits and whether it came from the example."""
    span = extraction.char_interval
    status = extraction.alignment_status
    value = extraction.extraction_text or ""
    return {"class": extraction.extraction_class, "text": value,
            "attributes": dict(extraction.attributes or {}),
            "alignment": status.value if status else None,
            "span": [span.start_pos, span.end_pos] if span else None,
            "in_article": bool(value) and value in text,
            "copied": bool(value) and value not in text and _from_example(value)}  # fmt: skip


def _from_example(value: str) -> bool:
    """In the example's text, holding one of its values ("Talvora, Central Mali"), or
    one of its attribute values ("Violence against civilians") output as a text."""
    if value in EXAMPLE_TEXT or any(x.extraction_text in value for x in EXAMPLE.extractions):
        return True
    given = {str(v).lower() for x in EXAMPLE.extractions for v in (x.attributes or {}).values()}
    return value.strip().lower() in given


def _attr(extraction: Any, name: str) -> str | None:
    value = (extraction.attributes or {}).get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return (str(value).strip() or None) if value is not None else None


def _quote(extraction: Any, text: str) -> str:
    """The article's span when LangExtract aligned the extraction exactly, else the
    extraction's own text: a partial or fuzzy span would turn a paraphrase or a copied
    example value into a verbatim quote the verifier would then accept."""
    span = extraction.char_interval
    exact = extraction.alignment_status == lx.data.AlignmentStatus.MATCH_EXACT
    if exact and span and span.start_pos is not None and span.end_pos is not None:
        aligned = text[span.start_pos : span.end_pos].strip()
        if aligned:
            return aligned[:400]
    return extraction.extraction_text.strip()[:400]


def _classification(events: list[Any]) -> tuple[EventType, SubEventType, str]:
    by_name = {t.value.lower(): t for t in SubEventType}
    events_by_name = {t.value.lower(): t for t in EventType}
    for event in events:
        kind = events_by_name.get((_attr(event, "event_type") or "").lower())
        sub = by_name.get((_attr(event, "sub_event_type") or "").lower())
        if kind and sub in SUB_EVENTS[kind]:
            return kind, sub, "attribute"
        if sub:
            return next(k for k, subs in SUB_EVENTS.items() if sub in subs), sub, "sub_event"
        if kind:
            return kind, SUB_EVENTS[kind][0], "event_type"
    return *DEFAULT_CLASS, "default"


def _category(extraction: Any) -> str:
    given = (_attr(extraction, "category") or "").lower()
    if given in {c.value for c in CountCategory}:
        return given
    words = " ".join([extraction.extraction_text, given]).lower()
    cue = next((cat for cat, stems in CATEGORY_CUES.items() if any(s in words for s in stems)),
               None)  # fmt: skip
    return cue or "killed"


def _date(found: list[Any], text: str, fallback: str) -> dict[str, Any]:
    if not found:  # the schema requires a date: a placeholder, left out of verifier tallies
        return {"text": "not stated", "start": None, "end": None, "precision": 3,
                "quote": fallback}  # fmt: skip
    first = found[0]
    days = []
    for name in ("iso_date", "start", "end"):
        try:
            days.append(date.fromisoformat(_attr(first, name) or ""))
        except ValueError:
            continue
    start, end = (min(days), max(days)) if days else (None, None)
    return {"text": first.extraction_text.strip()[:120], "start": start, "end": end,
            "precision": 1 if start else 3, "quote": _quote(first, text)}  # fmt: skip


def to_record(extractions: list[Any], text: str) -> tuple[ArticleExtraction, dict[str, Any]]:
    """One incident holding every extraction (LangExtract has no incident grouping), and
    notes: truncated lists, skipped casualties, placeholder fields."""
    by_class: dict[str, list[Any]] = {}
    for extraction in extractions:
        if (extraction.extraction_text or "").strip():
            by_class.setdefault(extraction.extraction_class.lower(), []).append(extraction)
    if not by_class:
        return ArticleExtraction(incidents=[]), {}
    notes: dict[str, Any] = {"truncated": {}, "skipped_casualties": [], "placeholders": []}
    events = by_class.get("event", [])
    anchor = (events or [e for group in by_class.values() for e in group])[0]
    kind, sub, source = _classification(events)
    notes["classification_source"] = source
    quote = _quote(anchor, text)
    lists: dict[str, list[dict[str, Any]]] = {"locations": [], "actors": [], "counts": [],
                                              "claims": []}  # fmt: skip
    for loc in by_class.get("location", []):
        lists["locations"].append({"name": loc.extraction_text.strip()[:120], "admin1": None,
                                   "country": None, "precision": 1,
                                   "quote": _quote(loc, text)})  # fmt: skip
    for actor in by_class.get("actor", []):
        code = _attr(actor, "actor_type") or ""
        role = (_attr(actor, "role") or "").lower()
        lists["actors"].append({
            "name": actor.extraction_text.strip()[:120],
            "actor_type": int(code) if code in {str(n) for n in range(1, 9)} else 3,
            "role": role if role in ("attacker", "target", "participant", "claimant") else "other",
            "quote": _quote(actor, text)})  # fmt: skip
    for count in by_class.get("casualties", []):
        q = parse_quantity(count.extraction_text)
        if q is None:
            notes["skipped_casualties"].append(count.extraction_text)
            continue
        lists["counts"].append({
            "category": _category(count), "side": SIDES.get(victim_class(q.noun or "") or "",
                                                            "unknown"),
            "victim_group": (q.noun or "people")[:120], "surface": q.surface[:120],
            "qualifier": q.qualifier, "low": q.low, "best": q.best, "high": q.high,
            "attributed_to": (_attr(count, "claimant") or "the article")[:120],
            "provisional": False, "quote": _quote(count, text)})  # fmt: skip
    for claim in by_class.get("claim", []):
        lists["claims"].append({"claimant": (_attr(claim, "claimant") or "the article")[:120],
                                "statement": claim.extraction_text.strip()[:240],
                                "quote": _quote(claim, text)})  # fmt: skip
    lists["locations"] = list({d["name"].lower(): d for d in lists["locations"]}.values())
    lists["actors"] = list({d["name"].lower(): d for d in lists["actors"]}.values())
    for name, limit in LIMITS.items():
        if len(lists[name]) > limit:
            notes["truncated"][name] = len(lists[name])
            lists[name] = lists[name][:limit]
    if not lists["locations"]:  # the schema requires one: a placeholder, as for the date
        notes["placeholders"].append("incidents[0].locations[0]")
        lists["locations"] = [{"name": "unknown", "admin1": None, "country": None,
                               "precision": 3, "quote": quote}]  # fmt: skip
    when = _date(by_class.get("date", []), text, quote)
    if when["text"] == "not stated":
        notes["placeholders"].append("incidents[0].date")
    incident = Incident.model_validate({
        "summary": anchor.extraction_text.strip()[:300],
        "classification": {"event_type": kind, "sub_event_type": sub},
        "classification_quote": quote, "date": when, "is_aggregate": len(lists["locations"]) > 1,
        **lists})  # fmt: skip
    return ArticleExtraction(incidents=[incident]), notes
