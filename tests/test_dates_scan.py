"""The date word scans consume the character before a word instead of looking behind:
words at the very start, back to back, or after a dotted month are still all found."""

from __future__ import annotations

from datetime import date

from llm_extract.text.dates import find_dates

PUBLISHED = date(2025, 7, 9)  # a Wednesday


def _surfaces(text: str) -> list[str]:
    return [m.surface for m in find_dates(text, PUBLISHED)]


def test_words_at_the_start_and_back_to_back() -> None:
    assert _surfaces("Monday, Tuesday and yesterday") == ["Monday", "Tuesday", "yesterday"]
    assert _surfaces("Lundi et mardi, hier") == ["Lundi et mardi", "hier"]


def test_month_words_after_a_dot_or_a_digit_boundary() -> None:
    assert _surfaces("Sept. 3 and Oct. 5, 2024") == ["Sept. 3 and Oct. 5, 2024"]
    assert _surfaces("Sept. 3; Oct. 5") == ["Sept. 3", "Oct. 5"]
    assert _surfaces("x2024-07-01 and 2024-07-02") == ["2024", "2024-07-02"]
    assert _surfaces("mayday, may 2") == ["may 2"]


def test_a_weekday_pair_a_night_across_two_days_and_last_weekend() -> None:
    """On a Tuesday, "entre mardi et mercredi" is the pair before it, not a span back from
    the day of publication; "la nuit d'hier à aujourd'hui" is two days; "last weekend"
    is the Saturday and Sunday before."""
    tuesday = date(2022, 12, 6)
    (pair,) = find_dates("entre mardi et mercredi", tuesday)
    assert (pair.first, pair.last) == (date(2022, 11, 29), date(2022, 11, 30))
    (night,) = find_dates("dans la nuit d'hier à aujourd'hui", date(2017, 10, 25))
    assert (night.first, night.last) == (date(2017, 10, 24), date(2017, 10, 25))
    (weekend,) = find_dates("Last weekend, gunmen", date(2021, 11, 4))
    assert (weekend.first, weekend.last, weekend.precision) == (
        date(2021, 10, 30), date(2021, 10, 31), 2,
    )  # fmt: skip
    (sunday,) = find_dates("le week-end dernier", date(2021, 11, 7))  # a Sunday
    assert (sunday.first, sunday.last) == (date(2021, 10, 30), date(2021, 10, 31))


def test_a_night_from_one_weekday_to_the_next_is_one_mention_of_two_days() -> None:
    saturday = date(2023, 6, 17)
    for text in ("dans la nuit de vendredi à samedi", "Overnight (Friday-Saturday) gunmen",
                 "overnight Friday to Saturday"):  # fmt: skip
        (night,) = find_dates(text, saturday)
        assert (night.first, night.last) == (date(2023, 6, 16), date(2023, 6, 17)), text
    assert _surfaces("Lundi a été calme") == ["Lundi"]


def test_a_yearless_day_is_in_the_year_nearest_the_publication_date() -> None:
    january = date(2025, 1, 5)

    def days(text: str) -> list[tuple[date | None, date | None]]:
        return [(m.first, m.last) for m in find_dates(text, january)]

    assert days("the offensive of 27 November") == [(date(2024, 11, 27), date(2024, 11, 27))]
    # news reports what happened: not a day after it was written, like a month alone
    assert days("the attack on 15 March") == [(date(2024, 3, 15), date(2024, 3, 15))]
    assert days("in June") == [(date(2024, 6, 1), date(2024, 6, 30))]
    assert days("on 6 January") == [(date(2025, 1, 6), date(2025, 1, 6))]  # a time zone's slack
    assert days("from 27 December to 3 January") == [(date(2024, 12, 27), date(2025, 1, 3))]
    assert days("du 27 décembre au 3 janvier 2025") == [(date(2024, 12, 27), date(2025, 1, 3))]
    [two] = days("attacks on 12 March and 3 February 2025")  # two days, not a year-long span
    assert two[1] == date(2025, 2, 3) and two[0].year == 2025
