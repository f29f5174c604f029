"""Saved web pages: the article's main text, and where it came from.

A page is mostly not the article: menus, ads, other headlines, comments, consent
banners and footers carry figures and place names of their own ("Win 500 dollars in
Paris!", "12 killed in Kaya"), and a model given them would code them. The main text
is found by readability-lxml, after a pass that removes what pages name or build as
furniture (see `_strip_furniture`); the title, outlet, URL and date come from the
page's metadata. That text is then the article for the pipeline: the verifier's
offsets index it, not the HTML.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import lxml.html
from lxml import etree

from llm_extract.core.articles import ArticleSource
from llm_extract.core.errors import InputError
from llm_extract.text.article import decode_article

PAGE_SUFFIXES = (".html", ".htm")
PAGE_MAX_BYTES = 16 * 1024 * 1024  # pages carry scripts and inline images; articles do not
# readability logs a traceback before raising; the caller reports the failure instead.
logging.getLogger("readability").addHandler(logging.NullHandler())

_DROP_TAGS = frozenset(
    {"nav", "footer", "aside", "form", "button", "select", "textarea", "script", "style",
     "noscript", "iframe", "svg", "figure", "h1", "amp-ad", "amp-embed", "amp-sidebar",
     "amp-consent", "amp-social-share", "amp-sticky-ad", "amp-analytics"}
)  # fmt: skip
_DROP_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"}
)
# Words of class and id names (split at -, _ and camelCase) that say "not the article",
# in English and French.
_FURNITURE_WORDS = frozenset(
    {"ad", "ads", "adslot", "advert", "advertisement", "advertising", "sponsor", "sponsored",
     "promo", "banner", "share", "sharing", "social", "comment", "comments", "commentlist",
     "newsletter", "subscribe", "subscription", "cookie", "cookies", "consent", "gdpr",
     "related", "recommended", "trending", "popular", "outbrain", "taboola", "disqus",
     "breadcrumb", "breadcrumbs", "ticker", "sidebar", "widget", "footer", "foot", "nav",
     "navbar", "menu", "respond", "tags", "byline", "pub", "publicite", "partage",
     "commentaire", "commentaires", "reactions", "pied", "bandeau", "encart", "ariane",
     "lies", "lettre"}
)  # fmt: skip
# ...and parts of them once "-", "_" and spaces are taken out ("read-more", "sharebar").
_FURNITURE_PARTS = (
    "share", "newsletter", "cookie", "consent", "relatedpost", "disqus", "outbrain",
    "taboola", "dontmiss", "readmore", "mostread", "publicit",
)  # fmt: skip
_WORD_SPLIT = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")
_PROTECTED = frozenset({"html", "body", "main", "article"})
_PARAGRAPHS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"})
_INSERTS = frozenset({"div", "section", "aside", "span", "a", "ins", "center"})
_POINTERS = _INSERTS | {"p", "li", "h3", "h4"}
_INSERT_MAX_CHARS = 200
_LINKS_MAX_CHARS = 300
_LINK_SHARE = 0.6
# A line that points elsewhere or sells something: never a sentence of the story.
_PROMO = re.compile(
    r"""^\s*(?:read\s*:|read\ (?:more|also)\b|related\s*:|
    related\ (?:stories|articles|posts|coverage)\b|see\ also\b|also\ read\b|watch\s*:|
    lire\ aussi\b|[àa]\ lire\ (?:aussi|également)\b|voir\ aussi\b|sur\ le\ même\ sujet\b|
    lire\ la\ suite\b|subscribe\b|sign\ up\b|abonnez-vous\b|inscrivez-vous\b|follow\ us\b|
    suivez-nous\b|download\ (?:the|our)\b|téléchargez\b|get\ the\ latest\b|join\ our\b|
    rejoignez-nous\b|don[’']?t\ miss\b|ne\ manquez\ pas\b)""",
    re.I | re.X,
)
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "blockquote",
     "section", "article", "tr", "table", "pre", "dd", "dt"}
)  # fmt: skip
_ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
     "webpage", "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle"}
)  # fmt: skip
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Page:
    """A saved page as the pipeline takes it: the article's main text (what the model
    reads and the verifier's offsets index) and what the page says about its source."""

    text: str
    source: ArticleSource


def is_page(name: str) -> bool:
    return name.lower().endswith(PAGE_SUFFIXES)


def read_page(data: bytes, *, name: str, encoding: str | None = None) -> Page:
    """The main text and metadata of a page's bytes; InputError when it holds no text."""
    root = _parse(decode_page(data, name=name, encoding=encoding), name)
    source = page_source(root)
    text = main_text(root, title=source.title)
    if not text:
        raise InputError(
            f"{name}: no article text found in this page once its menus, ads, links and "
            "other furniture are set aside; save the article's own page, or its text as .txt"
        )
    return Page(text=text, source=source)


def page_source_of(data: bytes, *, name: str, encoding: str | None = None) -> ArticleSource:
    """What the page says of its source, without finding its main text."""
    return page_source(_parse(decode_page(data, name=name, encoding=encoding), name))


def decode_page(data: bytes, *, name: str, encoding: str | None = None) -> str:
    """Text of the page: as the user says, else UTF-8, else the charset the page declares
    (a byte-order mark wins over both, as for articles)."""
    if encoding is None and not _valid_utf8(data) and (declared := _CHARSET.search(data[:4096])):
        encoding = declared.group(1).decode("ascii")
    return decode_article(data, name=name, encoding=encoding)


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse(html: str, name: str) -> Any:
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: not a readable HTML page ({exc})") from None


# Main text ----------------------------------------------------------------------------


def main_text(root: Any, *, title: str | None = None) -> str:
    """The article's paragraphs, a blank line between blocks, furniture left out, and
    the headline too when a layout repeats it as a block: it is the source's title."""
    from readability import Document  # lazily: only pages need it

    _strip_furniture(root)
    try:
        summary = Document(lxml.html.tostring(root, encoding="unicode")).summary(html_partial=True)
    except Exception:  # readability's Unparseable, or lxml's errors on a degenerate page
        return ""
    lines = _block_lines(lxml.html.fragment_fromstring(summary, create_parent="div"))
    return "\n\n".join(_keep_lines(lines, title=_words(title or "")))


def _strip_furniture(root: Any) -> None:
    """Remove what a page names or builds as furniture: menus, footers, forms and ad
    elements; blocks whose class, id or role says ad, share, comment, cookie, related,
    newsletter (English and French); short blocks that are mostly links (other stories);
    short inserts among a story's paragraphs (ad and promo boxes); the headline, which
    is the source's title rather than a sentence of the story."""
    story_chars = _paragraph_chars(root)
    doomed = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and (element.tag in _DROP_TAGS or _furniture(element, story_chars) or _links(element))
    ]
    doomed += [element for element in root.iter("*") if _insert(element)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _furniture(element: Any, story_chars: int) -> bool:
    """Named or marked as furniture, and not a wrapper of the story: one that holds its
    headline or <article>, or most of the page's paragraphs, whatever it is called
    ("content-with-sidebar", Drupal's body classes, "article-body no-ads")."""
    if element.tag in _PROTECTED or not (_named_furniture(element) or _role_furniture(element)):
        return False
    return not _holds_article(element) and 2 * _paragraph_chars(element) < story_chars


def _paragraph_chars(element: Any) -> int:
    return sum(len(_words(p.text_content())) for p in element.iter("p"))


def _role_furniture(element: Any) -> bool:
    return element.get("role") in _DROP_ROLES


def _named_furniture(element: Any) -> bool:
    label = " ".join(filter(None, (element.get("class"), element.get("id"))))
    if not label:
        return False
    words = {word.lower() for word in _WORD_SPLIT.split(label) if word}
    squashed = re.sub(r"[-_\s]+", "", label.lower())  # "read-more", "jp-relatedposts"
    return bool(words & _FURNITURE_WORDS) or any(part in squashed for part in _FURNITURE_PARTS)


def _holds_article(element: Any) -> bool:
    return next(element.iterdescendants("article", "h1", "main"), None) is not None or bool(
        element.xpath(".//*[@itemprop='articleBody']")
    )


def _links(element: Any) -> bool:
    """A short block mostly made of links, or a "read also" pointer: another story."""
    if element.tag not in _POINTERS:
        return False
    text = _words(element.text_content())
    if not text or len(text) > _LINKS_MAX_CHARS:
        return False
    linked = sum(len(_words(link.text_content())) for link in element.iter("a"))
    return linked >= _LINK_SHARE * len(text) or (linked > 0 and bool(_PROMO.match(text)))


def _insert(element: Any) -> bool:
    """A short non-paragraph block among a story's paragraphs (two or more <p> siblings):
    an ad, a promo or a label, which the editor's paragraphs never are."""
    parent = element.getparent()
    if element.tag not in _INSERTS or parent is None:
        return False
    if sum(1 for sibling in parent if sibling.tag == "p") < 2:
        return False
    if any(True for _ in element.iterdescendants(*_PARAGRAPHS)):
        return False
    return len(_words(element.text_content())) < _INSERT_MAX_CHARS


def _block_lines(fragment: Any) -> Iterator[str]:
    """Text of each block (paragraph, heading, list item, <br>-separated run)."""
    for element in fragment.iter("*"):
        if element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    for line in fragment.text_content().split("\n"):
        if text := _words(line):
            yield text


def _keep_lines(lines: Iterator[str], *, title: str) -> Iterator[str]:
    for line in lines:
        if line == title or (len(line) < _INSERT_MAX_CHARS and _PROMO.match(line)):
            continue
        yield line


def _words(text: str) -> str:
    return " ".join(text.split())


# Metadata -----------------------------------------------------------------------------


def page_source(root: Any) -> ArticleSource:
    """Title, outlet, URL and publication date as the page states them: JSON-LD, then
    Open Graph and article: meta, then <link rel=canonical> and <title>."""
    linked = _json_ld_article(root)
    outlet = _meta(root, "og:site_name") or _publisher(linked) or _meta(root, "application-name")
    tag_title, tag_outlet = _title_tag(root, outlet)
    title = (
        _meta(root, "og:title")
        or _text(linked.get("headline"))
        or _meta(root, "twitter:title")
        or tag_title
    )
    url = _canonical(root) or _meta(root, "og:url") or _linked_url(linked)
    published = _iso_date(_text(linked.get("datePublished"))) or next(
        filter(None, map(_iso_date, _meta_all(root, _DATE_META))), None
    )
    return ArticleSource(url=url, outlet=outlet or tag_outlet, title=title, published=published)


_DATE_META = (
    "article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "dc.date.issued",
    "date",
)


def _meta(root: Any, key: str) -> str | None:
    return next(iter(_meta_all(root, (key,))), None)


def _meta_all(root: Any, keys: tuple[str, ...]) -> list[str]:
    """Contents of <meta property|name|itemprop=key>, in the order of `keys`."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            content = _words(meta.get("content") or "")
            if key and content:
                found.setdefault(key, content)
    return [found[key.lower()] for key in keys if key.lower() in found]


def _canonical(root: Any) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _title_tag(root: Any, outlet: str | None) -> tuple[str | None, str | None]:
    """<title> without the " | Outlet" most sites append, and that outlet when the page
    names it nowhere else (only after a pipe: dashes and colons occur in headlines)."""
    title = _words(root.findtext(".//title") or "")
    if outlet:
        return re.sub(rf"\s*[|\-–—:·]\s*{re.escape(outlet)}\s*$", "", title) or None, None
    head, bar, tail = title.rpartition(" | ")
    return (head, tail) if bar and head and tail else (title or None, None)


def _json_ld_article(root: Any) -> dict[str, Any]:
    """The first article-like object in the page's JSON-LD (a list, an @graph, or one
    object); pages with broken JSON-LD are common, and read as having none."""
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            document = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for item in _ld_items(document):
            types = item.get("@type")
            names = {str(t).lower() for t in (types if isinstance(types, list) else [types])}
            if names & _ARTICLE_TYPES and (item.get("headline") or item.get("datePublished")):
                return item
    return {}


def _ld_items(document: Any) -> Iterator[dict[str, Any]]:
    if isinstance(document, list):
        for entry in document:
            yield from _ld_items(entry)
    elif isinstance(document, dict):
        yield document
        yield from _ld_items(document.get("@graph", []))


def _publisher(item: dict[str, Any]) -> str | None:
    publisher = item.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    return _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)


def _linked_url(item: dict[str, Any]) -> str | None:
    entity = item.get("mainEntityOfPage")
    if isinstance(entity, dict):
        entity = entity.get("@id") or entity.get("url")
    return _text(item.get("url")) or _text(entity)


def _text(value: Any) -> str | None:
    return _words(value) or None if isinstance(value, str) else None


def _iso_date(value: str | None) -> date | None:
    """The calendar date as the page writes it (its own time zone, not UTC's)."""
    match = _ISO_DATE.match(value or "")
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
