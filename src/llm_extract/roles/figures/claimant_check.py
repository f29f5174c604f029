"""Whether the party a record says gives a figure is whoever the article has give it:
the attribution that governs the figure, the group named just before ("the group said"),
never a party the article says gave no figure, nor one that never speaks."""

from __future__ import annotations

import re

from llm_extract.roles.actors import speaks
from llm_extract.roles.clauses import mentions, previous_sentences
from llm_extract.roles.figures.claimants import declined
from llm_extract.roles.figures.counts import CountReading
from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import words
from llm_extract.text.grounding import Check, Document, check_name

UNATTRIBUTED = {"the article", "article", "unknown", "unattributed", "not stated", "none", ""}
GENERIC_WORDS = {"the", "a", "an", "of", "le", "la", "les", "l", "de", "des", "du", "d", "local",
            "source", "sources", "official", "officials", "officiel", "officielle", "s",
            "said", "says", "according", "to", "selon", "et", "and", "its", "his", "their", "un",
            "une", "ce", "cette", "ces", "this", "that", "same", "from", "by", "par", "for",
            "pour", "statement", "communique", "mr", "mrs", "ms", "dr", "m", "mme"}  # fmt: skip


# A gloss after a name, in brackets, that a record adds to say who the party is: "colonel
# Azem Bermandoa (porte-parole de l'armée)"; an acronym in brackets is part of the name.
_GLOSS = re.compile(r"\s*\((?=[^()]*[a-zà-ÿ][^()]*\s)[^()]*\)\s*$")


def party_name(written: str) -> str:
    """The name a record gives a party, without a bracketed gloss of its role."""
    return _GLOSS.sub("", written).strip() or written


def claimant_problem(
    doc: Document, q: Quantity, reading: CountReading, attributed_to: str
) -> Check | None:
    claimed = attributed_to.strip().lower()
    if claimed in UNATTRIBUTED:
        return None
    claimants = list(reading.claimants)
    if any(same_party(claimed, c) for c in reading.governing):
        return None
    named = check_name(doc, attributed_to)
    if (
        named.verdict == "supported"
        and any(_ANAPHOR.fullmatch(c) for c in reading.governing)
        and doc.aliases.actor_type(attributed_to) in (2, 3, 4)
        and any(a < q.start for a, _ in mentions(doc, attributed_to))
    ):
        return None  # "The group said it had killed 20": the group the article named before
    if named.verdict != "supported" and not claimants:
        return Check("unsupported", f"{attributed_to!r} is not named in the article",
                     q.start, q.end, code="wrong_claimant")  # fmt: skip
    spots = mentions(doc, attributed_to) if named.verdict == "supported" else []
    for a, b in spots:
        if declined(doc, a, b):
            return Check("unsupported", f"the article says {attributed_to!r} gave no figure",
                         a, b, code="wrong_claimant")  # fmt: skip
    left, right = doc.sentence_bounds(q.start, q.noun_end or q.end)
    before, _ = previous_sentences(doc, left, 2)
    _, after = doc.sentence_bounds(min(len(doc.text), right + 1), min(len(doc.text), right + 1))
    if not any(right < o.start < after and o.best == q.best for o in doc.quantities):
        after = right  # the sentence after speaks for this figure only if it repeats it
    nearby = [(a, b) for a, b in spots if before <= a < left or right < a <= after]
    if not claimants and spots and not any(speaks(doc, a, b) for a, b in spots):
        # nobody is cited near the figure, and the party never speaks in the article:
        # the rangers' employer, the attackers, the victims give no toll
        return Check("unsupported", f"the article never has {attributed_to!r} give a figure",
                     q.start, q.noun_end or q.end, code="wrong_claimant")  # fmt: skip
    rival = next((c for c in claimants if _speaker_like(doc, c)), None)
    if rival is None or nearby:
        return None
    return Check(
        "unsupported",
        f"the article gives {q.surface!r} from {rival!r}, not {attributed_to!r}",
        q.start, q.noun_end or q.end, code="wrong_claimant",
    )  # fmt: skip


# Nouns of those who give figures: a cited phrase with none of them and no proper name
# ("securitaire", "samedi", "other") is a misread, not a rival source.
_SPEAKER_NOUNS = re.compile(
    r"\b(?:officials?|officiels?|spokes\w+|porte-parole|sources?|residents?|habitants?|witness"
    r"|witnesses|temoins?|police|army|armee|military|militaires?|ministry|ministere|minister"
    r"|ministre|governor|gouverneur|mayor|maire|chief|chef|command\w*|authorities|autorites"
    r"|government|gouvernement|media|medias|television|radio|agency|agence"
    r"|observ\w+|ngo|ong|hospital|hopital|doctors?|medecins?|committee|comite|council|conseil"
    r"|groupe?|survivors?|survivants?|villagers?|villageois|notables?|elus?|deputy|depute"
    r"|president|prefe\w+|administra\w+|leaders?|responsables?|forces?|staff|etat-major"
    r"|office|bureau|rescuers?|secouristes?|red cross|croix-rouge|activists?"
    r"|militants|rebels?|rebelles?|insurgents?|gendarmerie|troops|soldiers?|soldats?|reporters?"
    r"|journalists?|journalistes?|people|gens|family|famille|relatives?|proches|eyewitness\w*"
    r"|accounts?|protection|defen[cs]e|secours|emergency|services?|health|sante)\b"
)


def _speaker_like(doc: Document, phrase: str) -> bool:
    """A cited phrase that reads as someone who can give a figure: a speaker's noun, or
    a proper name the article writes with a capital."""
    if _SPEAKER_NOUNS.search(phrase):
        return True
    return any(
        any(c.isupper() for c in doc.text[a:b]) and a > doc.sentence_bounds(a, b)[0]
        for a, b in mentions(doc, phrase)
    )


_ANAPHOR = re.compile(
    r"(?:the |le |la |les |l')?(?:group|groupe|movement|mouvement|militia|milice|organi[sz]ation"
    r"|insurgents|rebels|rebelles|militants|jihadists|djihadistes|jihadistes)"
)
_BODY_WORDS = {"army", "military", "armee", "forces", "force", "ministry", "ministere",
               "government", "gouvernement", "police", "spokesman", "spokesperson",
               "porte-parole", "office", "bureau", "officials",
               "officers", "authorities", "autorites", "command", "commandement", "media",
               "cell", "wing", "department", "agency", "agence", "services", "service"}  # fmt: skip


def _unelided(word: str) -> str:
    """ "l'etat" is "etat": a French article elided onto its noun."""
    return re.sub(r"^(?:l|d|qu|s|n|c|j)'", "", word)


def same_party(claimed: str, found: str) -> bool:
    """Whether two ways of naming who gives a figure name the same party."""
    a = {w for w in map(_unelided, words(claimed)) if w not in GENERIC_WORDS}
    b = {w for w in map(_unelided, words(found)) if w not in GENERIC_WORDS}
    if not a or not b:
        return True
    if a & b:
        only_a = {w.removesuffix("'s") for w in a - b - _BODY_WORDS}
        only_b = {w.removesuffix("'s") for w in b - a - _BODY_WORDS}
        # "the Michoacan ministry" is not "the federal ministry"; but "Mali's army" is
        # "the Malian army", and "the army's spokesman" is still the army
        return (
            not any(not any(x.startswith(y) or y.startswith(x) for y in only_b) for x in only_a)
            or not only_b
        )
    from llm_extract.text.names import find_name

    return find_name(found, claimed, None, loose=True) is not None
