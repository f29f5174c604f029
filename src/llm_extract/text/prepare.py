"""Cleaning article text while keeping a map from every cleaned character back to the
text the user gave, so that verifier offsets always slice the user's own input.

Steps, each line-local and each keeping the map: HTML to text, newline unification,
mojibake repair (ftfy for recoverable mojibake; a 1:1 table for the lossy pattern
where every curly apostrophe/dash became "ā" and every no-break space "Ā"), page
furniture removal, NFC, and no-break spaces as plain spaces.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape
from html.parser import HTMLParser

_HTML_HINT = re.compile(r"<(?:!doctype|html|body|p|div|article|br|span|a|h[1-6])\b", re.I)
_SKIP_TAGS = {"script", "style", "noscript", "nav", "footer", "aside", "form", "svg"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article",
    "section", "blockquote", "tr", "table", "figcaption", "title",
}  # fmt: skip

# A UTF-8 lead byte read as cp1252/latin-1, followed by a continuation byte read the
# same way: the signature of recoverable mojibake. Cheap to test; ftfy is not.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2\u00ef\u00d0\u00d8][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u017d\u017e\u0192]"
)

# The lossy pattern: "Maliās", "ofĀ approximately", "(AES)āa regional bloc".
# Between letters it was an apostrophe when a possessive or contraction follows
# ("Maliās", "donāt"), else a dash ("tacticsāincluding").
_LOSSY_APOSTROPHE = re.compile(r"(?<=[A-Za-z])ā(?=(?:s|t|ll|re|ve|d|m)\b)")
_LOSSY_DASH = re.compile(r"(?<=[\s)\]\w])ā(?=[\s(\w])")
_LOSSY_NBSP = re.compile(r"Ā")
_LOSSY_MIN_HITS = 3

_FURNITURE = re.compile(
    r"""^\s*(?:
        free\ (?:webpage\ )?hit\ counter
      | leave\ a\ (?:reply|comment)
      | (?:no\ )?comments?(?:\ \(\d+\))?(?:\ yet)?\.?
      | (?:share|tweet|pin|email|print|whatsapp|facebook|twitter|linkedin|telegram)
        (?:\s*(?:this|on\ \w+|article))?\s*[:|]?
      | (?:subscribe|sign\ up)\b.{0,80}(?:newsletter|updates|channel)?.{0,40}
      | related(?:\ (?:posts|articles|stories))?:?
      | read\ (?:more|also)\b.{0,120}
      | tune\ in\ to\ live\ tv.*
      | (?:your\ email\ address\ will\ not\ be\ published|required\ fields\ are\ marked).*
      | advertisement
      | pic\.twitter\.com/\S+
      | [\d\s]{1,6}
    )\s*$""",
    re.I | re.X,
)
_TWEET_TAIL = re.compile(r"(?:https?://t\.co/\S+\s*)?pic\.twitter\.com/\S+\s*$")
# An embedded tweet ends with "— Name (@handle) Month d, yyyy"; the lines above it that
# carry tweet marks (#tags, "…", t.co / pic.twitter.com links) are the tweet's text.
_TWEET_SIGNATURE = re.compile(
    r"^\s*[\u2014\u2013-]\s?.{1,60}\(@\w{1,30}\)\s+\w+\.?\s+\d{1,2},\s+\d{4}\s*$"
)
_TWEET_MARKS = re.compile(r"#\w|…|pic\.twitter\.com|https?://t\.co/")
_TWEET_MAX_LINES = 6


@dataclass(frozen=True)
class PreparedText:
    """Cleaned text plus, for each of its characters, the index in the original."""

    original: str
    text: str
    origin: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the smallest original span covering it."""
        if end <= start:
            position = self.origin[start]
            return position, position
        return self.origin[start], self.origin[end - 1] + 1

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """The cleaned span covering original [start, end) (inverse of to_original)."""
        return bisect_left(self.origin, start), bisect_left(self.origin, end)

    def original_slice(self, start: int, end: int) -> str:
        a, b = self.to_original(start, end)
        return self.original[a:b]


class _State:
    """Text and origin map, transformed line by line."""

    def __init__(self, text: str, origin: Sequence[int]) -> None:
        self.text = text
        self.origin = origin

    def map_lines(
        self,
        edit: Callable[[str], str],
        drop: frozenset[int] = frozenset(),
        *,
        one_for_one: bool = False,
    ) -> None:
        """`one_for_one`: `edit` replaces characters one by one, so an edited line of the
        same length keeps every origin. Not so for edits in general: ftfy may shorten a
        line in one place and lengthen it in another."""
        lines = self.text.splitlines(keepends=True)
        bodies = [line.rstrip("\n") for line in lines]
        edited = ["" if index in drop else edit(body) for index, body in enumerate(bodies)]
        if edited == bodies:  # most articles: nothing to remap
            return
        if one_for_one and all(
            len(new) == len(body) for body, new in zip(bodies, edited, strict=True)
        ):
            newlines = (line[len(body) :] for line, body in zip(lines, bodies, strict=True))
            self.text = "".join(new + nl for new, nl in zip(edited, newlines, strict=True))
            return
        out: list[str] = []
        origin: list[int] = []
        position = 0
        for line, body, new in zip(lines, bodies, edited, strict=True):
            newline = line[len(body) :]
            if not new and body.strip():  # the edit removed the line
                position += len(line)
                continue
            out.append(new + newline)
            origin.extend(_align(body, new, self.origin, position))
            origin.extend(self.origin[position + len(body) : position + len(line)])
            position += len(line)
        origin.append(self.origin[len(self.text)])
        self.text = "".join(out)
        self.origin = origin


def _align(old: str, new: str, origin: Sequence[int], offset: int) -> Sequence[int]:
    """Origin of each char of `new`, an edit of `old` (which starts at `offset`).

    Equal runs keep their positions; a replaced run spreads over the run it replaced;
    an inserted char takes the position of the char it was inserted before.
    """
    if len(old) == len(new):  # unchanged, or 1:1 replacements
        return origin[offset : offset + len(old)]
    last = max(len(old) - 1, 0)
    mapped: list[int] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            mapped.extend(origin[offset + i1 : offset + i2])
            continue
        width = i2 - i1
        for k in range(j2 - j1):
            source = i1 + (k * width // (j2 - j1) if width else 0)
            mapped.append(origin[offset + min(source, last)])
    return mapped


class _HTMLText(HTMLParser):
    """HTML to text with each character's source offset (entities map to their span)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.origin: list[int] = []
        self.skip = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _newline(self) -> None:
        if self.chars and self.chars[-1] != "\n":
            self.chars.append("\n")
            self.origin.append(self._offset())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        start = self._offset()
        for index, char in enumerate(data):
            if char in "\r\n\t":
                char = " "
            self.chars.append(char)
            self.origin.append(start + index)

    def _entity(self, raw: str) -> None:
        if self.skip:
            return
        start = self._offset()
        for char in unescape(raw):
            self.chars.append(char)
            self.origin.append(start)

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};")


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:5000])) >= 2


def _from_html(original: str) -> _State:
    parser = _HTMLText(original)
    parser.feed(original)
    parser.close()
    return _State("".join(parser.chars), [*parser.origin, len(original)])


def _repair_lossy(line: str) -> str:
    line = _LOSSY_APOSTROPHE.sub("\u2019", line)
    line = _LOSSY_DASH.sub("\u2014", line)
    return _LOSSY_NBSP.sub("\u00a0", line)


def _drop_furniture(line: str) -> str:
    if line.strip() and _FURNITURE.match(line):
        return ""
    return _TWEET_TAIL.sub("", line) if "pic.twitter.com" in line else line


def _embedded_tweet_lines(text: str) -> frozenset[int]:
    lines = text.split("\n")
    drop: set[int] = set()
    for index, line in enumerate(lines):
        if not _TWEET_SIGNATURE.match(line):
            continue
        drop.add(index)
        above = index - 1
        while above >= 0 and index - above <= _TWEET_MAX_LINES:
            if lines[above].strip() and not _TWEET_MARKS.search(lines[above]):
                break
            drop.add(above)
            above -= 1
    return frozenset(drop)


_IDENTITY: tuple[int, ...] = ()


def _identity(size: int) -> tuple[int, ...]:
    """(0, 1, ..., size - 1), sliced from one shared tuple: making thousands of ints anew
    for each article cost about half of `prepare`."""
    global _IDENTITY
    if size > len(_IDENTITY):
        _IDENTITY = tuple(range(max(size, 2 * len(_IDENTITY))))
    return _IDENTITY[:size]


def prepare(original: str) -> PreparedText:
    """Clean `original` for grounding; see the module docstring for the steps."""
    state = (
        _from_html(original)
        if looks_like_html(original)
        else _State(original, _identity(len(original) + 1))
    )
    if "\r" in state.text:
        state.map_lines(lambda line: line.replace("\r", ""))
    if len(_LOSSY_NBSP.findall(state.text)) + state.text.count("ā") >= _LOSSY_MIN_HITS and (
        _LOSSY_NBSP.search(state.text)
    ):
        state.map_lines(_repair_lossy, one_for_one=True)
    if _MOJIBAKE_HINT.search(state.text):
        import ftfy  # slow to import; most articles never need it

        state.map_lines(lambda line: ftfy.fix_text(line) if _MOJIBAKE_HINT.search(line) else line)
    state.map_lines(_drop_furniture, drop=_embedded_tweet_lines(state.text))
    if not unicodedata.is_normalized("NFC", state.text):
        state.map_lines(lambda line: unicodedata.normalize("NFC", line))
    # One for one within lines, so the map stands: no need to go line by line.
    state.text = state.text.replace("\u00a0", " ").replace("\u202f", " ")
    return PreparedText(original=original, text=state.text, origin=tuple(state.origin))
