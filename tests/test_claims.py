"""Claims read off the text by the grounded strategy: each shape of news attribution, on
sentences written for the test (not the seeds), and what must not become a claim."""

from __future__ import annotations

import pytest

from llm_extract.extraction.grounded.candidates import actor_candidates
from llm_extract.extraction.grounded.claims import claims_in
from llm_extract.text.grounding import Document


def _claims(text: str) -> list[tuple[str, str]]:
    doc = Document.from_text(text)
    found = claims_in(doc, actor_candidates(doc))
    for claim in found:
        assert claim["quote"] in doc.text, "the quote is the article's own sentence"
    return [(c["claimant"], c["statement"]) for c in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunmen stormed a checkpoint near Gao. JNIM declared that it had captured two "
         "armoured vehicles, though the claim could not be verified.",
         [("JNIM", "captured two armoured vehicles")]),
        ("Fighting spread to Douentza. ISWAP claimed responsibility for the ambush, "
         "boasting that it had burned the army depot.",
         [("ISWAP", "claimed responsibility for the ambush"), ("ISWAP", "burned the army depot")]),
        ("The convoy was hit twice, according to Army spokesman Ibrahim Koné.",
         [("Ibrahim Koné", "The convoy was hit twice")]),
        ("“We pushed the enemy out of the district,” said Colonel Awa Traoré, speaking on radio.",
         [("Awa Traoré", "We pushed the enemy out of the district")]),
        ("The raid, claimed by JNIM, targeted a market in Sévaré.",
         [("JNIM", "claimed the raid")]),
        ("Medical sources indicated that the hospital ran out of blood supplies.",
         [("Medical sources", "the hospital ran out of blood supplies")]),
    ],
)  # fmt: skip
def test_each_attribution_shape(text: str, expected: list[tuple[str, str]]):
    assert _claims(text) == expected


def test_the_army_speaks_as_the_articles_state_actor():
    text = ("FAMa units patrolled Niono. The army said it had retaken the bridge and "
            "secured the road, despite heavy rain.")  # fmt: skip
    assert _claims(text) == [("FAMa", "retaken the bridge and secured the road")]


def test_figures_of_people_are_counts_not_claims():
    text = ("JNIM said it killed 40 soldiers. The Malian army confirmed that its forces "
            "neutralized dozens of assailants and seized two trucks.")  # fmt: skip
    assert _claims(text) == [("Malian army", "seized two trucks")]


def test_no_speaker_or_too_short_means_no_claim():
    assert _claims("Weapons and motorcycles were among the confiscated items.") == []
    assert _claims("Residents said nothing. JNIM said so.") == []
