"""Actor candidates beyond the alias table: the noun phrases news prose uses for who
fought whom, in English and French.

Three shapes, each taken as the article writes it, modifiers included, because a coder
records "Nigerien soldiers" or "assaillants non identifiés", not the bare head noun:
1. a generic head noun for an armed or targeted group ("gunmen", "security forces",
   "hommes armés", "forces de défense et de sécurité", "civils") with the adjectives and
   names before it ("suspected jihadists", "ISIS militants", "the Sudanese army") and,
   in French, after it ("terroristes armés", "assaillants non identifiés");
2. a named group by its type word ("the Fano militia", "Gulf Clan", "le groupe 3R",
   "rebelles du M23");
3. an expansion with its acronym ("People's Defense Force (PDF)").
Heads are grouped by the side they usually stand for (ACLED actor types), so a record
can say who is state forces and who is civilians without asking a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from llm_extract.extraction.grounded.places import OPENING_WORDS
from llm_extract.text.figures.number_words import EN_NUMBER_WORDS, FR_NUMBER_WORDS
from llm_extract.text.fold import name_key
from llm_extract.text.forces import same_force
from llm_extract.text.grounding import Document
from llm_extract.text.sentences import title_cased

_NUMBER_WORDS = EN_NUMBER_WORDS | FR_NUMBER_WORDS

STATE, ARMED, CIVILIANS = 1, 2, 7  # ACLED actor types: state forces, rebel group, civilians
# Literal phrases, so one list builds both the patterns and the set of kind words.
_HEADS: dict[int, tuple[str, ...]] = {
    STATE: (
        "soldier", "soldiers", "troops", "army", "armed forces", "military", "security forces",
        "defence forces", "defense forces", "government forces", "forces", "police",
        "policemen", "policewomen", "police officers", "police officials", "gendarme",
        "gendarmes", "peacekeeper", "peacekeepers", "marines", "paratroopers", "junta",
        "national guard", "civil guard", "security personnel", "auxiliaries", "volunteers",
        "VDP", "soldat", "soldats", "militaire", "militaires", "armée", "forces armées",
        "forces de défense et de sécurité", "FDS", "forces de sécurité", "forces de l’ordre",
        "forces de l'ordre", "forces spéciales", "gendarmerie", "policier", "policiers",
        "police militaire", "casque bleu", "casques bleus", "garde nationale", "supplétifs",
        "volontaires",
    ),
    ARMED: (
        "gunmen", "armed men", "armed individuals", "attackers", "assailants", "militants",
        "insurgents", "jihadist", "jihadists", "terrorist", "terrorists", "bandits", "rebel",
        "rebels", "militia", "militias", "militiamen", "fighters", "extremists", "gang",
        "gangs", "gang members", "cartel members", "cartel", "mercenaries", "dissidents",
        "separatists", "armed group", "armed groups", "terrorist group", "terrorist groups",
        "jihadist group", "jihadist groups", "suicide bomber", "suicide bombers",
        "kidnappers", "hommes armés", "individus armés", "assaillants", "terroriste",
        "terroristes", "djihadiste", "djihadistes", "jihadiste", "jihadistes", "islamistes",
        "rebelle", "rebelles", "miliciens", "milice", "milices", "combattants",
        "bandits armés", "groupe armé", "groupes armés", "groupe armé terroriste",
        "groupes armés terroristes", "kamikaze", "kamikazes", "ravisseurs", "mercenaires",
        "insurgés",
    ),
    CIVILIANS: (
        "civilians", "villagers", "residents", "farmers", "herders", "fishermen",
        "worshippers", "students", "passengers", "travellers", "travelers", "miners",
        "traders", "displaced people", "women and children", "civils", "villageois",
        "habitants", "population", "populations", "agriculteurs", "éleveurs", "pêcheurs",
        "fidèles", "élèves", "passagers", "commerçants", "orpailleurs", "déplacés",
    ),
}  # fmt: skip


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first so none hides a longer one."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_ALL_HEADS = [head for heads in _HEADS.values() for head in heads]
_UPPER = "A-ZÀ-ÖØ-Þ"
_NAMEWORD = rf"(?:(?:al|el)-)?[{_UPPER}][\w’'\-]*"
_BEFORE_ADJ = (
    r"(?:suspected|alleged|unidentified|unknown|armed|heavily armed|local|federal|state"
    r"|government|security|Islamist|jihadist|Islamic State|terrorist|rival|allied|foreign"
    r"|regular|pro-government|anti-government)"
)
_AFTER_ADJ = (
    r"(?:armés|non identifiés|non identifiées|présumés|terroristes|djihadistes|jihadistes"
    r"|islamistes|maliens|burkinabè|nigériens|centrafricains|congolais|ukrainiennes|russes"
    r"|[a-zéèêàç]+(?:ais|aise|aises|iens|iennes|ien|ienne|ains|aines)\b)"
)
# A head may open its sentence ("Gunmen attacked ..."): its case is not a name's.
_GENERIC = re.compile(
    rf"(?<![\w’'\-])(?:{_NAMEWORD}(?:[’']s)?\s){{0,2}}(?:(?i:{_BEFORE_ADJ})\s){{0,2}}"
    rf"(?P<head>(?i:{_alternation(_ALL_HEADS)}))"
    rf"(?:\s(?:de la |du |de l’|de l')?{_NAMEWORD})?(?:\s{_AFTER_ADJ}){{0,2}}(?![\w’'\-])",
)
_TYPE_WORDS = r"militia|group|movement|front|brigade|clan|cartel|army|coalition|alliance"
_NAMED_GROUP = re.compile(
    rf"(?P<a>(?:{_NAMEWORD}\s){{1,3}})(?:{_TYPE_WORDS})\b"
    rf"|\b(?:groupe|mouvement|milice|rebelles du|rebelles de la|coalition|front)\s"
    rf"(?P<b>(?:{_NAMEWORD}|\d\w*)(?:\s{_NAMEWORD})?)"
)
_ACRONYM = re.compile(rf"(?P<long>(?:{_NAMEWORD}\s(?:of\s|for\s|de\s|du\s|des\s|and\s)?){{1,6}})"
                      r"\((?P<short>[A-Z][A-Za-z0-9\-]{1,10})\)")  # fmt: skip
_ORGANISATION = re.compile(
    r"\b(?:[Aa]rmy|[Aa]rmée|[Ff]orces?|[Ff]ront|[Mm]ovement|[Mm]ouvement|[Pp]arty|[Pp]arti"
    r"|[Gg]roups?|[Gg]roupe|[Ss]tate|[ÉE]tat|[Bb]rigades?|[Mm]ilitia|[Mm]ilice|[Oo]rgani[sz]ation"
    r"|[Cc]ouncil|[Cc]onseil|[Pp]olice|[Gg]uard|[Gg]arde|[Aa]lliance|[Cc]oalition|[Uu]nion"
    r"|[Ll]ib[ée]ration|[Rr][ée]sistance|[Dd][ée]fen[cs]e|[Jj]ihad|[Tt]aliban|[Cc]lan|[Cc]artel"
    r"|[Mm]ujahideen|[Aa]nsar|[Jj]ama|[Hh]arakat|[Kk]atiba|[Bb]attalion|[Bb]ataillon|[Cc]orps"
    r"|[Pp]rovince|[Ss]upport|[Ss]outien|[Pp]atriot\w*|[Cc]ommittee|[Cc]omit[ée])\b"
)
_HEAD_SIDE = {
    side: re.compile(rf"(?<![\w’'])(?:{_alternation(heads)})(?![\w’'])", re.IGNORECASE)
    for side, heads in _HEADS.items()
}


@dataclass(frozen=True)
class ActorMention:
    """An actor as the article names it; `actor_type` is ACLED's when the words say it."""

    name: str
    start: int
    end: int
    actor_type: int | None = None


def actor_type(name: str) -> int | None:
    """The ACLED actor type a phrase's head noun stands for, if it has one."""
    hits = [(m.start(), side) for side, p in _HEAD_SIDE.items() for m in p.finditer(name)]
    return max(hits)[1] if hits else None  # the last head noun is the phrase's head


# "HomeNewsSuspected": page furniture glued on (not "McDonald", "MacArthur", "DeKalb")
_GLUED = re.compile(r"^\w{3,}[a-zà-ÿ](?=[A-ZÀ-Þ][a-zà-ÿ])")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop what the pattern took in before the actor: page furniture glued to the first
    word, a leading article, a sentence opener, a number ("Thirty-three villagers")."""
    phrase = text[start:end]
    if glued := _GLUED.match(phrase):
        start += glued.end()
        phrase = phrase[glued.end() :]
    while True:
        first = phrase.split(" ", 1)
        if len(first) == 2 and (
            name_key(first[0]) in OPENING_WORDS
            or all(part in _NUMBER_WORDS for part in name_key(first[0]).split())
        ):
            start += len(first[0]) + 1
            phrase = first[1]
            continue
        return start, end


# A capitalised head that opens a proper name written the French way ("les rebelles ADF
# (Forces démocratiques alliées)", "un groupe des Forces de défense du peuple").
_NAME_GOES_ON = re.compile(r"\s(?:de|du|des|d’|d')\s|\s[a-zé]+(?:iques|ées|aires|ales)\b")


_NEGATOR = r"\b(?:no|aucune?|nul|nulle|not a single|not one)\s+"
_NEGATED_BEFORE = re.compile(rf"{_NEGATOR}$", re.I)
_NEGATED_START = re.compile(_NEGATOR, re.I)


def _negated(text: str, start: int, end: int) -> bool:
    return bool(
        _NEGATED_BEFORE.search(text, max(0, start - 16), start)
        or _NEGATED_START.match(text, start, end)
    )


def generic_actors(doc: Document) -> list[ActorMention]:
    """Every generic or named actor phrase, in reading order; "no group has claimed"
    names nobody."""
    text, found = doc.text, []
    for match in _GENERIC.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if _negated(text, start, end):
            continue
        if title_cased(text, start) and not is_generic(text[start:end]):
            continue  # "Mali Army Repels Jihadist Onslaught": a headline's capitals
        head = match["head"]
        if (
            text[start:end] == head
            and head[:1].isupper()
            and _NAME_GOES_ON.match(text, end)
            and doc.sentence_bounds(start, end)[0] < start
        ):
            continue  # the first word of a name it does not span
        if _ORGANISATION.fullmatch(text[start:end].rsplit(" ", 1)[-1]) and end > match.end("head"):
            end = match.end("head")  # "le groupe rebelle Mouvement du 23 mars": cut mid-name
        side = next((s for s, p in _HEAD_SIDE.items() if p.fullmatch(head)), None)
        if side is not None and end > start:
            found.append(ActorMention(text[start:end], start, end, side))
    for match in _NAMED_GROUP.finditer(text):
        start, end = _trim(text, *match.span())
        if title_cased(text, start) or _negated(text, start, end):
            continue
        if end > start and not re.fullmatch(r"(?:the|la|le) ?\w*", text[start:end], re.I):
            found.append(ActorMention(text[start:end], start, end, ARMED))
    expansions: dict[str, str] = {}  # folded expansion -> its acronym
    for match in _ACRONYM.finditer(text):
        start, end = _trim(text, match.start("long"), match.end("long"))
        long, short = text[start:end].strip(), match["short"]
        known = doc.aliases.actor_type(short) or doc.aliases.actor_type(long)
        if len(long.split()) < 2 or not (known or _ORGANISATION.search(long)):
            continue  # "Improvised Explosive Device (IED)", "République du Congo (RDC)"
        expansions[name_key(long)] = short
        found = [a for a in found if not (start <= a.start and a.end <= match.end())]
        kind = known or actor_type(long)
        found.append(ActorMention(short, match.start("short"), match.end("short"), kind))
    # the expansion written again later is the same actor, under its acronym
    found = [
        ActorMention(expansions.get(name_key(a.name), a.name), a.start, a.end, a.actor_type)
        for a in found
    ]
    return sorted(found, key=lambda a: (a.start, -a.end))


_NAMED = re.compile(rf"[{_UPPER}]")


def is_generic(name: str) -> bool:
    """A common-noun phrase ("the soldiers", "hommes armés"), no proper name in it."""
    return not any(_NAMED.match(word) for word in name.split()[1:]) and not (
        _NAMED.match(name) and name.split()[0].isupper()
    )


_AFFILIATION_BEFORE = re.compile(
    r"\b(?:affiliated (?:to|with)|linked (?:to|with)|allied (?:to|with)|loyal to|tied to"
    r"|aligned with|close to"
    r"|an offshoot of|a branch of|pledged allegiance to|affiliée?s? à|liée?s? à|proches? d[eu']"
    r"|allié(?:e|s|es)? d[eu']|fidèles? à|branche d[eu']|ayant prêté allégeance à)\s+"
    r"(?:the\s|l['’]|le\s|la\s|au\s)?(?:groupe?\s)?(?:\w+\s)?$",
    re.IGNORECASE,
)


_AFFILIATION_AFTER = re.compile(
    r"(?:-(?:linked|affiliated|allied|aligned)|(?:[’']s)?\s(?:\w+\s)?(?:affiliates?|branch"
    r"|offshoot|franchise)\b)",
    re.IGNORECASE,
)


def affiliation(doc: Document, mention: ActorMention) -> bool:
    """A group named only as what another is affiliated with ("JNIM, affiliated with
    al-Qaeda", "Al Qaeda-linked militants"): not a party to this incident."""
    before = doc.text[max(0, mention.start - 50) : mention.start]
    after = doc.text[mention.end : mention.end + 24]
    return bool(_AFFILIATION_BEFORE.search(before) or _AFFILIATION_AFTER.match(after))


def same_party(doc: Document, a: str, b: str) -> bool:
    """One party under two names: aliases, a phrase built on the other's name ("FAMa
    forces" and "FAMa", "ISIS militants" and "Islamic State"), or a shorter form of it
    ("rebelles du M23" and "M23", "New Generation Cartel" and the Jalisco one), or
    one state force's ("FARDC", "Forces armées de la RDC")."""
    if doc.aliases.same(a, b) or same_force(a, b, doc.aliases):
        return True
    first_a, first_b = a.split()[0], b.split()[0]
    if (len(a.split()) > 1 and doc.aliases.same(first_a, b)) or (
        len(b.split()) > 1 and doc.aliases.same(first_b, a)
    ):
        return True
    if _HEAD_SIDE[STATE].search(a) and _HEAD_SIDE[STATE].search(b):
        return False  # "Nigerian army", "Nigerian police": two forces of one state
    shorter, longer = sorted((_own_words(a), _own_words(b)), key=len)
    return bool(shorter) and shorter <= longer


_KIND_WORDS = frozenset(
    form
    for word in name_key(
        " ".join(_ALL_HEADS) + f" {_TYPE_WORDS.replace('|', ' ')} groupe mouvement milice"
    ).split()
    for form in (word, word.removesuffix("s"))
) | {"the", "le", "la", "les", "l", "of", "de", "du", "des", "d", "in", "en", "and", "et"}


def naming_rank(mention: ActorMention) -> tuple[int, bool]:
    """How a coder would name the party, best first: the fullest proper name ("Jalisco
    New Generation Cartel" over "New Generation Cartel"), then the name without the
    kind noun prose puts before it ("M23", not "rebelles du M23"; "FARC dissidents" keeps
    its word); among equals, the first."""
    own = _own_words(mention.name)
    first = name_key(mention.name).split()[:1]
    return (-len(own), bool(own) and first[0] not in own)


def _own_words(name: str) -> frozenset[str]:
    """The words that name this party, not its kind: "rebelle M23" -> {"m23"}."""
    return frozenset(name_key(name).split()) - _KIND_WORDS
