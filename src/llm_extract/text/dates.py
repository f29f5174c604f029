"""Dates an article states, in English and French, as ranges of days.

Explicit dates ("1 July 2025", "July 15 and 19", "du 15 au 19 juillet") take their
year from the mention, else from the publication date, else from the one year the
article is about. Relative ones ("on Sunday", "last week", "lundi", "hier") need the
publication date; without it they are found but cannot be resolved, and the verifier
says so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from llm_extract.text.fold import fold

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
    "samedi": 5, "dimanche": 6,
}  # fmt: skip

_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH2 = "(?P<month2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_JOIN = r"\s*(?:-|to|and|au|et|a)\s*(?:le\s+)?"
_B = r"(?<![a-z0-9])"
_E = r"(?![a-z0-9])"

# Order matters: ranges before single days, days before months. Each list is tried at
# one month word: month-first patterns anchored on it, day-first ones just before it.
_MONTH_FIRST = [
    re.compile(rf"{_MONTH}\s+{_DAY}{_JOIN}{_DAY2}{_YEAR}{_E}"),  # July 15 and 19
    re.compile(rf"{_MONTH}\s+{_DAY}{_JOIN}{_MONTH2}\s+{_DAY2}{_YEAR}{_E}"),  # June 30 to July 2
    re.compile(rf"{_MONTH}\s+{_DAY}{_YEAR}{_E}"),  # July 2, 2025
    re.compile(rf"{_MONTH}(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)){_E}"),  # July 2025
]
_DAY_FIRST = [
    re.compile(rf"{_B}{_DAY}{_JOIN}{_DAY2}\s+{_MONTH}{_YEAR}{_E}"),  # 15 to 19 July
    re.compile(rf"{_B}{_DAY}\s+{_MONTH}{_JOIN}{_DAY2}\s+{_MONTH2}{_YEAR}{_E}"),  # 30 June to 2 July
    re.compile(rf"{_B}{_DAY}\s+{_MONTH}{_YEAR}{_E}"),  # 1 July 2025, 1er juillet
]
# "in March", "début juillet": a month with no year and no day
_PREFIXED_MONTH = re.compile(
    rf"{_B}(?:in|en|since|depuis|early|late|mid|during|debut|fin|courant|mois\s+de)"
    rf"[\s-]+(?:d')?{_MONTH}(?!\s+(?:[0-3]?\d|(?:19|20)\d\d)){_E}"
)
# The word scans below read " " + the folded text and consume the character before the
# word instead of looking behind at it (`_after_boundary`): the engine then jumps from
# one word boundary to the next instead of trying a look-behind at every character.
_BOUNDARY = "[^a-z0-9]"
_WEEKDAY = re.compile(
    rf"{_BOUNDARY}(?P<weekday>" + "|".join(WEEKDAYS) + rf"){_E}"
    # "mardi et mercredi", "de vendredi à samedi", "(Friday-Saturday)": a pair of days
    rf"(?:(?:\s+(?:and|et|or|ou|a|au|to|into)\s+|\s*[-\u2013/]\s*)(?P<weekday2>"
    + "|".join(WEEKDAYS)
    + rf"){_E})?"
)
_RELATIVE = re.compile(
    rf"{_BOUNDARY}(?P<rel>(?:(?:la )?nuit )?d'hier (?:a|au) aujourd'hui|hier (?:a|au) aujourd'hui"
    rf"|yesterday (?:and|to|into) today|(?:last|this|past) weekend|le week-end dernier"
    rf"|le weekend dernier|ce week-end|ce weekend"
    rf"|(?:over|during|at) the weekend|(?:au cours du|pendant le|durant le) week-?end"
    rf"|(?<=the )weekend(?= (?:attacks?|raids?|assaults?|violence|clash(?:es)?|fighting"
    rf"|killings?|massacres?|bombings?|ambush))"
    rf"|yesterday|hier|today|aujourd'hui|last week|this week|la semaine derniere"
    rf"|cette semaine|(?:earlier |since the start of |at the start of )?this month|last month"
    rf"|le mois dernier|ce mois-ci|(?:plus tot |au debut de )?ce mois){_E}"
)
_MONTH_WORD = re.compile(_BOUNDARY + _MONTH.replace("?P<month>", "?:") + _E)
# The literal comes first so the regex engine can skip ahead to "19"/"20"; the
# look-behind after it checks the character before the year.
_ISO = re.compile(
    rf"(?P<iso_y>(?:19|20)(?<![a-z0-9]..)\d\d)-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d){_E}"
)
_YEAR_ONLY = re.compile(r"(?:19|20)(?<![\d,.]..)\d\d(?!\d|[,.]\d)")


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets in the text searched
    end: int
    surface: str
    first: date | None  # None when it cannot be resolved
    last: date | None
    precision: int  # ACLED: 1 day, 2 week, 3 month
    relative: bool
    year_stated: bool  # False: the year was taken from context and is only a lower bound


@lru_cache(maxsize=32)
def latest_year(text: str) -> int | None:
    """The latest year an article names: a yearless "July 15" is not before it."""
    years = [int(y) for y in _YEAR_ONLY.findall(text)]
    return max(years) if years else None


def _day(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_range(year: int, month: int) -> tuple[date, date]:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


_SLACK = timedelta(days=2)


def _yearless(year: int, month: int, day: int | None, published: date | None) -> int:
    """The year of a date written without one: news reports what has happened, so not
    a day after the article was written ("on 27 November" or "in December", written in
    January: the one before), but for a time zone's slack."""
    if published is None:
        return year
    if day is None:
        return year - 1 if month > published.month else year
    written = _day(year, month, day)
    return year - 1 if written and written > published + _SLACK else year


_NEW_YEAR_SPAN = timedelta(days=62)
"""A range whose end falls before its start crosses New Year only when that is short
("27 December to 3 January"); "12 March and 3 February" are two days."""


def _explicit(
    match: re.Match[str], default_year: int | None, published: date | None = None
) -> tuple[date | None, date | None, int]:
    groups = match.groupdict()
    if groups.get("iso_y"):
        day = _day(int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"]))
        return day, day, 1
    year = int(groups["year"]) if groups.get("year") else default_year
    month = MONTHS[groups["month"]]
    day = int(groups["day"]) if groups.get("day") else None
    if year is not None and not groups.get("year"):
        year = _yearless(year, month, day, published)
    if day is None:
        return (None, None, 3) if year is None else (*_month_range(year, month), 3)
    first = _day(year, month, day)
    month2 = MONTHS[groups["month2"]] if groups.get("month2") else month
    last = _day(year, month2, int(groups["day2"])) if groups.get("day2") else first
    if first and last and last < first and year and groups.get("month2"):
        # "27 December to 3 January": a stated year is the end's
        if groups.get("year"):
            earlier = _day(year - 1, month, day)
            if earlier and last - earlier <= _NEW_YEAR_SPAN:
                first = earlier
        else:
            later = _day(year + 1, month2, int(groups["day2"]))
            if later and later - first <= _NEW_YEAR_SPAN:
                last = later
    return first, last, 1


def _relative(word: str, published: date | None) -> tuple[date | None, date | None, int]:
    if published is None:
        return None, None, 1
    if " " in word and word.endswith(("aujourd'hui", "today")):  # "la nuit d'hier à aujourd'hui"
        return published - timedelta(days=1), published, 1
    if "weekend" in word or "week-end" in word:
        return _weekend(word, published)
    if word in {"yesterday", "hier"}:
        return published - timedelta(days=1), published - timedelta(days=1), 1
    if word in {"today", "aujourd'hui"}:
        return published, published, 1
    if "week" in word or "semaine" in word:
        monday = published - timedelta(days=published.weekday())
        if "last" in word or "derniere" in word:
            monday -= timedelta(days=7)
        return monday, monday + timedelta(days=6), 2
    if "last month" in word or "mois dernier" in word:
        previous = published.replace(day=1) - timedelta(days=1)
        return (*_month_range(previous.year, previous.month), 3)
    return published.replace(day=1), published, 3  # this month, earlier this month


def _weekend(word: str, published: date) -> tuple[date, date, int]:
    """ "Last weekend": the Saturday and Sunday before the day of publication (on a
    Sunday, the weekend before); "this weekend", "over the weekend" on a Saturday or
    Sunday is that one."""
    last = "last" in word or "past" in word or "dernier" in word
    this = not last and published.weekday() >= 5
    sunday = published + timedelta(days=6 - published.weekday())
    if not this:
        sunday = published - timedelta(days=(published.weekday() + 1) % 7 or 7)
    return sunday - timedelta(days=1), sunday, 2


def _last_weekday(weekday: int, published: date) -> date:
    """The most recent such weekday on or before publication: news reports the past."""
    return published - timedelta(days=(published.weekday() - weekday) % 7)


_DATELINE = re.compile(
    r"^[ \t]*(?:date|published|posted|updated|publie le|mis a jour le)[ \t]*:?[ \t]*(?:on )?",
    re.MULTILINE,
)
DATELINE_CHARS = 2000  # a dateline sits near the top, before the story


def _after_boundary(
    pattern: re.Pattern[str], padded: str
) -> Iterator[tuple[re.Match[str], int, int]]:
    """The matches of a `_BOUNDARY`-led pattern in `padded` (" " + text) with their spans
    in text: what finditer with a look-behind in place of `_BOUNDARY` finds in text."""
    pos = 0
    while (match := pattern.search(padded, pos)) is not None:
        yield match, match.start(), match.end() - 1
        pos = match.end() - 1  # where finditer in text would go on from


def dateline(text: str) -> DateMention | None:
    """The article's own date line ("Date: July 2, 2025") near the top: its publication
    date, which anchors "on Monday" when the caller gives none. A single day with its
    year, or nothing."""
    head = text[:DATELINE_CHARS]
    for line in _DATELINE.finditer(fold(head)):
        stop = head.find("\n", line.end())
        for mention in find_dates(head[line.end() : stop if stop >= 0 else len(head)]):
            if mention.year_stated and mention.first and mention.first == mention.last:
                shift = line.end()
                return replace(mention, start=mention.start + shift, end=mention.end + shift)
    return None


def find_dates(text: str, published: date | None = None) -> list[DateMention]:
    folded = fold(text)
    padded = " " + folded
    default_year = published.year if published else latest_year(text)
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(
        span: tuple[int, int],
        first: date | None,
        last: date | None,
        precision: int,
        relative: bool,
        year_stated: bool = True,
    ) -> None:
        start, end = span
        if any(a < end and start < b for a, b in taken):
            return
        taken.append((start, end))
        mentions.append(
            DateMention(start, end, text[start:end], first, last, precision, relative, year_stated)
        )

    for match in _ISO.finditer(folded):
        add(match.span(), *_explicit(match, default_year), relative=False)
    # Every other explicit date names a month: try the patterns at month words only.
    for _, hit_start, hit_end in _after_boundary(_MONTH_WORD, padded):
        before = max(0, hit_start - 32)
        found = next((m for p in _MONTH_FIRST if (m := p.match(folded, hit_start))), None)
        if re.search(r"\d", folded[before:hit_start]):
            day_first = (p.search(folded, before, hit_end + 48) for p in _DAY_FIRST)
            found = next((m for m in day_first if m and m.start() < hit_start), found)
        if found is None:
            found = _PREFIXED_MONTH.search(folded, max(0, hit_start - 24), hit_end)
        if found is None:
            continue
        stated = bool(found.groupdict().get("year"))
        add(
            found.span(),
            *_explicit(found, default_year, published),
            relative=False,
            year_stated=stated or published is not None,
        )
    for match, start, end in _after_boundary(_WEEKDAY, padded):
        if published is None:
            add((start, end), None, None, 1, relative=True)
            continue
        first = _last_weekday(WEEKDAYS[match["weekday"]], published)
        last = first
        if match["weekday2"]:  # "mardi et mercredi": the latest such pair, in that order
            last = _last_weekday(WEEKDAYS[match["weekday2"]], published)
            first = last - timedelta(
                days=(WEEKDAYS[match["weekday2"]] - WEEKDAYS[match["weekday"]]) % 7
            )
        add((start, end), first, last, 1, relative=True)
    for match, start, end in _after_boundary(_RELATIVE, padded):
        add((start, end), *_relative(match["rel"], published), relative=True)
    for match in _YEAR_ONLY.finditer(folded):  # "the 2020 coup": the whole year
        year = int(match.group(0))
        add(match.span(), date(year, 1, 1), date(year, 12, 31), 3, relative=False)
    return sorted(mentions, key=lambda m: m.start)
