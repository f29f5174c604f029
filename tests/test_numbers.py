"""Number grounding: quantities in English and French news, with qualifier, values and noun."""

from __future__ import annotations

import pytest

from llm_extract.text.figures.numbers import Quantity, find_quantities, number_value, parse_quantity
from tests.conftest import SEEDS

NBSP, NNBSP = "\u00a0", "\u202f"


def _check_spans(text: str, quantities: list[Quantity]) -> None:
    """The invariants every caller relies on: exact spans, in order, no overlaps."""
    previous_end = 0
    for q in quantities:
        assert text[q.start : q.end] == q.surface
        assert q.start >= previous_end
        previous_end = q.end
        if q.noun is None:
            assert q.noun_start is None and q.noun_end is None
        else:
            assert q.noun_start is not None and q.noun_end is not None
            assert text[q.noun_start : q.noun_end].lower().split()[-1] in q.noun
        values = [v for v in (q.low, q.best, q.high) if v is not None]
        assert values == sorted(values)


def only(text: str) -> Quantity:
    found = find_quantities(text)
    _check_spans(text, found)
    assert len(found) == 1, found
    return found[0]


def get(text: str, surface: str) -> Quantity:
    found = find_quantities(text)
    _check_spans(text, found)
    matches = [q for q in found if q.surface == surface]
    assert len(matches) == 1, [q.surface for q in found]
    return matches[0]


def values(q: Quantity) -> tuple[object, ...]:
    return (q.low, q.best, q.high, q.qualifier, q.noun, q.is_count_of_people)


# --- the seed sentences -------------------------------------------------------------------


def test_seed_at_least_80_jihadist_fighters() -> None:
    text = "Mali's military has announced the killing of at least 80 jihadist fighters linked to"
    q = only(text)
    assert q.surface == "at least 80"
    assert q.start == text.index("at least")
    assert values(q) == (80, 80, None, "at_least", "fighters", True)
    assert text[q.noun_start : q.noun_end] == "fighters"  # type: ignore[misc]


def test_seed_approximately_70_militants_with_scraped_noise() -> None:
    clean = "announced the neutralization of approximately 70 militants in a series"
    noisy = "announced the neutralization of\u0100 approximately 70 militants\u0100 in a series"
    for text in (clean, noisy):
        q = only(text)
        assert q.surface == "approximately 70"
        assert values(q) == (None, 70, None, "approximate", "militants", True)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("targeted military posts in seven locations near", "seven", (7, "locations")),
        ("claiming to have seized three military barracks in", "three", (3, "barracks")),
        ("imposed a 30-day nighttime curfew to contain", "30", (30, "day")),
        ("the formation of a 5,000-strong joint rapid response force equipped", "5,000", None),
        (
            "responded to coordinated attacks in seven cities on 1 July 2025.",
            "seven",
            (7, "cities"),
        ),
        ("including three pickup trucks and the deaths", "three", (3, "trucks")),
    ],
)
def test_seed_counts_of_things_are_not_people(
    text: str, surface: str, expected: tuple[int, str] | None
) -> None:
    q = only(text)
    assert q.surface == surface
    assert q.is_count_of_people is False
    if expected:
        assert (q.best, q.noun) == expected
    else:
        assert (q.best, q.noun) == (5000, "force")


def test_seed_date_range_is_not_a_quantity() -> None:
    text = "operations conducted between July 15 and 19 across the volatile regions"
    assert find_quantities(text) == []


def test_seed_files_give_the_expected_counts() -> None:
    by_file = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for text in by_file.values():
        _check_spans(text, find_quantities(text))
    people = [
        (q.surface, q.best, q.noun) for q in find_quantities(by_file["003"]) if q.is_count_of_people
    ]
    assert ("at least 80", 80, "fighters") in people
    assert ("several", None, "soldiers") in people
    assert all(q.surface.lower() != "one" for q in find_quantities(by_file["003"]))
    seed_002 = {q.surface: q for q in find_quantities(by_file["002"])}
    assert values(seed_002["dozens"]) == (12, 12, None, "vague", "militants", True)
    assert values(seed_002["about 50"]) == (None, 50, None, "approximate", "km", False)
    assert values(seed_002["approximately ten"])[1:5] == (10, None, "approximate", "terrorists")
    seed_001 = [q.surface for q in find_quantities(by_file["001"])]
    assert "2020" not in seed_001 and "2025" not in seed_001  # years
    assert not any("060" in s or s == "11" for s in seed_001)  # a phone number


# --- digits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Over 5,000 people fled the fighting.", "Over 5,000", 5000),
        ("Plus de 5 000 personnes ont fui.", "Plus de 5 000", 5000),
        (f"Plus de 5{NBSP}000 personnes ont fui.", f"Plus de 5{NBSP}000", 5000),
        (f"Plus de 5{NNBSP}000 personnes ont fui.", f"Plus de 5{NNBSP}000", 5000),
        ("Plus de 5.000 personnes ont fui.", "Plus de 5.000", 5000),
        ("More than 1,200,000 people are displaced.", "More than 1,200,000", 1_200_000),
        ("Some 2 million people remain affected.", "Some 2 million", 2_000_000),
        ("Quelque 1,5 million de personnes sont déplacées.", "Quelque 1,5 million", 1_500_000),
    ],
)
def test_digits_with_thousands_separators(text: str, surface: str, value: int) -> None:
    q = only(text)
    assert (q.surface, q.best, q.is_count_of_people) == (surface, value, True)


def test_80_plus_is_at_least() -> None:
    q = only("The army said 80+ militants were killed.")
    assert values(q) == (80, 80, None, "at_least", "militants", True)
    assert q.surface == "80+"


@pytest.mark.parametrize(
    "text",
    [
        "The toll stands at 2.5 per cent of the population.",
        "Le village est à 3,5 km de la frontière.",
        "Attack on 15/07/2025 at 10:30 near Kayes.",
        "The attack took place on 1 July 2025.",
        "L'attaque a eu lieu le 15 juillet 2025 vers 10h30.",
        "Since 2012 the country has faced waves of rebellion.",
        "The coalition was formed in December 2024.",
        "Official figures remained unreleased as of 2 July.",
        "It happened between July 15 and 19.",
        "Les combats du 15 au 19 juillet ont été violents.",
        "Send a WhatsApp to 060 011 021 11.",
        "La 3e attaque depuis le 1er juillet.",
        "The twenty-first century began.",
        "The 2020 coup hinders cooperation.",
    ],
)
def test_decimals_dates_years_times_phones_ordinals_are_skipped(text: str) -> None:
    assert find_quantities(text) == []


def test_year_before_month_then_a_real_count() -> None:
    q = only("On 4 July 2025, 120 soldiers were deployed to Kidal.")
    assert (q.surface, q.best, q.noun) == ("120", 120, "soldiers")


# --- number words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "value", "noun"),
    [
        ("Eighty militants were killed.", "Eighty", 80, "militants"),
        ("Gunmen killed twenty-one soldiers.", "twenty-one", 21, "soldiers"),
        (
            "The attack killed one hundred and two civilians.",
            "one hundred and two",
            102,
            "civilians",
        ),
        ("Nearly a hundred fighters surrendered.", "Nearly a hundred", 100, "fighters"),
        ("Some two thousand people fled.", "Some two thousand", 2000, "people"),
        ("Quatre-vingts militants ont été tués.", "Quatre-vingts", 80, "militants"),
        ("Soixante-dix soldats ont été déployés.", "Soixante-dix", 70, "soldats"),
        ("L'attaque a coûté la vie à vingt et un civils.", "vingt et un", 21, "civils"),
        ("Cent deux personnes ont été secourues.", "Cent deux", 102, "personnes"),
        ("Deux mille déplacés ont rejoint Mopti.", "Deux mille", 2000, "déplacés"),
        (
            "Quatre-vingt-dix-neuf assaillants ont été tués.",
            "Quatre-vingt-dix-neuf",
            99,
            "assaillants",
        ),
    ],
)
def test_number_words(text: str, surface: str, value: int, noun: str) -> None:
    q = only(text)
    assert (q.surface, q.best, q.noun, q.is_count_of_people) == (surface, value, noun, True)


def test_one_counts_only_before_a_noun() -> None:
    text = "It was one of the most violent attacks; one soldier was killed and no one else."
    q = only(text)
    assert (q.surface, q.best, q.noun, q.is_count_of_people) == ("one", 1, "soldier", True)
    for text, noun in [
        ("One ranger died in the blast.", "ranger"),
        ("Un pêcheur a été enlevé.", "pêcheur"),
        ("A roadside bomb killed one paramilitary.", "paramilitary"),
    ]:
        q = only(text)
        assert (q.best, q.noun, q.is_count_of_people) == (1, noun, True)


def test_un_une_count_only_before_a_noun() -> None:
    text = "L'un des assaillants a fui ; un soldat a été tué, ainsi qu'une personne."
    found = find_quantities(text)
    _check_spans(text, found)
    assert [(q.surface, q.best, q.noun) for q in found] == [
        ("un", 1, "soldat"),
        ("une", 1, "personne"),
    ]
    assert find_quantities("UN peacekeepers began withdrawing from Mali.") == []


# --- vague quantities -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "low", "best", "qualifier"),
    [
        ("A dozen soldiers were wounded.", "A dozen", None, 12, "approximate"),
        ("Gunmen killed dozens of villagers.", "dozens", 12, 12, "vague"),
        ("Scores of people were killed.", "Scores", 20, 20, "vague"),
        ("Tens of people were abducted.", "Tens", 10, 10, "vague"),
        ("Hundreds of civilians fled.", "Hundreds", 100, 100, "vague"),
        ("Thousands of people fled.", "Thousands", 1000, 1000, "vague"),
        ("Tens of thousands of people fled.", "Tens of thousands", 10_000, 10_000, "vague"),
        ("Several dozen militants were killed.", "Several dozen", 12, 12, "vague"),
        ("More than a dozen soldiers died.", "More than a dozen", 12, 12, "at_least"),
        ("Une dizaine de soldats ont été blessés.", "Une dizaine", None, 10, "approximate"),
        ("Une vingtaine de civils ont été tués.", "Une vingtaine", None, 20, "approximate"),
        ("Une trentaine de jihadistes ont été tués.", "Une trentaine", None, 30, "approximate"),
        ("Une quarantaine de civils ont péri.", "Une quarantaine", None, 40, "approximate"),
        ("Une cinquantaine de personnes ont fui.", "Une cinquantaine", None, 50, "approximate"),
        ("Une centaine de personnes ont fui.", "Une centaine", None, 100, "approximate"),
        ("Des dizaines de civils ont été tués.", "Des dizaines", 12, 12, "vague"),
        (
            "Plusieurs dizaines de terroristes ont été neutralisés.",
            "Plusieurs dizaines",
            12,
            12,
            "vague",
        ),
        ("Des centaines de personnes ont fui.", "Des centaines", 100, 100, "vague"),
        ("Plus d'une dizaine de civils ont été tués.", "Plus d'une dizaine", 10, 10, "at_least"),
    ],
)
def test_vague_quantities_have_acled_values(
    text: str, surface: str, low: int | None, best: int, qualifier: str
) -> None:
    q = only(text)
    assert (q.surface, q.low, q.best, q.qualifier) == (surface, low, best, qualifier)
    assert q.is_count_of_people is True


@pytest.mark.parametrize(
    ("text", "surface", "noun"),
    [
        ("Several soldiers were wounded.", "Several", "soldiers"),
        ("Some villagers fled to Mopti.", "Some", "villagers"),
        ("Plusieurs soldats ont été blessés.", "Plusieurs", "soldats"),
        ("Many civilians were killed.", "Many", "civilians"),
        ("Numerous assailants were captured.", "Numerous", "assailants"),
        ("A number of attackers escaped.", "A number", "attackers"),
        ("De nombreux civils ont fui.", "De nombreux", "civils"),
    ],
)
def test_words_without_a_number_give_no_value(text: str, surface: str, noun: str) -> None:
    q = only(text)
    assert (q.surface, q.low, q.best, q.high, q.qualifier) == (surface, None, None, None, "vague")
    assert (q.noun, q.is_count_of_people) == (noun, True)


def test_several_without_noun_and_some_as_comparator() -> None:
    q = only("Several were wounded in the ambush.")
    assert (q.surface, q.best, q.noun) == ("Several", None, None)
    q, r = find_quantities("Some 70 militants were killed, and as many as 80 soldiers.")
    assert values(q) == (None, 70, None, "approximate", "militants", True)
    assert (r.surface, r.qualifier, r.high) == ("as many as 80", "at_most", 80)
    q = only("Some analysts say the army is stretched.")
    assert (q.best, q.qualifier, q.noun, q.is_count_of_people) == (None, "vague", "analysts", None)
    assert find_quantities("Some say the army is stretched.") == []


# --- comparators ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "qualifier", "low", "high"),
    [
        ("At least 80 people were killed.", "At least 80", "at_least", 80, None),
        ("More than 80 militants were killed.", "More than 80", "at_least", 80, None),
        ("FAMa killed over 80 militants.", "over 80", "at_least", 80, None),
        ("Upwards of 100 people fled.", "Upwards of 100", "at_least", 100, None),
        ("No fewer than 30 people died.", "No fewer than 30", "at_least", 30, None),
        ("Plus de 70 terroristes ont été neutralisés.", "Plus de 70", "at_least", 70, None),
        ("Au moins 23 soldats ont été tués.", "Au moins 23", "at_least", 23, None),
        ("Au minimum 5 civils ont péri.", "Au minimum 5", "at_least", 5, None),
        ("Up to 40 civilians may have died.", "Up to 40", "at_most", None, 40),
        ("As many as 80 soldiers were killed.", "As many as 80", "at_most", None, 80),
        ("At most 15 civilians were hurt.", "At most 15", "at_most", None, 15),
        ("No more than 20 soldiers survived.", "No more than 20", "at_most", None, 20),
        ("Jusqu'à 40 civils auraient été tués.", "Jusqu'à 40", "at_most", None, 40),
        ("Au plus 12 soldats ont été blessés.", "Au plus 12", "at_most", None, 12),
        ("About 70 militants were killed.", "About 70", "approximate", None, None),
        ("Around 70 militants were killed.", "Around 70", "approximate", None, None),
        ("Some 70 militants were killed.", "Some 70", "approximate", None, None),
        ("Roughly 50 attackers fled.", "Roughly 50", "approximate", None, None),
        ("Nearly 40 civilians died.", "Nearly 40", "approximate", None, None),
        ("Almost 30 soldiers died.", "Almost 30", "approximate", None, None),
        ("Close to 100 fighters surrendered.", "Close to 100", "approximate", None, None),
        ("An estimated 200 people died.", "An estimated 200", "approximate", None, None),
        ("Environ 300 assaillants ont attaqué.", "Environ 300", "approximate", None, None),
        ("Près de 50 personnes ont été tuées.", "Près de 50", "approximate", None, None),
        ("Quelque 70 djihadistes ont été tués.", "Quelque 70", "approximate", None, None),
        ("Presque 20 civils ont été blessés.", "Presque 20", "approximate", None, None),
        (
            "Approximativement 60 insurgés ont été tués.",
            "Approximativement 60",
            "approximate",
            None,
            None,
        ),
    ],
)
def test_comparators(
    text: str, surface: str, qualifier: str, low: int | None, high: int | None
) -> None:
    q = only(text)
    assert (q.surface, q.qualifier, q.low, q.high) == (surface, qualifier, low, high)
    assert q.best is not None and str(q.best) in surface  # the figure itself is the point value
    assert q.is_count_of_people is True


def test_suffix_comparators() -> None:
    text = "70 or more soldiers and 80-odd militants; 12 ou plus civils"
    assert [(q.surface, q.qualifier, q.best) for q in find_quantities(text)] == [
        ("70 or more", "at_least", 70),
        ("80-odd", "approximate", 80),
        ("12 ou plus", "at_least", 12),
    ]


# --- ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "noun"),
    [
        ("The army killed 70-80 militants.", "70-80", 70, 80, "militants"),
        ("Some 70–80 fighters were killed.", "70–80", 70, 80, "fighters"),
        ("The army killed 70 to 80 insurgents.", "70 to 80", 70, 80, "insurgents"),
        ("The army killed between 70 and 80 militants.", "between 70 and 80", 70, 80, "militants"),
        ("The toll went from 70 to 80 rebels.", "from 70 to 80", 70, 80, "rebels"),
        ("Entre 30 et 32 soldats ont été tués.", "Entre 30 et 32", 30, 32, "soldats"),
        ("De 30 à 32 civils ont péri.", "De 30 à 32", 30, 32, "civils"),
        ("Entre trente et trente-deux soldats.", "Entre trente et trente-deux", 30, 32, "soldats"),
        ("Two or three soldiers were wounded.", "Two or three", 2, 3, "soldiers"),
        ("Deux ou trois civils ont été enlevés.", "Deux ou trois", 2, 3, "civils"),
    ],
)
def test_ranges_take_the_low_end_as_best(
    text: str, surface: str, low: int, high: int, noun: str
) -> None:
    q = get(text, surface)
    assert values(q) == (low, low, high, "range", noun, True)


# --- noun binding ---------------------------------------------------------------------------


def test_a_total_and_a_part_of_it_are_two_quantities() -> None:
    text = "At least 80 people, including 12 soldiers, were killed."
    total, part = find_quantities(text)
    assert values(total) == (80, 80, None, "at_least", "people", True)
    assert values(part) == (12, 12, 12, "exact", "soldiers", True)


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("The raid killed 80 jihadist fighters.", "fighters"),
        ("Mali kills 80 al-Qaeda-linked militants.", "militants"),
        ("23 soldats maliens ont été tués.", "soldats"),
        ("Cinq soldats tués dans une embuscade.", "soldats"),
        ("12 Malian soldiers died.", "soldiers"),
        ("Two Indians killed in Niger.", "indians"),
        ("80 of the attackers were killed.", "attackers"),
        ("Dozens of assailants were neutralized.", "assailants"),
        ("Une trentaine de jihadistes ont été tués.", "jihadistes"),
        ("70 des assaillants ont été tués.", "assaillants"),
        ("Il y a eu 23 morts et 12 blessés.", "morts"),
        ("Mali: 80 tués dans une attaque.", "tués"),
        ("The blast wounded 30 more civilians.", "civilians"),
        ("Une vingtaine d'autres blessés ont été évacués.", "blessés"),
        ("Rebels seized 14 armored personnel carriers and 12 police officers.", "carriers"),
    ],
)
def test_noun_is_the_head_of_the_phrase(text: str, noun: str) -> None:
    q = find_quantities(text)[0]
    _check_spans(text, [q])
    assert q.noun == noun
    assert q.is_count_of_people is (None if noun == "carriers" else True)


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("Two helicopters were shot down.", "helicopters"),
        ("A 15-year-old boy was killed.", "year"),
        ("The convoy was 50km north of Gao.", "km"),
        ("Prices rose 25 % in Bamako.", "%"),
        ("Cinq pour cent de la population.", "pour cent"),
        ("Trois casernes ont été prises.", "casernes"),
        ("Cinq véhicules ont été détruits.", "véhicules"),
        ("Une trêve de 30 jours a été annoncée.", "jours"),
        ("Il a reçu 5 millions de dollars.", "dollars"),
        ("A coalition of five armed groups.", "groups"),
    ],
)
def test_counts_of_things_units_and_money(text: str, noun: str) -> None:
    q = only(text)
    assert (q.noun, q.is_count_of_people) == (noun, False)


def test_of_them_and_no_noun() -> None:
    q = get("Two of them were killed.", "Two")
    assert (q.best, q.noun, q.is_count_of_people) == (2, "them", None)
    q = get("Soixante-dix d'entre eux ont été tués.", "Soixante-dix")
    assert (q.best, q.noun, q.is_count_of_people) == (70, "eux", None)
    q = only("The toll rose to 80.")
    assert values(q) == (80, 80, 80, "exact", None, None)
    assert (q.noun_start, q.noun_end) == (None, None)


# --- French sentences, end to end -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "L'armée malienne affirme avoir neutralisé plus de 70 terroristes lors de frappes.",
            [("plus de 70", 70, "at_least", "terroristes", True)],
        ),
        (
            "Au moins 23 soldats maliens ont été tués et une dizaine blessés.",
            [
                ("Au moins 23", 23, "at_least", "soldats", True),
                ("une dizaine", 10, "approximate", "blessés", True),
            ],
        ),
        (
            "Le JNIM revendique la prise de trois casernes et de sept localités.",
            [("trois", 3, "exact", "casernes", False), ("sept", 7, "exact", "localités", False)],
        ),
        (
            "Selon des sources locales, une quarantaine de civils ont été tués à Diallassagou.",
            [("une quarantaine", 40, "approximate", "civils", True)],
        ),
        (
            "Le bilan provisoire fait état de 42 morts parmi les soldats.",
            [("42", 42, "exact", "morts", True)],
        ),
        (
            "Quelque 1 500 personnes ont fui vers le Niger depuis le 3 juillet.",
            [("Quelque 1 500", 1500, "approximate", "personnes", True)],
        ),
        (
            "Les attaques ont fait au moins 50 morts, dont 12 soldats, selon un bilan officiel.",
            [("au moins 50", 50, "at_least", "morts", True), ("12", 12, "exact", "soldats", True)],
        ),
        (
            "Un couvre-feu de 30 jours a été décrété dans la région de Kayes.",
            [("30", 30, "exact", "jours", False)],
        ),
        (
            "Une force conjointe de 5 000 hommes sera déployée en 2025.",
            [("5 000", 5000, "exact", "hommes", True)],
        ),
        (
            "Près d'une centaine d'assaillants ont attaqué le camp de Boulkessi.",
            [("Près d'une centaine", 100, "approximate", "assaillants", True)],
        ),
        (
            "Des milliers de déplacés ont rejoint Mopti entre le 15 et le 19 juillet.",
            [("Des milliers", 1000, "vague", "déplacés", True)],
        ),
        (
            "Deux soldats et trois civils ont été tués, ainsi qu'un gendarme.",
            [
                ("Deux", 2, "exact", "soldats", True),
                ("trois", 3, "exact", "civils", True),
                ("un", 1, "exact", "gendarme", True),
            ],
        ),
        (
            "Cinq véhicules et quatre-vingts motos ont été saisis par les FAMa.",
            [
                ("Cinq", 5, "exact", "véhicules", False),
                ("quatre-vingts", 80, "exact", "motos", False),
            ],
        ),
        (
            "Jusqu'à 200 combattants du JNIM auraient participé à l'assaut.",
            [("Jusqu'à 200", 200, "at_most", "combattants", True)],
        ),
        (
            "Plusieurs centaines de personnes ont manifesté à Bamako le 1er juillet.",
            [("Plusieurs centaines", 100, "vague", "personnes", True)],
        ),
        (
            "Les FAMa ont repoussé l'attaque, tuant environ 40 assaillants.",
            [("environ 40", 40, "approximate", "assaillants", True)],
        ),
        (
            "Entre 30 et 32 otages ont été libérés à Tombouctou.",
            [("Entre 30 et 32", 30, "range", "otages", True)],
        ),
    ],
)
def test_french_news_sentences(text: str, expected: list[tuple[object, ...]]) -> None:
    found = find_quantities(text)
    _check_spans(text, found)
    got = [(q.surface, q.best, q.qualifier, q.noun, q.is_count_of_people) for q in found]
    assert got == expected


# --- parse_quantity and number_value --------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "low", "best", "high", "qualifier"),
    [
        ("at least 80", 80, 80, None, "at_least"),
        ("une trentaine", None, 30, None, "approximate"),
        ("plus de 70", 70, 70, None, "at_least"),
        ("between 70 and 80", 70, 70, 80, "range"),
        ("dozens", 12, 12, None, "vague"),
        ("several", None, None, None, "vague"),
        ("eighty", 80, 80, 80, "exact"),
        ("one", 1, 1, 1, "exact"),
        ("up to 40", None, 40, 40, "at_most"),
    ],
)
def test_parse_quantity(
    surface: str, low: int | None, best: int | None, high: int | None, qualifier: str
) -> None:
    q = parse_quantity(surface)
    assert q is not None
    assert (q.start, q.end, q.surface) == (0, len(surface), surface)
    assert (q.low, q.best, q.high, q.qualifier) == (low, best, high, qualifier)


def test_parse_quantity_binds_a_noun_and_refuses_non_numbers() -> None:
    q = parse_quantity("approximately 70 militants")
    assert q is not None and (q.surface, q.noun, q.noun_start, q.noun_end) == (
        "approximately 70",
        "militants",
        17,
        26,
    )
    assert parse_quantity("the army") is None
    assert parse_quantity("July 15") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("eighty", 80),
        ("Eighty", 80),
        ("twenty-one", 21),
        ("one hundred and two", 102),
        ("a hundred", 100),
        ("two thousand", 2000),
        ("quatre-vingts", 80),
        ("soixante-dix", 70),
        ("vingt et un", 21),
        ("cent deux", 102),
        ("deux mille", 2000),
        ("5,000", 5000),
        ("5 000", 5000),
        (f"5{NBSP}000", 5000),
        (f"5{NNBSP}000", 5000),
        ("5.000", 5000),
        ("80", 80),
        ("2 million", 2_000_000),
        ("1.5 million", 1_500_000),
        ("a dozen", 12),
        ("two dozen", 24),
    ],
)
def test_number_value(text: str, value: int) -> None:
    assert number_value(text) == value


@pytest.mark.parametrize(
    "text", ["2.5", "3,5", "dozens", "several", "", "the army", "80 militants"]
)
def test_number_value_refuses_non_integers(text: str) -> None:
    assert number_value(text) is None
