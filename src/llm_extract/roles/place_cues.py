"""More of what the words around a name say about it as a place: who or what it names
when it is no place (an outlet, a community, a gang, a festival, a pet), when it is only
background (where people live, where a summit met, where missiles were fired from, a
government named by its capital), when only a reference (a suburb, a road's end, a
town "which lies 120 km" away). Folded text; grammatical cues, no names."""

from __future__ import annotations

import re

from llm_extract.text.grounding import Document

# Before the name: what it is when it is no place.
NOT_PLACE_BEFORE = re.compile(
    r"\b(?:newssheet|newspaper|news channel|channel|chaine|broadcaster|station|network|outlet"
    r"|magazine|daily|weekly|agency|agence|charity|charity group|ngo|ong|gang|militia|milice"
    r"|cartel|faction|party|parti|group|groupe|fete|festival|feast|holiday|celebration"
    r"|ceremony|ceremonie|s'exprimant sur|speaking on|speaking to|au micro d[eu']?|interview"
    r"|interview with|community|tribe|clan)(?:(?:\s+[a-z]+){1,2}(?=\s+(?:de|of|du)\b|\s*d'))?"
    r"\s*[,:]?\s*"
    r"(?:the\s+|la\s+|le\s+|les\s+|l'|de\s+(?:la\s+|l')?|d'|of\s+(?:the\s+)?)?"
    r"[\"'\u00ab\u201c\s]*$"
)
# "the Viagras, a local gang", "the Hmar community", "X (MSF)"
NOT_PLACE_AFTER = re.compile(
    r"^[\"'\u00bb\u201d\s]*(?:community|communities|communaute|tribe|tribu|clan|ethnic group"
    r"|people|gang|militia|group|party|newspaper|channel|radio|tv)\b"
)
_NAMED = re.compile(r"\b(?:named|name|called|dubbed|nommee?|appelee?|surnommee?)\s+$")
_PLACE_NAMED = re.compile(
    r"\b(?:village|town|city|locality|localite|area|district|hamlet|camp|region|commune"
    r"|ville|quartier|neighbourhood|neighborhood)\s+(?:\w+\s+)?(?:named|called|nommee?|appelee?)\s+$"
)
_ORG_PHRASE = re.compile(
    r"\b(?:mission|nations|organi[sz]ation|relations|services|ministry|ministere|agency"
    r"|agence|office|council|conseil|committee|comite|forces|army|armee|front|movement"
    r"|mouvement|party|parti|group|groupe|league|ligue|union|alliance|coalition|media|radio"
    r"|news|press|presse|television|centre|center|institute|institut|foundation|fondation)\b"
)
# After the name: a capital or a country that speaks, denies, accuses: its government.
STANCE_AFTER = re.compile(
    r"^\s*(?:(?:le|la|les|l'|has|have|had|a|ont|also|aussi|egalement)\s+){0,2}(?:nie|nient"
    r"|denies|denied|deny|accuse|accusent|accused|accuses|said|says|claims|claimed|affirm\w*"
    r"|declare\w*|announced|annonce|condemn\w*|condamn\w*|insist\w*|warn\w*|reported|rapporte"
    r"|indique|estime|assure|rejett\w*|rejects?|rejected|demand\w*|exige\w*|soutient|supports?)\b"
)
# Before the name: where people live or come from, a summit, a launch site, the
# governments a dispute is between ("territories disputed between Erbil and Baghdad").
_SIDE = (
    r"(?:north|south|east|west|central|nord|sud|est|ouest|centre)(?:ern|-?(?:east|west)(?:ern)?"
    r"|-?(?:est|ouest))?"
)
BACKGROUND_BEFORE = re.compile(
    r"\b(?:living in|lives in|lived in|live in|resident of|residents of|residing in|native of"
    r"|originaires? d[eu']?|habitants? d[eu']?|vivant a|vivant dans|vit a|vivent a"
    r"|residant a|(?:mini-)?sommet d[eu']?|summit in|summit of|conference d[eu']?"
    r"|conference in|accords? d[eu']?|agreement|fired from|launched from|tirees? depuis"
    r"|tires? depuis|lancees? depuis|lances? depuis|depuis|retiree? dans|retires? dans"
    r"|based in|headquartered in|basee? (?:en|a|au|dans)|basees? (?:en|a|au|dans)"
    r"|installee? (?:en|a|au)|siege (?:en|a|au)"
    r"|(?:disputed|disputes?|contestes?|vacuum|tensions?|talks|relations|negotiations"
    r"|negociations|rivalry|rift|deal|agreement|accord) (?:between|entre))"
    r"(?:\s*,?\s+|(?<=')|(?<=d[eu]))(?:(?:the|la|le|les|de|du|des|town|city|ville|village"
    rf"|capital|capitale|of|regional|provincial|regionale|provinciale|{_SIDE})\s*,?\s+|l')*$"
)
# A place the text says someone means to go to or take, not one where it happened: "the
# factions aim to next capture the cities of Kobani and Tabaqa", "menacent d'attaquer X".
INTENT_BEFORE = re.compile(
    r"\b(?:aims?|aimed|aiming|plans?|planned|planning|intends?|intended|intending|seeks?"
    r"|seeking|threatens?|threatened|threatening|vows?|vowed|vowing|hopes?|wants?)\s+to\b"
    r"[^.;:]*$"
    r"|\b(?:vise(?:nt)?|visant|entend(?:ent)?|prevoi(?:en)?t|prevoyant|menace(?:nt)?|menacant"
    r"|projette(?:nt)?|veu(?:t|lent)|compte(?:nt)?)\s+(?:a|de|d')\s*[^.;:]*$"
)
# The place of an earlier attack the text counts time from: "depuis l'attentat de Grand
# Bassam", "since the massacre in X".
SINCE_EVENT_BEFORE = re.compile(
    r"\b(?:since|depuis)\s+(?:the\s+|l'|le\s+|la\s+|les\s+)?(?:\w+\s+)?(?:attacks?|attentats?"
    r"|attaques?|massacres?|bombings?|raids?|assaults?|tuerie|siege|fall|chute|capture|prise)"
    r"\s+(?:of|on|in|at|de|du|d'|a|contre)\s*(?:the\s+|la\s+|le\s+|l')?$"
)
# The sentence is about history or what is usual there.
HISTORY_SENTENCE = re.compile(
    r"\b(?:repeated|repeatedly|regularly|regulierement|frequently|frequemment|often|souvent"
    r"|has seen|have seen|has witnessed|have witnessed|a connu|ont connu|years-long"
    r"|decade-long|for years|depuis des annees|has spread|have spread|s'est etendue?"
    r"|in the past|par le passe|usually|generalement|habituellement)\b"
)
# A clause that only narrows the one before it: ", mostly in X", ", notamment à X".
_FOCUS = re.compile(
    r"\s*(?:mostly|mainly|largely|especially|particularly|notably|chiefly|primarily|surtout"
    r"|notamment|principalement|en particulier|essentiellement)\s+(?:in|at|a|au|aux|dans|en)\s"
)
REFERENCE_BEFORE = re.compile(
    r"\b(?:banlieue d[eu']?|suburbs? of|suburb|faubourg d[eu']?|(?:highway|road|route|axe"
    r"|autoroute)\s+(?:connecting|linking|joining|reliant|between|entre|from|de)\s+(?:the\s+"
    r"towns?\s+of\s+|les\s+villes\s+de\s+)?(?:[\w'\-]+\s+(?:and|et|a)\s+)?)\s*(?:la\s+|le\s+|l')?$"
)
REFERENCE_AFTER = re.compile(
    r"^[^.;]{0,90}?\b(?:lies|located|situated|situee?|se trouve|which is)\s+(?:about\s+|some\s+"
    r"|environ\s+|a\s+)?\d+\s*(?:km|kilomet|miles)"
)
# "La localité de Ngakobo, située à 30 km de Bambari, a été attaquée": where it lies,
# then what happened to it; the distance is Bambari's, the event Ngakobo's.
LOCATED_THEN_HIT = re.compile(
    r"\s*,\s*(?:which\s+)?(?:lies|located|situated|situee?)[^,;.]{0,80},\s*(?:a|ont|was|were"
    r"|has|had)\s+(?:ete\s+|been\s+)?(?:\w+\s+)?(?:attaqu|frapp|attack|struck|hit|raid|target"
    r"|cibl|bombard|shell|pill|loot|incendi|burn|overrun|envahi)"
)
# "ont attaqué le village Nguni, situé à environ 4 km de ...": the place hit, where it lies
HIT_BEFORE = re.compile(
    r"\b(?:attaque\w*|frappe\w*|vise\w*|cible\w*|attacked|struck|hit|raided|stormed"
    r"|targeted|shelled|bombed)\s+(?:(?:the|le|la|les|l')\s*)?(?:(?:village|town|city"
    r"|localite|ville|commune)\s+(?:of\s+|de\s+|d')?)?$"
)
_KM_FAR = re.compile(
    r"(?:\d[\d\s.,]*|une?\s+\w+aine|\w+)\s*(?:km|kms|kilometres?|kilometers?|miles?)\b"
    r"[^,;.]{0,80}$"
)


def flat_before(doc: Document, start: int) -> str:
    """The text before the name with bracketed asides removed ("à une vingtaine de km
    de (la ville de) Niafunké"), when a bracket comes right before it: what governs the
    name across them. Empty otherwise."""
    left, _ = doc.sentence_bounds(start, start)
    near = doc.folded[max(left, start - 40) : start]
    if "(" not in near and ")" not in near:
        return ""
    flat = re.sub(r"\([^()]*\)", " ", doc.folded[max(left, start - 160) : start])
    return re.split(r"[;:,]", flat.rstrip(" ("))[-1] + " "


def history_sentence(doc: Document, start: int, end: int, seg: tuple[int, int]) -> bool:
    """History or what is usual, in the name's clause, in the clause a "mostly in X"
    narrows, or in a sentence the name opens ("Segou, a strategic hub ..., has seen
    repeated clashes")."""
    if HISTORY_SENTENCE.search(doc.folded, *seg):
        return True
    left, right = doc.sentence_bounds(start, end)
    if _FOCUS.match(doc.folded, seg[0], start) and HISTORY_SENTENCE.search(
        doc.folded, left, seg[0]
    ):
        return True  # "Pakistan has witnessed an uptick in attacks, mostly in KP"
    return start - left <= 3 and bool(HISTORY_SENTENCE.search(doc.folded, left, right))


def far_from(doc: Document, start: int) -> bool:
    """A distance phrase governs the name across brackets ("three kilometers away from
    the detachment in Barangay (village) Benli")."""
    flat = flat_before(doc, start)
    return bool(flat) and bool(_KM_FAR.search(flat))


# "invaded Kuchi community in Munya Local Government Area": a village, as Nigerian news
# writes it; "the Hmar community in Manipur" (with its article) is a people.
_SETTLEMENT = re.compile(r"\s+communit(?:y|ies)\s+(?:in|of|near)\s+[A-Z]")
_ARTICLE_END = re.compile(r"\b(?:the|a|an|this|that)\s+$")


def _settlement(doc: Document, end: int, before: str) -> bool:
    return bool(_SETTLEMENT.match(doc.text, end)) and not _ARTICLE_END.search(before)


def not_a_place(doc: Document, start: int, end: int, before: str, after: str) -> bool:
    """Outlets, communities, gangs, festivals, names of pets; a bracketed acronym of an
    organisation; a name never written with a capital (an adjective)."""
    original = doc.text[start:end]
    if not any(c.isupper() for c in original) and original.strip():
        return True  # "un meeting politique baloutche"
    if NOT_PLACE_BEFORE.search(before):
        return True
    if NOT_PLACE_AFTER.match(after) and not _settlement(doc, end, before):
        return True
    if _NAMED.search(before) and not _PLACE_NAMED.search(before):
        return True
    inside = doc.folded[max(0, start - 1) : start] == "(" and doc.folded[end : end + 1] == ")"
    if inside and _DATELINE_OUTLET.match(doc.text, doc.text.rfind("\n", 0, start) + 1):
        return True  # "KENSCOFF, dimanche 20 avril 2025 (RHINEWS)": the outlet
    if not inside or _PLACE_BEFORE_BRACKET.search(doc.folded, max(0, start - 40), start - 1):
        return False  # "à Djugu (Ituri)": the region of the place before the bracket
    return bool(_ORG_PHRASE.search(doc.folded[max(0, start - 70) : start]))


# A place phrase right before the bracket: "à Djugu (", "in the town of Dibis (".
_PLACE_BEFORE_BRACKET = re.compile(
    r"\b(?:a|au|in|at|near|pres de|dans|de la localite de|du village de|town of|village of)"
    r"\s+(?:la\s+|le\s+|l')?[\w'\-]+(?:[\s\-][\w'\-]+)?\s*\Z"
)


_DATELINE_OUTLET = re.compile(r"[A-Z\u00c0-\u00dd][A-Z\u00c0-\u00dd\s'\-]+,[^()\n]{0,40}\(")
