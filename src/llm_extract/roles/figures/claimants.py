"""Who the article says gives a figure: "according to X", "selon X", "X said",
"a annoncé X", "X told Y" (X, not Y), in the figure's sentence, else in the two
sentences before it in its paragraph (a speaker named once, then quoted), else in the
sentence after a figure that stands inside quotation marks."""

from __future__ import annotations

import re

from llm_extract.roles.clauses import paragraph, sentence
from llm_extract.roles.lexicon import ATTRIBUTION_BEFORE, NOT_GIVING, PRONOUNS, SPEECH
from llm_extract.text.dates import WEEKDAYS
from llm_extract.text.grounding import Document

# A party's phrase never ends on a title's abbreviation ("a indiqué M. Kim": not "M").
_NOT_TITLE = r"(?<!\bm)(?<!\bmr)(?<!\bmme)(?<!\bdr)(?<!\bgen)(?<!\bcol)(?<!\blt)(?<!\bsgt)"
_NP = rf"((?:[\w'\-\.]+\s+){{0,7}}?[\w'\-\.]+){_NOT_TITLE}"
# After an inverted speech verb the party may run longer ("a indiqué un porte-parole de
# l'armée afghane pour l'ouest du pays, Abdul Basir Ghori")
_NP_LONG = rf"((?:[\w'\-\.]+\s+){{0,10}}?[\w'\-\.]+){_NOT_TITLE}"
_AFTER_PREP = re.compile(
    rf"\b(?:{ATTRIBUTION_BEFORE})\s+{_NP}(?=\s*(?:[,;:.\"\u00bb()]|$|\s(?:said|who|qui|a |ont "
    r"|that|que|,|et |and |indicate)))"
)
# Where no such word ends the party in reach, a preposition or participle does ("selon
# une source proche des services de sécurité dans la région", "a statement from the
# Ministry of Defence read out on television"); tried second, for "a report in X".
_AFTER_PREP_SHORT = re.compile(
    rf"\b(?:{ATTRIBUTION_BEFORE})\s+{_NP}(?=\s(?:in|on|at|dans|sur|lors|read|issued|released"
    r"|published|quoted|cited)\s)"
)
# A name in apposition after the party ("l'ancien élu de la commune, Louis André
# Gustave, ..."): the same party, named.
_APPOSITION = re.compile(
    r"\s*,\s*(?:(?:le|la|l')\s*)?((?:[A-Z\u00c0-\u00dd][\w'\-\.]+\s+(?:(?:de|du|des)\s+[a-z]+\s+)?)"
    r"{1,3}[A-Z\u00c0-\u00dd][\w'\-\.]+)\s*[,.]"
)
# "a appris Anadolu du commandant ...", "learned from a police officer": the source the
# outlet had it from.
_LEARNED_FROM = re.compile(
    rf"\b(?:(?:a|ont|avait|avons) appris\s+(?:[\w'\-]+\s+){{0,2}}?(?:aupres\s+)?"
    rf"(?:de la|de l'|des|du|de|d')|learn(?:ed|t)\s+from)\s*{_NP_LONG}(?=\s*(?:[,;:.\"\u00bb()]|$))"
)
_NOT_GIVING = re.compile(rf"\b(?:{NOT_GIVING})\b")
_STOP = re.compile(
    r"[,;:\"\u00ab\u00bb\u201c\u201d()]|\b(?:and|et|that|que|qu'|but|mais|when|after|as|while"
    r"|who|qui|which|where|ou|in|on|dans|a|au|le|la|the)\s*$"
)
# What opens a phrase without naming its party: an article, a relative ("où une source
# locale parle de": the source).
_LEAD = re.compile(
    r"^(?:(?:ou|where|whereas|while|tandis qu'|alors qu')\s+)?"
    r"(?:the|a|an|le|la|les|l'|un|une|des|de|du|d')\s+"
)
_SUBJECT_WORDS = re.compile(r"([\w'\-\.]+(?:\s+[\w'\-\.]+){0,6})\s*$")
# "a déclaré samedi le Comité ...": a time word between the verb and its subject
_WHEN_WORD = (
    rf"(?:(?:on\s+|ce\s+)?(?:{'|'.join(WEEKDAYS)}|hier|yesterday|today|aujourd'hui)"
    r"(?:\s+(?:soir|matin|night|morning|evening))?\s*,?\s+)?"
)
_INVERTED = re.compile(
    rf"(?:\b(?:said|says|a declare|a annonce|a indique|a affirme|a precise|a rapporte"
    rf"|a confirme|a estime|ont indique|ont annonce|ont declare|annonce|indique|precise"
    rf"|rapporte|affirme|declare|estime|explique|confirme)\b)\s*,?\s+{_WHEN_WORD}"
    rf"(?!que\b|qu'|that\b){_NP_LONG}"
    r"(?=\s*(?:[,;:.\"\u00bb()]|$|\s(?:on|in|to|a|au|dans|le|lors|sur|in)\b))"
)
# Where an inverted speech verb stands: after the quote or clause it reports ("...,"
# said the governor", "», a déclaré le ministre").
_AFTER_QUOTE = re.compile(r"[,;:\"\u00bb\u201d]\s*$")
# Not a party: a figure (not a unit's number: "secteur 1"), a fate, a back-reference
# ("the same source"), a time word, or a clause with its verb ("material losses were [recorded]").
_JUNK = re.compile(
    r"(?<!secteur )(?<!sector )(?<!zone )(?<!region )\d"
    r"|\b(?:meme|same|lequel|laquelle|lesquels|it|aujourd'hui|today|yesterday|hier"
    r"|killed|died|dead|tues|morts|morte|wounded|blesses|captured|incidents?|attack|attaque"
    r"|there|which|this|that|ceci|cela|also|lives|people|personnes"
    r"|were|was|are|is|been|have|has|had|ont|sont|ete|est|etaient|selon|according)\b"
)
# A document with no author named ("according to a report in ...") names no party.
_DOCUMENT = re.compile(
    r"(?:(?:premier|dernier|nouveau|initial|first|latest|new|provisional|official|officiel)\s+)?"
    r"(?:report|rapport|statement|communique|bilan|article|dispatch)s?"
    r"(?:\s+(?:provisoire|officiel|initial|preliminaire))?"
)
_QUOTE_OPEN = '"\u00ab\u201c'


def claimant_reach(doc: Document, start: int, end: int) -> tuple[list[str], int]:
    """Every attribution in reach of the figure, and how many of the first govern it:
    the first after it in its sentence ("six morts, selon A") and those before it that
    do not close another figure's clause ("Selon A, 30 personnes ...", not the A of
    "six morts, selon A, et huit, selon B" for the eight). Else the two sentences
    before it in its paragraph, else the sentence after a figure inside quotes."""
    left, right = sentence(doc, start, end)
    found = _attributions(doc, left, right, start)
    if found[0]:
        return found
    para_left, para_right = paragraph(doc, start, end)
    pos = left
    for _ in range(2):
        if pos <= para_left:
            break
        a, b = sentence(doc, max(para_left, pos - 2), max(para_left, pos - 2))
        names, _ = _attributions(doc, a, b, b)
        if names:
            return names, len(names)
        pos = a
    if _inside_quotes(doc.folded, left, start) and right < para_right:
        a, b = sentence(doc, right + 1, right + 1)
        names, _ = _attributions(doc, a, b, a)
        return names, len(names)
    return [], 0


def declined(doc: Document, name_start: int, name_end: int) -> bool:
    """Whether the sentence says the named party did not give a figure ("declined to
    provide a toll", "has not responded", "n'a pas communiqué de bilan")."""
    _, right = sentence(doc, name_start, name_end)
    return bool(_NOT_GIVING.search(doc.folded, name_end, min(right, name_end + 60)))


def _inside_quotes(folded: str, left: int, pos: int) -> bool:
    before = folded[left:pos]
    opens = sum(before.count(c) for c in _QUOTE_OPEN[1:]) + before.count('"') % 2
    closes = before.count("\u00bb") + before.count("\u201d")
    return opens > closes


def _attributions(doc: Document, left: int, right: int, anchor: int) -> tuple[list[str], int]:
    spans = doc.memo(("attributions", left, right), lambda: _party_spans(doc, left, right))
    after = sorted(
        (x for x in spans if x[0] >= anchor and not _opens_a_figure(doc, x, right)),
        key=lambda x: x[0],
    )
    before = sorted((x for x in spans if x[0] < anchor), key=lambda x: anchor - x[0])
    leading = [x for x in before if not _closes_a_figure(doc, left, x)]
    ordered = after[:1] + leading + after[1:] + [x for x in before if x not in leading]
    out: list[str] = []
    for x in ordered:
        if x[2] not in out:
            out.append(x[2])
    governing = {x[2] for x in after[:1] + leading}
    return out, sum(1 for name in out if name in governing)


def _party_spans(doc: Document, left: int, right: int) -> list[tuple[int, int, str]]:
    """The sentence's attributions, read once however many of its figures ask."""
    folded, text = doc.folded, doc.text
    spans: list[tuple[int, int, str]] = []  # (where the party is, where the cue starts, who)
    # the longer reading wins where both start ("a report in X" keeps X)
    cues = {m.start(): m for m in _AFTER_PREP.finditer(folded, left, right)}
    for m in _AFTER_PREP_SHORT.finditer(folded, left, right):
        cues.setdefault(m.start(), m)
    for m in cues.values():
        spans.append((m.start(1), m.start(), _named_after(folded, text, m.start(1), m.end(1))))
    for m in SPEECH.finditer(folded, left, right):
        subject = _subject_before(folded, left, m.start())
        if subject:
            spans.append((m.start(), m.start(), subject))
    for pattern in (_INVERTED, _LEARNED_FROM):
        for m in pattern.finditer(folded, left, right):
            if pattern is _INVERTED and not _AFTER_QUOTE.search(folded, left, m.start()):
                continue  # "A local leader said the attackers regrouped": no inversion
            spans.append((m.start(1), m.start(), _named_after(folded, text, m.start(1), m.end(1))))
    return [x for x in spans if x[2] and _a_party(x[2])]


def _a_party(phrase: str) -> bool:
    return (
        phrase not in PRONOUNS
        and not _INVERTED_PRONOUN.fullmatch(phrase)
        and not _JUNK.search(phrase)
        and not _DOCUMENT.fullmatch(phrase)
    )


_INVERTED_PRONOUN = re.compile(r"[\w']+-(?:t-)?(?:il|elle|ils|elles|on)")  # "avait-il"


def _opens_a_figure(doc: Document, span: tuple[int, int, str], right: int) -> bool:
    """A speaker's verb followed right away by another figure ("..., while the state
    ministry said 13 died"): the speaker gives that figure, not one before it. (A
    "selon X" after a figure stays that figure's.)"""
    where, cue, _ = span
    return where == cue and any(
        cue < q.start <= cue + 25 and q.start < right for q in doc.quantities
    )


def _closes_a_figure(doc: Document, left: int, span: tuple[int, int, str]) -> bool:
    """The attribution follows another figure of its sentence right away ("13
    blessés, selon la télévision"): it gives that figure. A figure inside the speaker's
    own noun phrase ("One resident gave a figure of 260") is the speaker, not a toll,
    and a speaker whose verb opens its own figure ("260 dead, the other said 320")
    closes none."""
    where, cue, _ = span
    if where == cue and any(cue < q.start <= cue + 25 for q in doc.quantities):
        return False
    return any(
        left <= q.start
        and (q.noun_end or q.end) <= cue
        and cue - (q.noun_end or q.end) <= 12
        and (where != cue or bool(re.search(r"[,;]", doc.folded[q.noun_end or q.end : cue])))
        for q in doc.quantities
    )


def _named_after(folded: str, text: str, start: int, end: int) -> str:
    """The party at [start, end), with its bracketed acronym ("la Mission des Nations
    unies en Centrafrique (Minusca)") or the name in apposition right after it if any."""
    party = _clean(folded[start:end])
    acronym = _ACRONYM_AFTER.match(folded, end)
    if acronym and party:
        return f"{party} ({acronym.group(1)})"
    m = _APPOSITION.match(text, end)
    return party + ", " + _clean(folded[m.start(1) : m.end(1)]) if m and party else party


_ACRONYM_AFTER = re.compile(r"\s*\(([\w\-]{2,12})\)")


def _subject_before(folded: str, left: int, verb: int) -> str | None:
    """The noun phrase right before a speech verb ("Governor X said", "l'armée a
    indiqué", "Residents told BBC")."""
    before = folded[max(left, verb - 80) : verb].rstrip()
    while True:  # "l'état-major a également [affirmé]": the auxiliary and adverbs go
        shorter = re.sub(
            r"\s+(?:has|have|had|also|later|on \w+|a|ont|aussi|egalement|pour sa part|encore"
            r"|deja|further|earlier|previously|precedemment|avait|avaient|aurait|auraient)$",
            "",
            before,
        )
        if shorter == before:
            break
        before = shorter.rstrip(" ,")  # "Youri Malachko, avait [fait état]"
    cut = max(
        (m.end() for m in re.finditer(r"[,;:\"\u00ab\u00bb\u201c\u201d()]", before)), default=0
    )
    chunk = before[cut:].strip()
    m = _SUBJECT_WORDS.search(chunk)
    if not m:
        return None
    words = m.group(1).split()
    # drop leading clause words ("the fighting had killed ... , the governor said")
    for stop in ("that", "que", "qu'", "and", "et", "but", "mais", "when", "as", "while"):
        if stop in words:
            words = words[len(words) - words[::-1].index(stop) :]
    return _clean(" ".join(words[-6:])) or None


def _clean(phrase: str) -> str:
    phrase = phrase.strip(" .,;:'\"")
    return _LEAD.sub("", phrase)
