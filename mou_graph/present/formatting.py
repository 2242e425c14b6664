"""Values as a reader reads them: durations, booleans, years and language codes in words.

The graph stores ``"P5Y"^^xsd:duration``, ``true``, ``"2022"^^xsd:gYear`` and language tags such
as ``th``; a page shows "5 ปี" / "5 years", "ใช่" / "yes", the year in the page's era (Buddhist
Era on Thai pages) and the language by its name in the page's language. Every page (entity
pages, the MoU summary, search results, the static site) formats values through these
functions, so a value reads the same everywhere (durations and dates are ``present/dates.py``'s,
re-exported here). A value these functions cannot read is
returned as it is: a page never shows a made-up value.

>>> format_duration("P5Y", "th"), format_duration("P5Y", "en"), format_duration("P1Y6M", "en")
('5 ปี', '5 years', '1 year 6 months')
>>> format_duration("not a duration", "en")
'not a duration'
>>> format_boolean("true", "th"), format_boolean("0", "en"), format_boolean("maybe", "en")
('ใช่', 'no', 'maybe')
>>> language_name("th", "th"), language_name("lo", "en"), language_name("fr", "th")
('ภาษาไทย', 'Lao', 'fr')
>>> format_year("2022", "th"), format_year("2022", "en"), format_year("2020-06", "th")
('พ.ศ. 2565', '2022', 'มิถุนายน 2563')
"""

from __future__ import annotations

import re

from mou_graph.lang import pick
from mou_graph.present.dates import format_date, format_duration, format_month
from mou_graph.vocab import XSD

__all__ = ["format_boolean", "format_duration", "format_literal", "format_year", "language_name"]

_BOOLEANS = {True: {"th": "ใช่", "en": "yes"}, False: {"th": "ไม่ใช่", "en": "no"}}
# each language by its name in each page language
LANGUAGE_NAMES_IN: dict[str, dict[str, str]] = {
    "th": {"th": "ภาษาไทย", "en": "Thai"},
    "en": {"th": "ภาษาอังกฤษ", "en": "English"},
    "lo": {"th": "ภาษาลาว", "en": "Lao"},
}


def format_boolean(value: str, lang: str) -> str:
    """An ``xsd:boolean`` as a word (``true`` -> ``ใช่`` / ``yes``); anything else unchanged."""
    word = {"true": True, "1": True, "false": False, "0": False}.get(value.strip())
    return value if word is None else pick(_BOOLEANS[word], lang) or value


def language_name(code: str, lang: str) -> str:
    """A language tag (``th``, ``en-GB``) by the language's name in ``lang``; an unknown tag unchanged."""
    names = LANGUAGE_NAMES_IN.get((code or "").lower().split("-")[0])
    return (pick(names, lang) or code) if names else code


def format_year(value: str, lang: str) -> str:
    """An ``xsd:gYear`` or ``xsd:gYearMonth`` in the page's era: Buddhist Era on Thai pages."""
    found = re.match(r"^(\d{4})(?:-(\d{2}))?$", value.strip())
    if not found:
        return value
    year, month = int(found.group(1)), found.group(2)
    if month:
        return format_month(year, int(month), lang) if 1 <= int(month) <= 12 else value
    return f"พ.ศ. {year + 543}" if lang == "th" else str(year)


def format_literal(value: str, datatype: str, lang: str) -> str:
    """A literal's text for a page, by its datatype (dates, years, durations, booleans); others unchanged."""
    if datatype == XSD + "date":
        return format_date(value, lang)
    if datatype in (XSD + "gYear", XSD + "gYearMonth"):
        return format_year(value, lang)
    if datatype == XSD + "duration":
        return format_duration(value, lang)
    if datatype == XSD + "boolean":
        return format_boolean(value, lang)
    return value
