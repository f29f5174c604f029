"""Grounded extraction: the candidate builders, without the model (the model run is in
test_local_backend.py)."""

from __future__ import annotations

from pathlib import Path

from llm_extract.extraction.grounded.candidates import (
    actor_candidates,
    count_candidates,
    date_candidates,
    place_candidates,
    quote_around,
)
from llm_extract.text.grounding import Document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TEXT = (
    "The targeted areas were Nioro du Sahel, Diboli, and Kayes. The Malian Armed Forces "
    "(FAMa) said at least 80 militants were killed and several soldiers wounded. "
    "Jama'at Nusrat al-Islam wal-Muslimin (JNIM) claimed the attacks on Sunday."
)


def test_place_candidates_keep_a_list_together() -> None:
    places = place_candidates(Document.from_text(TEXT))
    names = [p.name for p in places]
    assert names[:3] == ["Nioro du Sahel", "Diboli", "Kayes"]
    assert len({p.group for p in places[:3]}) == 1
    assert "Sunday" not in names and "Nusrat" not in names


def test_actor_candidates_from_aliases_and_acronyms() -> None:
    names = {a.name for a in actor_candidates(Document.from_text(TEXT))}
    assert {"JNIM"} <= names
    assert names & {"FAMa", "Malian Armed Forces"}


def test_count_candidates_carry_their_fate() -> None:
    counts = {c.quantity.best: c for c in count_candidates(Document.from_text(TEXT))}
    assert "killed" in counts[80].categories
    assert counts[80].quantity.qualifier == "at_least"


def test_one_number_for_two_fates_is_two_figures_and_an_aside_keeps_the_verb() -> None:
    doc = Document.from_text(
        "Rebels hit a checkpoint near Dorsa, which left three guards dead and three others "
        "wounded. Up to 40 villagers, including 11 members of one family who were coming "
        "back from a wedding, lost their lives."
    )
    found = sorted((c.quantity.best, sorted(c.categories)) for c in count_candidates(doc))
    assert (3, ["killed"]) in found and (3, ["injured"]) in found
    assert (40, ["killed"]) in found


def test_date_candidates_skip_bare_years() -> None:
    doc = Document.from_text("Since 2012 the war goes on. On 1 July 2025 they attacked.")
    assert [m.surface for m in date_candidates(doc)] == ["1 July 2025"]


def test_date_candidates_are_the_days_the_verifier_reads_as_the_event_s() -> None:
    """A wire dateline and the day a statement was made are not offered as the
    incident's date while a day of the event is given."""
    doc = Document.from_text(
        "Dorsa, March 3 (Reuters): Rebels killed four soldiers, the army said on "
        "Thursday. The fighting broke out on Wednesday in Dorsa."
    )
    assert [m.surface for m in date_candidates(doc)] == ["Wednesday"]
    only = Document.from_text("The army said on Thursday that four soldiers were killed.")
    assert [m.surface for m in date_candidates(only)] == ["Thursday"]  # nothing better


def test_quote_is_the_verbatim_sentence() -> None:
    doc = Document.from_text(TEXT)
    at = doc.text.index("80")
    quote = quote_around(doc, at, at + 2)
    assert quote in doc.text and "80" in quote and quote.startswith("The Malian")
    assert len(quote_around(doc, at, at + 2, limit=30)) <= 30


def test_event_kind_comes_from_the_articles_own_cue_words() -> None:
    from llm_extract.extraction.grounded.candidates import likely_kinds

    clash = "Militants launched raids on army positions; the army repelled the assault."
    strike = "A drone strike hit the convoy; the airstrike killed 12 fighters."
    assert likely_kinds(Document.from_text(clash)) == ["fighting"]
    assert likely_kinds(Document.from_text(strike)) == ["airstrike"]
    raids = "Des raids aériens ont touché deux marchés du district ; onze personnes sont mortes."
    assert likely_kinds(Document.from_text(raids)) == ["airstrike"]
    assert likely_kinds(Document.from_text("The minister met the delegation.")) == ["fighting"]
    tied = likely_kinds(Document.from_text("Protesters rallied; two were arrested."))
    assert set(tied) == {"protest", "arrests"}, "a tie is left for the model to settle"


def test_between_two_towns_the_first_is_the_place_and_a_town_stays_a_town() -> None:
    from llm_extract.extraction.grounded.places import event_places

    doc = Document.from_text(
        "Ten soldiers were killed when a convoy hit mines between the towns of Kora and "
        "Tessa. The group claimed the attack in the Kora region."
    )
    kept = event_places(doc, place_candidates(doc), set())
    towns = [(p.name, p.precision) for p in kept if p.town]
    assert towns == [("Kora", 2)]  # a reference point (precision 2), not Tessa, not the region


def test_a_french_municipality_and_a_neighbouring_commune_are_places() -> None:
    doc = Document.from_text(
        "Quatre soldats ont été tués dans la municipalité d'Orvena. Un attentat avait fait "
        "dix blessés dans la commune voisine de Pelaro."
    )
    names = [p.name for p in place_candidates(doc)]
    assert "Orvena" in names and "Pelaro" in names


def test_a_direction_between_the_preposition_and_the_name_keeps_the_place() -> None:
    doc = Document.from_text("The group attacked two villages in southwest Harlan on Thursday.")
    assert [p.name for p in place_candidates(doc)] == ["Harlan"]


def test_a_french_opener_before_a_type_noun_is_no_place_name() -> None:
    doc = Document.from_text("En province de Kassa, des rebelles ont attaqué le village de Moro.")
    assert "En" not in [p.name for p in place_candidates(doc)]
