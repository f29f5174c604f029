"""roles.places and roles.actors: where the text puts the event, who did what to whom."""

from __future__ import annotations

import pytest

from llm_extract.roles import actor_roles, mentions, place_role
from llm_extract.text.grounding import Document


def role_of_place(text: str, name: str) -> str:
    doc = Document.from_text(text)
    start, end = mentions(doc, name)[0]
    return place_role(doc, start, end)


def roles_of_actor(text: str, name: str) -> frozenset[str]:
    doc = Document.from_text(text)
    start, end = mentions(doc, name)[0]
    return actor_roles(doc, start, end)


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Le village de Soumpi, situé à une vingtaine de km de Niafunké, a été attaqué.",
         "Soumpi", "event"),
        ("Le village de Soumpi, situé à une vingtaine de km de Niafunké, a été attaqué.",
         "Niafunké", "reference"),
        ("Gunmen attacked two villages near the town of Makhmour on Thursday.", "Makhmour",
         "reference"),
        ("La localité de Ngakobo, située à 30 km de Bambari, a été attaquée samedi.",
         "Ngakobo", "event"),
        ("La localité de Ngakobo, située à 30 km de Bambari, a été attaquée samedi.",
         "Bambari", "reference"),
        ("Survivors fled to Dori, the regional capital.", "Dori", "background"),
        ("The park lies near the border with Niger.", "Niger", "background"),
        ("The National Liberation Army (Spanish abbr: ELN) attacked.", "Spanish",
         "not_a_place"),
        ("Residents told BBC that the drone hit the school.", "BBC", "not_a_place"),
        ("L'embuscade a eu lieu vers 9h00 (8h00 GMT) près de Tera.", "GMT", "not_a_place"),
        ("Le ministre l'a annoncé sur Truth Social samedi.", "Truth Social", "not_a_place"),
        ("The village is home to the Barí indigenous group.", "Barí", "not_a_place"),
        ("The Nuer people fled Akobo.", "Nuer", "not_a_place"),
        ("Ituri ethnic clashes killed 12 people on Monday.", "Ituri", "event"),
        ("Gunmen were heading for Kalema village when troops stopped them.", "Kalema",
         "background"),
        ("Les assaillants ont pillé le village avant de se replier au Tchad.", "Tchad",
         "background"),
        ("Source: Addis Standard\nThe strike hit Mezezo.", "Addis Standard", "dateline"),
        ("Par ailleurs, un médecin a été tué samedi devant chez lui à Qabatiya.", "Qabatiya",
         "event"),  # "Par ailleurs" opens a sentence, not a byline
    ],
)  # fmt: skip
def test_a_place_name_plays_the_role_its_sentence_gives_it(text: str, name: str, role: str) -> None:
    assert role_of_place(text, name) == role


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("ISIS militants attacked a Federal Police detachment.", "ISIS", {"attacker"}),
        ("ISIS militants attacked a Federal Police detachment.", "Federal Police", {"target"}),
        ("Une équipe des Rangers a été prise dans une embuscade.", "Rangers", {"target"}),
        ("L'embuscade est attribuée aux groupes armés terroristes.",
         "groupes armés terroristes", {"attacker"}),
        ("The army repelled an attack by the ISGS group.", "ISGS", {"attacker"}),
        ("The post came under attack from JNIM fighters.", "post", {"target"}),
        ("Clashes between the army and the rebels lasted hours.", "rebels", {"participant"}),
    ],
)  # fmt: skip
def test_an_actor_gets_the_role_of_its_clause(text: str, name: str, expected: set[str]) -> None:
    assert expected <= roles_of_actor(text, name)


def test_a_history_sentence_marks_its_actors_background() -> None:
    text = "Most attacks in the region have long been attributed to Boko Haram."
    assert "background" in roles_of_actor(text, "Boko Haram")


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("The cattle herders, who live in Bira village, were attacked on the road.", "Bira",
         "background"),
        ("Le sommet de Lomé a réuni les chefs d'État de la région.", "Lomé", "background"),
        ("Speaking on KTV, the governor said the attack killed nine.", "KTV", "not_a_place"),
        ("The gunmen shot a dog named Rex near the market.", "Rex", "not_a_place"),
        ("Troops clashed with fighters in nearby Bora village.", "Bora", "event"),
        ("Le poste, à cinq kilomètres (trois miles) de Sanam, a été attaqué.", "Sanam",
         "reference"),
        ("Bien que Lomé le nie, le groupe serait soutenu par ses voisins.", "Lomé",
         "background"),
        ("Dix morts, selon la télévision Al-Massira.", "Al-Massira", "not_a_place"),
        ("The ministry said so on Friday, reports Kalnews.", "Kalnews", "not_a_place"),
        ("(Belga) Dix militaires ont été tués jeudi à Bol.", "Belga", "not_a_place"),
        ("Dix militaires ont été tués à Bol (Lac).", "Lac", "event"),
        ("124 morts, a déclaré le Comité de résistance Wad Madani.", "Wad Madani",
         "not_a_place"),
        ("Police officers were fighting the violent Jalisco New Generation Cartel in the "
         "streets of Zamora.", "Jalisco", "not_a_place"),
        ("Police officers were fighting the violent Jalisco New Generation Cartel in the "
         "streets of Zamora.", "Zamora", "event"),
        ("Cinq morts, selon la même source jointe à Mopti.", "Mopti", "background"),
        ("Speaking to local media in the capital Mogadishu, the chief said so.", "Mogadishu",
         "background"),
        ("The army said its outposts in Farabougou came under attack.", "Farabougou", "event"),
        ("The country has witnessed an uptick in attacks, mostly in Kano and Kebbi, since "
         "2021.", "Kano", "background"),
        ("Gunmen killed 12 villagers on Monday, mostly in Koro.", "Koro", "event"),
        ("Attacks rose in areas disputed between Erbil and Baghdad.", "Erbil", "background"),
        ("Attacks rose in areas disputed between Erbil and Baghdad.", "Baghdad", "background"),
        ("Gunmen killed 12 people between Koro and Bassi.", "Bassi", "reference"),
    ],
)  # fmt: skip
def test_more_roles_of_a_place_name(text: str, name: str, role: str) -> None:
    assert role_of_place(text, name) == role


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Le groupe, affilié à l'Etat islamique, a attaqué le village.", "Etat islamique",
         {"background"}),
        ("The killing of five gunmen, who attacked a checkpoint, was confirmed.", "gunmen",
         {"attacker"}),
        ("Un kamikaze s'est fait exploser devant la mairie.", "kamikaze", {"attacker"}),
        ("L'armée a accusé les rebelles d'avoir attaqué ses positions.", "armée", set()),
        ("une insurrection menée par des groupes liés à Al-Qaïda et à Daech", "Daech",
         {"background"}),
        ("le Rwanda, que Kinshasa accuse de soutenir le M23, a nié.", "Rwanda",
         {"background"}),
        ("The army has fought Fano since April last year.", "Fano", {"background"}),
        ("Kurdish officials have blamed the attacks on a security vacuum.", "Kurdish officials",
         {"source"}),
        ("According to estimates by the UN agency, 15,550 people died.", "UN agency",
         {"source"}),
        ("The army said its troops repelled the attack.", "army", set()),
        ("Les violences ont fait 35 morts, a annoncé l'Observatoire syrien.",
         "Observatoire syrien", {"source"}),
        ('"Six fighters died," said a spokesman for the Tarlin Front.', "Tarlin Front",
         {"source"}),
        ("Le groupe Kalo a diffusé une vidéo montrant des dizaines de corps.", "groupe Kalo",
         {"source"}),
        ("Les notables de Tanou précisaient que 12 civils avaient péri.", "notables",
         {"source"}),
        ("Suspected jihadists have killed about a dozen villagers.", "Suspected jihadists",
         {"attacker"}),
        ("The dead were municipal police, who in most parts rarely fight cartels.",
         "municipal police", set()),
        ("Selon une information confirmée par Jean Kalo, député de la région, 5 sont morts.",
         "Jean Kalo", {"source"}),
        ("The prime minister, Abiy Ahmed, has condemned the attack.", "Abiy Ahmed",
         {"source"}),
        ("L'armée a frappé, blessant deux civils, indique le gouverneur de la région.",
         "civils", set()),
        ("Des hommes armés ont attaqué mardi matin une position des Forces armées "
         "centrafricaines (FACA).", "FACA", {"target"}),
        ("Quatre gendarmes ont trouvé la mort dans l'attaque.", "gendarmes", {"target"}),
        ("Plus de 360.000 personnes ont fui, selon l'Organisation internationale des "
         "migrations.", "Organisation internationale des migrations", {"source"}),
    ],
)  # fmt: skip
def test_more_roles_of_an_actor(text: str, name: str, expected: set[str]) -> None:
    roles = roles_of_actor(text, name)
    assert expected <= roles and (expected or "attacker" not in roles)


def test_a_statement_day_or_a_period_start_is_not_the_incident_s_date() -> None:
    from datetime import date

    from llm_extract.roles.dates import check_date_role
    from llm_extract.text.grounding import check_date

    text = ("Gunmen killed nine herders in Bira this week, the governor said on Thursday. "
            "The region has been under a curfew since March 3.")  # fmt: skip
    doc = Document.from_text(text, published=date(2024, 5, 10))
    thursday = (date(2024, 5, 9), date(2024, 5, 9))

    def role(when: tuple[date, date], quote: str, precision: int) -> str | None:
        found = check_date(doc, *when)
        return check_date_role(doc, found, quote, when, "", precision).code

    assert role(thursday, "the governor said on Thursday", 1) == "other_event"
    assert role(thursday, "the governor said on Thursday", 2) is None  # approximate: fine
    march = (date(2024, 3, 3), date(2024, 3, 3))
    assert role(march, "under a curfew since March 3", 1) == "other_event"


def test_a_later_member_of_a_list_shares_its_first_member_s_background() -> None:
    doc = Document.from_text(
        "Six civilians were killed in Mann, near the border with Chad and Cameroon."
    )
    (spot,) = mentions(doc, "Cameroon")
    assert place_role(doc, *spot) == "background"
    (mann,) = mentions(doc, "Mann")
    assert place_role(doc, *mann) == "event"


def test_a_region_that_owns_the_place_s_district_is_its_region() -> None:
    from llm_extract.roles.context import check_region

    doc = Document.from_text(
        "Troops attacked Yay Myat Village in Sagaing's Ye-U Township and Hnan Khar "
        "Village in Magwe's Gangaw Township."
    )
    quote = "Hnan Khar Village in Magwe's Gangaw Township"
    assert check_region(doc, "Hnan Khar", "Sagaing", quote, "admin1").code == "wrong_region"
    assert check_region(doc, "Hnan Khar", "Magwe", quote, "admin1").verdict == "supported"


def test_an_actor_named_only_where_no_violence_is_reported_is_background() -> None:
    from llm_extract.roles.checks import check_actor

    doc = Document.from_text(
        "Gunmen attacked the village of Mann on Saturday, killing six civilians.\n\n"
        "The Communist Party announced its plan to declare a ceasefire in April."
    )
    quote = "The Communist Party announced its plan"
    assert check_actor(doc, "Communist Party", "participant", quote).code == "background"
    assert check_actor(doc, "Gunmen", "attacker", "Gunmen attacked the village").code == "ok"


def test_an_actor_named_only_as_a_source_is_not_a_party() -> None:
    from llm_extract.roles.checks import check_actor

    doc = Document.from_text(
        "Gunmen attacked a police station in Jiribam on Monday, killing two officers.\n\n"
        "The Students' Union (KSO) on Tuesday issued a statement condemning the attack. "
        "The army said its soldiers killed ten attackers."
    )
    quote = "The Students' Union (KSO) on Tuesday issued a statement"
    assert check_actor(doc, "Students' Union", "attacker", quote).code == "background"
    # a fighting party that speaks is still a side; a source in the claimant role is true
    assert check_actor(doc, "army", "attacker", "The army said its soldiers").code == "ok"
    assert check_actor(doc, "Students' Union", "claimant", quote).code == "ok"


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("The cartel is fighting a local gang, the Viagras, for control.", "Viagras",
         "not_a_place"),
        ("Ils ont attaqué pendant la fête religieuse musulmane de l'Aïd al-Fitr.",
         "Aïd al-Fitr", "not_a_place"),
        ("Fighting broke out close to the Venezuelan border on Saturday.", "Venezuelan",
         "not_a_place"),
        ("Soldiers were ambushed near the Burkinabè border.", "Burkinabè", "not_a_place"),
        ("KENSCOFF, dimanche 20 avril 2025 (RHINEWS) - Des gangs ont attaqué Kenscoff.",
         "RHINEWS", "not_a_place"),
        ("Gunmen attacked Kayes region on Monday.", "Kayes", "event"),
        ("L'OSDH, une ONG basée en Grande-Bretagne, a fait état de six morts.",
         "Grande-Bretagne", "background"),
        ("Gunmen attacked a village in Kenya on Monday.", "Kenya", "event"),
    ],
)  # fmt: skip
def test_what_a_name_is_when_it_is_no_place(text: str, name: str, role: str) -> None:
    doc = Document.from_text(text)
    (spot,) = mentions(doc, name)
    assert place_role(doc, *spot) == role


def test_a_place_named_only_where_no_violence_is_reported_is_background() -> None:
    from llm_extract.roles.checks import check_place

    doc = Document.from_text(
        "Gunmen attacked the village of Noaka on Monday, killing dozens of volunteers.\n\n"
        "The military police later withdrew to the regional capital, Dori."
    )
    assert check_place(doc, "Noaka", 1, "Gunmen attacked the village of Noaka").code == "ok"
    quote = "withdrew to the regional capital, Dori"
    assert check_place(doc, "Dori", 1, quote).code == "background"


def test_an_abbreviation_does_not_end_the_sentence() -> None:
    doc = Document.from_text("The clash happened around 8 a.m. Thursday, near Benli. Next.")
    left, right = doc.sentence_bounds(45, 50)
    assert doc.text[left:right].startswith("The clash") and "Benli" in doc.text[left:right]


def test_a_wire_dateline_dates_the_dispatch_not_the_event() -> None:
    from datetime import date

    from llm_extract.roles.dates import STATEMENT, date_role

    doc = Document.from_text(
        "Manila [Philippines], November 4 (ANI/Xinhua): Two soldiers were killed in a clash "
        "with rebels on Wednesday, the military said.",
        date(2021, 11, 4),
    )
    first = min(doc.dates, key=lambda m: m.start)
    assert date_role(doc, first) == STATEMENT


def test_parties_that_differ_by_a_qualifier_are_two_parties() -> None:
    from llm_extract.roles.checks import same_party

    assert not same_party("Michoacan public security ministry", "federal public security ministry")
    assert same_party("Malian army", "Mali's army")
    assert same_party("the army", "Burkina Faso army")
    assert same_party("army spokesman", "the army")


def test_a_line_wrapped_mid_sentence_does_not_end_it() -> None:
    doc = Document.from_text(
        "The attack took place in a\nvillage called Kankanfogouol, the sources said.\nNext"
    )
    (spot,) = mentions(doc, "Kankanfogouol")
    left, right = doc.sentence_bounds(*spot)
    assert doc.text[left:right].startswith("The attack")


def test_looting_is_violence_the_text_reports() -> None:
    from llm_extract.roles.checks import check_place

    doc = Document.from_text(
        "Des hommes armés ont pillé des maisons dans les communautés de Laboule et "
        "Thomassin lundi matin."
    )
    assert check_place(doc, "Laboule", 1, "les communautés de Laboule et Thomassin").code == "ok"


def test_a_bracketed_region_after_a_town_is_a_place_and_a_hospital_town_is_not_the_event_s(
) -> None:  # fmt: skip
    text = ("Le groupe armé CODECO a attaqué vendredi à Djugu (Ituri) plusieurs villages. "
            "23 civils ont été blessés, nécessitant une évacuation vers Bunia.")  # fmt: skip
    assert place_role(Document.from_text(text), *spot_of(text, "Ituri")) == "event"
    assert place_role(Document.from_text(text), *spot_of(text, "Bunia")) == "background"


def spot_of(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("A bomb went off about 180 kilometers to the northeast of the country's capital, "
         "Mogadishu, killing 15 soldiers.", "Mogadishu", "reference"),
        ("The attackers are believed to have come from Gumuruk County and killed 20 people.",
         "Gumuruk", "background"),
        ("Gernot Wober of Toronto-based Braeval Mining Corp. said the attack killed two.",
         "Braeval Mining Corp", "not_a_place"),
    ],
)  # fmt: skip
def test_references_origins_and_companies_are_not_the_event_s_place(
    text: str, name: str, role: str
) -> None:
    assert place_role(Document.from_text(text), *spot_of(text, name)) == role


def test_an_acronym_after_or_plays_its_expansion_s_role() -> None:
    text = "The 2 a.m. attack by the National Liberation Army, or ELN, occurred in a rural area."
    assert "attacker" in roles_of_actor(text, "ELN")


def test_a_place_named_in_apposition_to_a_capital_keeps_the_cue_before_it() -> None:
    text = "La police militaire s'était ensuite retirée dans la capitale régionale, Dori."
    assert place_role(Document.from_text(text), *spot_of(text, "Dori")) == "background"


def test_a_war_s_start_and_the_day_reports_surfaced_are_not_the_incident_s() -> None:
    from datetime import date

    from llm_extract.roles.dates import PERIOD_START, STATEMENT, date_role

    doc = Document.from_text(
        "The conflict, which began in November 2020, has killed thousands. Gunmen killed "
        "dozens in Gimbi on Saturday. Reports of the massacre surfaced on Sunday.",
        date(2022, 6, 20),
    )
    found = {doc.text[m.start : m.end]: date_role(doc, m) for m in doc.dates}
    assert found["November 2020"] == PERIOD_START
    assert found["Sunday"] == STATEMENT
    assert found["Saturday"] == "event"


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Rien n'a changé depuis l'attentat de Grand Bassam en 2016.", "Grand Bassam",
         "background"),
        ("Residents said security forces were yet to arrive in the area.", "security forces",
         "background"),
        ("A local affiliate of ISIL has killed hundreds this year.", "ISIL", "background"),
    ],
)  # fmt: skip
def test_a_past_attack_s_place_an_absent_force_and_an_affiliate_s_parent(
    text: str, name: str, role: str
) -> None:
    if name == "Grand Bassam":
        assert role_of_place(text, name) == role
    else:
        assert role in roles_of_actor(text, name)


@pytest.mark.parametrize(
    ("text", "name", "unwanted"),
    [
        ("Three FAMa soldiers have died in the attack.", "FAMa soldiers", None),
        ("The village was attacked by a patrol of the FAMa.", "FAMa", "target"),
        ("The attackers, said to be members of JNIM, stormed the village.", "JNIM", "source"),
        ("The militia uses weapons provided by the RSF.", "RSF", "source"),
    ],
)  # fmt: skip
def test_the_new_actor_cues_keep_to_their_wording(
    text: str, name: str, unwanted: str | None
) -> None:
    roles = roles_of_actor(text, name)
    assert ("target" in roles) if unwanted is None else (unwanted not in roles)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The toll reached 40 in Djibo on Sunday.", "Djibo"),
        ("A joint operation in Mopti killed 12 militants.", "Mopti"),
        ("Residents told AFP the gunmen struck in Kaya.", "Kaya"),
        ("Attack kills 10 in Djibo\nThe Army said it repelled the assault.", "Djibo"),
        ("Attack kills 10 in Djibo (Burkina Faso)\nGunmen struck at dawn.", "Burkina Faso"),
    ],
)
def test_the_new_place_cues_keep_to_their_wording(text: str, name: str) -> None:
    assert role_of_place(text, name) == "event"


def test_a_fight_that_broke_out_on_a_day_is_that_day_s() -> None:
    from datetime import date

    from llm_extract.roles.dates import date_role

    doc = Document.from_text(
        "Fighting broke out on Sunday between herders and farmers, killing 12.", date(2022, 6, 20)
    )
    assert [date_role(doc, m) for m in doc.dates] == ["event"]


def test_a_place_someone_means_to_take_is_background() -> None:
    from llm_extract.roles.places import place_role
    from llm_extract.text.grounding import Document

    text = (
        "The factions recaptured Manbij on Friday. They aim to next capture the cities of "
        "Kobani and Tabaqa. Les rebelles menacent d'attaquer la ville de Goma."
    )
    doc = Document.from_text(text)
    roles = {n: place_role(doc, text.index(n), text.index(n) + len(n))
             for n in ("Manbij", "Kobani", "Goma")}  # fmt: skip
    assert roles == {"Manbij": "event", "Kobani": "background", "Goma": "background"}


def test_an_elided_by_phrase_names_the_attacker() -> None:
    text = "La localité de Ngakobo a été attaquée samedi par d'ex-rebelles Séléka."
    assert roles_of_actor(text, "ex-rebelles Séléka") == {"attacker"}


def test_a_trend_or_turf_war_sentence_marks_its_actors_background() -> None:
    from llm_extract.roles.checks import check_actor

    doc = Document.from_text(
        "Gunmen killed four police officers near the town of Lare on Sunday.\n\n"
        "The region has been hard hit by turf wars, with the Sun Cartel fighting a local "
        "gang for control.\n\n"
        "The country has seen a sharp increase in violence since the Blue Front went on "
        "a rampage."
    )
    for name, quote in (("Sun Cartel", "Sun Cartel fighting"), ("Blue Front", "Blue Front went")):
        assert check_actor(doc, name, "attacker", quote).code == "background"
    assert check_actor(doc, "Gunmen", "attacker", "Gunmen killed four").code == "ok"


def test_a_pluperfect_clause_and_a_span_of_years_date_other_events() -> None:
    from datetime import date

    from llm_extract.roles.dates import HISTORY, OTHER, date_role

    doc = Document.from_text(
        "Des hommes armés ont attaqué Tillia mardi. Le 3 mai, quatre gendarmes avaient été "
        "tués près de là. On 9 June, the minister had announced an offensive. The war raged "
        "from 2011 to 2014. Le 3 mai, les assaillants ont tué un berger. Un officier a indiqué "
        "que deux soldats avaient été tués lundi.",
        date(2024, 6, 12),
    )
    roles = [(doc.text[m.start : m.end], date_role(doc, m)) for m in doc.dates]
    assert roles[0] == ("mardi", "event")
    assert roles[1] == ("3 mai", OTHER)  # pluperfect: before the story's events
    assert roles[2] == ("9 June", OTHER)
    assert roles[-2] == ("3 mai", "event")  # the same day in the passé composé is an event
    assert roles[-1] == ("lundi", "event")  # reported speech's backshift, not an earlier day
    assert HISTORY in {r for t, r in roles if "201" in t}


def test_a_record_date_spanning_years_is_no_incident_s() -> None:
    from datetime import date

    from llm_extract.roles.dates import check_date_role
    from llm_extract.text.grounding import Check

    doc = Document.from_text("Le conflit a duré de 2013 à 2015. Samedi, trois morts.", None)
    found = Check("supported", "", code="ok")
    check = check_date_role(doc, found, "de 2013 à 2015", (date(2013, 1, 1), date(2015, 12, 31)))
    assert (check.verdict, check.code) == ("unsupported", "other_event")


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("About 900 people who fled from the attacks to Meluco district are hungry.", "Meluco",
         "background"),
        ("The raiders are believed to have come from two villages of Akobo County.", "Akobo",
         "background"),
        ("The clash came on the eve of a summit in the northern city of Arica.", "Arica",
         "background"),
        ("Gunmen killed three people in the northern city of Arica.", "Arica", "event"),
    ],
)  # fmt: skip
def test_where_people_fled_attackers_came_from_or_leaders_meet_is_background(
    text: str, name: str, role: str
) -> None:
    assert role_of_place(text, name) == role


def test_a_force_said_to_be_absent_is_no_party() -> None:
    assert roles_of_actor("There has been no presence of police since the attacks began.",
                          "police") == {"background"}  # fmt: skip


def test_a_date_restated_in_brackets_takes_the_role_of_the_day_before_it() -> None:
    from llm_extract.roles.dates import STATEMENT, date_role

    doc = Document.from_text(
        "Gunmen killed ten people, the ministry announced on Sunday (August 1st)."
    )
    assert [date_role(doc, m) for m in doc.dates] == [STATEMENT, STATEMENT]
