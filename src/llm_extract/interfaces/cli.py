"""The `llm-extract` command. Thin: every command is a call into the Python API."""

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
from llm_extract.core.results import ExtractionResult, ItemError
from llm_extract.core.settings import DEFAULT_MAX_CHARS, Settings
from llm_extract.interfaces import api
from llm_extract.interfaces.render import render_report
from llm_extract.pipeline.batch import BatchItem
from llm_extract.pipeline.cache import CACHE_ENV
from llm_extract.pipeline.schemas import export_schemas
from llm_extract.pipeline.sources import read_source

MAIN_HELP = """Turn news articles into verified, ACLED/UCDP-style incident records.

\b
Quick start (offline, embedded model):
  llm-extract extract seeds/003_880e22595b6a996f.txt
\b
Against OpenAI or any OpenAI-compatible server:
  export OPENAI_API_KEY=...            # never passed on the command line
  llm-extract extract article.txt --model gpt-4o-mini
  llm-extract extract article.txt --base-url http://127.0.0.1:11434/v1 --model llama3.2

Results are cached on disk; a repeated call answers from the cache without a model call.
"""


_published_option = click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD): resolves 'on Sunday', 'last week' in the article.",
)
_aliases_option = click.option(
    "--aliases",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Extra alias table (JSON, like llm_extract/data/aliases.json) for name matching.",
)


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that calls a model."""
    options = [
        click.option(
            "--backend",
            type=click.Choice(["openai", "local"]),
            help="Model backend. Default: openai when OPENAI_BASE_URL/OPENAI_API_KEY or "
            "--base-url is set, else local (the embedded SmolLM2-135M).",
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
        _published_option,
        _aliases_option,
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help=f"Cache location (env {CACHE_ENV}; default: the platform's user cache dir).",
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
        temperature=opts["temperature"],
        max_tokens=opts["max_tokens"],
        max_chars=opts["max_chars"],
        use_cache=not opts["no_cache"],
        policy=opts["policy"],
        aliases=opts["aliases"],
        cache_dir=opts["cache_dir"],
    )


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Known failures print one line and exit non-zero; no traceback for users."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (InputError, ConfigError) as exc:
            _fail(str(exc), 2)
        except LLMExtractError as exc:
            _fail(str(exc), 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper


def _fail(message: str, code: int) -> None:
    click.echo(f"llm-extract: error: {message}", err=True)
    sys.exit(code)


def _dump(payload: Any, pretty: bool) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2 if pretty else None)


@click.group(help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="llm-extract")
def main() -> None:
    pass


@main.command()
@click.argument("path", metavar="PATH|-")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON here.")
@click.option("--one-line", is_flag=True, help="One-line JSON instead of indented.")
@model_options
@friendly_errors
def extract(path: str, out: Path | None, one_line: bool, **opts: Any) -> None:
    """Extract incidents from one article (a file, or - for stdin).

    Prints one JSON document (record, usage, provenance, cached) on stdout;
    messages go to stderr. Exit 2 for unusable input, 1 when the model fails.
    """
    result = api.extract_file(
        path, encoding=opts["encoding"], published=_day(opts), settings=settings_from(opts)
    )
    text = _dump(result.model_dump(mode="json"), pretty=not one_line)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)
    _report(result)


def _day(opts: dict[str, Any]) -> date | None:
    return opts["published"].date() if opts.get("published") else None


def _report(result: ExtractionResult) -> None:
    source = "cache (no model call)" if result.cached else f"{result.provenance.model}"
    s = result.verification.summary
    dropped = f", {len(result.verification.removed)} removed" if result.verification.removed else ""
    click.echo(
        f"{result.id}: {len(result.record.incidents)} incident(s) from {source}, "
        f"{result.usage.total_tokens} tokens, {result.duration_s:.2f}s; verifier: "
        f"{s.supported} supported, {s.unsupported} unsupported, {s.unverifiable} "
        f"unverifiable{dropped}",
        err=True,
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL file; one line per article, appended as each finishes.",
)
@click.option("--concurrency", type=click.IntRange(1, 256), default=4, show_default=True)
@model_options
@friendly_errors
def batch(paths: tuple[Path, ...], out: Path, concurrency: int, **opts: Any) -> None:
    """Extract many articles concurrently into a JSONL file.

    Each line is a result ({"status": "ok", ...}) or an error ({"status": "error", ...});
    one bad article never stops the others. Exit 1 when any article failed.
    """
    files = [p for path in paths for p in (sorted(path.glob("*.txt")) if path.is_dir() else [path])]
    if not files:
        raise InputError("no articles found (a folder contributes its *.txt files)")
    items = [
        BatchItem(id=p.stem, path=p, encoding=opts["encoding"], published=_day(opts)) for p in files
    ]
    failed = 0
    outcomes = api.extract_batch(
        items, concurrency=concurrency, out=out, settings=settings_from(opts)
    )
    for done, outcome in enumerate(outcomes, start=1):
        prefix = f"[{done}/{len(items)}]"
        if isinstance(outcome, ItemError):
            failed += 1
            click.echo(f"{prefix} {outcome.id}: failed: {outcome.message}", err=True)
        else:
            click.echo(f"{prefix} ", err=True, nl=False)
            _report(outcome)
    click.echo(f"{len(items) - failed} done, {failed} failed; results in {out}", err=True)
    if failed:
        sys.exit(1)


@main.command("verify")
@click.argument(
    "record_path", metavar="RECORD.json", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The article the record was extracted from.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--policy",
    type=click.Choice(["flag", "drop"]),
    default="flag",
    show_default=True,
    help="With drop and --json, the output also holds the record without unsupported values.",
)
@click.option("--all", "show_all", is_flag=True, help="List supported values too.")
@_published_option
@_aliases_option
@click.option("--encoding", help="Decode the article with this encoding instead of UTF-8.")
@friendly_errors
def verify_command(record_path: Path, source: Path, as_json: bool, policy: str,
                   show_all: bool, **opts: Any) -> None:  # fmt: skip
    """Check a record's numbers, names, dates and quotes against its article.

    RECORD.json is the output of `extract` (or a bare record). Offsets in the report
    index the article file as given. Exit 1 when any value is unsupported.
    """
    text = read_source(source, max_chars=10**7, encoding=opts["encoding"])
    document = _load_json(record_path)
    record, report = api.verify_and_apply(
        document, text, published=_day(opts), policy=policy,  # type: ignore[arg-type]
        aliases=opts["aliases"],
    )  # fmt: skip
    if as_json:
        payload: dict[str, Any] = {"verification": report.model_dump(mode="json")}
        if policy == "drop":
            payload["record"] = record.model_dump(mode="json")
        click.echo(_dump(payload, pretty=True))
    else:
        click.echo(render_report(report, show_all=show_all))
    if report.summary.unsupported:
        sys.exit(1)


def _load_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not a JSON document: {exc}") from None
    if not isinstance(loaded, dict):
        raise InputError(f"{path} holds JSON but not a record or an extract result")
    return loaded


@main.group()
def cache() -> None:
    """Inspect or empty the result cache."""


_cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Cache location (env {CACHE_ENV}).",
)


@cache.command("stats")
@_cache_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly_errors
def cache_stats(cache_dir: Path | None, as_json: bool) -> None:
    """Where the cache is, how many results it holds and its size."""
    stats = api.cache_stats(cache_dir)
    if as_json:
        click.echo(_dump(stats.__dict__, pretty=True))
    else:
        click.echo(f"directory: {stats.directory}")
        click.echo(f"entries:   {stats.entries}")
        click.echo(f"size:      {stats.size_bytes / 1024:.1f} KiB")


@cache.command("clear")
@_cache_dir_option
@friendly_errors
def cache_clear(cache_dir: Path | None) -> None:
    """Delete every cached result (the next run calls the model again)."""
    removed = api.clear_cache(cache_dir)
    click.echo(f"removed {removed} cached result(s)", err=True)


@main.command("export-schemas")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="schemas")
def export_schemas_command(folder: Path) -> None:
    """Write the JSON Schemas of records and results into FOLDER (default: schemas)."""
    for path in export_schemas(folder):
        click.echo(f"wrote {path}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
