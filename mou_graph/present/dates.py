"""Dates and durations as a page shows them: the Buddhist Era on Thai pages, Gregorian (English) otherwise;
a date a source gives only to the month or the year; the last day in force before an exclusive end;
an ``xsd:duration`` in words. One home for the pages, the register's pages and citations.

>>> format_date("2022-11-07", "th"), format_date("2022-11-07", "en")
('7 พฤศจิกายน 2565', '7 November 2022')
>>> date_text("2020-06", "en"), date_text("2021", "th"), date_text("2022-11-07", "th")
('June 2020', '2564', '7 พฤศจิกายน 2565')
>>> precision("2020-06"), precision("2021"), precision("2022-11-07")
('month', 'year', 'day')
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["MONTHS_EN", "date_text", "day_before", "format_date", "format_duration", "format_month", "precision"]

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def format_date(value: str, lang: str) -> str:
    """An ``xsd:date`` lexical form for a page: Buddhist Era on Thai pages, Gregorian (English) otherwise."""
    try:
        d = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    if lang == "th":
        from pythainlp.util import thai_strftime

        return thai_strftime(dt.datetime(d.year, d.month, d.day), "%-d %B %Y")
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def day_before(value: str) -> str:
    """The ``xsd:date`` before ``value``: the last day in force of a term whose (exclusive) end is ``value``.

    >>> day_before("2027-11-07"), day_before("2028-03-01")
    ('2027-11-06', '2028-02-29')
    """
    return (dt.date.fromisoformat(value[:10]) - dt.timedelta(days=1)).isoformat()


_DURATION_UNITS = {"Y": ("ปี", "year", "years"), "M": ("เดือน", "month", "months"), "W": ("สัปดาห์", "week", "weeks"),
                   "D": ("วัน", "day", "days")}


def format_duration(value: str, lang: str) -> str:
    """An ``xsd:duration`` of years, months, weeks or days in words in the page's language; any other
    form (hours, fractions) as it is.

    >>> format_duration("P5Y", "th"), format_duration("P1Y6M", "en"), format_duration("PT2H", "en")
    ('5 ปี', '1 year 6 months', 'PT2H')
    """
    match = re.fullmatch(r"P((?:\d+[YMWD])+)", value.strip())
    if not match:
        return value
    words = []
    for number, unit in re.findall(r"(\d+)([YMWD])", match.group(1)):
        th, one, many = _DURATION_UNITS[unit]
        n = int(number)
        words.append(f"{n} {th}" if lang == "th" else f"{n} {one if n == 1 else many}")
    return " ".join(words)


def format_month(year: int, month: int, lang: str) -> str:
    """A month of a year (a date a source gives only to the month): Buddhist Era on Thai pages.

    >>> format_month(2020, 6, "th"), format_month(2020, 6, "en")
    ('มิถุนายน 2563', 'June 2020')
    """
    if lang == "th":
        from pythainlp.util import thai_strftime

        return thai_strftime(dt.datetime(year, month, 1), "%B %Y")
    months = MONTHS_EN
    return f"{months[month - 1]} {year}"


def precision(value: str) -> str:
    """``day``, ``month`` or ``year``: how much of a date a source gave (xsd:date, gYearMonth, gYear)."""
    return {4: "year", 7: "month"}.get(len(value), "day")


def date_text(value: str, lang: str) -> str:
    """A date, a month or a year for a page: Buddhist Era on Thai pages."""
    kind = precision(value)
    if kind == "day":
        return format_date(value, lang)
    try:
        year = int(value[:4])
        month = int(value[5:7]) if kind == "month" else 0
    except ValueError:
        return value
    return format_month(year, month, lang) if month else str(year + 543 if lang == "th" else year)
