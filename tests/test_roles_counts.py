"""roles.figures.counts: a figure's fate from its clause, its modality, time, side and claimant."""

from __future__ import annotations

import pytest

from llm_extract.roles import read_count
from llm_extract.text.grounding import Document


def reading(text: str, surface: str):  # type: ignore[no-untyped-def]
    doc = Document.from_text(text)
    q = next(q for q in doc.quantities if q.surface == surface)
    return read_count(doc, q)


@pytest.mark.parametrize(
    ("text", "surface", "fates", "other"),
    [
        ("The fighting killed hundreds and drove a million from their homes.", "a million",
         set(), "displaced"),
        ("The fighting killed hundreds and drove a million from their homes.", "hundreds",
         {"killed"}, None),
        ("Clashes wounded 20 and displaced more than 11,000 people.", "more than 11,000",
         set(), "displaced"),
        ("Clashes wounded 20 and displaced more than 11,000 people.", "20", {"injured"}, None),
        ("At least 31 soldiers and three auxiliaries were killed on Monday.", "At least 31",
         {"killed"}, None),
        ("Six soldats maliens ont été tués et 18 blessés.", "Six", {"killed"}, None),
        ("Six soldats maliens ont été tués et 18 blessés.", "18", {"injured"}, None),
        ("Au moins six morts et une dizaine de blessés.", "une dizaine", {"injured"}, None),
        ("Les assaillants ont tué un civil et enlevé 15 autres.", "15", {"abducted"}, None),
        ("Deux enfants sont portés disparus.", "Deux", {"missing"}, None),
    ],
)  # fmt: skip
def test_the_clause_binds_each_figure_to_its_own_fate(
    text: str, surface: str, fates: set[str], other: str | None
) -> None:
    found = reading(text, surface)
    assert set(found.fates) == fates
    assert found.other_fate == other


@pytest.mark.parametrize(
    ("text", "surface", "modality"),
    [
        ("Au moins 100 personnes ont été tuées, peut-être même 165.", "165", "projection"),
        ("Au moins 100 personnes ont été tuées, peut-être même 165.", "Au moins 100",
         "reported"),
        ("The toll may rise to 30, officials said.", "30", "projection"),
    ],
)  # fmt: skip
def test_projections_are_not_reported_tolls(text: str, surface: str, modality: str) -> None:
    assert reading(text, surface).modality == modality


def test_a_period_total_or_a_past_year_is_another_time() -> None:
    text = "Depuis avril 2022, les attaques ont causé la mort d’au moins 370 civils."
    assert reading(text, "au moins 370").other_time
    past = "Nine soldiers died there in 2019. On Monday in 2024, 12 soldiers were killed."
    assert reading(past, "Nine").other_time
    assert not reading(past, "12").other_time


def test_side_comes_from_whose_losses_the_sentence_reports() -> None:
    assert reading("Two security personnel were wounded at the post.", "Two").side == "side_a"
    assert reading("Three medical personnel were wounded at the clinic.", "Three").side == (
        "civilians"
    )
    assert reading("The army lost four of its men in the attack.", "four").side == "side_a"
    assert reading("Troops killed 80 militants near the town.", "80").side == "side_b"
    assert reading("Gunmen killed 12 villagers on Sunday.", "12").side == "civilians"


def test_first_person_losses_are_the_speaker_s_side() -> None:
    said = '"We lost dozens of men in the attack," said a local VDP official.'
    assert reading(said, "dozens").side == "side_a"
    rebels = "« Nous avons perdu 12 de nos hommes », a déclaré un commandant rebelle."
    assert reading(rebels, "12").side == "side_b"
    villager = '"We lost 12 men in the village," said a resident.'
    assert reading(villager, "12").side == "civilians"  # the speaker is no armed party


def test_the_claimant_is_whoever_the_article_says_gives_the_figure() -> None:
    text = "Six soldiers were killed, according to the Malian army."
    assert "malian army" in (reading(text, "Six").claimant or "")
    said = "Governor William Villamizar said more than 80 people have lost their lives."
    assert "villamizar" in (reading(said, "more than 80").claimant or "")


def test_this_year_is_the_current_period_not_another_time() -> None:
    """This year, cette année: the current year, ranking or dating the event; "so far
    this year" and "since January" are period totals."""
    ranked = "In the worst attack this year, rebels killed 40 villagers near the river."
    assert not reading(ranked, "40").other_time
    plain = "Cette année, l'armée a perdu 12 soldats dans la région."
    assert not reading(plain, "12").other_time
    total = "So far this year, 310 civilians have been killed in the province."
    assert reading(total, "310").other_time_kind == "period"
    since = "Since January, at least 500 people have died in the fighting."
    assert reading(since, "at least 500").other_time_kind == "period"
    short = "Since Tuesday evening, 17 people have been killed in the town."
    assert not reading(short, "17").other_time


def test_a_part_of_a_group_takes_the_group_s_fate() -> None:
    injured = "Twenty people were wounded in the blast. Six of them are in critical condition."
    assert reading(injured, "Six").fates == {"injured"}
    listed = "Vingt civils ont été tués à Kossa, trois à Bani et deux à Tera."
    assert reading(listed, "trois").fates == {"killed"}


def test_an_attribution_gives_the_figure_it_follows() -> None:
    text = "The blast killed four people, according to police, and nine, according to medics."
    assert reading(text, "nine").governing == ("medics",)
    apposition = "Selon le maire de la commune, Jean Dupont, au moins 30 personnes ont été tuées."
    assert "jean dupont" in reading(apposition, "au moins 30").governing[0]


_TWO_ATTACKS = (
    "Gunmen attacked the village of Mann on Saturday, killing six civilians.\n\n"
    "On Monday rebels ambushed a patrol near the town of Obo.\n\n"
    "Two soldiers were killed, the army said.\n\n"
    "Separately, a soldier was killed at Obo on Monday."
)


def _toll(surface: str, low: int, victims: str, quote: str) -> dict[str, object]:
    return {"category": "killed", "side": "unknown", "victim_group": victims,
            "surface": surface, "qualifier": "exact", "low": low, "best": low, "high": low,
            "attributed_to": "the article", "provisional": False, "quote": quote}  # fmt: skip


@pytest.mark.parametrize(
    ("count", "code"),
    [
        (_toll("six", 6, "civilians", "killing six civilians"), "ok"),
        # the figure's sentence names no place: the one before it does, and it is Obo
        (_toll("Two", 2, "soldiers", "Two soldiers were killed"), "other_event"),
        (_toll("a", 1, "soldier", "a soldier was killed at Obo"), "other_event"),
    ],
)
def test_a_figure_the_text_puts_at_another_place_is_another_event_s(
    count: dict[str, object], code: str
) -> None:
    from llm_extract import verify

    mann = {"name": "Mann", "admin1": None, "country": None, "precision": 1,
            "quote": "Gunmen attacked the village of Mann"}  # fmt: skip
    record = {"incidents": [{
        "summary": "the attack on Mann",
        "classification": {"event_type": "Violence against civilians",
                           "sub_event_type": "Attack"},
        "classification_quote": "Gunmen attacked the village of Mann",
        "date": {"text": "unknown", "start": None, "end": None, "precision": 3,
                 "quote": "Gunmen attacked the village of Mann"},
        "locations": [mann], "is_aggregate": False, "actors": [], "counts": [count],
        "claims": [],
    }]}  # fmt: skip
    report = verify(record, _TWO_ATTACKS)
    (verdict,) = [v for v in report.verdicts if v.path == "incidents[0].counts[0]"]
    assert verdict.code == code, verdict.reason
    if code == "other_event":
        assert "Obo" in verdict.reason


@pytest.mark.parametrize(
    ("surface", "low", "victims", "code"),
    [
        ("six", 6, "civilians", "ok"),
        ("six", 6, "villagers", "ok"),  # another noun of the text's class
        ("seven", 7, "attacking side", "ok"),
        # the article says soldiers, but never of these seven (a figure with no noun of
        # its own reads back only within its paragraph)
        ("seven", 7, "soldiers", "wrong_side"),
    ],
)
def test_the_victim_noun_must_be_the_one_the_text_gives_the_figure(
    surface: str, low: int, victims: str, code: str
) -> None:
    from llm_extract.roles.checks import check_count

    doc = Document.from_text(
        "Gunmen attacked the army post in Mann, killing six civilians and two soldiers.\n\n"
        "The army said it killed seven from the attacking side."
    )
    found = check_count(doc, category="killed", victim_group=victims, surface=surface,
                        qualifier="exact", low=low, best=low, high=low)  # fmt: skip
    assert found.code == code, found.reason


def test_a_speaker_followed_by_its_own_figure_gives_that_one_not_the_one_before() -> None:
    from llm_extract.roles.checks import check_count

    doc = Document.from_text(
        "The federal ministry said 14 were dead, while the state ministry said 13 died."
    )

    def claimant(surface: str, low: int, who: str) -> str | None:
        return check_count(doc, category="killed", victim_group="people", surface=surface,
                           qualifier="exact", low=low, best=low, high=low,
                           attributed_to=who).code  # fmt: skip

    assert claimant("14", 14, "federal ministry") == "ok"
    assert claimant("14", 14, "state ministry") == "wrong_claimant"
    assert claimant("13", 13, "state ministry") == "ok"


def test_a_date_whose_sentence_names_another_town_is_another_event_s() -> None:
    from datetime import date

    from llm_extract import verify

    mann = {"name": "Mann", "admin1": None, "country": None, "precision": 1,
            "quote": "Gunmen attacked the village of Mann"}  # fmt: skip

    def date_code(text: str, day: str, quote: str) -> str | None:
        record = {"incidents": [{
            "summary": "the attack on Mann",
            "classification": {"event_type": "Violence against civilians",
                               "sub_event_type": "Attack"},
            "classification_quote": "Gunmen attacked the village of Mann",
            "date": {"text": text, "start": day, "end": day, "precision": 1, "quote": quote},
            "locations": [mann], "is_aggregate": False, "actors": [], "counts": [],
            "claims": [],
        }]}  # fmt: skip
        report = verify(record, _TWO_ATTACKS, published=date(2024, 3, 6))
        return next(v.code for v in report.verdicts if v.path == "incidents[0].date")

    assert date_code("on Saturday", "2024-03-02", "Gunmen attacked the village of Mann on "
                     "Saturday") == "ok"  # fmt: skip
    assert date_code("On Monday", "2024-03-04", "On Monday rebels ambushed a patrol near "
                     "the town of Obo") == "other_event"  # fmt: skip


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Le groupe d'experts de l'ONU a indiqué que depuis avril 2022, les attaques des ADF "
         "ont causé la mort d'au moins 370 civils.", "au moins 370"),
        ("L'année 2024 a été la plus meurtrière en près d'une décennie au Pakistan, avec plus "
         "de 1.600 morts.", "plus de 1.600"),
        ("Au cours des trois dernières semaines, des dizaines de civils ont perdu la vie ; "
         "trois policiers ont été tués.", "trois"),
        ("The districts have witnessed several encounters this year, resulting in the deaths "
         "of about 26 terrorists.", "about 26"),
        ("Un rapport fait état, du 27 janvier au 27 mars 2025, d'au moins 262 personnes tuées à "
         "Kenscoff.", "au moins 262"),
        ("Les combats font en moyenne 40 morts par jour dans la province.", "40"),
        ("Militias killed more than 900 people in six months, the report says.", "more than 900"),
    ],
)  # fmt: skip
def test_a_period_total_is_not_an_incident_s_figure(text: str, surface: str) -> None:
    assert reading(text, surface).other_time


def test_the_sentence_after_speaks_for_a_figure_only_when_it_repeats_it() -> None:
    from llm_extract.roles.checks import check_count

    doc = Document.from_text(
        "Au total, 272 civils ont été tués, selon le gouvernement.\n\n"
        "« Il y a eu un total de 272 civils tués », a déclaré Julien Paluku.\n\n"
        "Residents said up to 30 civilians died in the attack.\n\n"
        "A medical practitioner confirmed that 18 people were injured."
    )

    def code(surface: str, low: int, victims: str, who: str, qualifier: str = "exact") -> str:
        return str(check_count(doc, category="killed", victim_group=victims, surface=surface,
                               qualifier=qualifier, low=low, best=low, high=low,
                               attributed_to=who).code)  # fmt: skip

    assert code("272", 272, "civils", "Julien Paluku") == "ok"
    assert code("up to 30", 30, "civilians", "medical practitioner", "at_most") == (
        "wrong_claimant"
    )


def test_a_spelling_of_the_record_s_own_place_is_not_another_place() -> None:
    from llm_extract.extraction.place_checks import named_places
    from llm_extract.roles.figures.count_place import other_place

    doc = Document.from_text(
        "Fighters attacked villages in the districts of Miudumbe and Macomia on Friday.\n\n"
        "The bodies of 15 boys were found in a forest clearing in the district of Muidumbe."
    )
    q = next(q for q in doc.quantities if q.best == 15)
    named = named_places(doc)
    assert other_place(doc, q.start, q.end, ["Miudumbe"], named, lambda _: True) is None
    assert other_place(doc, q.start, q.end, ["Macomia"], named, lambda _: True) == "Muidumbe"


@pytest.mark.parametrize(
    ("text", "surface", "fates"),
    [
        ("Au moins six combattants volontaires pour la défense de la patrie (VDP), des "
         "supplétifs civils de l'armée, ont été tués dans une attaque.", "Au moins six",
         {"killed"}),
        ("« environ 30 adultes, pour la plupart des bergers, et une cinquantaine d'enfants "
         "ont été enlevés »", "environ 30", {"abducted"}),
        ("Le raid a causé la disparition de 60 personnes, dont des enfants, qui ont été "
         "enlevées par les combattants. D'autres sources évoquent le chiffre de 80 personnes.",
         "80", {"missing", "abducted"}),
        ("« 17 de nos braves soldats sont tombés au champ d'honneur », précise le média.",
         "17", {"killed"}),
    ],
)  # fmt: skip
def test_inserts_appositions_and_rival_figures_keep_the_figure_s_fate(
    text: str, surface: str, fates: set[str]
) -> None:
    found = reading(text, surface).fates
    assert found and set(found) <= fates


def test_members_and_militiamen_are_on_the_side_of_whose_they_are() -> None:
    gat = 'Les soldats ont poursuivi les assaillants, tuant 15 membres de "GAT" (groupes armés '
    assert reading(gat + "terroristes).", "15").side == "side_b"
    codeco = "Les attaques ont fait 62 morts, dont quatorze miliciens de la CODECO."
    assert reading(codeco, "quatorze").side == "side_b"


def test_a_comma_after_at_least_keeps_the_bound() -> None:
    from llm_extract.text.figures.numbers import parse_quantity

    found = parse_quantity("au moins, une soixantaine")
    assert found is not None and (found.qualifier, found.low) == ("at_least", 60)


def test_a_speaker_named_with_an_auxiliary_and_an_adverb_gives_the_figure() -> None:
    text = ("L'état-major a également affirmé que les militaires avaient poursuivi les "
            "assaillants, tuant 15 terroristes.")  # fmt: skip
    assert reading(text, "15").claimants == ("l'etat-major",)


def test_an_unconfirmed_figure_is_a_projection_and_a_silent_party_gives_none() -> None:
    from llm_extract.roles.checks import check_count

    text = "There is information yet to be confirmed that 41 bodies have been found."
    assert reading(text, "41").modality == "projection"
    doc = Document.from_text(
        "Au moins 17 soldats ont été tués jeudi dans une attaque à Tiwoli. Jusqu'à présent, "
        "l'Etat-Major des armées ne s'est pas encore prononcé sur cette attaque."
    )
    found = check_count(doc, category="killed", victim_group="soldats", surface="Au moins 17",
                        qualifier="at_least", low=17, best=17, high=None, side="side_a",
                        attributed_to="Etat-Major des armées",
                        quote="Au moins 17 soldats ont été tués")  # fmt: skip
    assert found.code == "wrong_claimant"


def test_a_party_that_never_speaks_does_not_give_the_figure() -> None:
    from llm_extract.roles.checks import check_count

    doc = Document.from_text(
        "Dans le détail, cinq rangers et un soldat des forces armées béninoises sont morts. "
        "African Parks, seul à avoir communiqué, a indiqué que l'équipe avait été prise "
        "dans une embuscade."
    )

    def given_by(party: str) -> str:
        return check_count(doc, category="killed", victim_group="rangers", surface="cinq",
                           qualifier="exact", low=5, best=5, high=5, side="side_a",
                           attributed_to=party, quote="cinq rangers").code  # fmt: skip

    assert given_by("forces armées béninoises") == "wrong_claimant"  # the victims' army
    assert given_by("African Parks") == "ok"  # it speaks, two sentences on


@pytest.mark.parametrize(
    ("text", "surface", "side"),
    [
        ("Eight soldiers died, while 31 “terrorists” were killed.", "31", "side_b"),
        ("« une trentaine de morts côté terroristes »", "une trentaine", "side_b"),
        ("After the killing of 10 armed men, who attacked a police station.", "10", "side_b"),
        ("Three members of the state Civil Guard had died.", "Three", "side_a"),
    ],
)  # fmt: skip
def test_the_whole_noun_phrase_and_a_named_side_say_whose_the_dead_are(
    text: str, surface: str, side: str
) -> None:
    assert reading(text, surface).side == side


@pytest.mark.parametrize(
    ("text", "surface", "speaker"),
    [
        ("One resident gave a figure of 260 dead, the other said 320.", "260", "one resident"),
        ("One resident gave a figure of 260 dead, the other said 320.", "320", "other"),
        ("Au moins 124 personnes ont été tuées, a déclaré samedi le Comité de résistance.",
         "Au moins 124", "comite de resistance"),
        ("Le porte-parole des rebelles a parlé d'au moins dix civils tués.", "au moins dix",
         "porte-parole des rebelles"),
        ("Four died, according to a statement from the Ministry of Defence read out on TV.",
         "Four", "statement from the ministry of defence"),
        ("Quatre gendarmes sont morts, selon une source proche des services de sécurité dans "
         "la région.", "Quatre", "source proche des services de securite"),
    ],
)  # fmt: skip
def test_more_shapes_of_who_gives_a_figure(text: str, surface: str, speaker: str) -> None:
    assert reading(text, surface).claimants[:1] == (speaker,)


def test_a_report_with_no_author_names_no_claimant() -> None:
    text = 'Five people died, according to a report in the newssheet "Carta".'
    assert "a report" not in reading(text, "Five").claimants


def test_the_parts_listed_after_a_toll_share_its_fate() -> None:
    text = ("Le bilan fait état d'au moins onze personnes tuées, à savoir cinq membres des "
            "FACA et six civils, et plusieurs blessés.")  # fmt: skip
    assert reading(text, "six").fates == frozenset({"killed"})
    other = ("Les assaillants ont tué sept civils, dont trois femmes, et enlevé une douzaine "
             "de civils.")  # fmt: skip
    assert reading(other, "une douzaine").fates == frozenset({"abducted"})
    after = ("Deux personnes sont décédées, dont une femme, alors que trois personnes ont été "
             "blessées.")  # fmt: skip
    assert "killed" not in reading(after, "trois").fates


def count_code(doc: Document, surface: str, low: int | None, **fields: object) -> str | None:
    """The check_count code for a figure of `doc`: killed people, exact unless told."""
    from llm_extract.roles.checks import check_count

    qualifier = fields.pop("qualifier", "exact")
    high = low if qualifier == "exact" else None
    values: dict[str, object] = {"category": "killed", "victim_group": "people",
                                 "surface": surface, "qualifier": qualifier, "low": low,
                                 "best": low, "high": high}  # fmt: skip
    return check_count(doc, **{**values, **fields}).code  # type: ignore[arg-type]


def test_a_fate_named_with_no_figure_is_supported_where_the_quote_says_it() -> None:
    doc = Document.from_text("Il y a eu 33 morts et des « blessés », sans plus de détails.")
    quote = "Il y a eu 33 morts et des « blessés »"

    def code(surface: str, category: str) -> str | None:
        return count_code(doc, surface, None, category=category, qualifier="vague", quote=quote)

    assert code("des « blessés »", "injured") == "ok"
    assert code("des blessés", "injured") == "ok"
    assert code("des blessés", "killed") == "absent"
    assert code("des enlevés", "abducted") == "absent"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("It came two days after 69 people were killed near the border.", "69"),
        ("Ten died in another attack on a village.", "Ten"),
        ("The war, which began in November 2020, has killed thousands.", "thousands"),
    ],
)
def test_a_figure_of_the_story_before_or_a_war_s_toll_is_another_time(
    text: str, surface: str
) -> None:
    assert reading(text, surface).other_time


def test_the_group_that_speaks_is_the_armed_group_named_before() -> None:
    doc = Document.from_text(
        "Al-Shabaab attacked the base on Friday. "
        "The group said it had killed more than 20 soldiers. "
        "An official, Mohamed Abdi, said five soldiers died."
    )

    def code(who: str) -> str | None:
        return count_code(doc, "more than 20", 20, qualifier="at_least", victim_group="soldiers",
                          attributed_to=who)  # fmt: skip

    assert code("al-Shabaab") == "ok"
    assert code("Mohamed Abdi") == "wrong_claimant"


def test_victims_named_as_the_sentence_s_attackers_are_the_wrong_side() -> None:
    doc = Document.from_text(
        "At least 30 people have been killed after gunmen attacked a village, police said."
    )

    def code(victims: str, side: str) -> str | None:
        return count_code(doc, "At least 30", 30, qualifier="at_least", victim_group=victims,
                          side=side, attributed_to="police")  # fmt: skip

    assert code("gunmen", "side_b") == "wrong_side"
    assert code("people", "civilians") == "ok"


def test_a_misread_phrase_is_no_rival_source_and_a_title_tells_no_one_apart() -> None:
    doc = Document.from_text(
        "Police spokesman Wasiu Abiodun confirmed the raid. Mr Abiodun said over 30 victims "
        "lost their lives. Selon une source sécuritaire, quatre gendarmes sont morts samedi."
    )
    assert count_code(doc, "over 30", 30, qualifier="at_least", victim_group="victims",
                      attributed_to="Wasiu Abiodun") == "ok"  # fmt: skip
    assert count_code(doc, "quatre", 4, victim_group="gendarmes") == "ok"


def test_the_new_count_cues_keep_to_their_wording() -> None:
    text = "Eleven people were killed, including five soldiers, and 20 civilians were wounded."
    assert "killed" not in reading(text, "20").fates
    assert not reading("The attack happened shortly after 3 am and killed 12 people.",
                       "12").other_time  # fmt: skip
    assert not reading("Residents fear another attack after gunmen killed 15 villagers.",
                       "15").other_time  # fmt: skip


@pytest.mark.parametrize(
    ("surface", "side"),
    [("85", "side_b"), ("16", "side_b"), ("four", "side_a")],
)
def test_the_party_a_figure_is_from_gives_its_side(surface: str, side: str) -> None:
    text = (
        "The fighting has resulted in 101 deaths, including 85 from the Turkish-backed "
        "Syrian factions and 16 from the Kurdish-dominated Syrian Democratic Forces (SDF). "
        "The chairman confirmed the deaths of four security agents."
    )
    assert reading(text, surface).side == side


def test_an_outlet_s_source_is_who_gives_the_figure() -> None:
    text = ("Trois soldats ont été tués, a appris l'agence du chef du secteur 2 de la force "
            "conjointe, le Colonel Ali Garba.")  # fmt: skip
    speaker = reading(text, "Trois").claimants[0]
    assert speaker.startswith("chef du secteur 2") and speaker.endswith("colonel ali garba")


def test_one_more_and_a_blue_helmet_are_counts_of_one_person() -> None:
    from llm_extract.text.figures.numbers import find_quantities

    found = find_quantities("Deux bergers ont été tués et un autre blessé ; un Casque bleu aussi.")
    assert [(q.best, q.noun, q.is_count_of_people) for q in found] == [
        (2, "bergers", True), (1, "blessé", True), (1, "casque bleu", True)
    ]  # fmt: skip


def test_the_figure_inside_the_quote_is_the_one_checked() -> None:
    from llm_extract.roles.checks import check_count

    doc = Document.from_text("Des rebelles ont blessé un Casque bleu et tué un soldat à Obo.")

    def code(category: str) -> str:
        return check_count(doc, category=category, victim_group="Casque bleu", surface="un",
                           qualifier="exact", low=1, best=1, high=1,
                           quote="ont blessé un Casque bleu").code  # fmt: skip

    assert code("injured") == "ok"
    assert code("killed") == "other_fate"


def test_a_clause_describing_a_place_does_not_date_the_figure() -> None:
    text = ("À Pétion, commune occupée par des gangs depuis six mois, un policier a été tué "
            "samedi.")  # fmt: skip
    assert not reading(text, "un").other_time


def test_a_toll_told_in_the_pluperfect_is_an_earlier_incident_s() -> None:
    earlier = reading("Mardi, des hommes armés ont tué deux bergers à Tin. L'attaque contre un "
                      "convoi à Boni, qui avait fait 17 morts, avait choqué.", "17")  # fmt: skip
    assert earlier.other_time_kind == "earlier" and earlier.is_toll  # its own incident's toll
    backshift = reading("Un officier a indiqué que six soldats avaient été tués mardi.", "six")
    assert backshift.other_time_kind is None
    said_after = reading("Three fighters had been killed and eight injured, it claimed.", "Three")
    assert said_after.other_time_kind is None


def test_the_verifier_keeps_a_pluperfect_toll_to_its_own_incident() -> None:
    from llm_extract import verify

    text = (
        "Mardi, des hommes armés ont attaqué le village de Tin et tué deux bergers. "
        "L'attaque contre un convoi à Boni, qui avait fait 17 morts, avait choqué."
    )

    def code(place: str, quote: str) -> str | None:
        count = {
            "category": "killed",
            "side": "unknown",
            "victim_group": "morts",
            "surface": "17",
            "qualifier": "exact",
            "low": 17,
            "best": 17,
            "high": 17,
            "attributed_to": "the article",
            "provisional": False,
            "quote": "qui avait fait 17 morts",
        }
        record = {
            "incidents": [
                {
                    "summary": "an attack",
                    "classification": {
                        "event_type": "Violence against civilians",
                        "sub_event_type": "Attack",
                    },
                    "classification_quote": "des hommes armés ont attaqué le village de Tin",
                    "date": {
                        "text": "unknown",
                        "start": None,
                        "end": None,
                        "precision": 3,
                        "quote": quote,
                    },
                    "locations": [
                        {
                            "name": place,
                            "admin1": None,
                            "country": None,
                            "precision": 1,
                            "quote": quote,
                        }
                    ],
                    "is_aggregate": False,
                    "actors": [],
                    "counts": [count],
                    "claims": [],
                }
            ]
        }
        report = verify(record, text)
        return next(v.code for v in report.verdicts if v.path == "incidents[0].counts[0]")

    assert code("Tin", "le village de Tin") == "other_event"
    assert code("Boni", "un convoi à Boni") == "ok"


def test_a_figure_joined_by_and_to_a_period_total_is_one_too() -> None:
    text = ("Le rapport indique que depuis avril 2022, les attaques ont causé la mort d'au moins "
            "370 civils et 374 personnes enlevées.")  # fmt: skip
    assert reading(text, "374").other_time_kind == "period"
    fated = ("Un rapport fait état, du 27 janvier au 27 mars 2025, d'au moins 262 personnes tuées "
             "et 66 blessées à Kenscoff.")  # fmt: skip
    assert reading(fated, "66").other_time_kind == "period"


def test_what_a_figure_counts_when_no_fate_word_is_its_own() -> None:
    # the noun of "the number of": displaced are no casualties; the dead are
    displaced = (
        "Un médecin a noté que le nombre des déplacés dépasse 6.800 et que certains ont des "
        "blessures."
    )
    assert reading(displaced, "6.800").fates == frozenset()
    assert reading(displaced, "6.800").other_fate == "displaced"
    assert reading("The number of dead rose to 40.", "40").fates == {"killed"}
    # the attackers' strength: not the toll told after it, which is the next figure's
    clash = ("L'affrontement avec des « centaines de terroristes armés » près de Fantio a "
             "fait huit blessés parmi les soldats.")  # fmt: skip
    assert not reading(clash, "centaines").is_toll
    assert reading(clash, "huit").fates == {"injured"}
    assert not reading("They were killed by some 30 gunmen.", "some 30").is_toll
    assert reading("He was killed along with five others.", "five").fates == {"killed"}
    assert reading("Cinq civils et huit soldats ont été blessés.", "Cinq").fates == {"injured"}
