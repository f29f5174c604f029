"""Cleaning keeps a map back to the user's text: every cleaned span slices the original."""

from __future__ import annotations

from llm_extract.text.prepare import prepare
from tests.conftest import seed_text


def assert_map_is_faithful(original: str) -> None:
    prepared = prepare(original)
    assert len(prepared.origin) == len(prepared.text) + 1
    assert list(prepared.origin) == sorted(prepared.origin)
    for word in ("Kayes", "Mali", "JNIM", "80"):
        index = prepared.text.find(word)
        if index >= 0:
            assert prepared.original_slice(index, index + len(word)) == word


def test_lossy_mojibake_of_seed_000_is_repaired_one_for_one() -> None:
    original = seed_text("000_16f55f85dcef49e5.txt")
    prepared = prepare(original)
    assert "Mali’s intensified" in prepared.text
    assert "(AES)—a regional bloc" in prepared.text
    assert "tactics—including" in prepared.text
    assert "of  approximately 70 militants  in" in prepared.text  # Ā was a no-break space
    assert "Ā" not in prepared.text and "ā" not in prepared.text
    at = prepared.text.index("Mali’s")
    assert prepared.original_slice(at, at + 6) == "Maliās"
    assert_map_is_faithful(original)


def test_recoverable_mojibake_is_fixed_with_ftfy_and_mapped() -> None:
    original = "Attaque Ã  SÃ©gou : 12 soldats tuÃ©s.\nSecond line at Kayes."
    prepared = prepare(original)
    assert prepared.text.startswith("Attaque à Ségou : 12 soldats tués.")
    at = prepared.text.index("Kayes")
    assert prepared.original_slice(at, at + 5) == "Kayes"
    at = prepared.text.index("Ségou")
    assert prepared.original_slice(at, at + 5).startswith("SÃ©g")


def test_page_furniture_and_embedded_tweets_are_removed() -> None:
    prepared = prepare(seed_text("000_16f55f85dcef49e5.txt"))
    assert "Two Indians killed" not in prepared.text
    assert "pic.twitter.com" not in prepared.text
    assert "(@republic)" not in prepared.text
    assert "free webpage hit counter" not in prepare(seed_text("001_42dbdfaf130e5adc.txt")).text
    cleaned = prepare(seed_text("003_880e22595b6a996f.txt")).text
    assert "Leave a Reply" not in cleaned and "Required fields are marked" not in cleaned
    assert "at least 80 jihadist fighters" in cleaned


def test_html_becomes_text_with_offsets_into_the_html() -> None:
    html = (
        "<html><head><style>p{}</style><script>var x=1;</script></head><body>"
        "<h1>Attaque &agrave; Kayes</h1><nav>Home | News</nav>"
        "<p>Au moins <b>23</b> soldats tu&eacute;s &amp; 5 bless&eacute;s.</p></body></html>"
    )
    prepared = prepare(html)
    assert "Attaque à Kayes" in prepared.text
    assert "Au moins 23 soldats tués & 5 blessés." in prepared.text
    assert "var x" not in prepared.text and "Home | News" not in prepared.text
    at = prepared.text.index("23")
    start, end = prepared.to_original(at, at + 2)
    assert html[start:end] == "23"
    at = prepared.text.index("tués")
    start, end = prepared.to_original(at, at + 4)
    assert html[start:end] == "tu&eacute;s"


def test_plain_clean_text_is_unchanged() -> None:
    original = "Ten soldiers were killed in Kidal on Monday."
    prepared = prepare(original)
    assert prepared.text == original
    assert prepared.origin == (*range(len(original)), len(original))


def test_spaces_and_dropped_lines_keep_every_character_on_its_origin() -> None:
    original = "Ten\u00a0soldiers died.\r\nShare this\r\nAt\u202fleast 80 in Kidal.\n"
    prepared = prepare(original)
    assert prepared.text == "Ten soldiers died.\nAt least 80 in Kidal.\n"
    for index, char in enumerate(prepared.text):
        source = original[prepared.origin[index]]
        assert source == char or (char == " " and source in "\u00a0\u202f"), index
    assert prepared.origin[-1] == len(original)
    longer = "Mali " * 40_000  # longer than any article before it: the shared map grows
    assert prepare(longer).origin == (*range(len(longer)), len(longer))
