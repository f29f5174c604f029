"""Vocabulary for reading quantities in English and French news.

The scanner in `numbers.py` owns the control flow; this module owns the word lists and
the conversion of spelled-out numbers (via `text2num`), so the lexicons can grow without
touching the scanning logic. Everything is lower-case and built once at import.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from text_to_num import text2num

from llm_extract.text.fold import ignorecase_form

# Letters of English and French (Latin-1 plus the œ ligature). Deliberately narrower
# than \w: scraped mojibake such as "militantsĀ" must not glue onto a word.
LETTERS = "A-Za-zÀ-ÖØ-öø-ÿŒœ"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


EN_NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fourty fifty sixty "
    "seventy eighty ninety hundred thousand million billion"
)
FR_NUMBER_WORDS = _words(
    "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize vingt vingts trente quarante cinquante soixante septante huitante "
    "octante nonante cent cents mille million millions milliard milliards"
)
_FR_ONLY = FR_NUMBER_WORDS - EN_NUMBER_WORDS
_CONNECTORS = frozenset({"and", "et"})


def _trie(words: frozenset[str]) -> str:
    """One regex alternation shaped as a trie: the scanner tests a letter, not 70 words."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


_W = _trie(EN_NUMBER_WORDS | FR_NUMBER_WORDS)
_ONE_W = rf"(?:{_W})(?![{LETTERS}])"
_COMPOUND_W = rf"{_ONE_W}(?:-(?:et-)?{_ONE_W})*"
# "cent" after "pour"/"per" is a percent sign, not a hundred.
WORD_NUMBER = (
    rf"(?<!pour )(?<!per )(?:an?\s+(?=hundred|thousand|million|billion))?"
    rf"{_COMPOUND_W}(?:(?:\s+(?:and|et)\s+|[ \t\u00a0\u202f]+){_COMPOUND_W})*"
)

_TOKEN = re.compile(r"\S+")


def words_to_int(span: str) -> tuple[int, int] | None:
    """Value of the longest prefix of `span` that is one number, and that prefix's length.

    The scanning regex is greedy ("trente et trente-deux", "seventy and eighty"), so the
    longest prefix text2num accepts is taken and the rest is left for the next match.
    """
    tokens = list(_TOKEN.finditer(span))
    words = [t.group().lower() for t in tokens]
    if words and words[0] in ("a", "an"):
        words[0] = "one"
    for k in range(len(words), 0, -1):
        if words[k - 1] in _CONNECTORS:
            continue
        chunk = words[:k]
        pieces = (p for w in chunk for p in w.split("-"))
        lang = "fr" if any(p in _FR_ONLY for p in pieces) else "en"
        try:
            return int(text2num(" ".join(chunk), lang)), tokens[k - 1].end()
        except ValueError:
            continue
    return None


# Nouns that count people. Singular forms serve "one soldier" / "un soldat".
PEOPLE = _words(
    "people person persons civilian civilians soldier soldiers troop troops militant "
    "militants fighter fighters jihadist jihadists jihadi jihadis terrorist terrorists "
    "insurgent insurgents rebel rebels villager villagers assailant assailants attacker "
    "attackers gunman gunmen man men woman women child children boy boys girl girls member "
    "members officer officers policeman policemen police gendarme gendarmes guard guards "
    "militiaman militiamen combatant combatants hostage hostages captive captives prisoner "
    "prisoners detainee detainees suspect suspects victim victims resident residents "
    "inhabitant inhabitants worker workers miner miners herder herders farmer farmers "
    "student students pupil pupils teacher teachers worshipper worshippers worshiper "
    "worshipers passenger passengers driver drivers peacekeeper peacekeepers mercenary "
    "mercenaries contractor contractors volunteer volunteers recruit recruits commander "
    "commanders leader leaders official officials personnel serviceman servicemen "
    "casualty casualties fatalities death deaths body bodies corpses refugee refugees "
    "migrant migrants individual individuals elements adult adults infant infants baby "
    "babies journalist journalists doctor doctors nurse nurses kidnapper kidnappers bandit "
    "bandits abductee abductees hunter hunters protester protesters protestor protestors "
    "demonstrator demonstrators rioter rioters survivor survivors pilgrim pilgrims tourist "
    "tourists foreigner foreigners nationals citizen citizens staff crew employee "
    "employees agent agents lives souls islamist islamists extremist extremists shepherd "
    "shepherds trader traders merchant merchants traveller travellers traveler travelers "
    "relatives guerrillas paramilitaries troopers paratroopers marines legionnaires dozos "
    "operatives bombers vdp ranger rangers guerrilla paramilitary trooper paratrooper "
    "legionnaire operative relative sniper snipers fisherman fishermen "
    # French
    "personne personnes civil civils civile civiles soldat soldats militaire militaires "
    "terroriste terroristes djihadiste djihadistes jihadiste jihadistes islamiste "
    "islamistes insurgé insurgés rebelle rebelles assaillant assaillants attaquant "
    "attaquants combattant combattants homme hommes femme femmes enfant enfants villageois "
    "habitant habitants membre membres policier policiers garde gardes otage otages "
    "prisonnier prisonniers détenu détenus victime victimes décès corps cadavres déplacés "
    "déplacées réfugié réfugiés individu individus élément éléments milicien miliciens "
    "chasseur chasseurs dozo orpailleur orpailleurs éleveur éleveurs agriculteur "
    "agriculteurs commerçant commerçants passager passagers chauffeur chauffeurs élève "
    "élèves étudiant étudiants fidèle fidèles manifestant manifestants officier officiers "
    "sous-officier sous-officiers recrue recrues volontaire volontaires jeune jeunes "
    "kamikaze kamikazes ressortissant ressortissants travailleur travailleurs employé "
    "employés ouvrier ouvriers mineur mineurs humanitaire humanitaires vies âmes "
    "extrémiste extrémistes mercenaire mercenaires fonctionnaire fonctionnaires enseignant "
    "enseignants médecin médecins journaliste journalistes paysans pèlerins touristes "
    "étrangers ravisseurs bergers gardiens personnels pêcheur pêcheurs douanier douaniers"
)
# Participles and adjectives that count people only right after the number:
# "80 dead", "12 blessés" -- but in "cinq soldats tués" the head is "soldats".
PEOPLE_FIRST_ONLY = _words(
    "dead killed wounded injured missing abducted kidnapped morts mort morte mortes tués "
    "tué tuées blessés blessé blessées disparus disparu enlevés enlevé"
)
# Things, places, units, groups and time: a count of these is never a count of people.
THINGS = _words(
    "town towns city cities village villages locality localities location locations place "
    "places site sites area areas region regions district districts province provinces "
    "country countries state states commune communes municipality municipalities barrack "
    "barracks camp camps base bases post posts outpost outposts checkpoint checkpoints "
    "position positions garrison garrisons vehicle vehicles truck trucks pickup pickups "
    "pick-up pick-ups car cars motorcycle motorcycles motorbike motorbikes bike bikes tank "
    "tanks convoy convoys helicopter helicopters aircraft plane planes jet jets drone drones "
    "weapon weapons rifle rifles gun guns round rounds rocket rockets missile missiles shell "
    "shells bomb bombs mine mines ied ieds grenade grenades ammunition house houses home "
    "homes building buildings school schools church churches mosque mosques hospital "
    "hospitals clinic clinics bridge bridges road roads well wells shop shops market markets "
    "boat boats day days night nights hour hours minute minutes week weeks month months year "
    "years decade decades km kms kilometre kilometres kilometer kilometers mile miles metre "
    "metres meter meters kg kilogram kilograms tonne tonnes ton tons percent % dollar "
    "dollars euro euros franc francs cfa fcfa usd attack attacks raid raids strike strikes "
    "airstrike airstrikes operation operations ambush ambushes clash clashes incident "
    "incidents event events offensive offensives time times case cases group groups faction "
    "factions militia militias brigade brigades battalion battalions unit units company "
    "companies family families household households tribe tribes clan clans community "
    "communities organization organizations organisation organisations cattle head "
    "livestock cows goats sheep camels tents hectares acres zones sectors fronts cells "
    "hideouts shelters depots warehouses litres liters barrels lorries phones border borders "
    "neighbourhood neighbourhoods neighborhood neighborhoods "
    # French
    "ville villes localité localités lieu lieux zone région régions cercle cercles "
    "pays état états caserne casernes poste postes avant-postes garnison garnisons "
    "véhicule véhicules camion camions moto motos motocyclettes char chars convoi convois "
    "hélicoptère hélicoptères avion avions arme armes fusil fusils roquette roquettes obus "
    "bombe bombes engin engins explosifs munitions maison maisons bâtiment bâtiments école "
    "écoles église églises mosquée mosquées hôpital hôpitaux centre centres pont ponts "
    "route routes puits boutique boutiques marché marchés bateau bateaux pirogue pirogues "
    "jour jours nuit nuits heure heures semaine semaines mois an ans année années décennie "
    "décennies kilomètre kilomètres mètre mètres attaque attaques frappe frappes opération "
    "opérations embuscade embuscades affrontement affrontements fois groupe groupes milice "
    "milices bataillon bataillons unité unités compagnie compagnies famille familles "
    "ménage ménages tribu tribus communauté communautés bétail têtes animaux chameaux "
    "bœufs moutons chèvres tentes secteurs axes cellules repaires caches abris dépôts "
    "frontière frontières quartier quartiers département départements préfecture préfectures"
    " habitation habitations hutte huttes grenier greniers immeuble immeubles"
    " commerce commerces magasin magasins huts hut granaries granary stores"
)
# Words that end a noun phrase: function words, auxiliaries, days and months.
STOPWORDS = _words(
    "the a an of in on at to from by with for and or but nor during after before including "
    "include includes among amid against across around about near since until into onto "
    "upon over under than then as if that which who whom whose what when where while this "
    "these those its their his her our your my it they them he she we you is are was were "
    "be been being has have had do does did will would could should may might must can "
    "shall not no more most less least per via according such other others another each "
    "every all both also only just still even ago later earlier yesterday today tomorrow "
    "last next died fled remain remained remains said say says claimed reported "
    "surrendered escaped survived monday tuesday wednesday thursday friday saturday sunday "
    "january february march april june july august september october november december "
    # French
    "le la les l un une des du de d en dans sur sous à au aux par pour avec sans et ou "
    "mais ni donc car que qui quoi dont où lors après avant pendant depuis selon parmi "
    "contre vers chez entre près ce cet cette ces se sa son ses leur leurs lui eux elle "
    "elles il ils on nous vous ne n pas plus moins très aussi ont a est sont été était "
    "étaient sera seront avait avaient y fait font autres autre tous toutes tout toute "
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai "
    "juin juillet août septembre octobre novembre décembre"
)
# Skipped before the head without taking its place: "30 more civilians", "d'autres blessés".
TRANSPARENT = _words("other more additional further new autre autres supplémentaires nouveaux")
# "80 of them" / "70 d'entre eux": the count is bound, but to whom is not said here.
PRONOUNS = _words("them whom which those these us eux elles lesquels lesquelles")
# Hyphenated ordinals and fractions ("twenty-first", "one-third", "vingt-et-unième").
ORDINAL_WORD = re.compile(
    r"(?:^|-)(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh"
    r"|twelfth|half|quarter|\w*teenth|\w*ieth|premier|première|seconde?|demie?|tiers|quart"
    r"|\w*i[eè]me)(?:s|-|$)",
    re.IGNORECASE,
)


# Capitalised plural demonyms count people: "two Indians", "trois Maliens".
_DEMONYM = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:ians|ans|iens|ains|ais|ois|ese)")


def noun_class(word: str, *, first: bool) -> bool | None:
    """True for a people noun, False for a thing/unit noun, None when unknown."""
    lower = word.lower()
    if lower in PEOPLE or (first and lower in PEOPLE_FIRST_ONLY):
        return True
    if lower in THINGS:
        return False
    return True if _DEMONYM.fullmatch(word) else None


# Invariable nouns that also modify a following head: "personnel carriers", "police stations".
MODIFIER_NOUNS = frozenset(("personnel", "police", "staff", "crew"))


def plural_looking(word: str) -> bool:
    """A lower-case word that looks plural (EN and FR): the fallback head of a count."""
    return word.islower() and len(word) > 3 and word[-1] in "sx" and not word.endswith("ss")


# Phrases, as regex sources for numbers.py. Vague quantities with an ACLED value first:
_NL = rf"(?![{LETTERS}])"
VAGUE = (
    r"half\s+a\s+dozen|a\s+dozen|(?:several|many|some|a\s+few)\s+(?:dozen|hundred|thousand)"
    rf"{_NL}|a\s+score(?=\s+of\s)|(?:scores|tens)(?=\s+of\s)|dozens|hundreds|thousands"
    r"|millions|une\s+(?:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine"
    r"|cinquantaine|soixantaine|centaine)|un\s+millier|(?:(?:des|plusieurs|quelques"
    r"|de\s+nombreu(?:x|ses)|par)\s+)?(?:dizaines|centaines|milliers)"
)


# "a dozen", "une trentaine": approximate; the rest ("dozens", "des centaines") vague.
def _table(keys: str, values: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(keys.split(), values, strict=True))


_APPROX = _table("half dozen score millier", (6, 12, 20, 1000))
_APPROX_FR = _table(
    "dizaine douzaine quinzaine vingtaine trentaine quarantaine cinquantaine soixantaine centaine",
    (10, 12, 15, 20, 30, 40, 50, 60, 100),
)
_VAGUE_BASE = _table(
    "dozen dozens hundred hundreds thousand thousands millions scores tens dizaines centaines"
    " milliers",
    (12, 12, 100, 100, 1000, 1000, 10**6, 20, 10, 12, 100, 1000),
)


def vague_value(surface: str) -> tuple[int, bool]:
    """ACLED's fixed value for a vague phrase, and whether it is approximate (not vague).

    "a dozen" ~12, "une trentaine" ~30; "dozens" 12, "tens" 10, "scores" 20, "hundreds" 100.
    """
    # As the pattern matched it (re.I): "dızaines" with a dotless i is "dizaines".
    words = ignorecase_form(surface).split()
    if words[0] == "half":
        return 6, True
    if len(words) == 2 and words[0] in ("a", "une", "un"):
        return _APPROX_FR.get(words[1]) or _APPROX[words[1]], True
    return _VAGUE_BASE[words[-1]], False


# Words that announce a quantity without a number: low/best/high stay None.
NOVALUE = (
    r"several|many|numerous|multiple|countless|a\s+number(?=\s+of\s)|a\s+handful(?=\s+of\s)"
    r"|a\s+few|some|plusieurs|quelques|(?:de\s+)?nombreu(?:x|ses)"
    r"|un\s+certain\s+nombre(?=\s+d)|une\s+poignée(?=\s+d)"
)
# The first two letters of every VAGUE and NOVALUE phrase not starting with "a ": with
# the number words they make the scanner's cheap test of a word start (numbers._STARTS).
PHRASE_STARTS = _words("ce co de di do ha hu ma mi mu no nu pa pl qu sc se so te th un")
# ...of which these are kept only before a noun ("some analysts" is noise, not a count).
NOVALUE_NEEDS_NOUN = ("some", "quelques", "nombreu", "de nombreu", "multiple", "countless", "a ")
# Month names; "May" and "March" only capitalised (the verb and the noun are common).
MONTH = (
    r"(?:(?i:january|february|april|june|july|august|september|october|november|december"
    r"|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec|janvier|février|fevrier|mars|avril|mai"
    r"|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv|févr|fév"
    rf"|avr|juil|déc)|May|March|MAY|MARCH|Mar){_NL}"
)
# Comparators before a figure, one named group per qualifier ("_" groups: elided "d'").
COMPARATOR = (
    r"(?:(?P<at_least>at\s+least,?|at\s+minimum|a\s+minimum\s+of|(?:well\s+|just\s+)?over"
    r"|(?:well\s+|slightly\s+)?more\s+than|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than"
    r"|no\s+less\s+than|not\s+less\s+than|(?:bien\s+)?plus\s+de|au\s+moins,?|au\s+minimum"
    r"|pas\s+moins\s+de|au-delà\s+de)\s+|(?P<at_least_>(?:bien\s+)?plus\s+d|pas\s+moins\s+d)"
    r"['’]\s*|(?P<at_most>up\s+to|as\s+many\s+as|at\s+(?:the\s+)?most|no\s+more\s+than"
    r"|not\s+more\s+than|a\s+maximum\s+of|fewer\s+than|less\s+than|jusqu['’]à|au\s+plus"
    r"|au\s+maximum|pas\s+plus\s+de|moins\s+de)\s+|(?P<at_most_>moins\s+d|pas\s+plus\s+d)"
    r"['’]\s*|(?P<approximate>about|around|some|roughly|approximately|approx\.|nearly"
    r"|almost|close\s+to|an\s+estimated|estimated|circa|environ|près\s+de|quelque|presque"
    r"|approximativement|autour\s+de|à\s+peu\s+près|aux\s+alentours\s+de|quasiment"
    r"|pratiquement)\s+|(?P<approximate_>près\s+d)['’]\s*)\Z"
)
# Words right before a 4-digit figure that make it a year: "in 2020", "the 2024 coup".
YEAR_CONTEXT = (
    r"(?:in|since|by|until|till|from|of|during|before|after|early|late|mid|the|this"
    r"|en|depuis|dès|jusqu['’]en|avant|après|année|year|l['’]an)[\s-]*\Z"
)


# Reading one number at a known position (digits or words).
DIGITS = r"\d+(?:[,.\u00a0\u202f\u2009 ]\d+)*"
MONTH_BEFORE = re.compile(rf"(?<![{LETTERS}]){MONTH}\.?\s+\Z")
DOZEN = re.compile(rf"\s+dozen{_NL}", re.I)
_WORDNUM = re.compile(WORD_NUMBER, re.I)
_DIGITRUN = re.compile(DIGITS)
_SEPS = re.compile(r"([,.\u00a0\u202f\u2009 ])")
_SCALE = re.compile(rf"[ \u00a0\u202f-]*(million|billion|milliard|thousand)s?{_NL}", re.I)
_SCALES = {"million": 10**6, "billion": 10**9, "milliard": 10**9, "thousand": 1000}


class Num(NamedTuple):
    start: int
    end: int
    value: int | None  # None: a decimal, phone number or id, not a count
    kind: Literal["digits", "words"]
    plain: bool  # digits without separators (a year candidate)
    scale: int = 1  # the multiplier of a following "million", "milliards"


def read_number(text: str, pos: int) -> Num | None:
    """Read one number starting exactly at `pos`: "5,000", "5 000", "5.000", "eighty".

    Groups of three after a 1-3 digit head are thousands (any one separator, used
    consistently); "2.5" / "2,5" are decimals (value None unless a scale follows, as in
    "1.5 million"); three or more irregular groups are a phone number or an id.
    """
    m = _DIGITRUN.match(text, pos)
    if m is None:
        w = _WORDNUM.match(text, pos)
        parsed = words_to_int(w.group()) if w else None
        if parsed is None:
            return None
        return Num(pos, pos + parsed[1], parsed[0], "words", False)
    parts = _SEPS.split(m.group())
    groups, seps = parts[0::2], parts[1::2]
    first = groups[0]
    if len(groups) > 1 and 1 <= len(first) <= 3 and first[0] != "0" and len(groups[1]) == 3:
        i = 1
        while i < len(groups) and seps[i - 1] == seps[0] and len(groups[i]) == 3:
            i += 1
        end = pos + len("".join(parts[: 2 * i - 1]))
        decimal_scale = i == 2 and seps[0] in ".," and _SCALE.match(text, end)
        # "July 4 120 people" is a date and a count, not 4120.
        month_before = seps[0] == " " and MONTH_BEFORE.search(text, max(0, pos - 12), pos)
        if not decimal_scale and not month_before:
            return _scaled(text, pos, end, int("".join(groups[:i])), plain=False)
    if len(groups) == 2 and seps[0] in ".,":
        end = pos + len(first) + 1 + len(groups[1])
        return _scaled(text, pos, end, float(f"{first}.{groups[1]}"), plain=False)
    if len(groups) >= 3 or (len(first) > 1 and first[0] == "0"):
        return Num(pos, m.end(), None, "digits", False)
    return _scaled(text, pos, pos + len(first), int(first), plain=True)


def _scaled(text: str, start: int, end: int, value: float, *, plain: bool) -> Num:
    """Apply a following "million"/"milliards"; a bare decimal (2.5) is not a count."""
    s = _SCALE.match(text, end)
    if s:
        scale = _SCALES[s.group(1).lower()]
        return Num(start, s.end(), round(value * scale), "digits", False, scale)
    if isinstance(value, float):
        return Num(start, end, None, "digits", False)
    return Num(start, end, value, "digits", plain)
