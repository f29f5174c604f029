"""The `llm-extract` command: its root only wires the commands together, each command
is a module of this package, and each of them calls the Python API (interfaces/api.py)."""

from __future__ import annotations

import click

from llm_extract.interfaces.cli.backends import backends_command
from llm_extract.interfaces.cli.batch import batch
from llm_extract.interfaces.cli.batch_api import batch_api_group
from llm_extract.interfaces.cli.cache import cache
from llm_extract.interfaces.cli.dataset import export_command, merge_command
from llm_extract.interfaces.cli.evaluate import eval_command
from llm_extract.interfaces.cli.extract import extract
from llm_extract.interfaces.cli.review import report
from llm_extract.interfaces.cli.schemas import export_schemas_command
from llm_extract.interfaces.cli.verify import verify_command

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


@click.group(help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="llm-extract")
def main() -> None:
    pass


for command in (
    extract,
    verify_command,
    batch,
    batch_api_group,
    eval_command,
    merge_command,
    export_command,
    report,
    cache,
    backends_command,
    export_schemas_command,
):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
