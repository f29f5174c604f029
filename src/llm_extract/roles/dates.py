"""Whether a date the article gives is the incident's: not the day somebody spoke,
published, visited or voted ("the army said on Thursday"), not the start of a period
("since May 10", "depuis 2014"), not history ("after coups in 2020", "last year").

A statement day is still an approximate date: at ACLED time precision 2 or 3 it may
stand for the incident (the text gives no other), at precision 1 it is another day.
"""

from __future__ import annotations

import re
from datetime import date

from llm_extract.roles.actors import reports_violence
from llm_extract.roles.clauses import earlier_tense, quote_span, segment
from llm_extract.roles.lexicon import CONFLICT_START
from llm_extract.text.dates import DateMention
from llm_extract.text.fold import fold
from llm_extract.text.grounding import Check, Document, short_period, supports

EVENT, STATEMENT, PERIOD_START, HISTORY, OTHER = (
    "event",
    "statement",
    "period_start",
    "history",
    "other_event",
)

_EVENT_WORD = re.compile(
    r"\b(?:attack|attaqu|kill|tue(?!sday)|tues|tuee|tuant|morts?|ambush|embuscade|clash|affront"
    r"|strike|frappe|bomb|explos|raid|assault|fighting|combat|massacr|abduct|enlev|shot"
    r"|fired|died|dead(?!line)|deaths?|wounded|blesse|offensive|assail|hit(?!her)|struck|incident"
    r"|killing|battle|bataille|drone|airstrike|shell|pilonn|incursion|siege|erupt|happen"
    r"|occur|survenu|perpetr|launched|lance)\w*"
)
# Words that make the day the one of a statement or of another act (before the date).
_ACT_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|told|stated|declared|confirmed|added|claimed"
    r"|declined|refused|published|released|posted|tweeted|passed|adopted|signed|canceled"
    r"|cancelled|suspended|met|visited|gave|given|issued|ceasefire|truce|deadline|visit"
    r"|visite|publie|publiee|donne|donnee|annonce|annoncee|indique|declare|precise|affirme"
    r"|confirme|rapporte|communique|signe|annule|suspendu|rencontre|treve|elections?"
    r"|scrutin|vote|statement|interview|briefing|press conference|conference de presse"
    r"|in a post|surfaced|came to light)\b(?P<gap>(?:\s+[\w'\-]+){0,5}?)\s*$"
)
_ACT_AFTER = re.compile(
    r"^(?:'s|\u2019s)?\s*(?:[\w'\-]+\s+){0,1}(?:claimed|said|announced|canceled|cancelled|declined"
    r"|reported|released|published|issue|edition|statement|briefing|elections?|vote|polls"
    r"|talks|meeting|a (?:indique|annonce|declare|revendique)|ont (?:indique|annonce|declare"
    r"|revendique)|national elections)\b"
)
_SINCE_BEFORE = re.compile(
    r"\b(?:since|depuis|a partir d[eu']?|ever since)\s+(?:(?:the|le|la|l'|les)\s+)?"
    r"(?:[\w'\-]+\s+){0,5}?$"
)
# "the conflict, which began in November 2020": the start of a war, not an attack's day
_BEGAN_BEFORE = re.compile(
    r"\b(?:which|that|qui|war|conflict|crisis|insurgency|rebellion|guerre|conflit|crise"
    rf"|insurrection|rebellion)\s+(?:\w+\s+){{0,2}}?{CONFLICT_START}\s+(?:in|on|en|le|au|at)?\s*$"
)
_ATTACK_NOUN = (
    r"(?:attacks?|assaults?|raids?|ambush|bombings?|strikes?|airstrikes?|clash(?:es)?"
    r"|massacres?|killings?|attaques?|attentats?|embuscades?|assauts?|frappes?|affrontements?"
    r"|combats?|tueries?)"
)
_EVENT_NOUN_AFTER = re.compile(rf"^(?:'s|\u2019s)?\s*(?:[\w\-]+\s+)?{_ATTACK_NOUN}\b")
_EVENT_NOUN_BEFORE = re.compile(rf"\b{_ATTACK_NOUN}\s+(?:de|du|d'|of|on)\s*(?:la\s+|le\s+)?$")
_OTHER_EVENT = re.compile(
    r"\b(?:separate|other|earlier|previous|another|autres?|precedente?s?|distinct)\s+"
    r"(?:attacks?|attaques?|incidents?|raids?|ambush(?:es)?|embuscades?|attentats?)\b"
)
_LONGEST_EVENT_DAYS = 366
"""An incident lasts a day, a week or a month (ACLED time precision); a span of years
is a period the text recalls."""
_SINCE_OWN = re.compile(r"(?:since|depuis)\b")  # words a quote points to: "depuis quatre mois"
_STATISTIC = re.compile(r"%|\b(?:percent|per cent|pour cent|surged|soared|plunged)\b")
_LAST_YEAR = re.compile(r"\b(?:last year|l'an dernier|l'annee derniere|l'an passe)\b")


_RESTATES = re.compile(r"\s*[(\[,]\s*")
_WIRE_DATELINE = re.compile(r"\s*(?:\([^()\n]{1,30}\))?\s*(?::|[-\u2013\u2014]\s)")


def date_role(doc: Document, m: DateMention, quiet_is_other: bool = False) -> str:
    """event | statement | period_start | history | other_event for the article's date
    mention; with `quiet_is_other`, a date whose sentence reports no violence is
    another event's (for a record's calendar date; words a quote points to may be no
    date at all)."""
    folded = doc.folded
    restated = next((p for p in doc.dates if _RESTATES.fullmatch(doc.text, p.end, m.start)), None)
    if restated is not None:  # "announced on Sunday (August 1st)": the day before's role
        return date_role(doc, restated, quiet_is_other)
    left, right = segment(doc, m.start, m.end, weak=True)
    before = folded[max(left, m.start - 60) : m.start]
    after = folded[m.end : min(right, m.end + 40)]
    if (
        _SINCE_BEFORE.search(folded[max(left, m.start - 45) : m.start])
        or _SINCE_WHEN.match(folded, m.start)
        or _SINCE_OWN.match(folded, m.start)
        or _BEGAN_BEFORE.search(before)
    ):
        return PERIOD_START
    if _EVENT_NOUN_AFTER.match(after) or _EVENT_NOUN_BEFORE.search(before):
        return EVENT  # "a Thursday attack", "l'attaque de dimanche"
    if doc.dateline is not None and m.start == doc.dateline.start:
        return STATEMENT  # the day the article was written
    line_start = doc.text.rfind("\n", 0, m.start) + 1
    if m.start - line_start <= 40 and _WIRE_DATELINE.match(doc.text, m.end):
        return STATEMENT  # "Manila [Philippines], November 4 (ANI/Xinhua): ..."
    act = _ACT_BEFORE.search(before)
    if act and not _EVENT_WORD.search(act.group("gap")):
        return STATEMENT
    if _ACT_AFTER.match(after):
        return STATEMENT
    if _OTHER_EVENT.search(folded, max(0, m.start - 50), m.start) or _STATISTIC.search(
        folded, left, right
    ):
        return OTHER  # "in two separate attacks, last Sunday", "attacks in January surged 42%"
    if m in doc.dates and earlier_tense(doc, *_told_with(doc, m, left, right), reports_too=True):
        return OTHER  # "Le 9 août, cinq soldats avaient été tués": before the story's events
    if m.first and m.last and (m.last - m.first).days > _LONGEST_EVENT_DAYS:
        return HISTORY  # "le conflit ... de 2013 à 2015": an era, not an incident's days
    written = doc.published.year if doc.published else doc.latest_year
    own = folded[m.start : min(right, m.end + 12)]
    past = m.first is not None and written is not None and m.first.year < written
    if (past and m.precision >= 3) or _LAST_YEAR.search(own):
        return HISTORY
    if quiet_is_other and not reports_violence(doc, m.start, m.end):
        return OTHER  # "l'état d'urgence a été décrété le 13 juin", "pledged allegiance in 2012"
    return EVENT


def _told_with(doc: Document, m: DateMention, left: int, right: int) -> tuple[int, int]:
    """The clause that tells what happened at the date: its own comma-bounded segment,
    or the next one when the date stands alone in front ("Le 9 août, cinq soldats ...")."""
    words = re.findall(r"[a-z]+", doc.folded[left : m.start] + " " + doc.folded[m.end : right])
    if len(words) > 2 or right >= len(doc.text):
        return left, right
    _, sentence_end = doc.sentence_bounds(m.start, m.end)
    nxt = right + 1
    while nxt < sentence_end and not doc.text[nxt].isalnum():
        nxt += 1
    if nxt >= sentence_end:
        return left, right
    return left, segment(doc, nxt, nxt + 1, weak=True)[1]


# "since February, when seven soldiers died": the start of a period, dated by an
# earlier event the clause after it tells.
_SINCE_WHEN = re.compile(r"(?:since|depuis)\s+[^,;.]{1,30},\s*(?:when|lorsque|quand|ou)\b")


def check_date_role(
    doc: Document,
    found: Check,
    quote: str | None,
    when: tuple[date | None, date | None],
    text: str = "",
    precision: int = 1,
    anchors: tuple[tuple[int, int], ...] = (),
) -> Check:
    """A date the article gives only for something else (a statement, a visit, the
    start of a period, history) is not the incident's. Every mention of the record's
    days is read, one that dates the event is enough; a record with no calendar date is
    read at the mention its quote and date words point to. `anchors`: where the
    record's places and counts are quoted (a date of "separate attacks" is theirs when
    the record is about them)."""
    first, last = when
    if first and last and (last - first).days > _LONGEST_EVENT_DAYS:
        return Check("unsupported", f"{first}..{last} is a period of years the text recalls, "
                     "not an incident's days", code="other_event")  # fmt: skip
    if found.verdict == "supported" and first and last:
        spots = [m for m in doc.dates if supports(doc, m, first, last)]
        span = quote_span(doc, quote)
        quoted = [m for m in spots if span and span[0] <= m.start and m.end <= span[1]]
        spots = quoted or spots  # where the record says the article gives its date
    elif found.verdict == "unverifiable":
        spots = _quoted_mentions(doc, quote, text)
    else:
        return found
    if not spots or not _gives_a_clause(doc, quote):
        return found
    dated = found.verdict == "supported"
    roles = [(date_role(doc, m, quiet_is_other=dated), m) for m in spots]
    for role, m in roles:
        if role == EVENT or (role == STATEMENT and precision >= 2):
            return found
        if role == OTHER and _anchored(doc, m, anchors):
            return found  # "another" attack, but the one this record's places are of
        if role == PERIOD_START and first and last and short_period(m, first, last):
            return found  # "since Friday" dates the days of fighting the record codes
    role, m = roles[0]
    why = {
        STATEMENT: "is the day of a statement or of another act, not of the incident (at "
        "precision 1; an approximate date may use it at precision 2)",
        PERIOD_START: "starts a period ('since ...'), it is not the incident's day",
        HISTORY: "dates history or another year, not the incident",
        OTHER: "dates another attack or a statistic, not the incident",
    }[role]
    return Check("unsupported", f"{doc.text[m.start : m.end]!r} {why}", m.start, m.end,
                 code="other_event")  # fmt: skip


def _anchored(doc: Document, m: DateMention, anchors: tuple[tuple[int, int], ...]) -> bool:
    """The sentence of the mention holds a quote of the record's own places or counts."""
    left, right = doc.sentence_bounds(m.start, m.end)
    return any(left <= a and b <= right for a, b in anchors)


def _quoted_mentions(doc: Document, quote: str | None, text: str) -> list[DateMention]:
    """The article's date mentions inside the quote that the record's date words name."""
    span = quote_span(doc, quote)
    if span is None:
        return []
    inside = [m for m in doc.dates if span[0] <= m.start and m.end <= span[1]]
    wanted = set(re.findall(r"[a-z0-9]+", fold(text)))
    named = [
        m for m in inside if wanted & set(re.findall(r"[a-z0-9]+", doc.folded[m.start : m.end]))
    ]
    if named or inside:
        return named or inside
    at = doc.folded.find(fold(text).strip(), span[0], span[1]) if text.strip() else -1
    if at < 0:
        return []
    end = at + len(text.strip())
    return [DateMention(at, end, doc.text[at:end], None, None, 3, True, False)]


def _gives_a_clause(doc: Document, quote: str | None) -> bool:
    """Whether the quote holds more than date words ("on Sunday (August 1st)")."""
    span = quote_span(doc, quote)
    if span is None:
        return False
    rest = doc.folded[span[0] : span[1]]
    for m in doc.dates:
        if span[0] <= m.start and m.end <= span[1]:
            rest = rest.replace(doc.folded[m.start : m.end], " ")
    return any(w not in _DATE_FILLER for w in re.findall(r"[a-z]{3,}", rest))


_DATE_FILLER = {"the", "night", "morning", "evening", "afternoon", "between", "and", "from",
                "until", "nuit", "matin", "soir", "entre", "dans", "depuis", "last", "this",
                "dernier", "derniere", "early", "late", "during", "pendant"}  # fmt: skip
