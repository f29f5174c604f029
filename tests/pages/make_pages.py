"""Writes the saved web pages of tests/pages/ and their manifest, pages.json.

Each page wraps a real article of tests/corpus/dev/ (its text, and its title, URL,
outlet and date from articles.jsonl) in the furniture that real news sites put around
an article: navigation, ads with figures and place names, lists of other headlines
with other tolls, comments, cookie banners, share buttons, newsletters and footers.
Five layouts stand for the kinds of site the corpus comes from (a modern news site,
WordPress, an old portal of nested divs, a regional daily with ads and "read also"
links inside the story, a Drupal archive). The manifest says, page by page, which
blocks are the article's body and which strings are furniture, for the tests.

    python tests/pages/make_pages.py
"""

# ruff: noqa: E501 -- page templates and their furniture are long lines of HTML and prose

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus" / "dev"


@dataclass
class Furniture:
    """Everything on a page that is not the article."""

    nav: list[str]
    ads: list[str]
    related: list[str]
    comments: list[tuple[str, str]] = field(default_factory=list)
    cookie: str = ""
    share: list[str] = field(default_factory=list)
    newsletter: str = ""
    footer: list[str] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)  # "read also" links inside the story
    extra: list[str] = field(default_factory=list)  # error boxes, tickers, video teasers

    def by_kind(self) -> dict[str, list[str]]:
        return {
            "navigation": self.nav,
            "ads": self.ads,
            "related": self.related + self.inline,
            "comments": [text for _, text in self.comments],
            "cookie banner": [self.cookie] if self.cookie else [],
            "share buttons": self.share,
            "newsletter and promos": [self.newsletter] if self.newsletter else [],
            "footer": self.footer,
            "other": self.extra,
        }


@dataclass
class Spec:
    id: str
    layout: str
    lang: str
    drop: list[str]  # lines of the .txt that are page residue, not the article
    subheads: list[str]
    lead: str | None  # a standfirst paragraph, part of the body
    furniture: Furniture
    meta: dict[str, bool]  # which kinds of metadata the page carries
    date_time: str | None = None  # ISO date-time as the page writes it
    held_out: bool = False  # written after the extractors were compared


def body_blocks(spec: Spec) -> list[tuple[str, str]]:
    """(kind, text) of the article's body: its paragraphs, subheads and standfirst,
    residue lines dropped and a text cut off mid-sentence trimmed to its last sentence."""
    text = (CORPUS / f"{spec.id}.txt").read_text(encoding="utf-8")
    lines = [re.sub(r"^date \d{4}-\d{2}-\d{2} ", "", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line and line not in spec.drop]
    while lines and not re.search(r"[.!?\"”»)]$|\bJE$", lines[-1]):
        cut = max(lines[-1].rfind(". "), lines[-1].rfind('." '))
        if cut < 0:
            lines.pop()
        else:
            lines[-1] = lines[-1][: cut + 1]
    blocks: list[tuple[str, str]] = []
    for line in lines:
        kind = "h2" if line in spec.subheads else "lead" if line == spec.lead else "p"
        blocks.append((kind, line))
    return blocks


def e(text: str) -> str:
    return escape(text, quote=True)


def head(meta: dict[str, str | None], spec: Spec, site_css: str) -> str:
    """The <head>: title, og:/article: meta, canonical link and JSON-LD as `spec` says."""
    title, url, outlet, published = meta["title"], meta["url"], meta["outlet"], meta["published"]
    stamp = spec.date_time or (f"{published}T09:00:00+00:00" if published else None)
    parts = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(str(title))} | {e(str(outlet))}</title>",
        f'<meta name="description" content="{e(str(title))}">',
    ]
    if spec.meta.get("og"):
        parts += [
            f'<meta property="og:title" content="{e(str(title))}">',
            f'<meta property="og:site_name" content="{e(str(outlet))}">',
            f'<meta property="og:url" content="{e(str(url))}">',
            '<meta property="og:type" content="article">',
            '<meta property="og:image" content="https://cdn.example.net/img/lead-1200x630.jpg">',
            '<meta name="twitter:card" content="summary_large_image">',
        ]
        if stamp and spec.meta.get("article_time"):
            parts.append(f'<meta property="article:published_time" content="{e(stamp)}">')
    if spec.meta.get("canonical"):
        parts.append(f'<link rel="canonical" href="{e(str(url))}">')
    parts.append(f'<link rel="stylesheet" href="/static/{site_css}.min.css?v=4.2.1">')
    if spec.meta.get("jsonld"):
        parts.append(json_ld(meta, stamp, graph=spec.meta.get("graph", False)))
    parts.append(
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
        "arguments)}gtag('js',new Date());gtag('config','G-4Q2ZX81');</script>"
    )
    return "<head>\n" + "\n".join(parts) + "\n</head>"


def json_ld(meta: dict[str, str | None], stamp: str | None, *, graph: bool) -> str:
    article: dict[str, object] = {
        "@type": "NewsArticle",
        "headline": meta["title"],
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta["url"]},
        "publisher": {"@type": "Organization", "name": meta["outlet"]},
        "author": [{"@type": "Person", "name": "Staff reporter"}],
        "image": ["https://cdn.example.net/img/lead-1200x630.jpg"],
    }
    if stamp:
        article["datePublished"] = stamp
        article["dateModified"] = stamp
    if graph:  # Yoast's shape: one @graph of the site, the page and the article
        document: dict[str, object] = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": meta["outlet"], "url": "https://example.org/"},
                {"@type": "WebPage", "@id": meta["url"], "name": meta["title"]},
                {**article, "isPartOf": {"@id": meta["url"]}},
            ],
        }
    else:
        document = {"@context": "https://schema.org", **article}
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return f'<script type="application/ld+json">\n{text}\n</script>'


def paragraphs(blocks: list[tuple[str, str]], inserts: dict[int, str], *, wrap: str = "p") -> str:
    """The body's blocks as HTML, with furniture inserted after the given block indexes."""
    out: list[str] = []
    for index, (kind, text) in enumerate(blocks):
        if kind == "h2":
            out.append(f"<h2>{e(text)}</h2>")
        elif kind == "lead":
            out.append(f'<p class="standfirst"><strong>{e(text)}</strong></p>')
        else:
            out.append(f"<{wrap}>{e(text)}</{wrap}>")
        if index in inserts:
            out.append(inserts[index])
    return "\n".join(out)


def nav_list(items: list[str], cls: str) -> str:
    links = "".join(
        f'<li><a href="/{re.sub(r"[^a-z]+", "-", i.lower())}">{e(i)}</a></li>' for i in items
    )
    return f'<ul class="{cls}">{links}</ul>'


def related_list(items: list[str], heading: str) -> str:
    links = "".join(
        f'<li><a href="/news/{n}-{re.sub(r"[^a-z0-9]+", "-", t.lower())[:40]}">'
        f'<img src="/thumbs/{n}.jpg" alt=""><span class="headline">{e(t)}</span></a></li>'
        for n, t in enumerate(items, start=8841)
    )
    return f"<h3>{e(heading)}</h3><ul>{links}</ul>"


def comments_block(comments: list[tuple[str, str]], heading: str, reply: str) -> str:
    items = "".join(
        f'<li class="comment"><div class="comment-author"><b>{e(who)}</b> '
        f'<time>3 hours ago</time></div><div class="comment-body"><p>{e(text)}</p></div>'
        f'<a class="reply" href="#respond">{e(reply)}</a></li>'
        for who, text in comments
    )
    return f'<h3 class="comments-title">{e(heading)}</h3><ol class="comment-list">{items}</ol>'


def ad(text: str, slot: str) -> str:
    return (
        f'<div class="ad-slot" id="{slot}" data-ad-unit="/2231/news/{slot}">'
        f'<span class="ad-label">Ad</span><a href="https://ads.example.com/c?{slot}">'
        f"<p>{e(text)}</p></a></div>"
    )


def cookie_banner(text: str, accept: str) -> str:
    return (
        '<div id="cookie-consent" class="cookie-banner" role="dialog">'
        f"<p>{e(text)}</p><button>{e(accept)}</button><button>Settings</button></div>"
    )


def share_bar(items: list[str]) -> str:
    links = "".join(f'<a class="share" href="#">{e(i)}</a>' for i in items)
    return f'<div class="share-buttons">{links}</div>'


def footer_block(items: list[str]) -> str:
    return "".join(f"<p>{e(i)}</p>" for i in items)


# Layouts ---------------------------------------------------------------------------


def modern(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A large news site: semantic HTML5, a mega menu, ads between paragraphs, a
    "more stories" rail, a newsletter box, a consent banner and a fat footer."""
    f = spec.furniture
    inserts = {2: ad(f.ads[0], "mid-1")}
    if len(f.ads) > 1 and len(blocks) > 5:
        inserts[5] = ad(f.ads[1], "mid-2")
    if f.inline:
        inserts[1] = f'<p class="read-more"><a href="/news/9911">{e(f.inline[0])}</a></p>'
    extra = "".join(f'<div class="video-teaser"><h4>{e(x)}</h4></div>' for x in f.extra)
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
{head(meta, spec, "main")}
<body class="article-page">
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <div class="logo"><a href="/"><img src="/logo.svg" alt="{e(str(meta["outlet"]))}"></a></div>
  <nav class="primary-nav" aria-label="Main">{nav_list(f.nav, "menu")}</nav>
  <div class="breaking-ticker">{e(f.related[-1])}</div>
</header>
<main id="main">
<article class="story">
  <header>
    <h1 class="story-title">{e(str(meta["title"]))}</h1>
    <div class="byline">By <a href="/author/staff">Staff reporter</a> with agencies ·
      <time datetime="{e(spec.date_time or "")}">{e(str(meta["published"] or ""))}</time></div>
  </header>
  <figure class="lead-image"><img src="/img/lead.jpg" alt="">
    <figcaption>File photo. Credit: agencies</figcaption></figure>
  <div class="story-body">
{paragraphs(blocks, inserts)}
  </div>
  {extra}
  {share_bar(f.share)}
</article>
<section class="more-stories">{related_list(f.related[:-1], "More stories")}</section>
<section class="comments">{comments_block(f.comments, "Comments", "Reply")}</section>
</main>
<aside class="sidebar">
  <div class="newsletter"><h3>Newsletter</h3><p>{e(f.newsletter)}</p>
  <form><input type="email" placeholder="Email"><button>Sign up</button></form></div>
  {ad(f.ads[-1], "sidebar-1")}
</aside>
<footer class="site-footer">{nav_list(f.nav[:4], "footer-menu")}{footer_block(f.footer)}</footer>
{cookie_banner(f.cookie, "Accept all")}
<script src="/static/app.min.js" defer></script>
</body>
</html>
"""


def wordpress(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A WordPress theme: share buttons and related posts inside entry-content, tags, a
    comment list with its form, a widget sidebar of recent posts, a cookie notice."""
    f = spec.furniture
    context = "Dans « Sécurité »" if spec.lang == "fr" else 'In "World"'
    related = "".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
        f'<a href="/?p={n}">{e(t)}</a></h4><p class="jp-relatedposts-post-context">'
        f"{e(context)}</p></div>"
        for n, t in enumerate(f.related[:3], start=30111)
    )
    recent = "".join(f'<li><a href="/?p={n}">{e(t)}</a></li>' for n, t in enumerate(f.related[3:]))
    inserts = {1: ad(f.ads[0], "div-gpt-ad-1")} if len(blocks) > 3 else {}
    reply_label = "Laisser un commentaire" if spec.lang == "fr" else "Leave a Reply"
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}-FR">
{head(meta, spec, "wp-theme")}
<body class="post-template-default single single-post postid-30219 single-format-standard">
<div id="page" class="site">
<div class="top-bar"><span class="date-today">{e(f.extra[0] if f.extra else "")}</span></div>
<header id="masthead" class="site-header">
  <p class="site-title"><a href="/" rel="home">{e(str(meta["outlet"]))}</a></p>
  <nav id="site-navigation" class="main-navigation">{nav_list(f.nav, "menu")}</nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-30219" class="post-30219 post type-post status-publish">
  <header class="entry-header">
    <h1 class="entry-title">{e(str(meta["title"]))}</h1>
    <div class="entry-meta"><span class="posted-on">{e(str(meta["published"] or ""))}</span>
      <span class="byline">par <a href="/author/redaction">Rédaction</a></span></div>
  </header>
  <div class="entry-content">
{paragraphs(blocks, inserts)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{e(f.share[0])}</h3>
{share_bar(f.share[1:])}</div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">
<em>{e(f.inline[0] if f.inline else "Related")}</em></h3>{related}</div>
  </div>
  <footer class="entry-footer"><span class="tags-links">Tags: <a href="/tag/x">Sahel</a>,
    <a href="/tag/y">Sécurité</a></span></footer>
</article>
<div id="comments" class="comments-area">
{comments_block(f.comments, f"{len(f.comments)} commentaires", "Répondre")}
<div id="respond" class="comment-respond"><h3 id="reply-title">{e(reply_label)}</h3>
<form><p class="comment-notes">{e(f.newsletter)}</p><textarea></textarea></form></div>
</div>
</main>
</div>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Articles récents</h2>
<ul>{recent}</ul></section>
<section class="widget">{ad(f.ads[-1], "sidebar-300x250")}</section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">{footer_block(f.footer)}</div>
</footer>
</div>
{cookie_banner(f.cookie, "J'accepte" if spec.lang == "fr" else "Accept")}
<script src="/wp-includes/js/jquery/jquery.min.js"></script>
</body>
</html>
"""


def portal(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """An older portal: nested divs and a layout table, no semantic tags, the story in a
    div among headline boxes, ad banners and a "top headlines" column."""
    f = spec.furniture
    top = "".join(
        f'<div class="headline-item"><a href="/stories/{n}.html">{e(t)}</a></div>'
        for n, t in enumerate(f.related, start=202406170100)
    )
    navs = " | ".join(f'<a href="/{i.lower()}/">{e(i)}</a>' for i in f.nav)
    inserts = {3: ad(f.ads[1], "story-mid")} if len(f.ads) > 1 and len(blocks) > 4 else {}
    if f.inline:
        inserts[0] = (
            f'<div class="inline-related"><a href="/stories/1.html">{e(f.inline[0])}</a></div>'
        )
    comments = "".join(
        f'<div class="comment"><div class="who">{e(w)}</div><div class="what">{e(t)}</div></div>'
        for w, t in f.comments
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html lang="{spec.lang}">
{head(meta, spec, "portal")}
<body>
<div id="wrapper">
<div id="top-banner">{ad(f.ads[0], "leaderboard")}</div>
<div id="menu-bar">{navs}</div>
<table id="layout" width="100%"><tr>
<td id="left-col" valign="top">
<div class="box"><div class="box-title">Top Headlines</div>{top}</div>
</td>
<td id="center-col" valign="top">
<div class="story-container">
<div class="story-headline"><h2>{e(str(meta["title"]))}</h2></div>
<div class="publisher-line">{e(str(meta["outlet"]))}</div>
<div class="story-body">
{paragraphs(blocks, inserts)}
</div>
<div class="share-row">{share_bar(f.share)}</div>
<div class="user-comments"><div class="box-title">Reader comments</div>{comments}</div>
</div>
</td>
<td id="right-col" valign="top">
<div class="box">{ad(f.ads[-1], "skyscraper")}</div>
<div class="box"><div class="box-title">Newsletter</div><div>{e(f.newsletter)}</div></div>
</td>
</tr></table>
<div id="footer">{footer_block(f.footer)}</div>
</div>
{cookie_banner(f.cookie, "OK")}
</body>
</html>
"""


def daily(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A regional daily: "READ:" links and ADVERTISEMENT slots between the story's
    paragraphs, a "don't miss" box, trending list and a comment platform's thread."""
    f = spec.furniture
    inserts: dict[int, str] = {}
    for n, index in enumerate(range(1, len(blocks) - 1, 2)):
        if n < len(f.inline):
            inserts[index] = f'<p><strong>READ:</strong> <a href="/88{n}">{e(f.inline[n])}</a></p>'
        elif n - len(f.inline) < len(f.ads) - 1:
            text = f.ads[n - len(f.inline)]
            inserts[index] = f'<div class="ad-label">ADVERTISEMENT</div>{ad(text, f"in-{n}")}'
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
{head(meta, spec, "daily")}
<body>
<div class="header-wrap"><div class="brand">{e(str(meta["outlet"]))}</div>
<div class="nav-wrap">{nav_list(f.nav, "nav")}</div></div>
<div class="container">
<div class="col-main">
<div id="article_level_wrap">
<h1 class="entry-title">{e(str(meta["title"]))}</h1>
<div id="art_author">By: Staff</div>
<div id="art_plat">{e(str(meta["published"] or ""))}</div>
<div id="article_content">
{paragraphs(blocks, inserts)}
</div>
<div class="dont-miss"><p>{e(f.newsletter)}</p></div>
<div id="share_bar">{share_bar(f.share)}</div>
</div>
<div id="disqus_thread">{comments_block(f.comments, "Comments", "Reply")}</div>
</div>
<div class="col-side">
<div class="trending">{related_list(f.related, "Trending")}</div>
{ad(f.ads[-1], "side-rect")}
</div>
</div>
<div id="footer">{footer_block(f.footer)}</div>
{cookie_banner(f.cookie, "Got it")}
</body>
</html>
"""


def drupal(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A Drupal 7 archive: PHP warnings above the node, region divs, a node with a
    submitted line, a block of other news, a poll and a footer region."""
    f = spec.furniture
    warnings = "".join(f"<li>{e(x)}</li>" for x in f.extra)
    others = "".join(
        f'<li class="views-row"><a href="/fr/node/{n}">{e(t)}</a></li>'
        for n, t in enumerate(f.related, start=4590)
    )
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}" dir="ltr">
{head(meta, spec, "drupal")}
<body class="html not-front not-logged-in one-sidebar sidebar-first page-node page-node-4586">
<div id="page-wrapper"><div id="page">
<div id="header"><div class="section clearfix">
<a href="/fr/" id="logo"><img src="/logo.png" alt="Accueil"></a>
<div id="main-menu" class="navigation">{nav_list(f.nav, "links")}</div>
</div></div>
<div id="messages"><div class="messages error"><h2 class="element-invisible">Error message</h2>
<ul>{warnings}</ul></div></div>
<div id="main-wrapper"><div id="main" class="clearfix">
<div id="content" class="column"><div class="section">
<h1 class="title" id="page-title">{e(str(meta["title"]))}</h1>
<div id="node-4586" class="node node-article">
<div class="field field-name-field-category">Actualité</div>
<div class="submitted"><span>{e(str(meta["published"] or ""))} 11:31</span></div>
<div class="content"><div class="field field-name-body"><div class="field-item even">
{paragraphs(blocks, {2: ad(f.ads[0], "block-ad-node")})}
</div></div></div>
<div class="link-wrapper">{share_bar(f.share)}</div>
</div>
<div id="comments">{comments_block(f.comments, "Commentaires", "répondre")}</div>
</div></div>
<div id="sidebar-first" class="column sidebar"><div class="section">
<div class="block block-views"><h2>Autres actualités</h2><ul>{others}</ul></div>
<div class="block">{ad(f.ads[-1], "block-ad-side")}</div>
<div class="block block-poll"><h2>Sondage</h2><p>{e(f.newsletter)}</p></div>
</div></div>
</div></div>
<div id="footer-wrapper"><div class="section">{footer_block(f.footer)}</div></div>
</div></div>
{cookie_banner(f.cookie, "OK, j'accepte")}
</body>
</html>
"""


def breaks(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """An old CMS that writes the story as one block of text cut by <br><br>, with no
    <p> at all, beside boxes of links laid out in a table."""
    f = spec.furniture
    text = "<br><br>\n".join(e(t) for _, t in blocks)
    links = "".join(
        f'<tr><td><a href="/english/{n}">{e(t)}</a></td></tr>'
        for n, t in enumerate(f.related, start=71220)
    )
    comments = "<br>".join(f"<b>{e(w)}</b>: {e(t)}" for w, t in f.comments)
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
{head(meta, spec, "legacy")}
<body>
<div class="topmenu">{" - ".join(f'<a href="#">{e(i)}</a>' for i in f.nav)}</div>
<table class="main"><tr>
<td class="content">
<span class="newsTitle">{e(str(meta["title"]))}</span><br>
<span class="newsDate">{e(str(meta["published"] or ""))}</span><br>
<div class="newsText">
{text}
</div>
<div class="shareLine">{" ".join(e(s) for s in f.share)}</div>
<div class="commentsBox">{comments}</div>
</td>
<td class="side"><table class="mostRead"><tr><th>Most read</th></tr>{links}</table>
{ad(f.ads[0], "side-banner")}<div class="promo">{e(f.newsletter)}</div></td>
</tr></table>
<div class="bottom">{footer_block(f.footer)}</div>
{cookie_banner(f.cookie, "Accept")}
</body>
</html>
"""


def split(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A site whose story is cut in two containers by a full-width zone of video,
    ads and related stories, with the standfirst above the first container."""
    f = spec.furniture
    lead = [text for kind, text in blocks if kind == "lead"]
    rest = [(kind, text) for kind, text in blocks if kind != "lead"]
    half = len(rest) // 2
    lead_html = f'<p class="article-lead">{e(lead[0])}</p>' if lead else ""
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
{head(meta, spec, "zones")}
<body>
<div id="header-zone"><div class="nav">{nav_list(f.nav, "nav-list")}</div>
<div class="ticker">{e(f.extra[0])}</div></div>
<div class="page">
<div class="headline-zone"><h1>{e(str(meta["title"]))}</h1>{lead_html}
<div class="meta">Qaran News · {e(str(meta["published"] or ""))}</div></div>
<div class="zone zone-text"><div class="paragraphs">
{paragraphs(rest[:half], {})}
</div></div>
<div class="zone zone-full">
<div class="video-player"><h4>{e(f.extra[1])}</h4><button>Play</button></div>
{ad(f.ads[0], "zone-ad-1")}
<div class="zone-related">{related_list(f.related, "Related")}</div>
</div>
<div class="zone zone-text"><div class="paragraphs">
{paragraphs(rest[half:], {})}
</div></div>
<div class="zone">{share_bar(f.share)}</div>
<div class="zone comments">{comments_block(f.comments, "Leave a comment", "Reply")}
<p>{e(f.newsletter)}</p></div>
<div class="zone">{ad(f.ads[-1], "zone-ad-2")}</div>
</div>
<div id="footer-zone">{footer_block(f.footer)}</div>
{cookie_banner(f.cookie, "Agree")}
</body>
</html>
"""


def amp(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """An AMP page: amp-ad and amp-social-share elements, a sidebar menu, an
    accordion of related stories and a recommendation widget's grid of teasers."""
    f = spec.furniture
    teasers = "".join(
        f'<div class="trc_spotlight_item"><a href="https://rc.example.com/{n}">'
        f'<span class="video-label">{e(t)}</span></a></div>'
        for n, t in enumerate(f.related[2:])
    )
    accordion = "".join(
        f'<li><a href="/stories/{n}.html">{e(t)}</a></li>' for n, t in enumerate(f.related[:2])
    )
    inserts = {
        1: f'<amp-ad width="300" height="250" type="doubleclick" data-slot="/1/amp">'
        f"<div fallback><p>{e(f.ads[0])}</p></div></amp-ad>"
    }
    return f"""<!doctype html>
<html amp lang="{spec.lang}">
{head(meta, spec, "amp")}
<body>
<amp-sidebar id="sidebar" layout="nodisplay" side="left">{nav_list(f.nav, "amp-menu")}</amp-sidebar>
<div class="amp-header"><button on="tap:sidebar.toggle">☰</button>
<a href="/">{e(str(meta["outlet"]))}</a></div>
<amp-consent id="consent" layout="nodisplay"><div class="consent-ui"><p>{e(f.cookie)}</p>
<button on="tap:consent.accept">Accept</button></div></amp-consent>
<div class="amp-story">
<h1>{e(str(meta["title"]))}</h1>
<div class="amp-meta">{e(str(meta["published"] or ""))}</div>
{paragraphs(blocks, inserts)}
<div class="amp-share">{"".join(f'<amp-social-share type="x" aria-label="{e(x)}">{e(x)}</amp-social-share>' for x in f.share)}</div>
<amp-accordion><section><h4>More on this</h4><ul>{accordion}</ul></section></amp-accordion>
<div class="trc_rbox_container"><div class="trc_header">You may like</div>{teasers}</div>
<amp-ad width="320" height="100" type="adsense"><div placeholder><p>{e(f.ads[-1])}</p></div></amp-ad>
</div>
<div class="amp-foot">{footer_block(f.footer)}</div>
</body>
</html>
"""


def francais(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A French CMS whose class names are French: bandeau, publicité, partage,
    articles liés, commentaires, pied de page."""
    f = spec.furniture
    lies = "".join(
        f'<div class="vignette"><a href="/2024/01/{n}">{e(t)}</a></div>'
        for n, t in enumerate(f.related, start=5)
    )
    avis = "".join(
        f'<div class="avis"><span class="pseudo">{e(w)}</span><div>{e(t)}</div></div>'
        for w, t in f.comments
    )
    pub = f'<div class="publicite encart-pub"><div>{e(f.ads[0])}</div></div>'
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
{head(meta, spec, "gabarit")}
<body>
<div class="bandeau-haut"><div class="logo">{e(str(meta["outlet"]))}</div>
<ul class="menu-principal">{"".join(f"<li>{e(i)}</li>" for i in f.nav)}</ul></div>
<div class="conteneur">
<div class="colonne-principale">
<div class="fil-ariane">Accueil › Monde › Asie</div>
<h1 class="titre-article">{e(str(meta["title"]))}</h1>
<div class="chapeau-date">Publié le {e(str(meta["published"] or ""))} · AFP</div>
<div class="corps-article">
{paragraphs(blocks, {3: pub})}
</div>
<div class="partage-reseaux">{" ".join(e(x) for x in f.share)}</div>
<div class="articles-lies"><div class="titre-bloc">À lire également</div>{lies}</div>
<div class="commentaires"><div class="titre-bloc">Réactions</div>{avis}</div>
</div>
<div class="colonne-droite"><div class="publicite pave">{e(f.ads[-1])}</div>
<div class="lettre-info">{e(f.newsletter)}</div></div>
</div>
<div class="pied-de-page">{footer_block(f.footer)}</div>
<div class="bandeau-cookies"><p>{e(f.cookie)}</p><span>Accepter</span></div>
</body>
</html>
"""


def hashed(spec: Spec, meta: dict[str, str | None], blocks: list[tuple[str, str]]) -> str:
    """A React site whose class names are hashes (css-1q2w3e): no class says what a
    block is, only the structure and the text do."""
    f = spec.furniture
    cards = "".join(
        f'<a class="css-9kq2x1" href="/news/{n}"><div class="css-p1q7mm">{e(t)}</div></a>'
        for n, t in enumerate(f.related, start=4385300)
    )
    comments = "".join(
        f'<div class="css-13hd7rx"><div class="css-0">{e(w)}</div>'
        f'<div class="css-1dbjc4n">{e(t)}</div></div>'
        for w, t in f.comments
    )
    inserts = {2: f'<div class="css-1w8ks3"><div class="css-7x0lku">{e(f.ads[0])}</div></div>'}
    return f"""<!DOCTYPE html>
<html lang="{spec.lang}">
{head(meta, spec, "_next/static/css/7a1b")}
<body>
<div id="__next"><div class="css-1u8qly9">
<div class="css-k008qs">{"".join(f'<a class="css-4rbku5" href="#">{e(i)}</a>' for i in f.nav)}</div>
<div class="css-1dbjc4n r-1awozwy">
<h1 class="css-1x0dl9m">{e(str(meta["title"]))}</h1>
<div class="css-901oao">{e(str(meta["published"] or ""))}</div>
<div class="css-1ek5bho">
{paragraphs(blocks, inserts)}
</div>
<div class="css-18t94o4">{"".join(f'<span class="css-76zvg2">{e(x)}</span>' for x in f.share)}</div>
<div class="css-1gkfh8e"><div class="css-1w6e6rj">Top stories</div>{cards}</div>
<div class="css-1pi2tsx">{comments}</div>
<div class="css-xd9v1h">{e(f.newsletter)}</div>
</div>
<div class="css-1hfx4c7">{footer_block(f.footer)}</div>
<div class="css-aa3wlc"><div>{e(f.cookie)}</div><div class="css-18t94o4">OK</div></div>
</div></div>
<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"id":4385269}}}}}}</script>
</body>
</html>
"""


LAYOUTS: dict[str, Callable[[Spec, dict[str, str | None], list[tuple[str, str]]], str]] = {
    "modern": modern,
    "wordpress": wordpress,
    "portal": portal,
    "daily": daily,
    "drupal": drupal,
    "breaks": breaks,
    "split": split,
    "amp": amp,
    "francais": francais,
    "hashed": hashed,
}

EN_COOKIE = (
    "We use cookies and similar technologies to personalise ads and measure traffic. "
    "By clicking Accept all you agree to our partners processing your data."
)
FR_COOKIE = (
    "Nous utilisons des cookies pour personnaliser le contenu et les publicités et "
    "analyser notre trafic. En poursuivant votre navigation, vous acceptez leur utilisation."
)
EN_SHARE = ["Share on Facebook", "Share on X", "Share on WhatsApp", "Copy link"]
FR_SHARE = ["Partager sur Facebook", "Partager sur X", "Partager par e-mail", "Imprimer"]

SPECS: list[Spec] = [
    Spec(
        id="burkina-en-01",
        layout="modern",
        lang="en",
        drop=["Burkina Faso"],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": True},
        date_time="2023-06-28T14:02:11+00:00",
        furniture=Furniture(
            nav=["Africa News", "Business & Markets", "Sci-Tech", "Culture", "Africanews TV"],
            ads=[
                "Win 500 dollars in Paris! Enter the summer draw before 30 June",
                "Fly Lagos to Dakar from 199 euros with AirSahel",
            ],
            related=[
                "Niger: 17 soldiers killed near the border with Mali",
                "Mali: at least 60 civilians dead in attacks on two villages near Bandiagara",
                "Breaking: 12 killed as gunmen storm a market in Kaya",
            ],
            comments=[
                (
                    "Ousmane B.",
                    "They always say 31 but my cousin in Kaya counted more than 70 graves.",
                ),
                ("FasoWatch", "Pray for Djibo, the siege has lasted 400 days now."),
            ],
            cookie=EN_COOKIE,
            share=EN_SHARE,
            newsletter="Get the Morning Call: the 10 Africa stories you need, every day at 7am.",
            footer=[
                "Copyright © Africanews 2023. All rights reserved.",
                "Terms of use · Privacy policy · Cookie settings · Contact us",
            ],
        ),
    ),
    Spec(
        id="sudan-en-01",
        layout="portal",
        lang="en",
        drop=[],
        subheads=["What did the Sudanese army say?", "Sudan's ongoing conflict"],
        lead="The army said hundreds were killed and injured, including senior RSF commander "
        "Ali Yagoub Gibril. The RSF siege of El Fasher city has opened up a new front in "
        "the ongoing conflict.",
        meta={"og": True, "article_time": True, "canonical": False, "jsonld": False},
        date_time="2024-06-17T08:11:00Z",
        furniture=Furniture(
            nav=["Top Headlines", "Conflict", "Governance", "Health", "Sports"],
            ads=[
                "Khartoum Bank: send money home to Omdurman at zero fees",
                "Win 500 dollars in Paris! Play now",
                "Study in Nairobi: 40 scholarships for 2024",
            ],
            related=[
                "Sudan: 35 dead as shells hit Omdurman market",
                "Chad: 600,000 refugees from Darfur crowd camps near Adre",
                "South Sudan: 14 killed in cattle raid in Jonglei",
                "Ethiopia: drone strike kills 26 in Amhara, residents say",
            ],
            comments=[
                ("Abdelrahim", "Doctors in Nyala told me 300 died this week alone."),
            ],
            cookie=EN_COOKIE,
            share=["Tweet", "Facebook", "Email this story"],
            newsletter="AllAfrica Daily Brief: get the headlines in your inbox.",
            footer=[
                "AllAfrica publishes around 500 reports a day from more than 100 news organizations.",
                "Copyright © 2024 AllAfrica Global Media. All rights reserved.",
            ],
        ),
    ),
    Spec(
        id="pakistan-en-01",
        layout="daily",
        lang="en",
        drop=["Picture showing some Pakistan Army soldiers — ISPR/File"],
        subheads=[],
        lead=None,
        meta={"og": False, "canonical": True, "jsonld": True},
        date_time="2025-04-26T16:24:00+05:00",
        furniture=Furniture(
            nav=["Latest", "Pakistan", "World", "Business", "Entertainment", "Opinion"],
            ads=[
                "Karachi property expo: 3-bedroom flats from Rs 9.5 million",
                "Win 500 dollars in Paris! Scan the code",
                "Lahore Qalandars tickets 50% off today",
            ],
            related=[
                "Six soldiers martyred in IED blast in Balochistan's Kech district",
                "Police say 11 militants killed in Bannu raid",
                "Quetta: 23 passengers killed after gunmen stop buses on highway",
            ],
            inline=["Security forces kill 30 terrorists trying to infiltrate from Afghanistan"],
            comments=[("Hamid K.", "Another 15? They reported 30 last week in the same district.")],
            cookie=EN_COOKIE,
            share=["Facebook", "Twitter", "Whatsapp", "Copy"],
            newsletter="Don't miss out: follow The News on WhatsApp for breaking updates.",
            footer=[
                "© 2025 The News International. All rights reserved.",
                "Advertise with us · Careers · Privacy",
            ],
        ),
    ),
    Spec(
        id="philippines-en-01",
        layout="daily",
        lang="en",
        drop=["ADVERTISEMENT"],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": False},
        date_time="2017-03-31T10:21:00+08:00",
        furniture=Furniture(
            nav=["News", "Global Nation", "Lifestyle", "Entertainment", "Technology"],
            ads=[
                "Win 500 dollars in Paris! Limited promo for readers",
                "Condos in Cebu from P2.5M, 5 minutes to the airport",
                "Manila Water: advisory for 8 barangays",
            ],
            related=[
                "2 soldiers, 3 NPA rebels killed in Samar encounter",
                "NPA attack in Davao Oriental leaves 4 militiamen dead",
                "Abu Sayyaf kidnaps 6 fishermen off Tawi-Tawi",
            ],
            inline=[
                "Army: 7 NPA rebels slain in Bukidnon clash",
                "Peace talks with NDF to resume in Oslo in April",
            ],
            comments=[("bantay_mindoro", "Residents in Bulalacao say 9 rebels died, not 5.")],
            cookie="This site uses cookies. By continuing to browse, you agree to our use of cookies.",
            share=["Share this story", "Tweet this", "Email to a friend"],
            newsletter="Subscribe to INQUIRER PLUS to get access to The Philippine Daily Inquirer.",
            footer=[
                "Copyright © 2017 Inquirer.net. All Rights Reserved.",
                "About Inquirer · Advertise · Subscribe",
            ],
        ),
    ),
    Spec(
        id="myanmar-en-02",
        layout="modern",
        lang="en",
        drop=[],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": False, "canonical": True, "jsonld": False},
        furniture=Furniture(
            nav=["Burma", "Asia", "Opinion", "In Person", "Specials", "Burmese edition"],
            ads=[
                "Yangon Airways: fly to Mandalay from 95,000 kyats",
                "Win 500 dollars in Paris! Offer ends Sunday",
            ],
            related=[
                "Junta bombing kills 17 at a monastery in Sagaing's Kani Township",
                "Resistance says 40 regime troops died in Kayah offensive",
                "Over 2,000 flee as fighting spreads to Chin State",
            ],
            inline=["Read more: Resistance fighters seize 3 junta outposts in Magwe"],
            comments=[
                ("Ko Zaw", "In Gangaw people talk about 25 dead, the real number is hidden.")
            ],
            cookie=EN_COOKIE,
            share=EN_SHARE,
            newsletter="Sign up for The Irrawaddy's weekly newsletter on Myanmar politics.",
            footer=["© 2023 The Irrawaddy. All rights reserved.", "Donate to independent media"],
            extra=["Video: Families displaced by airstrikes shelter in the forest"],
        ),
    ),
    Spec(
        id="colombia-en-02",
        layout="wordpress",
        lang="en",
        drop=[],
        subheads=["Terminate the talks"],
        lead=None,
        meta={"og": True, "article_time": False, "canonical": True, "jsonld": True, "graph": True},
        furniture=Furniture(
            nav=["Home", "Geopolitics", "Economy", "Research Papers", "Contact Us"],
            ads=[
                "Win 500 dollars in Paris! Click here",
                "Bogota Spanish school: 4 weeks for 600 dollars",
            ],
            related=[
                "Ecuador: 13 inmates killed in Guayaquil prison riot",
                "Venezuela border: 3 soldiers dead in clash with smugglers",
                "Peru: 7 police killed in VRAEM ambush",
                "Haiti: gangs kill 70 in Pont-Sondé attack",
                "Mexico: 19 bodies found in Sinaloa",
            ],
            inline=["Related"],
            comments=[("Juan P.", "In Tibu they say 120 died, the government hides it.")],
            cookie=EN_COOKIE,
            share=["Share this:", "Facebook", "LinkedIn", "Telegram"],
            newsletter="Your email address will not be published. Required fields are marked *",
            footer=["Copyright © 2025 Strategic Research Institute. Powered by WordPress."],
            extra=["Thursday, January 23, 2025"],
        ),
    ),
    Spec(
        id="mexico-en-02",
        layout="modern",
        lang="en",
        drop=["New documentary examines how Americans are arming Mexican cartels"],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": False, "canonical": True, "jsonld": True},
        date_time="2024-03-18T17:12:00-0400",
        furniture=Furniture(
            nav=["U.S.", "2024 Elections", "MoneyWatch", "HealthWatch", "CBS Village"],
            ads=[
                "Win 500 dollars in Paris! Sweepstakes rules apply",
                "Cancun all-inclusive: 4 nights from $399",
            ],
            related=[
                "Gunmen kill 6 at a party in Guanajuato",
                "Mexican army finds 11 bodies in Zacatecas",
                "Trending: 3 U.S. tourists missing in Baja California",
            ],
            comments=[("TexasDad", "Michoacan lost 40 cops this year and nobody cares.")],
            cookie=EN_COOKIE,
            share=EN_SHARE,
            newsletter="Get browser notifications for breaking news, live events, and exclusive reporting.",
            footer=[
                "Copyright ©2024 CBS Interactive Inc. All rights reserved.",
                "Privacy Policy · California Notice · Do Not Sell My Personal Information",
            ],
            extra=["New documentary examines how Americans are arming Mexican cartels"],
        ),
    ),
    Spec(
        id="benin-fr-01",
        layout="portal",
        lang="fr",
        drop=[],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": False},
        date_time="2022-02-10T07:05:00+01:00",
        furniture=Furniture(
            nav=["Afrique", "Bénin", "Conflits", "Économie", "Sports"],
            ads=[
                "Gagnez 500 dollars à Paris ! Tirage au sort ce vendredi",
                "Cotonou : appartements neufs à partir de 25 millions FCFA",
                "Vols Parakou - Lomé dès 75 000 FCFA",
            ],
            related=[
                "Burkina : 40 soldats tués dans une embuscade près de Djibo",
                "Togo : 8 soldats tués dans une attaque dans la région des Savanes",
                "Niger : 19 civils tués dans le village de Tchoma Bangou",
            ],
            inline=["Lire aussi : Bénin, deux soldats tués dans le nord du pays à Porga"],
            comments=[("Kossi", "Ils disent six morts, mais à Karimama on parle de 15 victimes.")],
            cookie=FR_COOKIE,
            share=FR_SHARE,
            newsletter="Inscrivez-vous à notre lettre d'information quotidienne.",
            footer=[
                "AllAfrica publie environ 500 articles par jour provenant de plus de 100 organes de presse.",
                "Copyright © 2022 AllAfrica Global Media. Tous droits réservés.",
            ],
        ),
    ),
    Spec(
        id="haiti-fr-03",
        layout="wordpress",
        lang="fr",
        drop=[],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": False, "canonical": True, "jsonld": True, "graph": True},
        date_time="2025-04-20T14:35:22+00:00",
        furniture=Furniture(
            nav=["Actualités", "Politique", "Société", "Diaspora", "Culture"],
            ads=[
                "Gagnez 500 dollars à Paris ! Jouez maintenant",
                "Transferts vers Port-au-Prince : 0 % de frais ce week-end",
            ],
            related=[
                "Mirebalais : au moins 15 morts après l'attaque de la prison civile",
                "Croix-des-Bouquets : 22 policiers blessés lors d'une opération",
                "Cité Soleil : 110 personnes tuées en une semaine, selon l'ONU",
                "Pétion-Ville : 4 morts dans une fusillade à Delmas 75",
                "Arcahaie : 2 000 déplacés fuient les gangs",
            ],
            inline=["Articles similaires"],
            comments=[
                ("Jean-Robert", "À Kenscoff on a compté 9 soldats morts, pas trois."),
                ("Marie D.", "Que Dieu protège Haïti, 500 familles ont fui Furcy."),
            ],
            cookie=FR_COOKIE,
            share=["Partager :", "Facebook", "WhatsApp", "Telegram"],
            newsletter="Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
            footer=["© 2025 RHINEWS. Tous droits réservés. Thème par WPtheme."],
            extra=["dimanche 20 avril 2025 · Port-au-Prince 31°C"],
        ),
    ),
    Spec(
        id="mali-fr-04",
        layout="drupal",
        lang="fr",
        drop=[
            "Mali: deux soldats tués dans une attaque",
            "Error message",
            "Actualité",
            "mer, 2017-10-25 11:31",
            "• Deprecated function: Array and string offset access syntax with curly braces is "
            "deprecated in include_once() (line 20 of /home/clients/e0a018e8feac906783ca36fa1"
            "9011364/essahra/archive_2/fr/includes/file.phar.inc).",
            "• Deprecated function: implode(): Passing glue string after array is deprecated. "
            "Swap the parameters in drupal_get_feeds() (line 394 of /home/clients/e0a018e8fea"
            "c906783ca36fa19011364/essahra/archive_2/fr/includes/common.inc).",
        ],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": False},
        date_time="2017-10-25T11:31:00+00:00",
        furniture=Furniture(
            nav=["Accueil", "Sahara", "Maghreb", "Sahel", "Contact"],
            ads=[
                "Gagnez 500 dollars à Paris ! Offre réservée à nos lecteurs",
                "Nouakchott : location de 4x4 à partir de 30 000 ouguiyas",
            ],
            related=[
                "Kidal : 3 Casques bleus tués dans une attaque au mortier",
                "Ménaka : 12 civils tués par des hommes armés",
                "Tombouctou : 7 militaires blessés par une mine",
            ],
            comments=[("Abdallah", "On parle de 5 soldats tués à Soumpi, pas deux.")],
            cookie=FR_COOKIE,
            share=["Envoyer par courriel", "Version imprimable", "Partager sur Facebook"],
            newsletter="Faut-il prolonger la mission de la Minusma ? Oui / Non / Sans avis",
            footer=["Essahraa © 2017 - Tous droits réservés", "Mentions légales | Nous contacter"],
            extra=[
                "Deprecated function: Array and string offset access syntax with curly braces "
                "is deprecated in include_once() (line 20 of /home/clients/e0a018e8feac906783"
                "ca36fa19011364/essahra/archive_2/fr/includes/file.phar.inc).",
                "Deprecated function: implode(): Passing glue string after array is deprecated. "
                "Swap the parameters in drupal_get_feeds() (line 394 of /home/clients/e0a018e8"
                "feac906783ca36fa19011364/essahra/archive_2/fr/includes/common.inc).",
            ],
        ),
    ),
    Spec(
        id="drc-fr-01",
        layout="wordpress",
        lang="fr",
        drop=["RDC: une vingtaine de civils tués lors des combats avec le M23"],
        subheads=[],
        lead=None,
        meta={"og": False, "canonical": True, "jsonld": False},
        furniture=Furniture(
            nav=["Accueil", "Afrique du Nord", "Sahel", "Défense", "Vidéos"],
            ads=[
                "Gagnez 500 dollars à Paris ! Cliquez ici",
                "Kinshasa : votre villa à Ngaliema dès 150 000 dollars",
            ],
            related=[
                "Ituri : 35 déplacés tués dans une attaque contre le site de Plaine Savo",
                "Beni : les ADF tuent 18 civils à Oicha",
                "Goma : 2 casques bleus blessés par des tirs",
                "Bunia : 60 morts en deux semaines selon la société civile",
            ],
            inline=["À lire aussi"],
            comments=[("Patrick M.", "À Mahagi on compte au moins 40 morts, pas 15.")],
            cookie=FR_COOKIE,
            share=["Partager :", "Facebook", "X", "E-mail"],
            newsletter="Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
            footer=["Sahel Intelligence © 2022 | Tous droits réservés"],
            extra=["lundi 23 mai 2022"],
        ),
    ),
    Spec(
        id="syria-fr-01",
        layout="modern",
        lang="fr",
        drop=["Syrie : 35 morts dans les violences", "• Copié", "avec AFP"],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": False, "canonical": True, "jsonld": True},
        furniture=Furniture(
            nav=["Politique", "International", "Économie", "Sport", "Émissions"],
            ads=[
                "Gagnez 500 dollars à Paris ! Participez au jeu concours",
                "Croisière Marseille - Beyrouth : 7 nuits dès 899 euros",
            ],
            related=[
                "Liban : 9 morts dans des affrontements à Tripoli",
                "Irak : un attentat fait 27 morts à Bagdad",
                "En direct : 50 morts à Homs selon les militants",
            ],
            inline=[
                "À LIRE AUSSI - Syrie : la Ligue arabe suspend sa mission après 40 morts à Hama"
            ],
            comments=[("Karim", "L'OSDH compte 80 morts à Homs cette semaine.")],
            cookie=FR_COOKIE,
            share=["Copier le lien", "Partager sur Facebook", "Partager sur X"],
            newsletter="Recevez chaque matin l'essentiel de l'actualité avec la newsletter Europe 1.",
            footer=[
                "Europe 1 © 2011 - Tous droits réservés",
                "Mentions légales · Gestion des cookies",
            ],
        ),
    ),
    Spec(
        id="niger-fr-02",
        layout="wordpress",
        lang="fr",
        drop=[],
        subheads=[],
        lead="L’affrontement avec des « centaines de terroristes armés » près de Fantio a "
        "également fait huit blessés parmi les soldats, selon le ministère de la défense.",
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": True},
        date_time="2021-12-06T09:15:00+01:00",
        furniture=Furniture(
            nav=["À la une", "International", "Afrique", "Tech", "Santé"],
            ads=[
                "Gagnez 500 dollars à Paris ! Inscription gratuite",
                "Niamey : forfait internet 4G 20 Go pour 5 000 FCFA",
            ],
            related=[
                "Tillabéri : 69 civils tués dans une embuscade près de Banibangou",
                "Tahoua : 18 soldats tués dans une attaque contre un poste",
                "Diffa : 4 militaires blessés par Boko Haram",
                "Mali : 31 passagers tués dans l'attaque d'un bus près de Bandiagara",
            ],
            inline=["Sur le même sujet"],
            comments=[("Issa", "À Tera on dit que 30 soldats sont morts, pas 12.")],
            cookie=FR_COOKIE,
            share=["Partager :", "Facebook", "Twitter", "LinkedIn"],
            newsletter="Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
            footer=["News365.fr © 2021 - Tous droits réservés | Mentions légales"],
            extra=["lundi 6 décembre 2021"],
        ),
    ),
    Spec(
        id="iraq-en-02",
        layout="breaks",
        lang="en",
        drop=["Two Iraqi soldiers killed in ISIS attack in Kirkuk"],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": False},
        date_time="2021-12-07T21:40:00+03:00",
        furniture=Furniture(
            nav=["Kurdistan", "Iraq", "Middle East", "Rudaw TV", "Kurdî"],
            ads=["Win 500 dollars in Paris! Only for Rudaw readers"],
            related=[
                "Four Peshmerga killed in ISIS attack in Garmiyan",
                "Iraq: 11 ISIS suspects arrested in Anbar raids",
                "Rockets hit near Erbil airport, 2 wounded",
            ],
            comments=[("Karwan", "Kirkuk police say 5 soldiers died, not 2.")],
            cookie=EN_COOKIE,
            share=["Share on Facebook", "Share on Twitter", "Print this article"],
            newsletter="Download the Rudaw app: breaking news from Kurdistan on your phone.",
            footer=["Copyright © 2021 Rudaw Media Network. All rights reserved."],
        ),
    ),
    Spec(
        id="ethiopia-en-02",
        layout="split",
        lang="en",
        drop=[
            "Ethiopia: Drone strikes in #Amhara region kill dozens of civilians",
            "Source Addis Standard",
        ],
        subheads=[],
        lead="A series of drone strikes last Sunday in the Kawot and Molale districts of "
        "North Shewa Zone, Amhara Region, have resulted in the deaths of numerous civilians, "
        "according to local residents and eyewitness accounts.",
        meta={"og": True, "article_time": False, "canonical": False, "jsonld": True},
        furniture=Furniture(
            nav=["Somaliland", "Horn of Africa", "World News", "Opinion", "Press Releases"],
            ads=[
                "Win 500 dollars in Paris! Register today",
                "Hargeisa to Dubai from 320 dollars with Daallo",
            ],
            related=[
                "Tigray: 9 killed as Eritrean troops shell Irob",
                "Oromia: 30 civilians dead in attack on a bus near Ambo",
                "Gondar: Fano fighters capture 2 towns, officials say",
            ],
            comments=[("Abebe", "In Kawot they buried 15 people, not four.")],
            cookie=EN_COOKIE,
            share=EN_SHARE,
            newsletter="Join our Telegram channel for news from the Horn of Africa.",
            footer=["Copyright © 2024 Qaran News. All rights reserved."],
            extra=[
                "Breaking: Somaliland votes in presidential election",
                "Watch: Amhara residents describe the drone strike at Gulo school",
            ],
        ),
    ),
    # Written after the extractors were first compared, to check the choice on
    # layouts nothing was tuned on (see held_out in pages.json).
    Spec(
        id="mozambique-en-01",
        layout="amp",
        lang="en",
        drop=[],
        subheads=[],
        lead=None,
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": True},
        date_time="2019-08-28T12:43:00Z",
        held_out=True,
        furniture=Furniture(
            nav=["Mozambique", "Southern Africa", "Conflict", "Mining", "Gas Industry"],
            ads=[
                "Win 500 dollars in Paris! Tap to enter",
                "Pemba beach lodge: 3 nights for 250 dollars",
            ],
            related=[
                "Mozambique: insurgents kill 7 in Mocimboa da Praia",
                "Cabo Delgado: 12 soldiers die in Muidumbe ambush",
                "Russian contractors lose 5 men in Cabo Delgado",
                "Tanzania closes border after 20 die in Kitaya raid",
            ],
            cookie="AllAfrica uses cookies to improve your experience. Tap Accept to continue.",
            share=["Share on X", "Share on WhatsApp", "Share by email"],
            footer=[
                "AllAfrica: 500 reports a day from 100 news organizations",
                "Copyright © 2019 AllAfrica Global Media",
            ],
        ),
    ),
    Spec(
        id="myanmar-fr-01",
        layout="francais",
        lang="fr",
        drop=["Des frappes aériennes font 15 morts en Birmanie, selon la presse"],
        subheads=["Huit enfants ont été tués"],
        lead="Le village est sous le contrôle d’un groupe des Forces de défense du peuple, l’un "
        "des nombreux groupes qui se sont formés pour combattre la junte.",
        meta={"og": True, "article_time": True, "canonical": True, "jsonld": False},
        date_time="2024-01-08T06:30:00+07:00",
        held_out=True,
        furniture=Furniture(
            nav=["Politique", "Économie", "Société", "Francophonie", "Monde"],
            ads=[
                "Gagnez 500 dollars à Paris ! Jeu gratuit sans obligation d'achat",
                "Hanoï - Paris : vols directs dès 590 euros",
            ],
            related=[
                "Birmanie : 11 civils tués dans l'État Shan, selon la résistance",
                "Thaïlande : 3 000 réfugiés birmans franchissent la frontière à Mae Sot",
                "Laos : 6 morts dans l'explosion d'une bombe à sous-munitions",
            ],
            comments=[("Minh", "À Tamu on parle de 30 morts, la junte cache le bilan.")],
            cookie=FR_COOKIE,
            share=["Partager sur Facebook", "Partager sur Zalo", "Envoyer à un ami"],
            newsletter="Abonnez-vous à la lettre d'information du Vietnam aujourd'hui.",
            footer=[
                "Le Vietnam aujourd'hui © 2024 - Reproduction interdite",
                "Mentions légales - Contact - Plan du site",
            ],
        ),
    ),
    Spec(
        id="india-en-02",
        layout="hashed",
        lang="en",
        drop=[],
        subheads=[],
        lead="Rajouri Encounter: A gunfight broke out between terrorists and soldiers during "
        "search operation.",
        meta={"og": True, "article_time": False, "canonical": True, "jsonld": True},
        held_out=True,
        furniture=Furniture(
            nav=["Trending", "India Global", "Cricket", "Elections", "Web Stories"],
            ads=[
                "Win 500 dollars in Paris! Claim your prize",
                "Jammu flats from Rs 45 lakh, booking open",
            ],
            related=[
                "Anantnag encounter: 3 officers killed, search operation continues",
                "2 terrorists killed in Baramulla as infiltration bid foiled",
                "Poonch: 5 soldiers die in ambush on army trucks",
            ],
            comments=[("rk_jammu", "Locals say 4 soldiers were killed in Narla.")],
            cookie=EN_COOKIE,
            share=["Share on WhatsApp", "Share on Facebook", "Copy link"],
            newsletter="Get the latest updates on India news on our app. Click to download.",
            footer=["Copyright © NDTV Convergence Limited 2023. All rights reserved."],
        ),
    ),
]


def article_meta() -> dict[str, dict[str, str | None]]:
    rows = (json.loads(line) for line in (CORPUS / "articles.jsonl").open(encoding="utf-8"))
    keys = ("title", "url", "outlet", "published")
    return {row["id"]: {key: row.get(key) for key in keys} for row in rows}


def main() -> None:
    metas = article_meta()
    manifest = []
    for spec in SPECS:
        meta = metas[spec.id]
        blocks = body_blocks(spec)
        body_text = "\n".join(text for _, text in blocks)
        furniture = {
            kind: sorted({s for s in strings if s not in body_text})
            for kind, strings in spec.furniture.by_kind().items()
        }
        page = LAYOUTS[spec.layout](spec, meta, blocks)
        (HERE / f"{spec.id}.html").write_text(page, encoding="utf-8")
        manifest.append(
            {
                "page": f"{spec.id}.html",
                "article": spec.id,
                "layout": spec.layout,
                "held_out": spec.held_out,
                "body": [text for _, text in blocks],
                "furniture": furniture,
                "metadata": meta,
            }
        )
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    (HERE / "pages.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
