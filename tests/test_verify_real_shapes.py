"""Shapes of real news the verifier first misread on the corpus's second batch: each
true value here is supported, and the false twin beside it is not."""

from __future__ import annotations

from typing import Any

import pytest

from llm_extract import verify


def _record(*, place: str = "Koro", place_quote: str | None = None, counts: list | None = None,
            actors: list | None = None, date: dict | None = None) -> dict[str, Any]:  # fmt: skip
    quote = place_quote or place
    return {"incidents": [{
        "summary": "an attack",
        "classification": {"event_type": "Violence against civilians", "sub_event_type": "Attack"},
        "classification_quote": quote,
        "date": date or {"text": "unknown", "start": None, "end": None, "precision": 3,
                         "quote": quote},
        "locations": [{"name": place, "admin1": None, "country": None, "precision": 1,
                       "quote": quote}],
        "is_aggregate": False, "actors": actors or [], "counts": counts or [], "claims": [],
    }]}  # fmt: skip


def _toll(surface: str, best: int, victims: str, quote: str, qualifier: str = "exact",
          category: str = "killed") -> dict[str, Any]:  # fmt: skip
    return {"category": category, "side": "unknown", "victim_group": victims,
            "surface": surface, "qualifier": qualifier, "low": best, "best": best,
            "high": None if qualifier == "at_least" else best, "attributed_to": "the article",
            "provisional": False, "quote": quote}  # fmt: skip


def _verdict(record: dict[str, Any], text: str, path: str, published: str | None = None) -> Any:
    from datetime import date

    when = date.fromisoformat(published) if published else None
    report = verify(record, text, published=when)
    return next(v for v in report.verdicts if v.path == path)


def test_a_community_in_a_named_area_is_a_village_and_a_people_is_not() -> None:
    text = "Bandits invaded Kuchi community in Munya Local Government Area, killing seven people."
    found = _verdict(_record(place="Kuchi", place_quote="Bandits invaded Kuchi community"), text,
                     "incidents[0].locations[0].name")  # fmt: skip
    assert found.verdict == "supported", found.reason
    people = "Gunmen attacked members of the Hmar community in Manipur, killing seven people."
    found = _verdict(_record(place="Hmar", place_quote="the Hmar community"), people,
                     "incidents[0].locations[0].name")  # fmt: skip
    assert found.code == "not_a_place"


@pytest.mark.parametrize(
    ("text", "count", "verdict"),
    [
        (
            "Bandits attacked Koro. Among the deceased are four members of the taskforce.",
            _toll("four", 4, "members", "four members of the taskforce"),
            "supported",
        ),
        (
            "Gunmen attacked Koro. Au moins quatre personnes ont été décapitées à Koro.",
            _toll(
                "Au moins quatre",
                4,
                "personnes",
                "Au moins quatre personnes ont été décapitées",
                "at_least",
            ),
            "supported",
        ),
        (
            "Gunmen attacked Koro. A 47-year-old man was later shot and killed in Koro.",
            _toll("A", 1, "man", "A 47-year-old man was later shot and killed"),
            "supported",
        ),
        (
            "Six personnes au moins ont été tuées dimanche à Koro.",
            _toll(
                "Six personnes au moins",
                6,
                "personnes",
                "Six personnes au moins ont été tuées",
                "at_least",
            ),
            "supported",
        ),
        # the bound after the noun is still a bound: an exact six is not what it says
        (
            "Six personnes au moins ont été tuées dimanche à Koro.",
            _toll("Six", 6, "personnes", "Six personnes au moins ont été tuées"),
            "unsupported",
        ),
    ],
)
def test_fates_and_bounds_as_news_writes_them(text: str, count: dict, verdict: str) -> None:
    found = _verdict(_record(counts=[count]), text, "incidents[0].counts[0]")
    assert found.verdict == verdict, found.reason


def test_a_country_s_demonym_names_it_in_an_actor_s_quote() -> None:
    text = "At least six people were killed in a Russian missile strike on Koro."
    actor = {"name": "Russia", "actor_type": 8, "role": "attacker",
             "quote": "a Russian missile strike on Koro"}  # fmt: skip
    found = _verdict(_record(actors=[actor]), text, "incidents[0].actors[0].quote")
    assert found.verdict == "supported", found.reason
    other = {**actor, "name": "Ukraine"}
    found = _verdict(_record(actors=[other]), text, "incidents[0].actors[0].quote")
    assert found.verdict == "unsupported"


@pytest.mark.parametrize(
    ("words", "start", "end", "verdict"),
    [
        # published Sunday 5 January 2025: since Friday is Friday to Sunday
        ("Since Friday evening", "2025-01-03", "2025-01-05", "supported"),
        ("Since Friday evening", "2025-01-03", "2025-01-03", "unsupported"),  # a start only
        ("Since Friday evening", "2025-01-02", "2025-01-05", "unsupported"),
        ("over the weekend", "2025-01-04", "2025-01-05", "supported"),
    ],
)
def test_since_a_day_and_the_weekend(words: str, start: str, end: str, verdict: str) -> None:
    text = f"{words}, fighting around Koro has killed 101 people, the monitor said."
    date = {"text": words, "start": start, "end": end, "precision": 1, "quote": text[:40]}
    found = _verdict(_record(date=date), text, "incidents[0].date", "2025-01-05")
    assert found.verdict == verdict, found.reason


def test_a_period_since_a_year_is_history_not_the_incident_s_days() -> None:
    text = "Rebels have fought the government since 1969. They attacked Koro on Sunday."
    date = {"text": "since 1969", "start": "1969-01-01", "end": "1969-12-31", "precision": 3,
            "quote": "fought the government since 1969"}  # fmt: skip
    found = _verdict(_record(date=date), text, "incidents[0].date", "2025-01-05")
    assert found.verdict == "unsupported"


def test_early_june_is_days_inside_june() -> None:
    text = "Mais début juin, une série d'attaques a eu lieu à Koro, tuant sept personnes."
    date = {"text": "début juin", "start": "2022-06-01", "end": "2022-06-14", "precision": 2,
            "quote": "Mais début juin, une série d'attaques a eu lieu"}  # fmt: skip
    found = _verdict(_record(date=date), text, "incidents[0].date", "2022-06-15")
    assert found.verdict == "supported", found.reason
    date = {**date, "start": "2022-05-25"}
    found = _verdict(_record(date=date), text, "incidents[0].date", "2022-06-15")
    assert found.verdict == "unsupported"


@pytest.mark.parametrize(
    ("text", "count", "verdict"),
    [
        (
            "Deux soldats ont été tués à Koro. Un autre soldat a été blessé, selon l'armée.",
            _toll("Un autre", 1, "soldat", "Un autre soldat a été blessé", category="injured"),
            "supported",
        ),
        (
            "Troops reportedly killed six villagers in Koro and detained 20 others.",
            _toll("six", 6, "villagers", "Troops reportedly killed six villagers"),
            "supported",
        ),
        (
            "Une frappe aérienne a coûté la vie à 35 migrants à Koro.",
            _toll("35", 35, "migrants", "a coûté la vie à 35 migrants"),
            "supported",
        ),
        (
            "Cinq policiers ont été tués ainsi que huit talibans à Koro.",
            _toll("huit", 8, "talibans", "Cinq policiers ont été tués ainsi que huit talibans"),
            "supported",
        ),
        # the eight are Taliban, not policemen
        (
            "Cinq policiers ont été tués ainsi que huit talibans à Koro.",
            _toll("huit", 8, "policiers", "Cinq policiers ont été tués ainsi que huit talibans"),
            "unsupported",
        ),
    ],
)
def test_one_more_active_verbs_and_coordinated_tolls(text: str, count: dict, verdict: str) -> None:
    found = _verdict(_record(counts=[count]), text, "incidents[0].counts[0]")
    assert found.verdict == verdict, found.reason


def test_a_long_speaker_after_an_inverted_verb_gives_the_quoted_figure() -> None:
    text = (
        "« Deux policiers ont été tués à Koro », a indiqué un porte-parole de l'armée "
        "afghane pour l'ouest du pays, Abdul Basir Ghori. Selon le ministre adjoint, "
        "Munir Mangal, les insurgés ont placé 88 bombes."
    )
    count = {**_toll("Deux", 2, "policiers", "Deux policiers ont été tués à Koro"),
             "attributed_to": "Abdul Basir Ghori"}  # fmt: skip
    found = _verdict(_record(counts=[count]), text, "incidents[0].counts[0]")
    assert found.verdict == "supported", found.reason
    wrong = {**count, "attributed_to": "Munir Mangal"}
    found = _verdict(_record(counts=[wrong]), text, "incidents[0].counts[0]")
    assert found.code == "wrong_claimant"


def test_a_bracketed_gloss_after_a_party_s_name_is_not_part_of_it() -> None:
    text = "Sept soldats ont été tués à Koro, a indiqué le colonel Azem Bermandoa."
    count = {**_toll("Sept", 7, "soldats", "Sept soldats ont été tués à Koro"),
             "attributed_to": "colonel Azem Bermandoa (porte-parole de l'armée)"}  # fmt: skip
    record = _record(counts=[count])
    for path in ("incidents[0].counts[0]", "incidents[0].counts[0].attributed_to"):
        found = _verdict(record, text, path)
        assert found.verdict == "supported", (path, found.reason)
    other = {**count, "attributed_to": "colonel Jean Dupont (porte-parole de l'armée)"}
    found = _verdict(_record(counts=[other]), text, "incidents[0].counts[0].attributed_to")
    assert found.verdict == "unsupported"
