"""The role a place name plays where the article names it: the event's place, a
reference point ("50 km from X", "near X", "between X and Y"), background (a border, a
deployment, where people fled to or came from, a past event, a country described), the
outlet's dateline or syndication line, or no place at all (a language, an outlet or
agency, a community, a demonym used as an adjective)."""

from __future__ import annotations

import re

from llm_extract.roles import place_cues as cues
from llm_extract.roles.actors import accused_of_backing
from llm_extract.roles.clauses import paragraph, segment
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document
from llm_extract.text.sentences import title_cased
from llm_extract.text.world import adjective_of_country, is_country

EVENT, REFERENCE, BACKGROUND, DATELINE, NOT_A_PLACE = (
    "event",
    "reference",
    "background",
    "dateline",
    "not_a_place",
)

_NUM = r"(?:\d[\d\s.,]*|une?\s+\w+aine|a few|some|about|around|environ|quelques|a dozen|dozens of|several|plusieurs|\w+)"  # noqa: E501
_REFERENCE_BEFORE = re.compile(
    rf"(?:{_NUM}\s*(?:km|kms|kilometres?|kilometers?|miles?|kilometre)\b[^,;.]{{0,40}}"
    r"(?:(?:capital|capitale|chef-lieu)\s*,)?"
    r"|\b(?:near|nearby|outside|close to|not far from|on the outskirts of|in the vicinity of"
    r"|pres d|pres de|non loin d|aux abords d|a la peripherie d|a proximite d|aux environs d"
    r"|aux alentours d|en peripherie d|dans les environs d|peripherie d|outskirts of"
    r"|(?:north|south|east|west|northeast|northwest|southeast|southwest|nord|sud|est|ouest"
    r"|nord-est|nord-ouest|sud-est|sud-ouest)(?:ern)?\s+(?:of|de|du|d')|au (?:nord|sud)"
    r"(?:-est|-ouest)?\s+d|a l'(?:est|ouest)\s+d|(?:between|entre)(?!\s+\d)|axe|road to|route de"
    r"|route d|the road from|on the road|sur l'axe|sur la route)\b[^,;.]{0,40})\s*$"
)
_REFERENCE_AFTER = re.compile(
    r"^\s*(?:-\s*\w+\s+(?:road|highway|axis)|[-\u2013]\w+ (?:road|highway))"
)
_BETWEEN_AND = re.compile(
    r"\b(?:between|entre)\s+(?:the\s+towns?\s+of\s+|les\s+villes\s+de\s+)?[\w'\-]+(?:\s+[\w'\-]+)?\s+(?:and|et)\s+(?:the\s+|le\s+|la\s+|l')?$"
)
# Words right before a name that make it background: a border, where people went or
# came from, where forces are based, where someone spoke.
_BACKGROUND = re.compile(
    r"\b(?:border with|borders with|bordering|border between|frontiere avec|frontieres avec"
    r"|frontiere entre|frontalier d|frontaliere d|frontaliers d|shared between|shared by"
    r"|partage entre|fled to|fled into|fled towards|flee to|fleeing to|fui vers|fui a|fuir vers"
    r"|refugies? a|refugies? dans|refugiees? a|took refuge in|sought refuge in|arrived in"
    r"|seek refuge in|seeking refuge in|taking refuge in|trouve refuge a|trouve refuge dans"
    r"|arrived at|arrivees? a|arrives? a|returning from|returned from|en provenance d"
    r"|came from|coming from|come from|venant d|venus? d|venaient d|withdrew to|withdrawn to"
    r"|retiree? dans|retires? dans"
    r"|retiree? a|(?:se )?repli(?:er|ee?s?) (?:sur|vers|a|au|aux|en|dans)|taken to"
    r"|transported to|evacuated to|heading (?:for|to|towards)|headed (?:for|to|towards)"
    r"|en route (?:to|for|vers|pour)|se dirigeai?e?n?t? vers"
    r"|evacues? vers|evacues? a|transferes? a|transferes? vers|based in|basee? a|basees? a"
    r"|evacuation vers|evacuation to|evacuations? sur|transfert vers|rushed to|airlifted to"
    r"|admitted to|admis a|hospitalises? a|achemines? vers|conduits? a"
    r"|headquartered in|stationed in|told reporters in|speaking in|speaking from|visit to"
    r"|visite a|en visite a|flew to|traveled to|travelled to|rencontre a|talks in"
    r"|pourparlers a"
    # where people fled to or attackers came from, past a few words ("fled from the
    # attacks to Ibo district", "came from four bomas of Gumuruk County")
    r"|fled (?:from )?(?:[a-z'\-]+ ){1,4}?(?:to|into)|(?:came|come|coming) from (?:[a-z'\-]+ )"
    r"{1,3}?of|fui (?:[a-z'\-]+ ){1,4}?vers"
    # where the attackers set out from ("the jets attacked from an air base in Tada-U")
    r"|(?:attacked|took off|taking off|launched|fired|struck|operating|flew) from (?:[a-z'\-]+ )"
    r"{0,4}?(?:in|at|of)|(?:decolle\w*|lance\w*|partis?|parties?) (?:de|depuis) "
    r"(?:[a-z'\-]+ ){0,4}?(?:de|d'|a))"
    r"\s+(?:(?:the|la|le|les|l'|de|du|des|town|city|ville|capital|capitale"
    r"|village|of|regional|provincial|regionale|provinciale|nearby|neighbouring|neighboring|voisine?)\s+){0,4}$"
)
# A time zone: "à 5 h, heure de Bamako", "3 p.m. local time in Kyiv"; not "local time
# in the village of Dongo Dawa", where the event is.
_TIME_OF = re.compile(r"\b(?:heures? (?:locale )?de|time in)\s+(?:the\s+)?$")
# Where a source spoke or was reached: "joint à Mopti", "told AFP from Bamako".
_PLACE_FILLER = (
    r"(?:(?:the|la|le|les|l'|capital|capitale|town|city|ville|regional|regionale|provincial"
    r"|provinciale)\s+){0,3}$"
)
_SPOKE_IN = re.compile(
    r"\b(?:speaking|spoke|s'exprimant|interviewed|contacte(?:e|s|es)?|interroge(?:e|s|es)?)\b"
    r"(?:\s+(?!(?:that|que|qu'|its|their|ses|leurs)\b)[\w'\-]+){0,4}?\s+(?:in|from|a|depuis|at)\s+"
    + _PLACE_FILLER
    # French "jointe à Mopti", "joints par téléphone depuis Gao": reached there
    + r"|\bjointe?s?\s+(?:par telephone\s+)?(?:a|depuis|au|en)\s+"
    + _PLACE_FILLER
)
_COUNTRY_DESCRIBED = re.compile(
    r"\b(?:(?:ce|le|un|du|this|the|a)\s+(?:pays|country|nation|etat)\s+(?:d'|de|du|des|in|of)"
    r"|pays d|country in|nation in|region of|region du)\s*(?:l')?\s*$"
)
_CAPITAL_APPOSITION = re.compile(r"\b(?:capital|capitale|chef-lieu)(?:\s+[a-z]+)?\s*,\s*$")
_IN_NEARBY = re.compile(
    r"\b(?:in|at|a|dans)\s+(?:the\s+)?(?:nearby|neighbouring|neighboring|voisine?s?)\s+$"
)
# "killed in a different region of northern Colombia": a region of the country, where
# the event was, not a country described.
_IN_REGION_OF = re.compile(r"\b(?:in|dans)\s+(?:\w+\s+){0,3}region (?:of|du|de)\s*(?:l')?\s*$")
# Head nouns of organisations: a name holding one is no place, nor a place's name right
# after one with its complement ("le Comité de résistance Wad Madani").
_ORG_NOUNS = (
    r"comite|committee|conseil|council|front|mouvement|movement|cartel|brigade|bataillon"
    r"|battalion|coordination|collectif|association|union|militia|milice"
)
_ORG_WORDS = re.compile(
    rf"\b(?:{_ORG_NOUNS}|parks?|mission|cour|court|medecins|frontieres|nations|organi[sz]ation"
    r"|agency|agence|news|press|presse|times|post|standard|tribune|radio|tv|television|welle"
    r"|office|ministry|ministere|croix|cross|crescent|watch|amnesty|bbc|afp"
    r"|reuters|cnn|rfi|dw|voa|xinhua|anadolu|jazeera|france 24|irrawaddy|okapi|ap|msf|ocha"
    r"|unicef|unhcr|hcr|oim|iom|cpi|icc|acled|monde|afrique|jeune|journal|gazette|herald"
    r"|telegraph|guardian|daily|weekly|mail|express|newsroom|mercopress|associated|foundation"
    r"|fondation|institute|institut|university|universite|ong|ngo|group|groupe|forces|army"
    r"|armee|police|alliance|coalition|league|ligue|party|parti|app"
    r"|whatsapp|facebook|twitter|telegram|x|instagram|youtube|tiktok|truth social|weibo"
    r"|wechat|corp|inc|ltd|llc|company|compagnie|societe"
    r"|mining|sarl)\b"
)
_ORG_BEFORE = re.compile(
    rf"\b(?:{_ORG_NOUNS})\s+(?:de|des|du|of|for|pour)\s+(?:la\s+|le\s+|l'|the\s+)?"
    r"(?!(?:the|la|le|les)\b)[\w'\-]+\s+$"
)
_ORG_AFTER = re.compile(
    r"(?:[ \t]+[A-Z][\w'\-]*){0,3}[ \t]+(?:Cartel|Committee|Front|Brigade|Movement|Militia|Council"
    r"|Battalion|Liberation|Resistance|Army)\b"
)
_LANGUAGE_AFTER = re.compile(
    r"^\s*(?:abbr|acronym|initials|name|for|word|-speaking|speaking|language|sigle"
    # "the Barí indigenous group", "the Nuer people"; not "Ituri ethnic clashes"
    r"|(?:indigenous|ethnic|tribal)\s+(?:group|community|communities|people)s?|tribes?"
    r"|peoples?\b(?!\s+(?:were|was|have|had|are|killed|died|dead|wounded|injured|displaced)\b)"
    r"|ethnie|peuple)\b"
)
# Time zones ("11h00 (10h00 GMT)"): a clock's, not a place's.
_TIME_ZONE = re.compile(r"GMT|UTC|CET|CEST|EST|EDT|PST|WAT|EAT|CAT|IST")
# A demonym's ending: the strong ones are rarely a place's ("Malian", "Congolese",
# "nigerien"); the weak ones often are (Sudan, Mali, Bahrain), so they count only when
# the text also names the root the demonym comes from ("Pakistani" and "Pakistan").
_DEMONYM_STRONG = re.compile(
    r"(?:ian|ean|ese|aise|aises|oise|oises|ien|iens|ienne|iennes|ish|ais|inabe)$"
)
_DEMONYM_WEAK = re.compile(r"(?:an|ans|ain|aine|ains|i|is|ite|ites|e|es|n)$")
_PLACE_NOUNS = (
    "region", "province", "district", "village", "town", "city", "county", "state",
    "departement", "commune", "ville", "territoire", "sector", "area", "zone", "axis",
    "forest", "cercle", "circle", "camp", "base", "border", "localit", "secteur", "foret",
    "prefecture", "municipality", "governorate", "township", "division", "valley", "river",
)  # fmt: skip
_LOWER_NOUN_AFTER = re.compile(r"^\s+([a-z][a-z\-]+)")
_FUNCTION_WORDS = frozenset({
    "and", "or", "of", "in", "on", "at", "to", "from", "for", "by", "with", "the", "a", "an",
    "is", "was", "were", "are", "has", "have", "had", "said", "says", "told", "et", "ou", "de",
    "du", "des", "la", "le", "les", "au", "aux", "en", "dans", "sur", "par", "pour", "avec",
    "est", "sont", "ont", "etait", "qui", "que", "lors",
})  # fmt: skip
_SYNDICATION = re.compile(
    r"^\s*(?:source|sources|originally|first published|this (?:article|story)|photo|credit"
    r"|copyright|read more|lire aussi|lire la suite|avec afp|with afp|reporting by"
    # a byline, not "Par ailleurs, ..." or "By then, ..."
    r"|(?:par|by)(?!\s+(?:ailleurs|contre|la suite|consequent|exemple|endroits|moments|then"
    r"|now|contrast|comparison|the\s|a\s|an\s)\b)"
    r"|editing by|\u00a9|publie|published|updated|mis a jour)\b"
)
_DATELINE_AFTER = re.compile(
    r"^[\w\s,'\-]{0,40}(?:\((?:afp|reuters|ap|ansa|apa|xinhua|aa|dpa)\)|\s[-\u2013\u2014]\s|:)"
)


def place_role(doc: Document, start: int, end: int) -> str:
    """event | reference | background | dateline | not_a_place, for the mention at
    [start, end) of the cleaned text. A later member of a list of names shares the
    background or reference role its first member's words give ("near the border with
    Chad and Cameroon"); a reference, the first's background ("disputed between Erbil and
    Baghdad")."""
    return doc.memo(("place_role", start, end), lambda: _place_role(doc, start, end))


def _place_role(doc: Document, start: int, end: int) -> str:
    role = _own_role(doc, start, end)
    if role not in (EVENT, REFERENCE):
        return role
    if not _JOINED.search(doc.text, max(0, start - 12), start):
        return role
    offset = max(0, start - 80)
    head = _CONJUNCT_BEFORE.search(doc.text[offset:start])
    if head is None:
        return role
    first = place_role(doc, offset + head.start(1), offset + head.end(1))
    shared = (BACKGROUND, REFERENCE) if role == EVENT else (BACKGROUND,)
    return first if first in shared else role  # "between Erbil and Baghdad": both governments


_JOINED = re.compile(r"(?:,|\b(?:and|et|or|ou))\s+(?:(?:the|le|la|les|du|de|des)\s+|l['\u2019])?\Z")
# The name before this one in a list: "Chad and the", "Mali, du", "X et le".
_CONJUNCT_BEFORE = re.compile(
    r"([A-Z\u00c0-\u00dd][\w'\-]+(?:\s+[A-Z\u00c0-\u00dd][\w'\-]+){0,2})"
    r"(?:\s*,\s*|\s+(?:and|et|or|ou)\s+)(?:(?:the|le|la|les|du|de|des)\s+|l['\u2019])?\Z"
)


def _own_role(doc: Document, start: int, end: int) -> str:
    folded = doc.folded
    name = folded[start:end]
    para_left, para_right = paragraph(doc, start, end)
    line = folded[para_left:para_right]
    before_line = folded[para_left:start]
    if _SYNDICATION.match(line):
        return DATELINE
    if not before_line.strip() and _DATELINE_AFTER.match(folded[end : end + 60]):
        return DATELINE
    seg_left, seg_right = segment(doc, start, end, weak=True)
    dash = max(doc.text.rfind(d, seg_left, start) for d in "\u2014\u2013")
    before = folded[max(seg_left, dash + 1, start - 90) : start]  # "near X\u2014along with Y"
    after = folded[end : min(seg_right, end + 40)]
    # what the name is can be said across a comma: "a local gang, the Viagras"
    wide = folded[max(doc.sentence_bounds(start, end)[0], start - 90) : start]
    if _not_a_place(doc, start, end, name, before, after) or cues.not_a_place(
        doc, start, end, wide, after
    ):
        return NOT_A_PLACE
    if _COUNTRY_DESCRIBED.search(before) and not _IN_REGION_OF.search(before):
        return BACKGROUND
    if (
        _BACKGROUND.search(before)
        or _TIME_OF.search(before)
        or cues.BACKGROUND_BEFORE.search(before)
    ):
        return BACKGROUND
    if cues.INTENT_BEFORE.search(before):
        return BACKGROUND  # a plan or a threat: no event there yet
    if _SPOKE_IN.search(before) or cues.SINCE_EVENT_BEFORE.search(before):
        return BACKGROUND  # "Speaking … in the capital Mogadishu", "depuis l'attentat de X"
    if _CAPITAL_APPOSITION.search(wide) and _BACKGROUND.search(wide.rstrip(" ,") + " "):
        return BACKGROUND  # "s'était retirée dans la capitale régionale, Dori"
    if accused_of_backing(folded, start, end):
        return BACKGROUND  # "Kinshasa accuse le Rwanda de soutenir le M23": a government
    if cues.STANCE_AFTER.match(after):  # "Kigali le nie": the government, not the city
        return BACKGROUND
    if cues.history_sentence(doc, start, end, (seg_left, seg_right)):
        return BACKGROUND
    if _IN_NEARBY.search(before):  # "in nearby Gali Sohab village": the event is there
        return EVENT
    flat = cues.flat_before(doc, start)
    if _REFERENCE_BEFORE.search(before) or _REFERENCE_AFTER.match(folded[end : end + 30]):
        return REFERENCE
    if cues.REFERENCE_BEFORE.search(before) or (
        flat and (_REFERENCE_BEFORE.search(flat) or cues.REFERENCE_BEFORE.search(flat))
    ):
        return REFERENCE
    if cues.far_from(doc, start):
        return REFERENCE
    if (
        cues.REFERENCE_AFTER.match(folded[end : end + 120])
        and not cues.LOCATED_THEN_HIT.match(folded, end, end + 200)
        and not cues.HIT_BEFORE.search(folded, max(0, start - 40), start)
    ):
        return REFERENCE
    if _CAPITAL_APPOSITION.search(wide) and _REFERENCE_BEFORE.search(wide):
        return REFERENCE  # "180 km north-east of the country's capital, Mogadishu"
    s_left = doc.sentence_bounds(start, end)[0]
    if _BETWEEN_AND.search(folded[max(s_left, start - 60) : start]):  # "and" splits clauses
        return REFERENCE
    return EVENT


def _headline(doc: Document, start: int) -> bool:
    """A title-cased line that does not end as a sentence does: its capitals say nothing."""
    line_end = doc.text.find("\n", start)
    line = doc.text[start : line_end if line_end >= 0 else len(doc.text)].rstrip()
    return title_cased(doc.text, start) and not line.endswith((".", "\u00bb", '"'))


def _not_a_place(doc: Document, start: int, end: int, name: str, before: str, after: str) -> bool:
    original = doc.text[start:end]
    if _LANGUAGE_AFTER.match(after) or _TIME_ZONE.fullmatch(original):
        return True
    if _ORG_WORDS.search(name) and not re.search(
        r"\b(?:parc|park|national)\b", before[-20:] + name
    ):
        return True
    if re.search(
        r"\b(?:told|according to|selon|d'apres|reports from|communique d'?|statement from"
        r"|l'organisation|organisation|organization|agency|agence|newspaper|journal"
        r"|television|tv|radio|chaine|channel|quotidien|daily|hebdomadaire|broadcaster|outlet"
        r"|website|site|reports|reported|rapporte"
        r"|tribu|tribe|communaute|community|ethnie|ethnic|clan)\s*(?:the\s+|la\s+|le\s+|l')?$",
        before,
    ):
        return True
    in_name = _ORG_AFTER.match(doc.text, end) and not _headline(doc, start)
    if _ORG_BEFORE.search(before) or in_name:
        return True  # "le Comité de résistance Wad Madani", "the Jalisco New Generation Cartel"
    if doc.text[start - 1 : start] == "(" and doc.text[end : end + 1] == ")":
        para_left, para_right = paragraph(doc, start, end)
        closes = not doc.text[end + 1 : para_right].strip()
        after_sentence = doc.text[para_left : start - 1].rstrip()[-1:] in '.!?\u00bb"\u201d'
        if start - 1 == para_left or (closes and after_sentence):
            return True  # "(Belga) Dix militaires …", "… ses positions. (AFP)": a credit
    if len(name.split()) == 1 and original[:1].isupper() and _demonym(doc, name):
        nxt = _LOWER_NOUN_AFTER.match(doc.text[end : end + 30])
        if nxt and nxt.group(1) not in _FUNCTION_WORDS:
            # "the Venezuelan border", "Malian soldiers": an adjective; but "Kayes
            # region" names a place whose name only ends like a demonym
            strong = _DEMONYM_STRONG.search(name) or adjective_of_country(name)
            if strong or not nxt.group(1).startswith(_PLACE_NOUNS):
                return True
    return False


def is_demonym(doc: Document, name: str) -> bool:
    """Whether a one-word name reads as a demonym ("Malian", "Burkinabè", "Pakistani"
    when the text names Pakistan), not as a place."""
    return len(name.split()) == 1 and not is_country(name) and _demonym(doc, name_key(name))


def _demonym(doc: Document, name: str) -> bool:
    """Whether the word reads as a demonym: a strong ending, a country's name with a
    demonym's ending, or a weak one whose root ("Pakistan" for "Pakistani") the text
    names too."""
    if _DEMONYM_STRONG.search(name) or adjective_of_country(name):
        return True
    m = _DEMONYM_WEAK.search(name)
    if m is None:
        return False
    root = name[: m.start()]
    roots = {root, root + "a", name + "a", name[:-1]} - {"", name}
    return any(len(r) >= 3 and r in doc.vocabulary for r in roots)
