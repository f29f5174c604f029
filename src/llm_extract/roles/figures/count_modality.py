"""Whether the article reports a figure, or projects, negates or supposes it: "could
rise to 50", "no one was killed", "if 20 were killed" are no tolls. Read from the words
before the figure, and after its noun ("three people feared dead")."""

from __future__ import annotations

import re

from llm_extract.roles.lexicon import HYPOTHETICAL, PROJECTION
from llm_extract.text.figures.numbers import Quantity

REPORTED, PROJECTION_MODE, NEGATED, HYPOTHETICAL_MODE = (
    "reported",
    "projection",
    "negated",
    "hypothetical",
)
_PROJECTION = re.compile(PROJECTION)
_HYPOTHETICAL = re.compile(HYPOTHETICAL)


def modality_of(folded: str, q: Quantity, left: int, right: int) -> str:
    window = folded[max(left, q.start - 45) : q.start]
    after = folded[q.noun_end or q.end : min(right, (q.noun_end or q.end) + 40)]
    if _HYPOTHETICAL.search(window):
        return HYPOTHETICAL_MODE
    if any(not _modifies_a_noun(window, m) for m in _PROJECTION.finditer(window)) or re.match(
        r"\s*(?:\w+\s+){0,2}(?:feared|presumed|believed|thought|feared dead|crain|presum)",
        after,
    ):
        return PROJECTION_MODE
    if re.search(r"\b(?:no|not|aucun|aucune|zero|none|sans|ni)\s+$", window):
        return NEGATED
    return REPORTED


_NOMINAL_MODAL = re.compile(
    r"suspect|suspected|presume|presumed|presumes|alleged|potential|potentiel|eventuel|likely"
)
_FIGURE_OR_FATE = re.compile(r"\s*(?:\d|of\b|de\b|to\b|that\b|dead|killed|died|morts?\b|tue)")


def _modifies_a_noun(window: str, m: re.Match[str]) -> bool:
    """ "suspected militants killed 12", "des djihadistes présumés": the word qualifies
    the attackers, not the figure."""
    return bool(_NOMINAL_MODAL.fullmatch(m.group())) and not _FIGURE_OR_FATE.match(window, m.end())
