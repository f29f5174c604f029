"""fold() translates only the non-ASCII runs: it must still equal a whole-text translate."""

from __future__ import annotations

from llm_extract.text.fold import _TABLE, fold


def _reference(text: str) -> str:
    folded = text.translate(_TABLE)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def test_every_character_folds_as_the_whole_table_does() -> None:
    for code in range(0x3000):
        char = chr(code)
        for text in (char, f"a{char}`b\t", f"{char}{char}Z"):
            assert fold.__wrapped__(text) == _reference(text), hex(code)


def test_mixed_text_folds_as_the_whole_table_does_and_keeps_its_length() -> None:
    texts = [
        "Forces Armées Maliennes\t(FAMa) ‘said’ `it` killed “80” — İstanbul ΣΟΦΟΣ",
        "ΌΣΟΣ, ﬁne ß ẞ; Côte d’Ivoire\u00a0–\u202f2025",
        "plain ascii, with a `tick` and\ttab",
        "",
    ]
    for text in texts:
        assert fold(text) == _reference(text)
        assert len(fold(text)) == len(text)
