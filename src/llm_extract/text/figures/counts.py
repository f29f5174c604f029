"""The words of a casualty count: fate cues, kinds of people, compatible qualifiers; the
check that uses them, clause by clause, is roles.figures.count_check."""

from __future__ import annotations

import re
from functools import lru_cache

from llm_extract.text.figures.numbers import Quantity
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document

# Words near a number that say what happened to the people counted (EN and FR).
CATEGORY_CUES: dict[str, tuple[str, ...]] = {
    "killed": ("kill", "dead", "death", "died", "die ", "slain", "neutrali", "eliminat",
               "massacre", "execut", "toll", "lives", "tue", "mort", "abattu", "deces",
               "perdu la vie"),
    "injured": ("wound", "injur", "hurt", "casualt", "blesse", "bless"),
    "abducted": ("abduct", "kidnap", "hostage", "taken captive", "enlev", "otage", "rapt"),
    "captured": ("captur", "arrest", "detain", "taken prisoner", "apprehend", "neutrali",
                 "surrender", "interpell", "arret", "prisonnier"),
    "missing": ("missing", "disappear", "unaccounted", "disparu"),
}  # fmt: skip
# Kinds of people, so that "80 soldiers" is not support for "80 militants".
VICTIM_CLASSES: dict[str, tuple[str, ...]] = {
    "armed": ("militant", "fighter", "jihadist", "terrorist", "insurgent", "assailant",
              "attacker", "rebel", "gunm", "extremist", "islamist", "combatant", "bandit",
              "djihadiste", "terroriste", "assaillant", "combattant", "insurge", "rebelle",
              "element", "jnim", "issp", "iswap", "gsim", "eigs", "boko", "group member",
              "shebab", "shabab", "hommes armes", "individus armes", "armed men", "kidnapper",
              "ravisseur", "suspect", " faction", " gang", " cartel", "taliban", "khwarij",
              "khawarij", "houthi", "maoist", "naxal", "separatist", "separatiste", "guerril",
              "guerill"),
    "forces": ("soldier", "troop", "servicem", "military personnel", "officer", "gendarme",
               "police", "army", "guard", "soldat", "militaire", "policier", "fama", "force",
               "vdp", "volunteer", "volontaire", "militiam", "milicien", "dozo", "douanier",
               "customs", "commando", "paratroop", "marine", "airm", "pilot", "recruit",
               "ranger", "jawan", "security personnel", "peshmerga", "mercenar", "auxiliar",
               "civil guard", "garde civil", "personnel", "security agent", "agents de securite",
               "taskforce", "task force", "vigilante", "peacekeep", "casque bleu", "casques bleus"),
    "civilians": ("civilian", "villager", "resident", "worker", "passenger", "child", "women",
                  "woman", " men ", "farmer", "herder", "student", "worshipper", "civil",
                  "habitant", "villageois", "enfant", "femme", "trader", "merchant",
                  "shopkeeper", "commercant", "driver", "chauffeur", "teacher", "enseignant",
                  "pupil", "eleve", "miner", "orpailleur", "cultivateur", "eleveur",
                  "agriculteur", "fisherm", "pecheur", "displaced", "deplace", "refugee",
                  "refugie", "pilgrim", "pelerin", "fidele", "traveller", "traveler",
                  "voyageur", "nurse", "doctor", "medecin", "aid worker", "humanitarian",
                  "humanitaire", "journalist", "journaliste", "chief", "chef", "imam",
                  "priest", "pretre", "elder", "notable", "mayor", "maire", "girl", "boy",
                  "fille", "garcon", "hostage", "otage", "medical personnel", "health personnel",
                  "personnel medical", "personnel soignant"),
}  # fmt: skip
# Words that count people of no side; "personnel" is not "person" (security personnel).
GENERIC_PEOPLE = re.compile(r" (?:people|persons?|individuals?|personnes?|gens|victim(?:e?s)?) ")
QUALIFIER_FAMILY = {
    "exact": {"exact"},
    "at_least": {"at_least"},
    "at_most": {"at_most"},
    "approximate": {"approximate", "vague"},
    "vague": {"vague", "approximate"},
    "range": {"range"},
}
CUE_WINDOW = 140
"""Characters between a quantity and the word that says what happened to those counted."""
CLAUSE_PENALTY = 60
"""A cue across "and" / a comma likely belongs to the neighbouring clause's figure."""
_CLAUSE_BREAK = re.compile(r",|;|\b(?:and|et|but|mais|while|whereas|alors que)\b")
# Each cue is a stem; the match runs to the end of its word, so "killed 32" and
# "32 killed" are equally close.
_CUE_PATTERNS = {
    name: re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, cues)) + r")[a-z']*")
    for name, cues in CATEGORY_CUES.items()
}


# An aside naming part of the figure, between it and its verb: it breaks no clause.
_PART_ASIDE = re.compile(
    r"^\s*,\s*(?:including|among them|among whom|mostly|dont|parmi (?:eux|elles|lesquels"
    r"|lesquelles)|pour la plupart)\b[^;:.]*?,\s*"
)


def nearest_categories(doc: Document, q: Quantity) -> set[str]:
    """The categories whose cue word is closest to the quantity in its sentence:
    "32 soldiers killed, three captured" gives captured for "three", killed for 32."""
    end = q.noun_end or q.end
    left, right = doc.sentence_bounds(q.start, end)
    best: dict[str, int] = {}
    folded = doc.folded
    for name, pattern in _CUE_PATTERNS.items():
        for found in pattern.finditer(folded, left, right):
            start, stop = found.span()
            between = folded[stop : q.start] if stop <= q.start else folded[end:start]
            if stop > q.start:  # "30 civilians, including 16 of one family, lost their lives"
                between = _PART_ASIDE.sub(" ", between, count=1)
            gap = len(between) + (CLAUSE_PENALTY if _CLAUSE_BREAK.search(between) else 0)
            if gap <= CUE_WINDOW:
                best[name] = min(best.get(name, gap), gap)
    if not best:
        return set()
    closest = min(best.values())
    return {name for name, gap in best.items() if gap == closest}


def counted_class(text: str, q: Quantity) -> str | None:
    """The class of whom a figure counts, read on its whole noun phrase ("10 armed men"
    are armed, "31 \u201cterrorists\u201d" too); None with no noun."""
    return victim_class(text[q.end : q.noun_end]) if q.noun_end else None


@lru_cache(maxsize=8192)
def victim_class(noun: str) -> str | None:
    """The one victim class a noun phrase's words name, or None. Cached: the verifier
    asks it of the same few phrases for every figure."""
    folded = " " + name_key(noun) + " "  # " men " is not the end of "gunmen"
    if GENERIC_PEOPLE.search(folded):
        return None
    # a cue inside a longer one does not count: "armed men" are armed, not " men "
    spans = [
        (at + len(stem) - len(stem.lstrip()), at + len(stem.rstrip()), name)
        for name, stems in VICTIM_CLASSES.items()
        for stem in stems
        if (at := folded.find(stem)) >= 0
    ]
    hits = sorted({
        name for a, b, name in spans
        if not any(x <= a and b <= y and (y - x) > (b - a) for x, y, _ in spans)
    })  # fmt: skip
    return hits[0] if len(hits) == 1 else None
