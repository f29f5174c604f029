"""The grounded strategy's reading of an article: places, actors, incidents, sides and
the reason an article that reports violence gave no incident. Sentences are written for
the tests (none is from the corpus), in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from llm_extract.core.records import ArticleExtraction
from llm_extract.extraction.grounded.actors import (
    ARMED,
    CIVILIANS,
    STATE,
    ActorMention,
    actor_type,
    affiliation,
    generic_actors,
    is_generic,
    naming_rank,
    same_party,
)
from llm_extract.extraction.grounded.candidates import (
    actor_candidates,
    count_candidates,
    date_candidates,
    place_candidates,
)
from llm_extract.extraction.grounded.incidents import split_incidents
from llm_extract.extraction.grounded.places import event_places, phrase_places, title_cased
from llm_extract.extraction.grounded.sides import side_in_context
from llm_extract.extraction.grounded.strategy import extract_grounded
from llm_extract.extraction.silence import why_empty
from llm_extract.roles.places import is_demonym, place_role
from llm_extract.text.fold import name_key
from llm_extract.text.grounding import Document


class FirstOption:
    """An asker that always takes the first option: the rules, not a model, decide."""

    def ask(self, question: str, schema: dict, max_tokens: int) -> object:
        options = schema.get("enum") or schema.get("items", {}).get("enum")
        return options[0] if schema["type"] == "string" else options[:1]


def names(places: list) -> list[str]:
    return [p.name for p in places]


def drafts_of(text: str) -> list:
    doc = Document.from_text(text)
    actors = actor_candidates(doc)
    places = event_places(doc, place_candidates(doc), {name_key(a.name) for a in actors})
    return split_incidents(doc, places, count_candidates(doc), actors, date_candidates(doc))


def event_place_names(text: str) -> list[str]:
    doc = Document.from_text(text)
    actors = {name_key(a.name) for a in actor_candidates(doc)}
    return names(event_places(doc, place_candidates(doc), actors))


def test_french_location_phrases_give_places() -> None:
    text = (
        "Des hommes armés ont attaqué la localité de Koro, dans la région de Kaya, "
        "puis le village de Tanla. Deux civils ont été tués près de Bassi et à Ouro et Sama."
    )
    found = names(phrase_places(Document.from_text(text)))
    for name in ("Koro", "Kaya", "Tanla", "Bassi", "Ouro", "Sama"):
        assert name in found
    called = "Ils ont attaqué une localité appelée Dori. It hit a small town called Sasit."
    assert names(phrase_places(Document.from_text(called))) == ["Dori", "Sasit"]


def test_a_settlement_noun_right_before_its_name_and_a_natural_feature() -> None:
    text = (
        "Les assaillants ont attaqué entre 23h et 01h le village Nguni, situé à environ 4 km "
        "de Beni, au pied du mont Tshavirimu. The town Mayor said the village Chief fled."
    )
    doc = Document.from_text(text)
    found = {p.name: p.precision for p in phrase_places(doc)}
    assert found["Nguni"] == 1
    assert found["mont Tshavirimu"] == 3  # ACLED: a natural feature is precision 3
    assert "Mayor" not in found and "Chief" not in found
    start = doc.text.index("Nguni")
    # a time span ("entre 23h et 01h") is no "between X and Y"; the village attacked is
    # the event's place, though the text then says how far it lies from Beni
    assert place_role(doc, start, start + 5) == "event"


def test_an_official_s_name_and_a_building_are_no_places() -> None:
    said = "Huit blessés, a déclaré le gouverneur de la région de Dnipro, Serhiy Lysak."
    assert names(phrase_places(Document.from_text(said))) == ["Dnipro"]
    school = "A drone strike in Kawot district targeted Gulo Primary School in the Tere kebele."
    assert names(phrase_places(Document.from_text(school))) == ["Kawot", "Tere"]


def test_a_singular_type_noun_after_a_list_types_only_its_last_name() -> None:
    text = "The operation was conducted in general area Tirah, Khyber district, on Friday."
    assert event_place_names(text) == ["Tirah"]  # Khyber only says where Tirah is
    both = "The army said soldiers were attacked in Koro and Bassi districts, on the road."
    assert event_place_names(both) == ["Koro", "Bassi"]
    chain = (
        "Gunmen beheaded five people on Tuesday in the Mucojo administrative post, in "
        "Macomia district, in the northern Mozambican province of Cabo Delgado."
    )
    assert event_place_names(chain) == ["Mucojo"]  # each name says where the one before is


def test_english_location_phrases_and_type_nouns() -> None:
    text = (
        "Gunmen attacked the village of Lakeside and the Norvik military camp, then struck "
        "along the Amber-Ridge road; three soldiers died near the town of Westfold."
    )
    found = phrase_places(Document.from_text(text))
    assert {"Lakeside", "Westfold"} <= set(names(found))
    road = next(p for p in found if p.name.startswith("Amber"))
    assert road.name == "Amber-Ridge road" and road.precision == 2


def test_a_region_noun_codes_the_place_as_a_region() -> None:
    found = phrase_places(Document.from_text("Fighting spread across the region of Talmar."))
    assert [(p.name, p.precision) for p in found] == [("Talmar", 3)]


def test_containers_languages_nationalities_and_title_case_are_not_event_places() -> None:
    text = (
        "Militants attacked Dorsa, in the Kelvin province, killing 12 people.\n"
        "Malian troops arrived later in Dorsa.\n"
        "The statement was read in Hausa."
    )
    found = event_place_names(text)
    assert found[:1] == ["Dorsa"]
    assert "Kelvin" not in found and "Hausa" not in found and "Malian" not in found
    assert title_cased("Seven Towns Hit in Cross-Region Offensive", 0)


def test_a_demonym_whose_stem_is_not_cut_is_not_a_place() -> None:
    """ "Mozambican", "Venezuelan": the country's name with a demonym's ending, even
    when the article never names the country."""
    text = "Insurgents killed four farmers in Dorsa, in the northern Mozambican province."
    assert "Mozambican" not in event_place_names(text)
    assert is_demonym(Document.from_text("Venezuelan troops."), "Venezuelan")
    assert not is_demonym(Document.from_text("In Somaliland."), "Somaliland")
    assert is_demonym(Document.from_text("Des soldats burkinabè."), "burkinabè")
    assert not is_demonym(Document.from_text("Dans le district d'Ancuabe."), "Ancuabe")


def test_an_incident_with_an_event_place_drops_its_reference_points() -> None:
    """ "at Dorsa, 900 km east of Kelvar": the event is at Dorsa; the road between two
    towns names both as references, and ACLED codes one: the first, at precision 2."""
    text = "Rebels attacked the army at Dorsa, 900 km east of Kelvar, on Monday, killing two."
    [draft] = drafts_of(text)
    assert names(draft.places) == ["Dorsa"]
    road = "Gunmen killed six drivers on the road between Dorsa and Kelvar on Monday."
    [draft] = drafts_of(road)
    assert names(draft.places) == ["Dorsa"]


def test_a_country_gives_way_to_a_finer_place() -> None:
    text = "In Mali, gunmen attacked Tessalit on Monday and killed four soldiers in Tessalit."
    assert event_place_names(text) == ["Tessalit", "Tessalit"]


def test_a_distance_reference_is_kept_at_precision_two() -> None:
    doc = Document.from_text("Gunmen killed five herders 30 km from Dorsa on Friday.")
    actors = {name_key(a.name) for a in actor_candidates(doc)}
    (place,) = event_places(doc, place_candidates(doc), actors)
    assert place.name == "Dorsa" and place.precision == 2


def test_generic_actor_phrases_keep_their_modifiers_in_both_languages() -> None:
    doc = Document.from_text(
        "Suspected jihadists ambushed Nigerien soldiers. Des assaillants non identifiés ont "
        "tué des civils, selon les forces de défense et de sécurité."
    )
    found = {a.name: a.actor_type for a in generic_actors(doc)}
    assert found["Suspected jihadists"] == ARMED
    assert found["Nigerien soldiers"] == STATE
    assert found["assaillants non identifiés"] == ARMED
    assert found["civils"] == CIVILIANS
    assert found["forces de défense et de sécurité"] == STATE


def test_named_groups_and_acronyms_with_their_expansion() -> None:
    doc = Document.from_text(
        "The Tarlin Liberation Front (TLF) attacked a patrol. The Morro militia denied it. "
        "An Improvised Explosive Device (IED) was found."
    )
    found = [a.name for a in generic_actors(doc)]
    assert "TLF" in found and "Morro militia" in found
    assert "IED" not in found and "Improvised Explosive Device" not in found


def test_a_negated_actor_names_nobody() -> None:
    doc = Document.from_text(
        "No group has claimed responsibility. Aucun groupe armé n'a revendiqué l'attaque. "
        "Gunmen later fled."
    )
    assert [a.name for a in generic_actors(doc)] == ["Gunmen"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("HomeNewsSuspected jihadists kill 21 in north Mali.", ["Suspected jihadists"]),
        ("Thirty-three villagers were killed.", ["villagers"]),
        ("Les rebelles ADF (Forces démocratiques alliées) ont attaqué.", ["rebelles ADF", "ADF"]),
        ("Le groupe rebelle Mouvement du 23 mars (M23) avance.", ["rebelle", "M23"]),
        ("MacArthur troops landed.", ["MacArthur troops"]),
    ],
)
def test_an_actor_phrase_is_trimmed_to_the_actor(text: str, names: list[str]) -> None:
    assert [a.name for a in actor_candidates(Document.from_text(text))] == names


def test_generic_and_affiliation() -> None:
    assert is_generic("the soldiers") and is_generic("Nigerien soldiers")
    assert not is_generic("Tarlin Liberation Front")
    assert actor_type("hommes armés") == ARMED and actor_type("villagers") == CIVILIANS
    doc = Document.from_text("The TLF, affiliated with al-Qaeda, attacked Dorsa.")
    mentions = {a.name: a for a in actor_candidates(doc)}
    assert affiliation(doc, mentions["al-Qaeda"])


def test_one_party_under_a_short_and_a_long_name_is_named_once() -> None:
    """Invented groups, so no alias table helps: a name inside a longer one, kind
    nouns aside, is the same party, named by its fullest proper name and without the
    kind noun before it; two forces of one state are not one party."""
    doc = Document.from_text("Les rebelles du KR7 ont attaqué Dolo.")
    assert same_party(doc, "rebelles du KR7", "KR7")
    assert same_party(doc, "Tarlin New Dawn Cartel", "New Dawn Cartel gunmen")
    assert not same_party(doc, "Vandorian army", "Vandorian police")
    assert not same_party(doc, "gunmen", "armed men")  # kind nouns alone name nobody
    forms = ["rebelles du KR7", "KR7", "KR7 fighters", "New Dawn Cartel", "Tarlin New Dawn Cartel"]
    ranked = sorted((ActorMention(f, 0, 1, ARMED) for f in forms), key=naming_rank)
    assert [m.name for m in ranked][:2] == ["Tarlin New Dawn Cartel", "New Dawn Cartel"]
    kr7 = [m.name for m in ranked if "KR7" in m.name]
    assert kr7[0] == "KR7" and kr7[-1] == "rebelles du KR7"


def test_distinct_places_and_days_make_distinct_incidents() -> None:
    text = (
        "On 3 March 2024, rebels attacked the village of Koro, killing 13 civilians. "
        "On 9 March 2024, the rebels attacked the locality of Bassi, killing seven civilians "
        "and abducting 12 others. Residents of Koro buried the dead."
    )
    doc = Document.from_text(text)
    actors = actor_candidates(doc)
    places = event_places(doc, place_candidates(doc), {name_key(a.name) for a in actors})
    drafts = split_incidents(doc, places, count_candidates(doc), actors, date_candidates(doc))
    assert [names(d.places) for d in drafts] == [["Koro"], ["Bassi"]]
    assert [c.quantity.best for c in drafts[0].counts] == [13]
    assert [c.quantity.best for c in drafts[1].counts] == [7, 12]


def test_a_placeless_toll_dated_weeks_apart_is_another_event_at_the_same_place() -> None:
    def split(text: str) -> list[tuple[list[str], object, list[float]]]:
        doc = Document.from_text(text, date(2025, 4, 20))
        places = event_places(doc, place_candidates(doc), set())
        drafts = split_incidents(doc, places, count_candidates(doc), [], date_candidates(doc))
        return [(names(d.places), d.day, [c.quantity.best for c in d.counts]) for d in drafts]

    lead = "Au moins trois soldats ont été tués dans une embuscade à Kenscoff dimanche. "
    massacre = "Lors du premier massacre des 27 et 28 janvier, au moins 50 civils ont été abattus."
    assert split(lead + massacre) == [
        (["Kenscoff"], date(2025, 4, 20), [3]),
        (["Kenscoff"], date(2025, 1, 27), [50]),
    ]
    # a day of the same week is as often when someone spoke; a period start is no day
    for other in (
        "Mercredi, des officiers ont dit qu'au moins 50 civils avaient été abattus.",
        "Depuis le 27 janvier, au moins 50 civils ont été abattus.",
    ):
        assert len(split(lead + other)) == 1


def test_a_list_of_towns_with_a_figure_each_makes_one_incident_per_town() -> None:
    doc = Document.from_text(
        "Selon l'OSDH, les forces de sécurité ont tiré sur des manifestants vendredi : "
        "douze civils ont été tués à Naoua, cinq à Alep et quatre à Homs."
    )
    actors = actor_candidates(doc)
    places = event_places(doc, place_candidates(doc), {name_key(a.name) for a in actors})
    drafts = split_incidents(doc, places, count_candidates(doc), actors, date_candidates(doc))
    assert [(names(d.places), [c.quantity.best for c in d.counts]) for d in drafts] == [
        (["Naoua"], [12]),
        (["Alep"], [5]),
        (["Homs"], [4]),
    ]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Terrorists murdered and beheaded five people on Tuesday in the village.", "civilians"),
        ("Five people were killed by gunmen on the road to the market.", "civilians"),
        ("Five people were killed in the fighting near the market.", "unknown"),
        ("Cinq rangers ont été tués lors de l'embuscade.", "side_a"),
        ("Five people were killed in a missile strike on an apartment building.", "civilians"),
        ("Cinq personnes sont mortes dans une frappe sur le marché central.", "civilians"),
        ("Five people were killed in a strike on an army base.", "unknown"),
        ("The army said five people were neutralised in the operation.", "side_b"),
        ("Cinq personnes ont été neutralisées lors d'opérations militaires.", "side_b"),
        ("Five people were killed before police neutralised the attacker.", "unknown"),
        (
            "Last Friday the insurgents, who are believed to be inspired by Islamic "
            "fundamentalism, killed five people in Machava.",
            "civilians",
        ),
    ],
)
def test_people_an_armed_group_kills_are_civilians(text: str, side: str) -> None:
    doc = Document.from_text(text)
    q = next(q for q in doc.quantities if q.best == 5)
    assert side_in_context(doc, q, "unknown") == side


def test_a_vague_word_and_a_numeral_of_one_value_are_two_figures() -> None:
    doc = Document.from_text(
        "Au moins 12 soldats et des « dizaines de terroristes » ont été tués lors d’une "
        "bataille dans la zone des « trois frontières ». Des dizaines de terroristes ont fui."
    )
    found = [(c.quantity.surface, c.quantity.noun) for c in count_candidates(doc)]
    assert ("Au moins 12", "soldats") in found
    assert any(noun == "terroristes" for _, noun in found)
    assert all(noun != "frontières" for _, noun in found)  # a place noun counts no one


def test_a_figure_borrows_the_side_of_the_figure_before_it() -> None:
    doc = Document.from_text(
        "Two soldiers were killed and 25 wounded. Le bilan est de six morts parmi les soldats."
    )
    by_value = {q.best: q for q in doc.quantities}
    assert side_in_context(doc, by_value[25], "unknown") == "side_a"
    assert side_in_context(doc, by_value[6], "unknown") == "side_a"
    assert side_in_context(doc, by_value[6], "civilians") == "civilians"  # the clause wins


def test_a_toll_after_an_attack_is_the_side_the_attack_hit() -> None:
    doc = Document.from_text(
        "Militants ambushed a police patrol near the town, killing six. "
        "Gunmen attacked the market at noon, killing 12."
    )
    by_value = {q.best: q for q in doc.quantities}
    assert side_in_context(doc, by_value[6], "unknown") == "side_a"
    # a market is no side: the killers' class decides, as before
    assert side_in_context(doc, by_value[12], "unknown") == "civilians"


def test_the_strategy_gives_each_incident_its_own_figures_and_roles() -> None:
    text = (
        "Gunmen attacked the village of Koro on Monday, killing 12 villagers. "
        "Separately, soldiers repelled an attack on the town of Bassi on Tuesday; "
        "four soldiers were killed."
    )
    record = extract_grounded(FirstOption(), Document.from_text(text))
    places = [[loc.name for loc in i.locations] for i in record.incidents]
    assert places == [["Koro"], ["Bassi"]]
    first, second = record.incidents
    assert [(c.best, c.side) for c in first.counts] == [(12, "civilians")]
    assert first.classification.sub_event_type == "Attack"
    assert [(c.best, c.side) for c in second.counts] == [(4, "side_a")]
    roles = {a.name: a.role for a in first.actors}
    assert roles.get("Gunmen") == "attacker"
    assert all(a.role != "attacker" for a in first.actors if a.name == "villagers")


def test_dozens_beside_a_twelve_is_another_toll() -> None:
    text = "Au moins 12 soldats et des « dizaines de terroristes » ont été tués près de Fantio."
    [incident] = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert sorted((c.best, c.side) for c in incident.counts) == [(12, "side_a"), (12, "side_b")]


def test_the_same_day_takes_the_previous_incident_s_date() -> None:
    text = (
        "Le 1er octobre 2022, les ADF ont attaqué le village de Kyamata, tuant six civils. "
        "Le même jour, les ADF ont attaqué la localité de Mayuano, tuant un civil. "
        "Le 9 octobre 2022, ils ont attaqué le village de Maboya, tuant deux civils."
    )
    record = extract_grounded(FirstOption(), Document.from_text(text, date(2022, 10, 5)))
    days = [(i.locations[0].name, i.date.start, i.date.text) for i in record.incidents]
    assert days == [
        ("Kyamata", date(2022, 10, 1), "1er octobre 2022"),
        ("Mayuano", date(2022, 10, 1), "Le même jour"),
        ("Maboya", date(2022, 10, 9), "9 octobre 2022"),
    ]


def test_a_report_s_period_is_not_the_incident_s_date() -> None:
    text = (
        "Dimanche, trois soldats ont été tués dans une embuscade à Kenscoff. Un rapport fait "
        "état, du 27 janvier au 27 mars, d'au moins 262 personnes tuées et 66 blessées "
        "à Kenscoff."
    )
    record = extract_grounded(FirstOption(), Document.from_text(text, date(2025, 4, 20)))
    [incident] = record.incidents
    assert (incident.date.start, incident.date.end) == (date(2025, 4, 20), date(2025, 4, 20))
    assert [c.best for c in incident.counts] == [3]  # the period's tolls are not its


def test_unnamed_victims_of_violence_against_civilians_are_civilians() -> None:
    """ACLED's violence against civilians has civilian victims by definition; in a
    clash, people the text does not place on a side stay unknown."""
    massacre = "A massacre in the village of Dalli on Sunday left nine people dead."
    record = extract_grounded(FirstOption(), Document.from_text(massacre))
    [incident] = record.incidents
    assert incident.classification.event_type == "Violence against civilians"
    assert [(c.best, c.side) for c in incident.counts] == [(9, "civilians")]
    clash = "Clashes in the town of Dalli on Sunday left nine people dead."
    [incident] = extract_grounded(FirstOption(), Document.from_text(clash)).incidents
    assert [(c.best, c.side) for c in incident.counts] == [(9, "unknown")]


def test_a_strike_on_homes_makes_its_unnamed_victims_civilians_wherever_the_toll_is_told() -> None:
    """The side read where a toll is first told holds where it is told again, and for
    the incident's other unnamed people, unless one of them is another side's."""
    text = (
        "At least six people were killed in a missile strike on an apartment building in "
        "the city of Kryvyi Rih on Tuesday.\n\nThe mayor of Kryvyi Rih confirmed that at "
        "least six people had been killed and that 25 people were wounded."
    )
    [incident] = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert sorted((c.category, c.best, c.side) for c in incident.counts) == [
        ("injured", 25, "civilians"),
        ("killed", 6, "civilians"),
    ]
    mixed = text + " Among the soldiers guarding it, two people were killed."
    [incident] = extract_grounded(FirstOption(), Document.from_text(mixed)).incidents
    read = {(c.category, c.best, c.side) for c in incident.counts}
    assert {("killed", 2, "side_a"), ("injured", 25, "unknown")} <= read
    clash = (
        "Clashes near the town of Dalli on Sunday left five people dead.\n\n"
        "Officials said five people were killed and 25 people were wounded."
    )
    [incident] = extract_grounded(FirstOption(), Document.from_text(clash)).incidents
    assert {c.side for c in incident.counts} == {"unknown"}


class LastOption(FirstOption):
    """An asker that always takes the last real option: a model that picks badly."""

    def ask(self, question: str, schema: dict, max_tokens: int) -> object:
        options = [o for o in schema.get("enum") or schema["items"]["enum"] if o != "none"]
        return options[-1] if schema["type"] == "string" else options[-1:]


def test_the_toll_s_own_sentence_dates_the_incident_and_a_round_bound_is_not_a_second_toll() -> (
    None
):
    """ "Since Friday evening" gives the days from then until the article was written;
    the day of an offensive the article recalls does not date the fighting, whatever
    the model would pick; "more than 100" is the round form of the 101 it then gives."""
    text = (
        "More than 100 fighters have been killed in the last two days.\n\n"
        "Since Friday evening, the fighting near the city of Manbij has resulted in 101 "
        "deaths, according to the monitor.\n\n"
        "The factions resumed their attacks when rebels launched an offensive on 27 "
        "November near the city of Manbij."
    )
    doc = Document.from_text(text, date(2025, 1, 5))  # a Sunday
    [incident] = extract_grounded(LastOption(), doc).incidents
    assert (incident.date.start, incident.date.end) == (date(2025, 1, 3), date(2025, 1, 5))
    assert [(c.category, c.best) for c in incident.counts] == [("killed", 101)]


def test_the_event_s_district_wins_over_a_town_named_only_as_a_reference() -> None:
    text = (
        "Des terroristes ont tué sept civils dans le district d'Ancuabe, à environ 45 km de "
        "la ville portuaire de Pemba, lundi."
    )
    [draft] = drafts_of(text)
    assert [p.name for p in draft.places] == ["Ancuabe"]


def test_a_total_takes_the_side_its_parts_share_but_not_two_armed_groups() -> None:
    text = (
        "Des hommes armés ont attaqué une patrouille près du village de Koro mardi.\n\n"
        "Au moins six morts, selon un communiqué. Dans le détail, cinq rangers et un "
        "soldat ont été tués."
    )
    [incident] = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert (6, "side_a") in {(c.best, c.side) for c in incident.counts}
    rivals = (
        "Clashes near the city of Manbij on Friday.\n\nThe fighting left 101 dead, "
        "including 85 rebels and 16 militiamen."
    )
    [incident] = extract_grounded(FirstOption(), Document.from_text(rivals)).incidents
    assert (101, "unknown") in {(c.best, c.side) for c in incident.counts}


def test_a_rival_count_of_a_toll_takes_its_side() -> None:
    """ "14 were dead" after "a dozen police officers died" counts the same police; a
    figure of a named group, or far from the toll, keeps its own reading."""
    text = (
        "At least a dozen police officers died after gunmen ambushed them near the town of "
        "Aguililla on Monday. The ministry said 14 were dead, while the state said 13 died."
    )
    [incident] = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert {(c.best, c.side) for c in incident.counts} >= {(14, "side_a"), (13, "side_a")}
    far = text.replace("14 were dead", "40 were dead")
    [incident] = extract_grounded(FirstOption(), Document.from_text(far)).incidents
    assert (40, "unknown") in {(c.best, c.side) for c in incident.counts}


def test_an_update_s_day_a_second_side_s_toll_and_a_captivity_do_not_misdate_or_drop() -> None:
    """The day a toll rose is not the attack's; "at least 20 soldiers and 22 civilians"
    are two tolls; "held since Friday" is no date of the killing."""
    rose = (
        "Gunmen attacked the village of Koro on Sunday.\n\n"
        "The toll rose on Tuesday to 12 dead, officials said."
    )
    doc = Document.from_text(rose, date(2024, 6, 5))
    [incident] = extract_grounded(FirstOption(), doc).incidents
    assert incident.locations[0].name == "Koro" and incident.date.start == date(2024, 6, 2)
    both = "At least 20 soldiers and 22 civilians were killed in the town of Bassi on Sunday."
    [incident] = extract_grounded(FirstOption(), Document.from_text(both)).incidents
    assert sorted(c.best for c in incident.counts) == [20, 22]
    held = (
        "The journalist, held since Friday, was freed on Saturday in the village of Koro "
        "after gunmen killed two guards."
    )
    [incident] = extract_grounded(
        LastOption(), Document.from_text(held, date(2025, 1, 5))
    ).incidents
    assert (incident.date.start, incident.date.end) == (date(2025, 1, 4), date(2025, 1, 4))


def test_the_same_day_word_dates_each_incident_from_its_own_sentence() -> None:
    text = (
        "Gunmen attacked the village of Koro on Sunday, killing 12 villagers.\n\n"
        "Separately, soldiers repelled an attack on the town of Bassi on Sunday; four "
        "soldiers were killed."
    )
    record = extract_grounded(FirstOption(), Document.from_text(text, date(2024, 6, 4)))
    quotes = {i.locations[0].name: i.date.quote for i in record.incidents}
    assert "Koro" in quotes["Koro"] and "Bassi" in quotes["Bassi"]
    assert {i.date.start for i in record.incidents} == {date(2024, 6, 2)}


def test_an_article_reporting_a_toll_without_a_place_says_why_it_is_empty() -> None:
    doc = Document.from_text("Des hommes armés ont tué douze villageois lundi soir.")
    record = extract_grounded(FirstOption(), doc)
    assert record.incidents == []
    reason = why_empty(doc, record)
    assert reason is not None and "no place candidate" in reason
    calm = Document.from_text("The minister opened a new school in the capital.")
    assert why_empty(calm, ArticleExtraction(incidents=[])) is None


def test_the_cli_warns_on_an_empty_record_and_the_batch_summary_names_it(tmp_path) -> None:
    from click.testing import CliRunner

    from llm_extract.interfaces.cli.main import main

    article = tmp_path / "no-place.txt"
    article.write_text("Gunmen killed 12 villagers overnight, officials said.", encoding="utf-8")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    single = CliRunner().invoke(main, ["extract", str(article), *cache])
    assert single.exit_code == 0, single.output
    assert "no-place: warning: the article reports a casualty figure" in single.stderr
    out = tmp_path / "out.jsonl"
    batch = CliRunner().invoke(main, ["batch", str(tmp_path), "--out", str(out), *cache])
    assert batch.exit_code == 0, batch.output
    assert "warning: 1 article(s) report a casualty figure or an attack" in batch.stderr
    assert '"empty_reason":"the article reports' in out.read_text(encoding="utf-8")


def test_an_incident_whose_place_the_verifier_rejects_takes_the_next_place() -> None:
    """The only place an event sentence names is where ambassadors went on another day;
    the village the ministry names stands in, so the toll is not lost with the place."""

    text = (
        "Deux soldats ont été tués et un blessé dans la nuit d'hier lors d'une attaque "
        "terroriste, a annoncé le ministère. « Le village de Soumpi a subi le passage des "
        "terroristes vers minuit », affirme le ministère.\n\n"
        "Cette attaque survient après la visite dimanche des ambassadeurs des 15 pays "
        "siégeant au Conseil de sécurité du poste de commandement de la force à Sévaré, "
        "ville dans le nord du Mali."
    )
    record = extract_grounded(FirstOption(), Document.from_text(text, date(2017, 10, 25)))
    assert [[loc.name for loc in i.locations] for i in record.incidents] == [["Soumpi"]]
    assert sorted(c.best for c in record.incidents[0].counts) == [1, 2]


def test_a_type_noun_in_the_name_is_left_out_and_alone_is_no_place() -> None:
    doc = Document.from_text(
        "Troops attacked Hnan Khar Village and burned houses, three kilometres from the "
        "detachment in Barangay (village) Benli, witnesses said on the phone."
    )
    found = {p.name: p for p in phrase_places(doc)}
    assert "Hnan Khar" in found and found["Hnan Khar"].typed
    assert "Barangay" not in found and "Hnan Khar Village" not in found


def test_a_subdivision_of_a_country_the_article_names_is_a_region() -> None:
    text = (
        "Militants killed three soldiers in Khyber Pakhtunkhwa, Pakistan's military said. "
        "Gunmen also killed two police officers in Kirkuk, Iraq."
    )
    found = {p.name: p.precision for p in place_candidates(Document.from_text(text))}
    assert found["Khyber Pakhtunkhwa"] == 3  # ISO 3166-2 names it, and no town bears it
    assert found["Kirkuk"] == 1  # the governorate's namesake city is the town
    # no country of that subdivision in the article: the name is left as it is written
    alone = place_candidates(Document.from_text("Gunmen killed three people in Ituri."))
    assert [(p.name, p.precision) for p in alone] == [("Ituri", 1)]


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("A gunfight broke out in the village of Koro.", [["Koro"]]),
        ("An operation was conducted by the army in the Karak district.", [["Karak"]]),
        ("Un attentat a visé la localité de Bassi.", [["Bassi"]]),
        ("L'opération Barkhane avait une base à Gao.", []),  # an operation's name, no event
        ("La force doit lancer sa première opération à Gao.", []),
    ],
)
def test_fighting_words_make_an_event_sentence(sentence: str, places: list) -> None:
    assert [names(d.places) for d in drafts_of(sentence)] == places


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "A missile strike killed six people in Ukrainian President Volodymyr Zelenskiy's "
            "hometown of Kryvyi Rih.",
            ["Kryvyi Rih"],
        ),
        (
            "Fighting between Turkey-backed factions and Kurdish forces killed 100 near the "
            "town of Manbij.",
            ["Manbij"],
        ),
        (
            "Bandits invaded Kuchi community in Munya Local Government Area, killing seven.",
            ["Kuchi"],
        ),
    ],
)
def test_titles_compound_adjectives_and_containers_are_not_event_places(
    text: str, places: list[str]
) -> None:
    assert event_place_names(text) == places


def test_a_figure_goes_to_the_incident_at_the_place_its_passage_names() -> None:
    from dataclasses import replace

    from llm_extract.core.acled import SubEventType
    from llm_extract.extraction.grounded.assemble import Choices
    from llm_extract.extraction.grounded.candidates import count_candidates, place_candidates
    from llm_extract.extraction.grounded.strategy import _figures_to_their_places

    doc = Document.from_text(
        "Gunmen attacked the village of Kora on Monday, killing five villagers.\n\n"
        "In a separate raid on the town of Bema, three traders were killed."
    )
    places = {p.name: p for p in place_candidates(doc)}
    figures = [(c, "killed", "civilians") for c in count_candidates(doc)]
    kora = Choices(SubEventType.ATTACK, [places["Kora"]], [], figures, None, [])
    out, origin = _figures_to_their_places(doc, [kora], list(places.values()))
    assert [[p.name for p in c.places] for c in out] == [["Kora"], ["Bema"]]
    assert [[f[0].quantity.best for f in c.counts] for c in out] == [[5], [3]]
    assert origin == [0, 0]
    # an incident already at Bema takes the figure
    bema = replace(kora, places=[places["Bema"]], counts=[])
    out, origin = _figures_to_their_places(doc, [kora, bema], list(places.values()))
    assert [[f[0].quantity.best for f in c.counts] for c in out] == [[5], [3]] and origin == [0, 1]


def test_a_region_s_toll_before_a_town_in_another_region_is_its_own_incident() -> None:
    text = (
        "Dans la province de Kassa, des miliciens ont attaqué samedi cinq villages du "
        "territoire de Moro. « Nous avons compté 15 morts », a déclaré un responsable. "
        "Dans la province voisine de Tolo, des rebelles ont tué neuf personnes dans le "
        "village de Ngala."
    )
    first, second = drafts_of(text)
    assert "Moro" in names(first.places) and [c.quantity.best for c in first.counts] == [15]
    assert names(second.places) == ["Ngala"] and [c.quantity.best for c in second.counts] == [9]
    same_region = (
        "Dans la province de Kassa, des miliciens ont attaqué samedi, tuant 15 personnes. "
        "Le village de Ngala, dans la province de Kassa, a été le plus touché."
    )
    assert len(drafts_of(same_region)) == 1
