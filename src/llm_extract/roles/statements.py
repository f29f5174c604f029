"""Whether a claim's quote says what its statement says: the statement's content words
found in the quote, in the same language, and no hedge in the quote that the statement
drops ("formal talks would be announced soon" does not say they were announced).

A statement in another language than the article (a French report summed up in English)
cannot be read against its quote word by word: it is unverifiable, not unsupported."""

from __future__ import annotations

import re

from llm_extract.roles.clauses import quote_span
from llm_extract.text.fold import fold, words
from llm_extract.text.grounding import Check, Document

_STEM = 5
"""Letters compared: "confirmed" and "confirm", "blessés" and "blessé" share them."""
_SHARE_MIN = 0.25
"""At least this share of the statement's content words the article has must be in the
quote: a summary words it its own way, a quote of something else shares next to none."""


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION = {
    "en": _set("the of and a an to in on at was were is are by for with that this from has "
              "have had did not it its their his her they he she"),
    "fr": _set("le la les l un une des du de d et a au aux en dans sur par pour avec que qui "
              "est sont ont été ete était etait se sa son ses leur il elle ils ne pas"),
}  # fmt: skip
_STOP = frozenset().union(*_FUNCTION.values())
_HEDGE = re.compile(
    r"\b(?:would|could|might|may|expected|expectations?|likely|feared|pourrait|pourraient"
    r"|devrait|devraient|risque|craint|attendue?s?)\b"
)


def language(text: str) -> str | None:
    """ "en" or "fr" by function words, or None when the text gives too few."""
    counts = {lang: sum(w in vocab for w in words(text)) for lang, vocab in _FUNCTION.items()}
    best = max(counts, key=lambda lang: counts[lang])
    others = sum(n for lang, n in counts.items() if lang != best)
    return best if counts[best] >= 2 and counts[best] > others else None


def _content(text: str) -> set[str]:
    """Stems of the content words, proper names aside: a quote often gives those by a
    pronoun ("Local press reported that she had been decapitated")."""
    lower = [w for w in re.findall(r"[^\W\d_][\w'\-]*", text) if not w[0].isupper()]
    return {w[:_STEM] for w in words(" ".join(lower)) if len(w) > 3 and w not in _STOP}


def check_statement(doc: Document, statement: str, quote: str) -> Check:
    span = quote_span(doc, quote)
    if span is None:
        return Check("unverifiable", "the quote is not the article's, so the statement is "
                     "not read against it", code="unverifiable")  # fmt: skip
    said = doc.text[span[0] : span[1]]
    mine, theirs = language(statement), doc.memo(("language",), lambda: language(doc.text))
    wanted = _content(statement)
    known = wanted & doc.memo(("content_stems",), lambda: _content(doc.text.lower()))
    if (mine and theirs and mine != theirs) or len(known) * 2 < len(wanted):
        why = "the statement's words are mostly not the article's (a translation or a summary)"
        return Check("unverifiable", f"{why}: not read word by word", code="unverifiable")
    if not known:
        return Check("supported", "the statement has no content word to check", *span,
                     code="ok")  # fmt: skip
    share = len(known & _content(said.lower())) / len(known)
    if share < _SHARE_MIN:
        return Check("unsupported", f"the quote says little of the statement ({share:.0%} of "
                     "its words)", *span, code="mismatch")  # fmt: skip
    if _HEDGE.search(fold(said)) and not _HEDGE.search(fold(statement)):
        return Check("unsupported", "the quote hedges ('would', 'expected', ...) what the "
                     "statement gives as done", *span, code="projection")  # fmt: skip
    return Check("supported", f"the quote says it ({share:.0%} of its words)", *span,
                 code="ok")  # fmt: skip
