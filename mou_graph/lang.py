"""The one language-fallback rule, used by every part of the package.

A text is shown in the language asked for; failing that in Thai (the language of the
source), then English, then Lao, then in any language it has.

>>> fallback_order("en")
('en', 'th', 'lo')
>>> fallback_order("lo")
('lo', 'th', 'en')
>>> pick({"en": "Cloud computing", "th": "คลาวด์คอมพิวติ้ง"}, "lo")
'คลาวด์คอมพิวติ้ง'
>>> pick({"fr": "informatique en nuage"}, "th")
'informatique en nuage'
>>> pick({}, "th") is None
True
>>> pick_tagged({"th": "คลาวด์คอมพิวติ้ง"}, "en")
('th', 'คลาวด์คอมพิวติ้ง')
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["INGEST_LANGUAGES", "INTERFACE_LANGUAGES", "LANGUAGES", "LANGUAGE_NAMES", "check_interface_language",
           "check_language", "fallback_order", "pick", "pick_tagged"]

# the languages of the graph's texts: labels, definitions, quotes (what a label may be asked in)
LANGUAGES: tuple[str, ...] = ("th", "en", "lo")
# the languages of the interface: pages, messages, reports, query titles, documents. Every string of the
# interface has a Thai and an English text; there is no Lao interface, because every string would need a
# faithful Lao translation that no Lao speaker checks here, and a Lao interface would fall back to Thai
# text marked as Lao. Lao labels of the graph are still shown, tagged lang="lo", wherever they exist.
INTERFACE_LANGUAGES: tuple[str, ...] = ("th", "en")
# the languages of the releases ``mou-graph ingest`` reads and of its review page (a subset of LANGUAGES:
# the rules and the review page's texts are Thai and English)
INGEST_LANGUAGES: tuple[str, ...] = ("th", "en")
# each language by its own name (the pages' language switch)
LANGUAGE_NAMES: dict[str, str] = {"th": "ไทย", "en": "English", "lo": "ລາວ"}
_BASE_ORDER = LANGUAGES


def check_language(lang: str) -> str:
    """Return the normalised language code, or raise ValueError for one we do not serve."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return code


def check_interface_language(lang: str) -> str:
    """The interface language for ``lang``, or ValueError (in Thai and English) for one the interface does not speak.

    >>> check_interface_language("en-GB")
    'en'
    >>> check_interface_language("lo")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ไม่มีหน้าและข้อความภาษาลาว: ... / there are no Lao pages or messages: ...
    """
    code = check_language(lang)
    if code not in INTERFACE_LANGUAGES:
        raise ValueError("ไม่มีหน้าและข้อความภาษาลาว: หน้าและข้อความเป็นภาษาไทยหรืออังกฤษ (th, en) "
                         "ชื่อภาษาลาวแสดงเมื่อมีในกราฟ / "
                         "there are no Lao pages or messages: they are in Thai or English (th, en); "
                         "Lao labels are shown where the graph has them")
    return code


def fallback_order(lang: str) -> tuple[str, ...]:
    """The languages to try, in order, for ``lang``."""
    code = check_language(lang)
    return (code, *(other for other in _BASE_ORDER if other != code))


def pick(texts: Mapping[str, str], lang: str) -> str | None:
    """Choose from ``{language: text}`` by the fallback rule; any language as a last resort."""
    found = pick_tagged(texts, lang)
    return found[1] if found else None


def pick_tagged(texts: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """Like :func:`pick`, with the language of the text chosen (so a page can tag it truly)."""
    for code in fallback_order(lang):
        if code in texts:
            return code, texts[code]
    for code in sorted(texts):
        return code, texts[code]
    return None
