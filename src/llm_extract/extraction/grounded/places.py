"""Place candidates from the way news prose, English and French, names where things happen.

A place is a capitalised name that a location phrase introduces: a preposition ("in",
"near", "à", "près de"), a place-type noun before it ("the village of X", "la localité
de X", "le territoire de X") or after it ("X district", "the X-Y road"), or a list one
of those starts ("the municipalities of A, B and C", "à Boulkessi et Mondoro"). The
type noun also says what kind of place it is: a region, province or state is coded at
ACLED geo precision 3, a road or an area at 2, a town at 1.

`event_places` then keeps what can be an event's place, by the reading rules of `roles`
that the verifier applies too: not a dateline, a background place, an outlet or a
language; a distance reference ("50 km from X", "near X") only at precision 2; not the
region a finer place is said to be in, nor a country when something finer is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from llm_extract.roles.places import is_demonym, place_role
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document
from llm_extract.text.sentences import title_cased
from llm_extract.text.world import is_country, is_language

_UPPER = "A-ZÀ-ÖØ-Þ"
# Words a sentence may open with, capitalised only for that: never the start of a name.
_OPENERS = (
    "In|At|On|Near|Inside|Outside|Across|Around|Since|After|Before|During|From|Following"
    "|A|À|Au|Aux|Dans|Près|Vers|Entre|Sur|Selon|Depuis|Après|Avant|Pendant|Lors|Le|La|Les|The"
    "|En|Par|Pour|Chez"
)
# An elided article before a common noun opens no name: "L'avant-poste de X" names X.
_ELIDED = r"(?![LD]['’][a-zà-ÿ])"
_WORD = rf"(?!(?:{_OPENERS})\b){_ELIDED}(?:(?:al|el|ad|as|ash|an|ar|az)-)?[{_UPPER}][\w’'\-]*"
_PARTICLE = r"(?:de|du|des|del|de la|di|da|do|dos|el|al|la|le|les|et-|sur|en|d’|d'|l’|l')"
_NAME = rf"{_WORD}(?:(?: {_PARTICLE} ?| ){_WORD}){{0,4}}"
_SEP = r"(?:\s?,\s?(?:and |et |or |ou )?|\s(?:and|et|or|ou)\s)"
_LIST = rf"(?P<list>{_NAME}(?:{_SEP}{_NAME}){{0,11}})"
_LIST_RE = re.compile(_LIST)

# Type nouns: what they call the named place, and the ACLED precision that goes with it.
_REGION_NOUNS = (
    "region|regions|province|provinces|state|states|governorate|governorates|county|department"
    "|région|régions|provinces|état|gouvernorat|département|territoire|territoires|oblast"
    "|division|divisions"
)
_TOWN_NOUNS = (
    "village|villages|town|towns|city|cities|municipality|municipalities|municipalité"
    "|municipalités|municipio|commune|communes"
    "|locality|localities|district|districts|sub-district|township|townships|neighbou?rhood"
    "|suburb|camp|base|market|ville|villes|localité|localités|quartier|quartiers|cercle"
    "|secteur|chefferie|groupement|préfecture|sous-préfecture|arrondissement|raion|hromada"
    "|port|barangay|tehsil|upazila|woreda|kebele|zone|area|areas|administrative post"
    "|poste administratif|hometown|home town|birthplace|ville natale|local government area"
    "|community|communities|hamlet|hamlets|hameau|hameaux|hameau de culture|campement"
    "|campements|bourgade|settlement|settlements|avant-poste|avant-postes|outpost|outposts"
    "|poste militaire|poste avancé|postes avancés"
)
_ROUTE_NOUNS = "road|highway|route|axe|axis|corridor|border|frontière"
# An adjective after a French type noun: "la commune rurale de X", "la base militaire de X".
_ADJECTIVE = (
    r"(?!(?:chief|chef|hall|mayor|maire|council|conseil|head|leader|residents|habitants"
    r"|population|people|gens|elders|notables|officials|authorities|autorités)\b)"
    r"(?:rurale?s?|urbaine?s?|militaires?|minière?s?|voisine?s?|proches?|limitrophes?"
    r"|[a-zé]{4,}(?:ale|ales|aire|aires|ienne|iennes|ique|iques))"
)
# What joins a type noun to its name: "the town of X", "a small town called X".
_NAMING = r"of|de|du|des|d’|d'|called|named|known as|appel[ée]e?|nomm[ée]e?|d[ée]nomm[ée]e?"
_BEFORE = re.compile(
    rf"(?:\b(?:the|la|le|les|l’|l'|des|du)\s)?(?:\w+\s)?(?P<noun>{_REGION_NOUNS}|{_TOWN_NOUNS}"
    rf"|{_ROUTE_NOUNS})(?:\s{_ADJECTIVE})?\s(?:{_NAMING})\s?(?:the\s)?$",
    re.IGNORECASE,
)
# What _BEFORE must end with: a cheap test that spares most names its costly search.
_BEFORE_TAIL = re.compile(rf"\s(?:{_NAMING})\s?(?:the\s)?$", re.IGNORECASE)
# Sites named right after their noun: "parc W", "forêt de Soussan" is the usual form
_SITE = re.compile(
    r"\b(?P<noun>parc|park|forêt|forest|réserve|reserve|lac|lake|mont|mount|camp)\s$",
    re.IGNORECASE,
)
# A settlement noun with its name right after it: "le village Nguni", "the town Bamba".
_BARE = re.compile(
    r"\b(?:the|le|la|l’|l')\s(?P<noun>village|town|city|localité|ville|commune|quartier)\s$",
    re.IGNORECASE,
)
_PREPOSITION = re.compile(
    r"(?:\b(?:in|at|near|around|outside|inside|across|into|towards?|on the outskirts of"
    r"|outskirts of|near the|close to|general area|between|including|notably|namely|such as"
    r"|targeting"
    r"|along with|as well as|and in|followed by|as far as|heading for|entered|took|seized"
    r"|attacked|struck|hit|raided|stormed|besieged|overran|shelled|bombed|captured|targeted"
    r"|affected|ambushed|invaded|overrun|along|(?:km|kilometres|kilometers|miles|kilomètres)"
    r" (?:\w+ )?(?:from|of|de|du|d’|d')|(?:areas|towns|places|localities|villages|sites)"
    r" (?:were|are|included|include|targeted|attacked|affected)|localités|villages|villes"
    r"|à|au|aux|dans|près de|près d’|non loin de|vers|entre|notamment|dont|contre|sur"
    r"|attaqué|frappé|visé|ciblé|en)\s)"
    # "in southwest Erbil", "in northern Borno": a part of the place
    r"(?:(?:the\s)?(?:north|south|east|west|central|northern|southern|eastern|western"
    r"|(?:north|south)-?(?:east|west)(?:ern)?)\s)?$",
    re.IGNORECASE,
)
_AFTER = re.compile(  # "Kidal region", "Aguachica, a municipality in ..."
    rf"[-\s](?P<noun>{_REGION_NOUNS}|{_TOWN_NOUNS}|{_ROUTE_NOUNS})\b"
    rf"|,\s(?:a|an|un|une)\s(?:(?:small|rural|remote|petite?|rurale?)\s)?(?P<town>{_TOWN_NOUNS})\b",
    re.IGNORECASE,
)
_REGION_WORDS = frozenset(name_key(w) for w in _REGION_NOUNS.split("|"))
# Units a town lies in: named beside a town, they say where it is, not where it happened.
_ADMIN_WORDS = (
    _REGION_WORDS
    | frozenset(
        name_key(w)
        for w in re.findall(
            r"\S+",
            "district districts sub-district township townships cercle secteur chefferie groupement"
            " préfecture sous-préfecture arrondissement raion hromada tehsil upazila woreda zone",
        )
    )
    | {"administrative post", "poste administratif", "local government area"}
)
_INSTITUTIONS = re.compile(
    r"^(?:Bureau|Conseil|Council|Ministry|Ministère|Office|Committee|Comité|Agence|Agency"
    r"|Assemblée|Assembly|Parliament|Parlement|Tribunal|Court|Cour|Hospital|Hôpital|University"
    r"|Université|Mission|Commission|Direction|Department of|Département de la|École|Ecole"
    r"|Lycée|Collège|Église|Eglise|Mosquée|Clinique|Prison)\b"
    r"|\b(?:School|Hospital|University|College|Church|Mosque|Cathedral|Clinic|Academy"
    r"|Stadium|Hotel|Prison|Seminary)$"  # a building: ACLED places the town it stands in
)
# An official and his region, then his name: "le gouverneur de la région de X, Serhiy Lysak"
_TITLE_BEFORE = re.compile(
    r"\b(?:governor|gouverneur|mayor|maire|prefect|prefet|préfet|chief|chef|head|president"
    r"|président|commander|commandant|administrator|administrateur|spokesman|porte-parole"
    r"|minister|ministre)\s+(?:(?:of|de|du|des|d’|d'|the|la|le|l’|l')\s*|\w+\s+){0,4}$",
    re.IGNORECASE,
)
_ROUTE_WORDS = frozenset(name_key(w) for w in _ROUTE_NOUNS.split("|"))
_TYPE_WORDS = _REGION_WORDS | _ROUTE_WORDS | frozenset(name_key(w) for w in _TOWN_NOUNS.split("|"))
# Words that open sentences or stand capitalised for what they are, never a name.
OPENING_WORDS = frozenset(
    name_key(w)
    for w in re.findall(
        r"\S+",
        "The A An This That These Those It He She They We His Her Their Its Our In On At By"
        " For From With As And But Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
        " January February March April May June July August September October November"
        " December Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février Mars"
        " Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre Le La Les Un Une"
        " Des Ce Cette Ces Il Elle Ils Elles On Selon According",
    )
)
_NOT_NAMES = OPENING_WORDS | frozenset(
    name_key(w)
    for w in re.findall(
        r"\S+",
        "Reuters AFP AP Photo Video Read Share Comments Subscribe Advertisement Sources Source"
        " President Minister Army Police God Allah Islam Christmas Ramadan Easter Internet"
        " Chief Chef Mayor Maire Council Conseil Elders Notables",  # "the village Chief"
    )
)


@dataclass(frozen=True)
class PlaceCandidate:
    """A named place and where it stands; `group` ties the members of one list and
    `precision` is ACLED's: 1 a town, 2 an area or a road, 3 a region."""

    name: str
    start: int
    end: int
    group: int
    precision: int = 1
    admin: bool = False  # named as an administrative unit ("territoire de Mambasa")
    typed: bool = False  # a place-type noun introduced it ("the village of X", "X district")

    @property
    def town(self) -> bool:
        """A place an incident can be at: a town, an area or a road, not a region or
        an administrative unit."""
        return self.precision < 3 and not self.admin

    @property
    def border(self) -> bool:
        """A border ("the Afghan border"): where an event is near, not a town."""
        return name_key(self.name).split()[-1:] in (["border"], ["frontiere"])


def _precision(noun: str | None) -> int:
    key = name_key(noun or "")
    if key in _REGION_WORDS:
        return 3
    if key in _ROUTE_WORDS or key in ("area", "areas", "zone", "border"):
        return 2
    return 1


def _clean(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip(" ,"))
    return re.sub(rf"(?: {_PARTICLE})+$", "", name)


# A type noun written as the last word of the name; camps, bases and ports keep theirs.
_OWN_NOUN = re.compile(
    rf"\s(?!(?:camp|base|port|market)$)(?P<noun>{_REGION_NOUNS}|{_TOWN_NOUNS})$", re.IGNORECASE
)
_POSSESSOR = re.compile(r"^[^\s’']+[’']s (?=\S)")


# A person's title inside the name ("Ukrainian President Volodymyr Zelenskiy's hometown"),
# or a compound adjective ("Turkey-backed factions"): no place.
_NOT_A_PLACE_WORD = re.compile(
    r"\b(?:President|Président|Minister|Ministre|Prime|Premier|General|Général|Governor"
    r"|Gouverneur|Commander|Commandant|Colonel|Captain|Capitaine|Lieutenant|Sergeant|Sergent"
    r"|Mayor|Maire|Senator|Sénateur|King|Roi|Sheikh|Cheikh|Pope|Pape)\b"
    r"|-(?:backed|led|linked|allied|based|born|affiliated|aligned|controlled|held|run)$"
)


def _usable(name: str) -> bool:
    if _INSTITUTIONS.search(name) or _NOT_A_PLACE_WORD.search(name):
        return False
    key = name_key(name)
    if key in _TYPE_WORDS:
        return False  # "Barangay (village) Benli": the type noun is no name
    return bool(key) and key.split()[0] not in _NOT_NAMES and len(key.split()) <= 5


def phrase_places(doc: Document, within: tuple[int, int] | None = None) -> list[PlaceCandidate]:
    """Every name a location phrase introduces (in `within` only, if given: the
    verifier reads a few sentences), in reading order, each occurrence once."""
    text, found, taken = doc.text, [], set()
    window = within or (0, len(text))
    for group, match in enumerate(_LIST_RE.finditer(text, *window)):
        if title_cased(text, match.start()):
            continue
        before = text[max(0, match.start() - 60) : match.start()]
        by_noun = _BEFORE.search(before) if _BEFORE_TAIL.search(before) else _BARE.search(before)
        site = _SITE.search(before) if not by_noun else None
        by_prep = _PREPOSITION.search(before) if not (by_noun or site) else None
        parts = list(re.finditer(_NAME, match.group("list")))
        if not parts:
            continue
        last = parts[-1]
        after = _AFTER.match(text, match.start() + last.end())
        if site is not None:  # the site's name is its noun and name: "parc W"
            start = match.start() - len(site["noun"]) - 1
            name = text[start : match.start() + parts[0].end()]
            # a natural feature is ACLED's precision 3 ("au pied du mont X"); a camp a town
            precision = 1 if name_key(site["noun"]) == "camp" else 3
            found.append(
                PlaceCandidate(name, start, start + len(name), group, precision, False, True)
            )
            continue
        if not (by_noun or by_prep or after):
            continue
        if by_noun and _TITLE_BEFORE.search(before, 0, by_noun.start()):
            parts = parts[:1]  # the region, not the official's name after it
        noun = by_noun["noun"] if by_noun else (after["noun"] or after["town"]) if after else None
        precision = _precision(noun)
        admin = name_key(noun or "") in _ADMIN_WORDS
        for part in parts if (by_noun or by_prep) else parts[-1:]:
            name = _clean(part.group())
            start = match.start() + part.start()
            part_precision, part_admin, typed = precision, admin, noun is not None
            if not by_noun and after is not None and part is not last and noun[-1:] not in "sx":
                part_precision, part_admin, typed = 1, False, False  # "Tirah, Khyber district"
            if (own := _OWN_NOUN.search(name)) and own.start() > 0:
                # "Hnan Khar Village", "Molale District": ACLED names the place alone
                name = name[: own.start()]
                part_precision = _precision(own["noun"])
                part_admin = name_key(own["noun"]) in _ADMIN_WORDS
                typed = True
            if not _usable(name) or (start, name) in taken:
                continue
            if after is not None and part is last and name_key(after["noun"] or "") in _ROUTE_WORDS:
                name = text[start : after.end()].strip()
            taken.add((start, name))
            if owner := _POSSESSOR.match(name):  # "Sagaing’s Ye-U Township": the township
                start += owner.end()
                name = name[owner.end() :]
            found.append(PlaceCandidate(name, start, start + len(name), group, part_precision,
                                        part_admin, typed))  # fmt: skip
    return found


_UNIT = rf"(?:(?:\w+\s)?(?:{_REGION_NOUNS}|{_TOWN_NOUNS})\s(?:of\s|de\s|du\s|d’|d')?)"
_ARTICLES = r"(?:the\s|la\s|le\s|l’|l')?"
_QUARTER = r"(?:(?:north|south|east|west|central|nord|sud|est|ouest|centre)\w*\s)?"
_CONTAINER = re.compile(
    # the inner place's own type noun may come first: "the Mucojo administrative post, in"
    rf"^(?:\s(?:{_REGION_NOUNS}|{_TOWN_NOUNS})(?=,))?\s*(?:\(\s*(?:(?:in|dans|en|au)\s)?"
    rf"|,\s*(?:(?:in|dans|en|au)\s{_ARTICLES}{_QUARTER}{_UNIT}?|{_ARTICLES}(?:{_REGION_NOUNS})\s"
    rf"(?:of\s|de\s|du\s|d’|d')?)"
    rf"|\s?(?:(?:{_TOWN_NOUNS})\s)?(?:in|dans|en)\s{_ARTICLES}{_QUARTER}{_UNIT}?)"
    rf"{_QUARTER}$",
    re.IGNORECASE,
)


def _container(doc: Document, inner: PlaceCandidate, outer: PlaceCandidate) -> bool:
    """`outer` only says where `inner` is: "Seytenga, dans la province du Seno", "Tirah,
    Khyber district", "the Mucojo administrative post, in Macomia district"."""
    gap = doc.text[inner.end : outer.start]
    if outer.admin and not inner.admin and gap.strip() == ",":
        return True
    return 0 < outer.start - inner.end <= 60 and bool(_CONTAINER.match(gap))


_SECOND_OF_BETWEEN = re.compile(
    r"\b(?:between|entre)\s+(?:(?:the|les|la|le|l')\s*)?(?:(?:towns?|villages?|cities|localites"
    r"|villes)\s+(?:of|de|d')\s*)?[^\W\d][\w'\-]*(?:\s+[\w'\-]+)?\s+(?:and|et)"
    r"\s+(?:(?:the|la|le|l')\s*)?(?:(?:town|village|city|ville|localite)\s+(?:of|de|d')\s*)?\Z"
)

_BETWEEN_REACH = 200
"""How far back "between the towns of X and" is read: the phrase is far shorter, and a
search from the article's start would cost a pass per place."""


def event_places(
    doc: Document, found: list[PlaceCandidate], not_places: set[str]
) -> list[PlaceCandidate]:
    """The candidates that can be an event's place: not an actor's or language's name,
    not a nationality, a distance reference only at precision 2, not the region a finer
    place is said to be in; a country only when nothing finer is named."""
    kept = []
    for place in found:
        key = name_key(place.name)
        if key in not_places or (is_language(place.name) and not place.typed):
            continue  # "read in Hausa"; but "the village of Koro" is a village
        role = place_role(doc, place.start, place.end)
        if role not in ("event", "reference"):
            continue
        if role == "reference":
            # "near X", "50 km from X": ACLED codes the reference town at precision 2
            place = replace(place, precision=max(place.precision, 2))
        if is_demonym(doc, place.name):
            continue  # "Malian" (but "the Malian border" is a place near the border)
        window = max(0, place.start - _BETWEEN_REACH)
        if role == "reference" and _SECOND_OF_BETWEEN.search(doc.folded, window, place.start):
            continue  # "between the towns of Mopti and Segou": ACLED codes one, the first
        kept.append(place)
    kept = [p for p in kept if not any(_container(doc, o, p) for o in kept if o is not p)]
    regions = {name_key(p.name) for p in found if p.precision == 3}
    # a name the text also gives as a region is the region, unless this mention types it
    # as a town ("the Mopti region" and "between the towns of Mopti and Segou")
    kept = [
        replace(p, precision=3) if name_key(p.name) in regions and not (p.typed and p.town) else p
        for p in kept
    ]
    finer = [p for p in kept if not is_country(p.name)]
    return finer or kept
