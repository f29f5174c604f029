"""Which state force an actor name means, and the demonyms it reads them by."""

from __future__ import annotations

import pytest

from llm_extract.text.forces import Force, state_force
from llm_extract.text.world import country_of_adjective


@pytest.mark.parametrize(
    ("name", "force"),
    [
        ("l'armée malienne", Force("military", "ML")),
        ("Mali's army", Force("military", "ML")),
        ("the Burkina Faso army", Force("military", "BF")),
        ("Forces armées centrafricaines", Force("military", "CF")),
        ("soldats nigériens", Force("military", "NE")),
        ("Nigerian troops", Force("military", "NG")),
        ("Mexican police officials", Force("police", "MX")),
        ("gendarmes", Force("police", None)),
        ("military units", Force("military", None)),
        ("Wagner mercenaries", None),  # a word that is no force's
        ("Kurdish forces", None),  # no state's
        ("officials", None),
        ("police and soldiers", None),  # two forces
        ("Malian and Burkinabe soldiers", None),  # two states
    ],
)
def test_state_force(name: str, force: Force | None) -> None:
    assert state_force(name) == force


@pytest.mark.parametrize(
    ("word", "code"),
    [("nigérienne", "NE"), ("nigérian", "NG"), ("burkinabè", "BF"), ("russes", "RU"),
     ("thaï", "TH"), ("Malian", "ML"), ("Mali", None), ("Malindi", None)],
)  # fmt: skip
def test_demonyms_the_endings_cannot_derive(word: str, code: str | None) -> None:
    assert country_of_adjective(word) == code
