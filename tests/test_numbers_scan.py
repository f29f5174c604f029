"""The quantity scan reads a case-folded copy of the text without re.I: every character
must match there exactly as it matched under re.I in the original."""

from __future__ import annotations

import re
from itertools import product
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from llm_extract.text.figures.number_words import LETTERS
from llm_extract.text.figures.numbers import _ATOM, _BRANCHES, _STARTS, find_quantities
from llm_extract.text.fold import ignorecase_form


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


# Characters the check below tries: Latin, the spaces and digits \s and \d take, and more.
_UNIVERSE = [chr(code) for code in range(0x3100) if not 0xD800 <= code < 0xE000]
_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}  # fmt: skip


def _in(items: list[tuple[object, object]]) -> frozenset[str]:
    """The characters of _UNIVERSE a parsed class `[...]` matches."""

    def hit(ch: str) -> bool:
        found = False
        for op, av in items:
            if op is C.LITERAL:
                found |= ord(ch) == av
            elif op is C.RANGE:
                found |= av[0] <= ord(ch) <= av[1]  # type: ignore[index]
            elif op is C.CATEGORY:
                found |= re.fullmatch(_CATEGORY[av], ch) is not None
            elif op is not C.NEGATE:
                raise AssertionError(op)
        return found != (items[0][0] is C.NEGATE)

    return frozenset(ch for ch in _UNIVERSE if hit(ch))


_Prefix = tuple[frozenset[str], ...]


def _prefixes(seq: list[tuple[object, object]], n: int) -> set[_Prefix]:
    """Every way a parsed pattern can begin, cut to `n` characters (shorter: it ends
    there). Look-arounds are left out, which can only add ways."""
    out: set[_Prefix] = {()}
    for op, av in seq:
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue
        if op is C.LITERAL:
            parts = {(frozenset(chr(av)),)}  # type: ignore[arg-type]
        elif op is C.IN:
            parts = {(_in(av),)}  # type: ignore[arg-type]
        elif op is C.SUBPATTERN:
            parts = _prefixes(av[-1], n)  # type: ignore[index]
        elif op is C.BRANCH:
            parts = set().union(*(_prefixes(alt, n) for alt in av[1]))  # type: ignore[index]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, body = av  # type: ignore[misc]
            parts = set()
            for times in range(low if low <= n else n, min(high, n) + 1):
                parts |= _prefixes(list(body) * times, n)
        else:
            raise AssertionError(op)
        out = {p if len(p) >= n else (p + q)[:n] for p in out for q in parts}
    return out


def test_every_quantity_begins_as_the_cheap_start_test_allows() -> None:
    starts = re.compile(f"(?:{_STARTS})")
    for prefix in _prefixes(list(_parser.parse(_BRANCHES)), 2):
        assert prefix, "a branch may match nothing"
        for chars in product(*prefix):
            assert starts.match("".join(chars)), (chars, prefix)
