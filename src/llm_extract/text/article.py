"""Turning user input (bytes or str) into article text, or a clear reason why not.

Every check here runs before any model call, so bad input never costs tokens.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import re
import unicodedata

from llm_extract.core.errors import InputError

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip file"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
DECODING_RULE = "a byte-order mark if present, else strict UTF-8"
# An article is text in words: at least this many runs of letters, in any script
# (str.isalpha, not ASCII). Invisible characters, digits, punctuation or a lone "word"
# of bytes decoded behind a stray byte-order mark are not worth a model call.
MIN_WORDS = 2
_LETTERS = re.compile(r"[^\W\d_]+")


def decode_article(data: bytes, *, name: str = "input", encoding: str | None = None) -> str:
    """Decode bytes to text, refusing binary files instead of feeding them to a model."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{name} looks like {kind}, not text; extract its text first")
    bom_encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    chosen = encoding or bom_encoding or "utf-8"
    if bom_encoding is None and encoding is None and b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(f"{name} contains a NUL byte at offset {offset}: binary data, not text")
    try:
        return data.decode(chosen)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        rule = f"encoding {encoding!r} (as requested)" if encoding else DECODING_RULE
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{name} cannot be decoded: byte 0x{bad} at offset {exc.start} is invalid under "
            f"{rule}; pass --encoding (e.g. cp1252) if you know the file's encoding"
        ) from None


def normalize_article(text: str) -> str:
    """Canonical form used for the prompt and the cache key.

    NFC and unified newlines make the same article typed on two systems hash alike.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def check_article(text: str, *, name: str = "input", max_chars: int) -> str:
    """Return the normalised article or raise InputError for text that is empty, too
    long, or holds no words."""
    if "\x00" in text:
        raise InputError(f"{name} contains a NUL character: binary data, not text")
    article = normalize_article(text)
    if not article:
        raise InputError(f"{name} is empty or only whitespace: nothing to extract")
    if len(article) > max_chars:
        raise InputError(
            f"{name} has {len(article):,} characters, over the limit of {max_chars:,}; "
            "split the article or raise --max-chars"
        )
    if not has_words(article):
        raise InputError(
            f"{name} contains no words (at least {MIN_WORDS} runs of letters are needed): "
            "nothing to extract"
        )
    return article


def has_words(text: str) -> bool:
    """At least MIN_WORDS runs of letters; scanning stops as soon as they are found."""
    words = (match for match in _LETTERS.finditer(text) if match.group().isalpha())
    return len(list(itertools.islice(words, MIN_WORDS))) == MIN_WORDS


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
