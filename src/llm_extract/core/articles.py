"""One article as the pipeline is given it: its text and what travels with the text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field


class ArticleSource(BaseModel):
    """Where an article came from, as its corpus row or saved page says: it travels into
    the result's provenance and the export's source columns (ACLED's `source`)."""

    url: str | None = Field(default=None, description="The page the article was published at.")
    outlet: str | None = Field(default=None, description="The publication, e.g. 'Reuters'.")
    title: str | None = Field(default=None, description="The headline.")
    published: date | None = Field(default=None, description="Publication date.")


@dataclass(frozen=True)
class Article:
    """The text exactly as given (offsets in a verification report index it), the id
    its result carries (default: the first 16 hex digits of the checked text's sha256),
    the name messages call it by (a path, "standard input"), its publication date,
    which anchors relative dates ("on Sunday"), and where it came from."""

    text: str
    id: str | None = None
    name: str = "input"
    published: date | None = None
    source: ArticleSource | None = None
