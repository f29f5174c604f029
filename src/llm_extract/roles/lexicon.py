"""Word lists of the role readers, English and French, folded (lower case, no accents).

Stems run to the end of their word: "kill" finds killed, killing, kills. Lists name
grammatical cues (fate verbs, modal verbs, time adverbs, prepositions of distance),
never the names of any article's places or actors.
"""

from __future__ import annotations

import re

from llm_extract.text.dates import MONTHS

# Full month names, English and French ("may" too: only ever read before a year here).
MONTH_NAMES = "|".join(m for m in MONTHS if len(m) > 3 or m in ("may", "mai"))

FATES: dict[str, tuple[str, ...]] = {
    "killed": ("kill", "dead", "deceased", "death", "died", "dies", "die", "dying", "slain", "slew",
               "fatalit", "captured dead", "found dead", "corps", "retrouves morts",
               "massacr", "execut", "toll", "lost their lives", "lost his life",
               "lost her life", "lives", "perished", "martyr", "bodies", "corpses",
               "sent to hell", "neutrali", "eliminat", "behead", "decapit",
               "tue", "tues", "tuee", "tuees", "tuant", "tuer", "tuerie", "mort", "morts",
               "morte", "mortes", "meurtr", "abattu", "deces", "decede", "perdu la vie",
               "peri", "perirent", "succombe", "cadavre", "corps sans vie", "bilan",
               "coute la vie", "coutant la vie", "cost the lives", "claimed the lives",
               "assassin", "egorge", "fusille", "massacre", "lost", "perdu", "deplore",
               "champ d'honneur", "tombe au combat", "tombes au combat", "fell in battle",
               "fell in action", "killed in action"),
    "injured": ("wound", "injur", "hurt", "blesse", "blessu", "bless", "casualt"),
    "abducted": ("abduct", "kidnap", "hostage", "taken captive", "enlev", "otage", "rapt",
                 "sequestr", "kidnapp"),
    "captured": ("captur", "arrest", "detain", "taken prisoner", "apprehend", "neutrali",
                 "held by", "taken into custody", "in custody",
                 "surrender", "interpell", "arrete", "arretes", "arrestation",
                 "prisonnier", "capture", "fait prisonnier"),
    "missing": ("missing", "disappear", "unaccounted", "disparu", "disparition",
                "still being sought", "sous les decombres", "under the rubble",
                "trapped under", "buried under", "ensevelis",
                "search is underway for", "search is under way for", "searching for",
                "search for", "search continues for", "a la recherche d", "recherche d",
                "being sought", "sought by", "introuvable", "porte disparu",
                "portes disparus", "recherches"),
    # Fates that are none of the categories: a figure bound to one is not a toll.
    "displaced": ("displac", "deplace", "fled", "flee", "fleeing", "fui", "fuir", "fuient",
                  "fuyant", "fuite", "homeless", "sans-abri", "sans abri", "evacuat",
                  "evacue", "refugi", "sought refuge", "took refuge", "arrived",
                  "arrivee", "arrivees", "arrives", "left their homes", "quitte",
                  "from their homes", "exode", "exil", "ran to", "ran into", "ran away",
                  "for their lives", "enfui"),
    "freed": ("freed", "rescued", "released", "liberat", "libere", "liberes", "relache",
              "secouru", "sauve", "escaped", "echappe", "retrouve", "found alive"),
    "affected": ("affected", "sinistr", "touches", "affectes", "besoin", "need"),
}  # fmt: skip

# What may stand between a governing fate word and its figure: articles, comparators,
# "of", a copula ("Among the injured are three teachers").
FILLER_BEFORE_FIGURE = (
    r"(?:(?:the|a|an|of|at|least|some|about|around|nearly|almost|over|more|than|up|to"
    r"|as|many|much|approximately|roughly|another|other|are|were|was|is|also|still|only"
    r"|au|moins|plus|de|d'|des|du|la|le|les|l'|un|une|environ|pres|quelque|quelques|pas"
    r"|moins|autres?|sont|est|etaient|aussi|encore|dont|including|notamment|parmi"
    r"|reportedly|allegedly|en|total|overall)[\s,]*)*"
)

# Modal words before a figure: the article supposes or projects it.
PROJECTION = (
    r"\b(?:may|might|could|would|feared|fears|fear|possibly|perhaps|probably|likely"
    r"|expected|projected|estimated to reach|risk|risks|suspect|suspected|suspecting"
    r"|unconfirmed|peut-etre|peut etre|pourrait|pourraient|risque|risquent|craint"
    r"|craignent|crainte|probablement|vraisemblablement|soupcon|soupconn|presume"
    r"|eventuel|potentiel|potentially|rise to|rise above|climb to|s'alourdir"
    r"|yet to be confirmed|not yet confirmed|pas encore confirm\w*|reste a confirmer)\b"
)
HYPOTHETICAL = r"\b(?:if|unless|would have|si|au cas ou|faute de)\b"

# Another time or event for the figure. PERIOD_OR_OTHER: a period total, a nationwide
# total, another attack: never one incident's figure, whatever its date. "This year",
# "cette année" alone are the current period, not another time.
# A war or crisis starting ("which began in 2020"): its date and toll are a period's.
CONFLICT_START = (
    r"(?:began|begun|started|erupted|broke out|a commence|a debute|a eclate|ont commence"
    r"|ont debute|ont eclate|dure depuis)"
)
# "It came two days after 69 people were killed", "Cette attaque survient après la visite
# ...": what follows is the story before this one.
PRIOR_EVENT = (
    r"(?:(?:it|this|that|which|the attack|the assault|the raid|the ambush|the bombing"
    r"|the killings?|l'attaque|cette attaque|l'embuscade|cela|ceci|celle-ci|celui-ci)\s+"
    r"(?:(?:came|comes|happened|occurred|follows|followed|intervient|survient|est survenue?)"
    r"\s+(?:(?:just|only|barely|seulement|juste)\s+)?(?:(?:a|an|one|two|three|four|five|six"
    r"|several|a few|few|\d+|un|une|deux|trois|quatre|cinq|six|quelques|plusieurs)\s+)?"
    r"(?:(?:days?|weeks?|months?|hours?|jours|semaines|mois|heures)\s+)?(?:after|apres"
    r"|following)(?!\s+(?:\d|midnight|minuit|noon|midi|dawn|l'aube))"
    r"|fait suite a|faisait suite a)"
    # "les tirs saoudiens ont suivi une attaque de drones contre ...": any subject
    r"|(?:followed|a suivi|ont suivi|came after|comes after|font suite a|faisaient suite a)\s+"
    r"(?:an?|une|the|la|le|l')?\s*(?:\w+\s+){0,2}?(?:attacks?|attaques?|strikes?|frappes?"
    r"|raids?|assaults?|bombings?|ambush|embuscades?|attentats?))"
)
PERIOD_OR_OTHER = (
    r"\b(?:since|depuis|so far this year|this year alone|earlier this year|past year"
    r"|depuis le debut|jusqu'ici cette annee|en un an|in a year"
    r"|in recent (?:months|years|weeks)|over the (?:past|last)(?! (?:\w+ )?(?:hours?|days?|night))"
    r"|au cours des (?:\w+ )?(?:derniers|dernieres)(?! (?:\w+ )?(?:heures|jours))"
    r"|ces derniers mois|ces dernieres annees|le mois le plus|the deadliest month"
    r"|the deadliest year|l'annee la plus|a ete la plus meurtriere|was the deadliest"
    r"|(?:several|numerous|many) (?:encounters|attacks|incidents|clashes)"
    r"|(?:plusieurs|de nombreux|de nombreuses) (?:affrontements|attaques|incidents)"
    r"|in a separate attack|in separate attacks|in the first half of|in the second half of"
    r"|au premier semestre|au second semestre|au deuxieme semestre"
    rf"|(?:from|between) (?:{MONTH_NAMES}) (?:to|until|through|and) (?:{MONTH_NAMES})"
    rf"|(?:de|entre) (?:{MONTH_NAMES}) (?:a|et) (?:{MONTH_NAMES})"
    r"|dans d'autres attaques|d'autres attaques|in other attacks|other attacks"
    r"|elsewhere|(?<!par )ailleurs|a travers le pays|across the country(?!'s)|nationwide"
    r"|a l'echelle"
    # a rate or a total over weeks, months, years: "165 morts par jour", "in three months"
    r"|(?:per|each|every|par|chaque) (?:day|week|month|year|jour|semaine|mois|an|annee)"
    r"|(?:in|within|over|en|sur) (?:\w+ )?(?:weeks|months|years|semaines|mois|ans|annees)"
    r"|earlier attack|previous attack|attaque precedente|precedente attaque"
    r"|in another (?:area|attack|village|town|region|incident)"
    r"|(?:dans|lors d)'?\s?une autre (?:attaque|localite|zone|region)"
    # "the war, which began in November 2020 and has killed thousands": a conflict's toll
    rf"|(?:which|that|qui)\s+{CONFLICT_START})\b"
)
# ANOTHER_POINT: a point in time; another than the incident's only if the incident is
# dated otherwise (a record with no date may be of that very time).
ANOTHER_POINT = (
    r"\b(?:last year|previous year|l'an dernier|l'annee derniere|l'an passe"
    r"|last month|le mois dernier|le mois precedent|last week|the previous week"
    r"|la semaine derniere|la semaine passee|la semaine precedente"
    rf"|(?:in|en) (?:{MONTH_NAMES}) (?:19|20)\d\d)\b"
)

# Fate words that govern only the figure after them ("lost four of its men").
GOVERN_ONLY = frozenset({"lost", "perdu", "deplore", "deplorent", "deplores"})

# Words that open the parts of a toll: "30 morts, dont 12 civils", "including 16 children".
PART_WORDS = r"including|among them|dont|parmi lesquels|parmi eux|y compris"

SIDE_OF_CLASS = {"armed": "side_b", "forces": "side_a", "civilians": "civilians"}

# Who gives a figure: speech and report verbs (after the speaker, or inverted). French
# verbs are stems with their finite and participle endings ("précisent", "déclarait",
# "ajoutant"), so a tense or person no list thought of still reads as speech; the bare
# infinitive is left out ("a refusé d'indiquer" gives nothing).
_FR_SPEECH_STEMS = (
    r"declar|annonc|indiqu|affirm|rapport|precis|confirm|estim|soulign|ajout|expliqu"
    r"|revendiqu|recens|signal|temoign|racont|deplor|evoqu|mentionn|communiqu|parl"
)
_FR_PUBLISH_STEMS = r"publi|diffus"  # "un bilan publié par l'armée" is no speaker
SPEECH_VERBS = (
    r"said|says|say|told|tells|reported|reports|announced|announces|claimed|claims"
    r"|stated|confirmed|confirms|added|estimated|estimates|indicated|indicates"
    r"|counted|recorded|put the toll|put the death toll|gave|according|wrote|tweeted"
    r"|declared|noted|explained|revealed|cited|quoted|insisted|alleged|affirmed"
    r"|acknowledged|admitted|disclosed|asserted|reiterated|mentioned|put the figure"
    r"|put the number|puts the figure|puts the number|spoke of|spoke about"
    r"|(?:a|ont|avait|avaient)\s+(?:(?:meme|aussi|egalement|deja|encore|ensuite|enfin"
    r"|notamment|finalement)\s+)?"
    rf"(?:(?:{_FR_SPEECH_STEMS}|{_FR_PUBLISH_STEMS})(?:e|es|ee|ees)"
    r"|fait etat|assure)"
    rf"|(?:{_FR_SPEECH_STEMS})(?:e|ent|ait|aient|ant)|(?:{_FR_PUBLISH_STEMS})(?:ent|ait|aient)"
    r"|fait etat|font etat|faisait etat|assure|a compte|avons compte|assurent"
    r"|disent|a dit|ont dit|ecrit"
)
SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
ATTRIBUTION_BEFORE = (
    r"according to|citing|quoting|selon|d'apres|de source|cite par|a en croire"
    r"|sources? (?:said|say)|reports? from|reports? by|un communique d'|un communique de"
    r"|le communique d'|le communique de|a statement from|a statement by|statement of"
)
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "il", "elle", "ils", "elles", "on",
                      "ont-ils", "ont-elles", "a-t-il", "a-t-elle", "a-t-on", "disent-ils",
                      "nous", "i", "je", "who", "qui", "which", "this", "that", "lui", "eux",
                      "him", "her", "them", "leur"})  # fmt: skip
# Words that make a name a fighting party (state forces, armed groups): such a party
# speaking of the incident is one of its sides, not only a source of the story.
ARMED_PARTY_WORDS = (
    r"arm(?:y|ies|ee|ees)|forces?|military|militaire|police|policier|gendarm|soldier|soldat"
    r"|troops?|troupes?|militia|milice|rebel|insurg|militant|jihad|djihad|terror|gunmen"
    r"|armed|armes?\b|combattant|fighter|cartel|gang|guerill|commando|brigade|battalion"
    r"|bataillon|regiment|junt[ae]|garde|guard|navy|marine|air force|paramilit"
)
NOT_GIVING = (
    r"declined to|refused to|did not (?:give|provide|comment|respond)|has not (?:responded"
    r"|commented|given)|have not (?:responded|commented)|would not|no comment|n'a pas"
    r"|n'ont pas|s'est refuse|a refuse|ont refuse|sans donner|without giving"
    r"|could not be reached|n'a pu etre joint|not immediately|ne s'est pas (?:encore )?prononce"
    r"|has yet to comment|have yet to comment|yet to comment|not yet commented"
)

# What happened, in a sentence that reports an event: the extractor's event sentences
# and the verifier's "the text reports violence here" read the same words.
EVENT_WORDS = (
    r"attack|attaqu|assault|target|cibl|ambush|embuscad|raid|stormed|struck|strike|frappe"
    r"|shell|bomb|explo|blast|drone|missile|rocket|clash|affront|combat|fight|kill"
    r"|tu(?:e|ee|es|ees|er|ant|erie)\b|morts?\b|dead\b|deceased|died|death|fatalit|massacr"
    r"|wound|injur"
    r"|blesse|abduct|kidnap|enlev|otage|hostage|fired|opened fire|gunfire|tirs?\b|burn"
    r"|incendi|loot|pillag|pille|ransack|saccag|execut|slain|behead|neutrali|assassin|suicide"
    r"|kamikaze|grenade"
    r"|ied\b|engin explosif|mines?\b|landmine|eliminat|destroy"
    r"|detrui|shot|gunned|abattu|overran|overrun|repel|repouss|captur|seiz|fusill|lynch"
    r"|accroch|heurt|gunfight|encounter|firefight|exchange of fire|shootout|offensive"
    r"|airstrike|air raid|roquette|mortar|mortier|gunshot|shooting|attentat|invasion|invad"
    # an operation that happened, not one named ("Operation Barkhane", "l'opération Serval")
    r"|operations?\s+(?:was|were|has|had|is|are|conducted|launched|carried|against|in|at|near"
    r"|by|on|militaires?|de (?:ratissage|securisation|nettoyage|bouclage)|antiterroristes?"
    r"|contre|dans|lancee?s?|menee?s?)\b|(?:during|of) the operation"
)
# The pluperfect tells what came before the events the article reports ("avaient été
# tués", "had announced"); a participle must follow, so "had three" is not one.
EARLIER_TENSE = (
    r"\b(?:avai(?:t|ent)\s+(?:(?:deja|aussi|egalement|ensuite|alors)\s+)?(?:(?:ete\s+[a-z]{2,}"
    r"|(?!(?:trois|cette|toute|quelque|onze|douze|treize|quinze|seize)\b)[a-z]{3,})(?:e|ee|es"
    r"|ees|i|is|u|us)|fait|pris|mis|eu)|had\s+(?:(?:already|also|earlier|previously|then)\s+)?"
    r"(?:been\s+)?(?:[a-z]{3,}(?:ed|en|wn)|shot|hit|struck|fought|fled|lost|left|said|told"
    r"|made))\b"
)
