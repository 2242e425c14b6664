"""Sources as citations: a reference in the APA style (publisher, date, title, URL) in the page's language
and calendar, and the same source as CSL-JSON (the Citation Style Language's data, which reference managers
such as Zotero import) for "cite this".

>>> meta = {"id": "thaigov-61364", "publisher": "Royal Thai Government", "issued": "2022-11-07",
...         "title": "ดีอีเอส ลงนาม", "title_lang": "th", "translation": "DES signs", "language": "th",
...         "url": "https://www.thaigov.go.th/news/contents/details/61364", "kind": "government"}
>>> reference(meta, "en")
'Royal Thai Government. (2022, November 7). ดีอีเอส ลงนาม [DES signs] (in Thai). https://www.thaigov.go.th/news/contents/details/61364'
>>> reference(meta, "th")
'Royal Thai Government. (7 พฤศจิกายน 2565). ดีอีเอส ลงนาม. https://www.thaigov.go.th/news/contents/details/61364'
>>> csl(meta)["issued"], csl(meta)["type"]
({'date-parts': [[2022, 11, 7]]}, 'webpage')
"""

from __future__ import annotations

import json
from typing import Any

from mou_graph.present.dates import MONTHS_EN, date_text

__all__ = ["csl", "csl_text", "language_name", "reference"]

_LANGUAGE_NAMES = {
    "th": {"th": "ภาษาไทย", "en": "Thai"}, "en": {"th": "ภาษาอังกฤษ", "en": "English"},
    "lo": {"th": "ภาษาลาว", "en": "Lao"}, "vi": {"th": "ภาษาเวียดนาม", "en": "Vietnamese"},
    "km": {"th": "ภาษาเขมร", "en": "Khmer"}, "ja": {"th": "ภาษาญี่ปุ่น", "en": "Japanese"},
    "ko": {"th": "ภาษาเกาหลี", "en": "Korean"}, "zh": {"th": "ภาษาจีน", "en": "Chinese"},
}


def language_name(code: str, lang: str) -> str:
    """The name of a language (``th``) in the page's language; the code itself when it is not known."""
    names = _LANGUAGE_NAMES.get((code or "").split("-")[0].lower())
    return names.get(lang, names["en"]) if names else code


def _when(value: str, lang: str) -> str:
    """A date in APA's order: "2022, November 7" in English; the page's calendar (Buddhist Era) in Thai."""
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
    except ValueError:
        return value
    if lang == "th":
        return date_text(value, lang)
    if len(numbers) == 3:
        return f"{numbers[0]}, {MONTHS_EN[numbers[1] - 1]} {numbers[2]}"
    return f"{numbers[0]}, {MONTHS_EN[numbers[1] - 1]}" if len(numbers) == 2 else str(numbers[0])


def reference(meta: dict[str, Any], lang: str) -> str:
    """The source as an APA-style reference: publisher, (date), title [the project's translation], (language), URL."""
    when = _when(meta["issued"], lang) if meta.get("issued") else ("ม.ป.ป." if lang == "th" else "n.d.")
    title = meta.get("title") or meta.get("url") or meta.get("id") or ""
    if meta.get("translation") and lang != "th" and meta.get("translation") != title:
        title += f" [{meta['translation']}]"
    language = meta.get("language")
    if language and language != lang:
        title += f" ({language_name(language, lang)})" if lang == "th" else f" (in {language_name(language, lang)})"
    parts = [f"{meta.get('publisher') or ''}.".lstrip("."), f"({when}).", f"{title}."]
    text = " ".join(p for p in parts if p)
    return f"{text} {meta['url']}" if meta.get("url") else text


def _date_parts(value: str) -> dict[str, Any] | None:
    try:
        return {"date-parts": [[int(p) for p in value.split("-")[:3]]]}
    except ValueError:
        return None


def csl(meta: dict[str, Any]) -> dict[str, Any]:
    """The source as a CSL-JSON item (``type`` article-newspaper for the press, else webpage)."""
    item: dict[str, Any] = {"id": meta.get("id") or meta.get("url") or "",
                            "type": "article-newspaper" if meta.get("kind") in ("press", "wire") else "webpage",
                            "title": meta.get("title") or ""}
    if meta.get("translation"):
        item["title-short"] = meta["translation"]
        item["note"] = "English title: the mou-graph project's translation"
    for key, name in (("publisher", "publisher"), ("url", "URL"), ("language", "language")):
        if meta.get(key):
            item[name] = meta[key]
    for key, name in (("issued", "issued"), ("retrieved", "accessed")):
        parts = _date_parts(meta[key]) if meta.get(key) else None
        if parts:
            item[name] = parts
    return item


def csl_text(meta: dict[str, Any]) -> str:
    """:func:`csl` as indented JSON text (a list of one item, as CSL-JSON files hold)."""
    return json.dumps([csl(meta)], ensure_ascii=False, indent=2)
