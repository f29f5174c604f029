"""The quantity scan reads a case-folded copy of the text without re.I: every character
must match there exactly as it matched under re.I in the original."""

from __future__ import annotations

import re

from llm_extract.text.fold import ignorecase_form
from llm_extract.text.number_words import LETTERS
from llm_extract.text.numbers import _ATOM, find_quantities


def _cased_or_latin() -> list[str]:
    chars = [chr(code) for code in range(0x300)]
    for code in range(0x300, 0x110000):
        char = chr(code)
        if not 0xD800 <= code < 0xE000 and (char.lower() != char or char.upper() != char):
            chars.append(char)
    return chars


def test_each_character_is_seen_as_re_ignorecase_sees_it() -> None:
    # The branches spell their words in lower case; look-behinds and classes hold the rest.
    letters = sorted({c.lower() for c in _ATOM.pattern if c.isalpha()})
    letter_class = re.compile(f"[{LETTERS}]")
    for char in _cased_or_latin():
        seen = " " + ignorecase_form(char)
        assert len(seen) == 2, hex(ord(char))
        for letter in letters:
            expected = re.fullmatch(re.escape(letter), char, re.I) is not None
            assert expected == (seen[1] == letter), (hex(ord(char)), letter)
        expected = re.fullmatch(f"[{LETTERS}]", char, re.I) is not None
        assert expected == (letter_class.fullmatch(seen[1]) is not None), hex(ord(char))


def test_mixed_case_and_odd_letters_still_count() -> None:
    found = find_quantities("ſeveral SOLDIERS; Dozens of civilians and Twenty-Two gendarmes")
    assert [(q.surface, q.best, q.noun) for q in found] == [
        ("ſeveral", None, "soldiers"),
        ("Dozens", 12, "civilians"),
        ("Twenty-Two", 22, "gendarmes"),
    ]


def test_a_quantity_at_the_very_start_or_after_a_hyphenated_word() -> None:
    assert [q.surface for q in find_quantities("80 militants")] == ["80"]
    assert find_quantities("al-80 fighters") == []
    assert [q.surface for q in find_quantities("-80 fighters")] == ["80"]


def test_a_vague_word_with_an_odd_letter_reads_as_its_plain_spelling() -> None:
    # It used to match (re.I sees ı as i) and then crash looking up "dızaines".
    plain = find_quantities("des dizaines de soldats tués")
    odd = find_quantities("des dızaines de soldats tués")
    assert [(q.best, q.qualifier, q.noun) for q in odd] == [
        (q.best, q.qualifier, q.noun) for q in plain
    ]
    assert plain and plain[0].best is not None
