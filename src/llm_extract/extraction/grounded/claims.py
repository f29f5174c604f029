"""Non-numeric claims read off the article, for the grounded strategy: who says what.

A tiny model cannot paraphrase a claim reliably, but news prose states claims in a few
fixed shapes, and the article's own words are the best statement anyway:

1. SPEAKER VERB [that | to have] CLAIM   "JNIM declared that it had acquired ..."
   ("claimed responsibility for X" keeps its verb: the responsibility is the claim)
2. CLAIM, according to SPEAKER.         "Insurgents suffered casualties ..., according
                                          to Army spokeswoman Souleymane Dembele."
3. “CLAIM,” said SPEAKER                 a quotation and its attribution
4. X, claimed by SPEAKER                 "The attacks, claimed by ... (JNIM)"

A clause joined by ", boasting that" / ", saying that" / "; " is a claim of its own; a
claim ends where a subordinate clause starts (", though", ", despite", " in a" ...).
Figures of people are counts, not claims, so the chunk holding one is cut out, and
a claim left with fewer than MIN_WORDS words is dropped.

Speakers: the article's actors (alias table, acronyms), a titled person ("Colonel
Souleymane Dembélé" -> the name), "<kind> sources", and "the army / the military",
which is the article's own state-forces actor when it names one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llm_extract.extraction.grounded.actors import ActorMention, affiliation, is_generic
from llm_extract.extraction.grounded.candidates import quote_around
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document

MAX_CLAIMS = 6
MIN_WORDS = 3
_NAME = r"[A-ZÀ-Ý][\w’'\-]+(?: [A-ZÀ-Ý][\w’'\-]+){1,3}"
_TITLE = (r"(?:Col(?:onel|\.)?|Gen(?:eral|\.)?|Lt\.?|Lieutenant|Major|Captain|Capt\.|"
          r"Minister|President|Governor|Mayor|Commander|spokes(?:man|woman|person)|"
          r"porte-parole|ministre)")  # fmt: skip
_PERSON = re.compile(rf"\b{_TITLE}(?: [\w’'\-]+){{0,3}}? (?P<name>{_NAME})")
_SOURCES = re.compile(
    r"\b(?:[Ss]ecurity|[Mm]ilitary|[Ll]ocal|[Oo]fficial|[Mm]edical|[Hh]ospital|[Gg]overnment"
    r"|[Aa]rmy|[Dd]iplomatic|[Hh]umanitarian) sources\b"
)
_THE_ARMY = re.compile(r"\b[Tt]he (?:[A-Z][\w’']+ )?(?:army|military|armed forces|junta)\b")
_VERB = re.compile(
    r"\b(?:said|says|claimed|claims|claiming|declared|announced|confirmed|stated|indicated"
    r"|reported|told|boasted|insisted|asserted|affirmé|annoncé|revendiqué|déclaré)\b"
)
_THAT = re.compile(r"\b(?:that|que|qu’|qu')\s*")
_OPENER = re.compile(
    r"^(?:that |to have |to |it had |it has |they had |they have |its forces |il a |ils ont )+"
)
_SPLIT = re.compile(r",? (?:boasting|saying|adding|insisting|claiming|noting) that |; ")
_STOP = re.compile(
    r",? (?:though|although|despite|but|while|whereas|amid|after|following|during|as part of"
    r"|which|who|in a|in an|in the process|broadcast|according to)\b|,? “|[.;:!?](?:\s|$)"
)
_QUOTED = re.compile(r"[“\"](?P<claim>[^”\"]{10,400}?)[,.]?[”\"],? (?:said|says|added|declared)"
                     r" (?P<speaker>.{2,120})")  # fmt: skip
_ACCORDING = re.compile(r"^(?P<claim>.{10,400}?), according to (?P<speaker>.{2,160})$")
_CLAIMED_BY = re.compile(r"(?P<what>\b[Tt]he [\w ]{3,40}), claimed by (?P<speaker>.{2,160})")


@dataclass(frozen=True)
class _Speaker:
    name: str
    start: int  # sentence offsets
    end: int


def claims_in(doc: Document, actors: list[ActorMention]) -> list[dict[str, str]]:
    """Claims of the whole article, in reading order, each once. Speakers are named
    actors: "soldiers said" is not who claims, nor a group named as an affiliation."""
    actors = [
        a
        for a in actors
        if (not is_generic(a.name) or doc.aliases.actor_type(a.name)) and not affiliation(doc, a)
    ]
    claims: list[dict[str, str]] = []
    seen: set[str] = set()
    state = next((a.name for a in actors if _is_state(a.name)), None)
    for left, right in _sentences(doc):
        sentence = doc.text[left:right]
        people = [q for q in doc.quantities if left <= q.start < right and _of_people(q)]
        for claimant, statement in _claims_of(sentence, actors, state):
            for part in _SPLIT.split(statement):
                text = _clean(part, sentence, people, left)
                key = name_key(text)
                if len(key.split()) >= MIN_WORDS and key not in seen:
                    seen.add(key)
                    claims.append(
                        {
                            "claimant": claimant[:120],
                            "statement": text[:240],
                            "quote": quote_around(doc, left, right),
                        }
                    )
    return claims[:MAX_CLAIMS]


def _sentences(doc: Document) -> list[tuple[int, int]]:
    found, position = [], 0
    while position < len(doc.text):
        left, right = doc.sentence_bounds(position, position)
        if right > left:
            found.append((left, right))
        position = max(right + 1, position + 1)
    return found


def _of_people(q: Quantity) -> bool:
    return q.is_count_of_people is True


def _is_state(name: str) -> bool:
    folded = name_key(name)
    return folded in {"fama", "fa ma"} or any(w in folded for w in ("army", "military", "forces"))


def _claims_of(
    sentence: str, actors: list[ActorMention], state: str | None
) -> list[tuple[str, str]]:
    found = []
    for pattern, field, prefix in (
        (_QUOTED, "claim", ""),
        (_ACCORDING, "claim", ""),
        (_CLAIMED_BY, "what", "claimed "),
    ):
        match = pattern.search(sentence.strip())
        speaker = match and _first_speaker(match["speaker"], actors, state)
        if match and speaker:
            what = match[field][0].lower() + match[field][1:] if prefix else match[field]
            found.append((speaker.name, prefix + what))
    speakers = _speakers(sentence, actors, state)
    for verb in _VERB.finditer(sentence):
        before = [s for s in speakers if s.end <= verb.start() and verb.start() - s.end <= 40]
        if not before:
            continue
        speaker = max(before, key=lambda s: s.end)
        rest = sentence[verb.end() :]
        if verb.group().startswith("claim") and rest.lstrip().startswith("responsibility"):
            statement = "claimed " + rest.strip()
        else:
            that = _THAT.search(rest, 0, 60)
            statement = rest[that.end() :] if that else rest
        found.append((speaker.name, statement))
    return found


def _speakers(sentence: str, actors: list[ActorMention], state: str | None) -> list[_Speaker]:
    found = [_Speaker(m["name"], m.start(), m.end()) for m in _PERSON.finditer(sentence)]
    found += [_Speaker(m.group(), m.start(), m.end()) for m in _SOURCES.finditer(sentence)]
    if state:
        found += [_Speaker(state, m.start(), m.end()) for m in _THE_ARMY.finditer(sentence)]
    for actor in {a.name for a in actors}:
        pattern = re.compile(rf"(?<![\w]){re.escape(actor)}(?![\w])")
        found += [_Speaker(actor, m.start(), m.end()) for m in pattern.finditer(sentence)]
    return sorted(found, key=lambda s: (s.start, -s.end))


def _first_speaker(text: str, actors: list[ActorMention], state: str | None) -> _Speaker | None:
    speakers = [s for s in _speakers(text, actors, state) if s.start <= 80]
    return speakers[0] if speakers else None


def _clean(part: str, sentence: str, people: list[Quantity], left: int) -> str:
    """The claim up to its first subordinate clause, with chunks stating figures cut."""
    text = part.strip(' ,:;"“”')
    text = _OPENER.sub("", text)
    if stop := _STOP.search(text, 8):
        text = text[: stop.start()]
    at = sentence.find(text)
    if at >= 0:
        for q in sorted(people, key=lambda q: q.start, reverse=True):
            start, end = q.start - left - at, (q.noun_end or q.end) - left - at
            if 0 <= start < len(text):
                chunk_start = max(text.rfind(", ", 0, start) + 2, 0) if ", " in text[:start] else 0
                tail = re.search(r", | and ", text[end:])
                chunk_end = end + tail.end() if tail else len(text)
                text = text[:chunk_start] + text[chunk_end:]
    text = re.sub(r"^(?:and|et) ", "", text.strip(" ,"))
    return text.strip(" ,")
