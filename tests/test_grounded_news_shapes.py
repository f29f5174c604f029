"""Shapes of wire copy the grounded reading met on news it was not written for: a raid
on a village told in the passive, a local time before the village's name, a hamlet, a
toll confirmed by the police, people who ran for their lives. Sentences are written for
the tests, in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from llm_extract.extraction.grounded.candidates import likely_kinds, place_candidates
from llm_extract.extraction.grounded.strategy import extract_grounded
from llm_extract.roles import actor_roles, place_role
from llm_extract.roles.figures.claimants import claimant_reach
from llm_extract.roles.figures.counts import read_count
from llm_extract.roles.places import BACKGROUND, EVENT
from llm_extract.text.dates import find_dates
from llm_extract.text.figures.numbers import find_quantities
from llm_extract.text.grounding import Document
from tests.test_grounded_reading import FirstOption


def role_of(text: str, name: str) -> str:
    doc = Document.from_text(text)
    start = doc.text.index(name)
    return place_role(doc, start, start + len(name))


def test_a_local_time_before_a_village_is_no_time_zone() -> None:
    assert role_of("Gunmen struck at 4 a.m. local time in the village of Tanga.", "Tanga") == EVENT
    assert role_of("Le raid a eu lieu à 4 h (heure de Lisbonne).", "Lisbonne") == BACKGROUND


@pytest.mark.parametrize(
    "text",
    [
        "Dix civils ont été tués dans l'attaque du hameau de culture de Wela.",
        "Selon l'armée, l'avant-poste de Wela, à 100 km au sud de Kolo, a été attaqué.",
        "L'avant-poste de Wela a été attaqué dimanche.",  # an elided article opens no name
    ],
)
def test_a_hamlet_or_an_outpost_is_a_town(text: str) -> None:
    doc = Document.from_text(text)
    assert [(p.name, p.precision) for p in place_candidates(doc)][:1] == [("Wela", 1)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Armed men attacked Tanga village on Sunday, killing five.", "massacre"),
        ("Des hommes armés ont attaqué les habitants de Wela.", "massacre"),
        ("Tanga village was raided by gunmen overnight.", "massacre"),
        ("Gunmen attacked soldiers in a village near Tanga.", "fighting"),  # the default
    ],
)
def test_an_attack_on_a_village_or_its_people_is_violence_against_civilians(
    text: str, kind: str
) -> None:
    assert likely_kinds(Document.from_text(text)) == [kind]


def test_a_village_attack_where_only_fighters_fell_stays_a_battle() -> None:
    text = "Militants attacked the village of Tanga on Monday; six soldiers were killed."
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert incident.classification.sub_event_type == "Armed clash"


def test_attackers_counted_in_the_passive_are_attackers() -> None:
    text = "Tanga village was raided by 200 gunmen who burned homes."
    doc = Document.from_text(text)
    start = text.index("gunmen")
    assert actor_roles(doc, start, start + len("gunmen")) == {"attacker"}


def test_a_police_chief_confirming_a_civilian_toll_is_no_party() -> None:
    text = (
        "Gunmen attacked the village of Tanga on Sunday, killing nine villagers. "
        "The state police confirmed the toll."
    )
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert [a.name for a in incident.actors if a.role == "target"] != ["state police"]
    assert "state police" not in {a.name for a in incident.actors}
    assert incident.classification.sub_event_type == "Attack"


def test_a_speaker_before_said_is_the_source_not_the_clause_after_it() -> None:
    text = "A village elder said the raiders came back at night. Three of his sons were killed."
    doc = Document.from_text(text)
    q = next(q for q in doc.quantities if q.best == 3)
    names, _ = claimant_reach(doc, q.start, q.end)
    assert names == ["village elder"]


def test_people_who_ran_for_their_lives_are_not_a_toll() -> None:
    text = "Gunmen killed five people in Tanga. Many residents ran to the bush for their lives."
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert [(c.surface, c.category) for c in incident.counts] == [("five", "killed")]


@pytest.mark.parametrize(
    "text", ["The weekend attack left four dead.", "At the weekend, four died."]
)
def test_the_weekend_before_publication_dates_an_attack(text: str) -> None:
    (mention,) = find_dates(text, date(2024, 7, 16))  # a Tuesday
    assert (mention.first, mention.last) == (date(2024, 7, 13), date(2024, 7, 14))


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Les soldats sont tombés lors d'une attaque jihadiste près de Tanga.", []),
        ("Un nombre important de terroristes ont été neutralisés.", []),
        ("Un autre soldat a été blessé.", [(1, "soldat")]),
        ("Une dixième personne est blessée.", [(1, "personne")]),
    ],
)
def test_a_french_article_before_another_noun_is_no_figure(
    text: str, figures: list[tuple[int, str]]
) -> None:
    assert [(q.best, q.noun) for q in find_quantities(text)] == figures


def test_how_many_attacked_is_no_toll() -> None:
    text = "At least six gunmen attacked the shrine, killing two caretakers in Tanga."
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert [c.best for c in incident.counts] == [2]


def test_a_lede_at_a_border_waits_for_the_district_named_next() -> None:
    text = (
        "Militants attacked a checkpoint near the Afghan border on Sunday, killing four "
        "soldiers. The fighting in the Tanga district lasted two hours, officials said."
    )
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert [loc.name for loc in incident.locations] == ["Tanga"]
    assert [(c.best, c.side) for c in incident.counts] == [(4, "side_a")]


def test_where_the_attackers_set_out_from_is_no_incident() -> None:
    text = (
        "Air strikes on Tanga village killed nine civilians on Friday, residents said. "
        "A local fighter said the jets attacked from an air base in Bassi."
    )
    assert role_of(text, "Bassi") == BACKGROUND
    record = extract_grounded(FirstOption(), Document.from_text(text))
    assert [[loc.name for loc in i.locations] for i in record.incidents] == [["Tanga"]]


def test_the_party_whose_air_strikes_hit_is_the_attacker() -> None:
    text = "Junta air strikes on a gathering in Tanga killed 16 people."
    doc = Document.from_text(text)
    assert actor_roles(doc, 0, len("Junta")) == {"attacker"}


def test_a_five_word_village_name_and_a_division_region() -> None:
    text = "The raid hit Ah Kyi Pan Pa Lun village in Mandalay Division, killing six."
    found = {p.name: p.precision for p in place_candidates(Document.from_text(text))}
    assert found == {"Ah Kyi Pan Pa Lun": 1, "Mandalay": 3}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Des rebelles ont attaqué Tanga, où une source locale parle de 8 morts.", "source locale"),
        ("« Un rebelle a été tué », selon lui.", None),
        ("« Deux morts dans une frappe », a indiqué M. Kim sur Telegram.", "m. kim"),  # folded
        ("« Un mort et six blessés », avait-il précisé.", None),
        ("Une frappe a fait deux morts, selon un premier bilan.", None),
    ],
)
def test_a_relative_a_pronoun_a_title_s_abbreviation_or_a_toll_is_no_source(
    text: str, source: str | None
) -> None:
    doc = Document.from_text(text)
    q = doc.quantities[-1]
    names, _ = claimant_reach(doc, q.start, q.end)
    assert (names[0] if names else None) == source


def test_where_people_seek_refuge_and_a_half_year_s_total_are_not_the_event_s() -> None:
    text = (
        "Gunmen attacked Tanga village on Monday, killing 12 people and driving families "
        "to seek refuge in the nearby town of Bassi. At least 3,384 civilians were killed "
        "from January to June across the region, the UN said."
    )
    assert role_of(text, "Bassi") == BACKGROUND
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert [loc.name for loc in incident.locations] == ["Tanga"]
    assert [c.best for c in incident.counts] == [12]


def test_kind_words_right_before_a_group_s_name_are_that_group() -> None:
    text = "Guerrilla group ELN killed six soldiers in an attack on a base in Tanga."
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    assert [a.name for a in incident.actors if a.role == "attacker"] == ["ELN"]


def test_a_town_named_in_apposition_to_its_type_noun() -> None:
    text = "Nine soldiers died in the rural part of Tanga, a municipality in the Bassi region."
    found = {p.name: p.precision for p in place_candidates(Document.from_text(text))}
    assert found == {"Tanga": 1, "Bassi": 3}
    text = "Deux policiers ont été tués à Wela, un département de la province du Kolo."
    assert "Wela" not in {
        p.name for p in place_candidates(Document.from_text(text)) if p.precision == 3
    }  # a region noun in apposition types nothing


@pytest.mark.parametrize(
    ("text", "noun", "people"),
    [
        ("Air defence shot down 21 of the 23 missiles.", "missiles", False),
        ("La défense a abattu 21 des 23 missiles.", "missiles", False),
        ("21 des 30 otages ont été libérés.", "otages", True),
    ],
)
def test_a_figure_of_another_counts_what_the_other_does(text: str, noun: str, people: bool) -> None:
    first = find_quantities(text)[0]
    assert (first.best, first.noun, first.is_count_of_people) == (21, noun, people)


def test_a_party_is_named_by_its_fullest_name_from_a_sentence_of_no_other_role() -> None:
    text = (
        "Des hommes armés ont attaqué le village de Tanga lundi, malgré l'intervention des "
        "Volontaires pour la défense de la patrie. Dix assaillants ont été abattus par les "
        "Volontaires."
    )
    (incident,) = extract_grounded(FirstOption(), Document.from_text(text)).incidents
    names = {a.name for a in incident.actors}
    assert "Volontaires pour la défense de la patrie" in names
    assert "Volontaires" not in names


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Soldiers killed three ISIS members near Tanga.", "side_b"),
        ("Three FAMa members were killed near Tanga.", "side_a"),
        ("Three family members were killed near Tanga.", "unknown"),
    ],
)
def test_members_take_the_side_of_the_party_named_before_them(text: str, side: str) -> None:
    doc = Document.from_text(text)
    assert read_count(doc, doc.quantities[0]).side == side


def test_dwellings_burnt_are_no_toll() -> None:
    text = "A Tanga, sept personnes tuées, sept autres blessées et plus de 150 habitations brûlées."
    figures = {(q.best, q.is_count_of_people) for q in find_quantities(text)}
    assert (150, False) in figures
