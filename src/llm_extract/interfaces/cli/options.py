"""Options and error handling shared by the CLI's commands."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from llm_extract.core.errors import ConfigError, InputError, LLMExtractError
from llm_extract.core.results import ExtractionResult
from llm_extract.core.settings import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_TOTAL_S,
    DEFAULT_TIMEOUT_S,
    Settings,
)
from llm_extract.interfaces import api
from llm_extract.interfaces.cli.terminal import injection_warning, json_safe, printable

published_option = click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD): resolves 'on Sunday', 'last week' in the article.",
)
aliases_option = click.option(
    "--aliases",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Extra alias table (JSON, like llm_extract/data/aliases.json) for name matching.",
)


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that calls a model."""
    options = [
        click.option(
            "--backend",
            metavar="NAME",
            help="Model backend: openai, local, or a plugin's (`llm-extract backends` lists "
            "them). Default: openai when OPENAI_BASE_URL/OPENAI_API_KEY or --base-url is "
            "set, else local (the embedded SmolLM2-135M).",
        ),
        click.option(
            "--model",
            help="Model id for the endpoint (env LLM_EXTRACT_MODEL; default gpt-4o-mini).",
        ),
        click.option(
            "--base-url",
            help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 "
            "(env OPENAI_BASE_URL). The key comes only from OPENAI_API_KEY.",
        ),
        click.option(
            "--model-path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="GGUF file for the local backend (env LLM_EXTRACT_MODEL_PATH).",
        ),
        click.option("--mode", help="instructor mode (default: tool_call for openai)."),
        click.option(
            "--strategy",
            type=click.Choice(["auto", "grounded", "whole"]),
            default="auto",
            show_default=True,
            help="grounded: short questions whose answers must be candidates taken from the "
            "article (the embedded model's default: every value grounded); whole: the "
            "full record in one call (the default for endpoints).",
        ),
        click.option(
            "--prompt",
            metavar="FILE.toml",
            help="A prompt of one's own, in the format of prompts/extract_incidents.toml (id, "
            "version, system with $field_guide, user with $article); its hash goes into "
            "provenance and the cache key. Used by --strategy whole (the endpoints' "
            "default); the grounded strategy asks its own questions.",
        ),
        click.option(
            "--compact-schema/--full-schema",
            default=None,
            help="Publish tight length/list bounds to the model, for tiny models "
            "(default: compact for local, full for openai).",
        ),
        click.option(
            "--temperature",
            type=float,
            default=0.0,
            show_default=True,
            help="Sampling temperature; 0 (with a fixed seed) gives repeatable answers.",
        ),
        click.option("--max-tokens", type=int, help="Cap on the model's answer length."),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=int(DEFAULT_TIMEOUT_S),  # shown as 120, not 120.0
            show_default=True,
            metavar="SECONDS",
            help="Wall-clock limit on each request to the endpoint, the whole answer "
            "included, however slowly it comes; raise it for a slow local model.",
        ),
        click.option(
            "--max-total",
            type=click.FloatRange(min=0, min_open=True),
            default=int(DEFAULT_MAX_TOTAL_S),
            show_default=True,
            metavar="SECONDS",
            help="Wall-clock limit on one model call with its retries and their waits: no "
            "retry starts that could end past it (never less than one --timeout).",
        ),
        click.option(
            "--max-response-bytes",
            type=click.IntRange(min=1024),
            default=DEFAULT_MAX_RESPONSE_BYTES,
            show_default=True,
            metavar="BYTES",
            help="Largest answer accepted (default 8 MiB), counted as it is read and "
            "decompressed; a larger one is refused without reading the rest. Error bodies "
            "are read only as far as their message.",
        ),
        click.option(
            "--max-chars",
            type=int,
            default=DEFAULT_MAX_CHARS,
            show_default=True,
            help="Longer articles are rejected before any model call.",
        ),
        click.option("--encoding", help="Decode input with this encoding instead of UTF-8."),
        click.option(
            "--policy",
            type=click.Choice(["flag", "drop", "reask"]),
            default="flag",
            show_default=True,
            help="Values the article does not support: flag them in the report, drop them "
            "from the record, or reask the model with the findings (within the re-ask budget).",
        ),
        published_option,
        aliases_option,
        click.option(
            "--geocode",
            is_flag=True,
            help="Resolve each location offline (country, region, coordinates, ACLED geo "
            "precision); unknown places say so. Loads a gazetteer: seconds, once per process.",
        ),
        click.option(
            "--gazetteer",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help="Extra places in GeoNames' tab-separated format; implies --geocode.",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help=f"Cache location (env {api.CACHE_ENV}; default: the platform's user cache dir).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def settings_from(opts: dict[str, Any]) -> Settings:
    return Settings(
        backend=opts["backend"],
        model=opts["model"],
        base_url=opts["base_url"],
        model_path=opts["model_path"],
        mode=opts["mode"],
        compact_schema=opts["compact_schema"],
        strategy=opts["strategy"],
        prompt=opts.get("prompt") or Settings.model_fields["prompt"].default,
        temperature=opts["temperature"],
        max_tokens=opts["max_tokens"],
        timeout_s=opts["timeout"],
        max_total_s=opts["max_total"],
        max_response_bytes=opts["max_response_bytes"],
        max_chars=opts["max_chars"],
        use_cache=not opts["no_cache"],
        policy=opts["policy"],
        aliases=opts["aliases"],
        geocode=opts["geocode"],
        gazetteer=opts["gazetteer"],
        cache_dir=opts["cache_dir"],
    )


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Known failures print one line and exit non-zero; no traceback for users."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (InputError, ConfigError) as exc:
            fail(str(exc), 2)
        except LLMExtractError as exc:
            fail(str(exc), 1)
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper


def fail(message: str, code: int) -> None:
    click.echo(f"llm-extract: error: {printable(message)}", err=True)
    sys.exit(code)


def published_date(opts: dict[str, Any]) -> date | None:
    return opts["published"].date() if opts.get("published") else None


def report_line(result: ExtractionResult) -> None:
    source = "cache (no model call)" if result.cached else f"{result.provenance.model}"
    s = result.verification.summary
    dropped = f", {len(result.verification.removed)} removed" if result.verification.removed else ""
    incidents = len(result.record.incidents)
    click.echo(
        f"{printable(result.id)}: {incidents} incident(s) from {printable(source)}, "
        f"{result.usage.total_tokens} tokens, {result.duration_s:.2f}s; verifier: "
        f"{s.supported} supported, {s.unsupported} unsupported, {s.unverifiable} "
        f"unverifiable{dropped}",
        err=True,
    )
    if warning := injection_warning(result.verification):
        click.echo(f"{printable(result.id)}: {warning}", err=True)
    if result.empty_reason:
        click.echo(f"{printable(result.id)}: warning: {printable(result.empty_reason)}", err=True)


def dump_json(payload: Any, pretty: bool = True) -> str:
    """JSON as the commands print it: UTF-8 text as is, indented unless asked otherwise."""
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2 if pretty else None))
