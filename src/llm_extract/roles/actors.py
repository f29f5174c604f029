"""The roles a sentence gives an actor it names: attacker ("X attacked Y", "attaqué
par X", "an attack by X", "attributed to X", "X claimed responsibility"), target ("Y came
under attack", "attacked Y", "contre Y", "Y was ambushed", "killing Y", "among the
casualties"), participant ("clashes between X and Y", "X repelled the attack"), or
background (a sentence about history or about who usually attacks)."""

from __future__ import annotations

import re

from llm_extract.roles.clauses import segment, sentence
from llm_extract.roles.lexicon import (
    ATTRIBUTION_BEFORE,
    EVENT_WORDS,
    MONTH_NAMES,
    SPEECH,
    SPEECH_VERBS,
)
from llm_extract.text.figures.number_words import EN_NUMBER_WORDS, FR_NUMBER_WORDS
from llm_extract.text.grounding import Document

ATTACKER, TARGET, PARTICIPANT, BACKGROUND = "attacker", "target", "participant", "background"
SOURCE = "source"  # gives information about the incident: "X said", "according to X"

_VERB = (
    r"attack|attaqu|ambush|embuscade|raid|assault|assaill|struck|strike|hit(?!her)|target"
    r"|cibl|shell|bomb|bombard|kill|tue(?!sday)|tuant|massacr|abduct|kidnap|enlev|storm|overran|overrun"
    r"|seiz|fired on|fire on|opened fire|ouvert le feu|launch|lance|frapp|incendi|burn"
    r"|set fire|besieg|encercl|assiege|pris d'assaut|investi|took control|pris le controle"
    r"|captur|execut|shot|abattu|mitraill|pilonn|harass|harcel|detonat|explod|explos|blew up"
    r"|fait exploser"
)
_VERB_RE = re.compile(rf"(?<![a-z])(?:{_VERB})[a-z']*")
_PASSIVE = re.compile(
    r"(?:\b(?:was|were|been|being|be|is|are|got|came under|come under|comes under|ete"
    r"|(?<!se )sont|(?<!s')est"
    r"|etait|etaient|fut|furent|a ete|ont ete|ont subi|a subi|victime d'?|victimes d'?"
    r"|prise? dans|pris dans|sous le feu|under)\s+(?:\w+\s+){0,2})$"
)
_NOUN_ATTACK_BY = re.compile(
    r"\b(?:attacks?|attaques?|ambush|embuscade|assault|raid|offensive|strikes?|frappes?"
    r"|incursion|bombing|shelling)\s+(?:\w+\s+){0,2}?(?:by|of|from|par|de|des|du|d')\s*(?:the\s+|les\s+|la\s+|le\s+|l')?$"
)
_NOUN_ATTACK_ON = re.compile(
    r"\b(?:attacks?|attaques?|ambush|assault|raid|offensive|strikes?|frappes?|incursion"
    r"|bombing|shelling|fire|feu|violence|operation|operations)\s+(?:\w+\s+){0,3}?(?:on|against"
    r"|contre|sur|targeting|visant|ciblant)\s+(?:\w+\s+){0,3}?$"
)
# The verb's object is a party's post: "attacked a base of X", "une position des FACA".
_VERB_ON_HOLDING = re.compile(
    rf"(?<![a-z])(?<!was )(?<!were )(?<!been )(?<!ete )(?:{_VERB})[a-z']*\s+"
    rf"(?:(?!(?:by|par|from|depuis)\b)[\w'\-]+\s+){{0,6}}?(?:positions?|bases?|camps?"
    r"|postes?|posts?|outposts?|checkpoints?|barracks|casernes?|convoys?|convois?|patrols?"
    r"|patrouilles?|vehicles?|vehicules?|brigades?|detachments?|detachements?)\s+(?:of|de|des"
    r"|du|d')\s*(?:the\s+|la\s+|le\s+|les\s+|l')?(?:[\w'\-]+\s+){0,3}$"
)
_AGAINST = re.compile(r"\b(?:against|contre|targeting|visant|ciblant)\s+(?:\w+\s+){0,3}?$")
_ATTRIBUTED = re.compile(
    r"\b(?:attributed to|blamed on|blamed|attribue[es]* a(?:ux| la| l'| au)?|imputee?s? a(?:ux)?"
    r"|claimed by|revendiquee? par|carried out by|perpetrated by|menee? par|perpetree? par"
    r"|led by|conduite? par|commise? par|committed by)\s+(?:\w+\s+){0,3}?$"
)
_CLAIMED_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:claimed|revendiqu|took responsibility|a revendique)"
)
_ADJ_ATTACK_AFTER = re.compile(
    r"^\s*(?:-?\s*led|-?linked|-style)?\s*(?:attacks?|attaques?|raids?|ambush|assault|offensive"
    r"|fighters|militants|gunmen|air\s?strikes?|air raids?|drone strikes?|shelling|bombings?"
    r"|strikes? on)\b"
)
_ATTACK_ADJ_BEFORE = re.compile(r"\b(?:attaques?|attentats?|offensive|assauts?)\s+$")
_CLASH = re.compile(
    r"\b(?:clash|clashes|fighting|battle|battles|combat|combats|affrontement|accrochage"
    r"|fought|gunfight|exchange of fire|echanges? de tirs|heurts|encounter|firefight)\w*"
    r"\s+(?:\w+\s+){0,4}?(?:between|with|entre|avec|opposant)\s+(?:\w+\s+){0,4}?$"
)
_CLASH_AND = re.compile(
    r"\b(?:between|entre|opposant)\s+(?:[\w'\-]+\s+){1,6}(?:and|et)\s+(?:\w+\s+){0,3}?$"
)
_DEFEND = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:repel|repuls|repouss|riposte|respond|fought back|defend|defendu|resist|counter)"  # noqa: E501
)
_ROUT = re.compile(
    r"^\s*(?:\w+\s+){0,4}?(?:routed|mis en deroute|pursued|poursuivi|neutrali|killed the attackers|chased|repris)"  # noqa: E501
)
_RELATIVE_ATTACK = re.compile(
    rf"^\s*,?\s*(?:who|qui|which|that)\s+(?:(?:had|have|has|allegedly|reportedly|avaient"
    rf"|avait|ont|a|auraient|aurait)\s+){{0,2}}(?:{_VERB})"
)
_BACKER_AFTER = re.compile(r"^\s*-?\s*(?:backed|supported|sponsored|funded|armed|allied)\b")
# "le Rwanda, que Kinshasa accuse de soutenir le M23": a backer the text alleges.
_ACCUSED_BACKER_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:que|qu'|which|whom|who)\s+)?(?:[\w'\-]+\s+){0,3}?(?:accus\w*|soupconn\w*"
    r"|suspected|alleged(?:ly)?)\s+(?:de\s+|d'|of\s+|to\s+)?(?:soutenir|support|back|arm"
    r"|financ|fund)"
)
_ACCUSED_BACKER_BEFORE = re.compile(
    r"\b(?:accus\w*|soupconn\w*|suspects?)\s+(?:the\s+|le\s+|la\s+|l')?$"
)
_BACKING_AFTER = re.compile(r"^\s+(?:de\s+|d'|of\s+)(?:soutenir|support|back|arm|financ|fund)")


def accused_of_backing(folded: str, start: int, end: int) -> bool:
    """ "le Rwanda, que Kinshasa accuse de soutenir le M23", "accuses Rwanda of backing
    the rebels": a party the text says backs another, not a party to the incident."""
    after = folded[end : end + 80]
    before = folded[max(0, start - 30) : start]
    return bool(
        _ACCUSED_BACKER_AFTER.match(after)
        or (_ACCUSED_BACKER_BEFORE.search(before) and _BACKING_AFTER.match(after))
    )


_BACKER_BEFORE = re.compile(
    r"\b(?:backed by|supported by|sponsored by|funded by|armed by|soutenue?s? par|appuyee?s? par"
    r"|financee?s? par|armee?s? par|alliee?s? (?:a|de))\s+(?:the\s+|la\s+|le\s+|les\s+|l')?$"
)
_AFFILIATION_BEFORE = re.compile(
    r"\b(?:affiliated (?:with|to)|affiliee?s? (?:a|au|aux)|lie[es]* (?:a|au|aux)|linked (?:to|with)"
    r"|loyal to|allegiance to|(?:a )?branch of|franchise of|faction of|affiliate of|affilie d[eu']?"
    r"|proche d[eu']?|proches"
    r" d[eu']?)\s*(?:(?:the|le|la|les|groupe|group|jihadiste|djihadiste|jihadist|terroriste"
    r"|terrorist|armed|arme)\s+|l')*$"
)
# "liés à Al-Qaïda et à Daech": the second name of the affiliation is one too.
_AFFILIATION_LIST = re.compile(
    r"\b(?:affiliated (?:with|to)|affiliee?s? (?:a|au|aux)|lie[es]* (?:a|au|aux)|linked (?:to|with)"
    r"|loyal to|allegiance to)\s+(?:[\w'\-]+\s+){1,5}?(?:and|et)\s+(?:a\s+|au\s+|aux\s+|to\s+"
    r"|with\s+)?(?:the\s+|le\s+|la\s+|les\s+|l')?$"
)
# Sending its own men somewhere (not weapons against someone): a deployment.
_DEPLOY_AFTER = re.compile(
    r"^\s*(?:[\w'\-]+\s+){0,4}?(?:deployed|has deployed|have deployed|a deploye|ont deploye"
    r"|dispatched|a depeche|ont depeche)\s+(?:[\w'\-]+\s+){0,4}?(?:troops|soldiers"
    r"|forces|reinforcements|contingent|soldats|militaires|renforts|hommes|men)\b"
    r"(?![^.;]{0,60}\b(?:against|contre|to attack|pour attaquer)\b)"
)
# Not there: "security forces were yet to arrive", "l'armée n'est pas intervenue", "no
# presence of security forces".
_ABSENT_AFTER = re.compile(
    r"^\s*(?:were|was|had|have|has|are|is|did|does|do)?\s*(?:yet to|not yet|never|still not"
    r"|not)\s+(?:arrive|arrived|intervene|intervened|come|reached|been seen)\b(?!\s+under)"
    r"|^\s*(?:n'|ne\s+)(?:\w+\s+)?(?:pas|jamais)\s+(?:encore\s+)?(?:arrivee?s?|intervenue?s?"
    r"|venue?s?)\b"
)
_ABSENT_BEFORE = re.compile(
    r"\b(?:no (?:presence|sign|trace) of|absence of|without (?:any )?(?:help|support) from"
    r"|(?:aucune|sans) (?:presence|trace) d[eu']?|l'absence d[eu']?|absence d[eu']?)\s*"
    r"(?:(?:the|any|des|du|de|la|le|les|l')\s*)?$"
)
_VICTIM_BEFORE = re.compile(
    r"\b(?:deaths? of|killing of|mort d|morts? de|among the (?:dead|casualties|victims|injured)"
    r"|parmi les (?:victimes|morts|blesses)|victims? (?:were|are)|victimes sont)\s*(?:\w+\s+){0,3}?$"  # noqa: E501
)
_NUMBER_WORDS = "|".join(rf"{w}\b" for w in sorted(EN_NUMBER_WORDS | FR_NUMBER_WORDS))
_VICTIM_AFTER = re.compile(
    rf"^\s*(?:(?!(?:{SPEECH_VERBS})\b)\w+\s+){{0,6}}?(?:were|was|are|sont|ont ete|a ete)?\s*"
    r"(?:among the (?:casualties|dead|victims|injured)|parmi les (?:victimes|morts|blesses)"
    r"|lost|perdu|died|tues|morts|blesses|trouve la mort|peri|perished|succombe|decede|decedes"
    r"|(?<!have )(?<!has )(?<!had )(?:killed|wounded|injured))\b"  # "have killed" is active
    rf"(?!\s+(?:\d|the\b|an?\b|at least|some\b|dozens|scores|several|many|les?\b|la\b|des\b"
    rf"|more than\b|up to\b|{_NUMBER_WORDS}"
    rf"|(?:about|around|nearly|almost|over)\s+(?:\d|an?\b|{_NUMBER_WORDS})))"
)
_CONTROLLED = re.compile(
    r"\b(?:under the control of|controlled by|sous le controle d'?|controle par|held by|tenu par)\s*(?:\w+\s+){0,4}?$"  # noqa: E501
)
_BACKGROUND = re.compile(
    r"\b(?:most|many|la plupart|souvent|often|usually|regularly|regulierement|generally"
    r"|generalement|habituellement|frequently|frequemment|for years|depuis des annees"
    r"|since (?:19|20)\d\d|depuis (?:19|20)\d\d|has been (?:fighting|waging|active)"
    r"|have been (?:fighting|waging|active)|is active|are active|in the past|par le passe"
    r"|have long|has long|ont longtemps|a longtemps|known for|connu pour|outre les|besides the"
    r"|apart from the|turf wars?|guerres? de territoire|hard hit by|durement touchee?s?"
    r"|(?:witnessed|seen|saw|experienced|a connu|connait) (?:an? )?(?:\w+ )?(?:increase|surge"
    r"|rise|upsurge|spike|escalation|hausse|recrudescence|montee)|in other parts of the country"
    r"|elsewhere in the country|dans d'autres regions|ailleurs dans le pays"
    r"|in addition to the|since last year|depuis l'an dernier|depuis l'annee derniere"
    rf"|(?:since|depuis)\s+(?:{MONTH_NAMES})\s+(?:last year|de l'an dernier|de l'annee derniere"
    r"|dernier|(?:19|20)\d\d))\b"
)


_RELATIVE = re.compile(r",\s*(?:who|which|qui|lesquels|lesquelles)\b")


def actor_roles(doc: Document, start: int, end: int) -> frozenset[str]:
    """The roles the sentence gives the actor named at [start, end)."""
    folded = doc.folded
    left, right = segment(doc, start, end, weak=False)
    s_left, s_right = sentence(doc, start, end)
    before = folded[max(left, start - 100) : start]
    after = folded[end : min(right, end + 100)]
    if folded[start - 1 : start] == "(" and folded[end : end + 1] == ")":
        # "the Sudanese Armed Forces (SAF) and ...": the acronym plays its expansion's role
        before = folded[max(s_left, start - 100) : start - 1]
        after = folded[end + 1 : min(s_right, end + 100)]
    expansion = _OR_ACRONYM.search(doc.text, max(s_left, start - 100), start)
    if expansion and doc.text[start:end].isupper():
        # "the attack by the National Liberation Army, or ELN": the expansion's role
        before = folded[max(s_left, expansion.start() - 100) : expansion.start()]
    roles: set[str] = set()
    if (
        _ATTRIBUTED.search(before)
        or _NOUN_ATTACK_BY.search(before)
        or _ATTACK_ADJ_BEFORE.search(before)
        or _CLAIMED_AFTER.match(after)
        or (
            _ADJ_ATTACK_AFTER.match(after)
            and not re.search(r"\b(?:on|against|contre|sur)\s+$", before)
        )
    ):
        roles.add(ATTACKER)
    control = _CONTROLLED.search(before)  # "held by X" of people: captors, not targets
    held = control and (not control.group().startswith(("held", "tenu")) or _VERB_RE.search(before))
    if _NOUN_ATTACK_ON.search(before) or _AGAINST.search(before) or held:
        roles.add(TARGET)
    if _VERB_ON_HOLDING.search(before):  # "ont attaqué une position des FACA"
        roles.add(TARGET)
    if _VICTIM_BEFORE.search(before) or _VICTIM_AFTER.match(after):
        roles.add(TARGET)
    if _CLASH.search(before) or _CLASH_AND.search(before):
        roles.add(PARTICIPANT)
    if _DEFEND.match(after):
        roles.add(TARGET)
        roles.add(PARTICIPANT)
    if _ROUT.match(after):  # routing the assailants: the side that held
        roles.add(PARTICIPANT)
    if _RELATIVE_ATTACK.match(after):  # "10 armed men, who attacked a police station"
        roles.add(ATTACKER)
    if not roles & {ATTACKER, TARGET}:
        roles |= _verb_roles(folded, start, end, left, right)
    if not roles and _source(folded, start, end, s_left, s_right):
        roles.add(SOURCE)
    if (
        _BACKER_AFTER.match(after)
        or _BACKER_BEFORE.search(before)
        or accused_of_backing(folded, start, end)
    ):  # "Iran-backed Houthis"
        return frozenset({BACKGROUND})
    if (
        _AFFILIATION_BEFORE.search(before)
        or _AFFILIATION_LIST.search(before)
        or _DEPLOY_AFTER.match(after)
        or (_ABSENT_AFTER.match(after) and not roles)
        or _ABSENT_BEFORE.search(before)
    ):
        return frozenset({BACKGROUND})  # "affiliés à l'EI", "the military deployed troops"
    # a relative clause after the name describes the party, not the event: "were
    # municipal police, who in most parts of Mexico rarely play a front-line role"
    main = folded[s_left:s_right]
    relative = _RELATIVE.search(folded, end, s_right)
    if relative:  # the clause runs to the next comma; the main clause goes on after it
        close = folded.find(",", relative.end(), s_right)
        main = folded[s_left : relative.start()] + (folded[close:s_right] if close > 0 else "")
    if _BACKGROUND.search(main) or _past_years_only(doc, s_left, s_right):
        roles.add(BACKGROUND)
    return frozenset(roles)


# A source speaks: "X said", "X (KSO) on Tuesday issued a statement", "X have blamed";
# or is cited: "according to X", "estimates by X", "the head of X's mission ... said".
_SPEAKS_AFTER = re.compile(
    # after a comma only with an auxiliary: "Abiy Ahmed, has condemned", never the
    # inverted ", indique le gouverneur" (the governor speaks, not the name before)
    rf"^\s*(?:,\s*(?=(?:has|have|had|also|later|then|who)\b))?(?:\([^)]{{0,60}}\)\s*)?"
    rf"(?:[\w'\-]+\s+){{0,4}}?(?:{SPEECH_VERBS}|issued"
    r"|in a statement|blamed|blame|accused|accuse|condemned|condamne|denounced|denonce|warned"
    r"|averti)\b"
)
_CITED_BEFORE = re.compile(
    rf"\b(?:{ATTRIBUTION_BEFORE}|estimates? by|figures? (?:by|from)|data (?:by|from)"
    r"|chiffres? d[eu']s?|estimations? d[eu']s?|confirmed by|confirmee? par|reported by"
    r"|rapportee? par)\s+(?:[\w'\-]+\s+){0,3}?"
    r"(?:l'|d')?$"
)
_HEAD_OF_BEFORE = re.compile(
    r"\b(?:chef|head|spokes\w+|porte-parole|director|directeur|representative|representant"
    r"|envoy|emissaire)\s+(?:[\w'\-]+\s+){0,4}?(?:of|for|de|du|des|d')\s*(?:the\s+|la\s+"
    r"|le\s+|les\s+|l')?$"
)
# Inverted, after what is said: "..., a annoncé l'Observatoire", '...," said the ministry'.
_SPEAKS_BEFORE = re.compile(
    rf"[,\"\u00bb\u201d]\s*(?:{SPEECH_VERBS})(?!\s+(?:to be|to have|d'etre|comme))\s+"
    r"(?:the\s+|le\s+|la\s+|les\s+|cette\s+|ce\s+|ces\s+|an?\s+|une?\s+|l')?"
    r"(?:[\w'\-]+\s+){0,3}?(?:(?:of|de|du|des)\s+(?:the\s+|la\s+|le\s+|les\s+)?|d'|de l')?$"
)
# "X said it killed", "a annoncé que ses hommes ont repoussé": a party reporting its own act.
_OWN_ACT = re.compile(
    rf"^\s*,?\s*(?:that\s+|que\s+|qu')?(?:it|its|they|their|we|our|il|ils|ses|leurs|nous"
    rf"|nos)\b[^.;]{{0,60}}?(?<![a-z])(?:{EVENT_WORDS})"
)


_CITING = re.compile(
    rf"\b(?:{ATTRIBUTION_BEFORE}|statement|communique|report|rapport|bilan|toll|figures?"
    r"|chiffres?|interview|entretien)\b|[\"\u00ab\u201c]"
)


def speaks(doc: Document, start: int, end: int) -> bool:
    """Whether the sentence naming [start, end) has someone give or cite information
    ("X said", "selon X", "a statement", a quotation): where a party can be a source."""
    left, right = sentence(doc, start, end)
    return bool(SPEECH.search(doc.folded, left, right) or _CITING.search(doc.folded, left, right))


def _source(folded: str, start: int, end: int, left: int, right: int) -> bool:
    """Whether the mention only gives or is cited for information, not its own act."""
    after = folded[end : min(right, end + 80)]
    before = folded[max(left, start - 60) : start]
    spoken = _SPEAKS_AFTER.match(after)
    if spoken:
        return not _OWN_ACT.match(after[spoken.end() :])
    if _CITED_BEFORE.search(before) or _SPEAKS_BEFORE.search(before):
        return True
    return bool(_HEAD_OF_BEFORE.search(before) and SPEECH.search(folded, end, right))


_OR_ACRONYM = re.compile(
    r"(?:[A-Z\u00c0-\u00dd][\w'\u2019\-]*\s+(?:(?:of|de|du|des|the|la|le|for|pour)\s+)?){0,6}"
    r"[A-Z\u00c0-\u00dd][\w'\u2019\-]*,\s+(?:or|ou|also known as|aussi appele)\s+\Z"
)


# Between a verb and its subject or object: what makes the name some other clause's.
_NOT_SAME_CLAUSE = re.compile(
    r"[,;]|\b(?:who|qui|that|which|and|et|when|quand|lorsqu\w*|as|while|after|apres|before"
    r"|avant|in|at|on|during|between|with|dans|entre|avec|lors|pendant|into|from|of|de|du|des"
    r"|accus\w*|blam\w*|said|says|say|told|dit|declar\w*|affirm\w*|annonc\w*|indiqu\w*"
    r"|report(?:s|ed)?|claim(?:s|ed)?|alleg(?:e|es|ed)|according|selon)\b"
)
_BY_END = re.compile(
    r"\b(?:by|par|de la part d|du fait d)\s+(?:(?:the|les|la|le|des|du|de|a|an|un|une"
    r"|its|their|ses|leurs|local|suspected|presumed|presumes|armed|armes|des)\s+|l'\s*|d'\s*)"
    r"{0,2}(?:(?:about|around|some|over|nearly|more than|at least|plus de|environ|pres de"
    r"|au moins|une? \w+aines? d'|(?:hundreds|dozens|scores) of)\s*)?(?:\d[\d,.]*\s+)?$"
)  # "raided by 300 gunmen", "attaqué par une centaine d'hommes armés"


def _verb_roles(folded: str, start: int, end: int, left: int, right: int) -> set[str]:
    """Subject or object of the clause's attack verb, by voice: the verb and the name
    must be of one clause (no comma, conjunction, preposition or speech verb between)."""
    after_verb = _VERB_RE.search(folded, end, min(right, end + 80))
    if after_verb:  # the actor comes first: "X attacked", "X was attacked"
        gap = folded[end : after_verb.start()]
        if len(gap.split()) <= 6 and _PASSIVE.search(gap):  # "a été prise dans une embuscade"
            return {TARGET}
        if len(gap.split()) <= 4 and not _NOT_SAME_CLAUSE.search(gap):
            if _PASSIVE.search(folded[max(end, after_verb.start() - 40) : after_verb.start()]):
                return {TARGET}
            return {ATTACKER}
    verb = None
    for m in _VERB_RE.finditer(folded, max(left, start - 80), start):
        verb = m
    if verb:  # the actor comes after: "attacked X", "attaqué par X"
        gap = folded[verb.end() : start]
        if _BY_END.search(gap) and len(gap.split()) <= 4:
            return {ATTACKER}
        if len(gap.split()) <= 6 and not _NOT_SAME_CLAUSE.search(gap):
            return {TARGET}
    return set()


# What a sentence about the violence itself says, beyond the attack verbs: fighting,
# harm, blame, arrest, a defence ("X issued a statement", "X's resolution", "took power
# after coups" say none of it).
_EVENT_CUE = re.compile(
    rf"(?<![a-z])(?:{EVENT_WORDS}"
    # "battle" reports fighting to the verifier; to the extractor "continues to battle an
    # insurgency" is no event sentence
    r"|battle|echange|mort|tue|bless|victim|casualt|martyr|claim|revendiqu"
    r"|responsib|suspect|blame|accus|perpetrat|assailant|gunmen|violen"
    r"|arrest|detain|held|interpel|arret|riposte|murder|envah|subi|suffer"
    r"|exaction|atrocit|incident|occur|happen|took place|a eu lieu|s'est produit|survenu"
    r"|air strike|fusillade"
    r"|elimine|localis|located|spotted|repere|traqu|tracked|pursu|poursui|ratissage"
    r"|degat|damage|endommag|corps\b|bodies|cadavre|ruins|decombres|rubble)"
)


def reports_attack(doc: Document, left: int, right: int) -> bool:
    """Whether the text between the offsets has an attack verb ("attacked", "tué")."""
    return _VERB_RE.search(doc.folded, left, right) is not None


def reports_violence(doc: Document, start: int, end: int) -> bool:
    """Whether the sentence holding [start, end) is about the violence itself."""
    left, right = sentence(doc, start, end)
    return bool(
        _VERB_RE.search(doc.folded, left, right) or _EVENT_CUE.search(doc.folded, left, right)
    )


_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")


def _past_years_only(doc: Document, left: int, right: int) -> bool:
    """The sentence dates itself to years before the article's: history."""
    this_year = doc.published.year if doc.published else doc.latest_year
    years = {int(y) for y in _YEAR.findall(doc.folded, left, right)}
    return bool(this_year and years and all(y < this_year for y in years))
