"""Book furniture: the words an edition adds around the essay ("Contents", "Notes",
"Translated by"...), from per-language tables in ``serge_publish/data/furniture/<lang>.json``.

A table is looked up by the full tag (``pt-BR.json``), then by its language and script,
written or likely (``zh-Hant.json`` for zh-Hant, zh-TW, zh-HK and zh-Hant-TW), then by its
primary language (``pt.json``) when that language is written in the same script (zh-TW never
gets ``zh.json``'s Simplified Chinese, nor sr-Latn a Cyrillic ``sr.json``); a language
without a table gets English and a warning. The pseudo-language (``qps``) gets the English
table pseudo-translated, so that a pseudo-translated build shows which words come from the
tables.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from .. import languages, package_file

FALLBACK = "en"
_PLACEHOLDER = re.compile(r"(\{[a-z_]+\})")
_PSEUDO_MAP = str.maketrans(
    "ACDEGHIJKLNOSTUWYZacdeghijklnostuwyz",
    "ÅĈÐÉĜĤÎĴĶĻÑÖŠŢÛŴÝŽåçðéĝĥîĵķļñöšţûŵýž")


@dataclass(frozen=True)
class Furniture:
    """The furniture table of one language. ``lang`` is the table actually used."""
    lang: str
    words: tuple[tuple[str, str], ...]
    fallback: bool = False          # True when the language had no table

    def __getitem__(self, key: str) -> str:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, str]:
        """``words`` as a dict, made once per table (not at every word looked up)."""
        return dict(self.words)

    def format(self, key: str, **values: str) -> str:
        return self[key].format(**values)


def available() -> list[str]:
    """Language tags that have a table, sorted."""
    folder = package_file("data/furniture")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


@cache
def _table(tag: str) -> tuple[tuple[str, str], ...] | None:
    path = package_file(f"data/furniture/{tag}.json")
    if not path.is_file():
        return None
    return tuple(sorted(json.loads(path.read_text(encoding="utf-8")).items()))


@lru_cache(maxsize=64)
def furniture_for(lang: str) -> Furniture:
    """The table for ``lang`` (BCP 47); English with ``fallback=True`` when there is none."""
    if lang == languages.PSEUDO:
        english = _table(FALLBACK) or ()
        return Furniture(lang, tuple((k, pseudo(v)) for k, v in english))
    for tag in lookup(lang):
        words = _table(tag)
        if words is not None:
            return Furniture(tag, words)
    return Furniture(FALLBACK, _table(FALLBACK) or (), fallback=True)


def lookup(lang: str) -> tuple[str, ...]:
    """The tables that may serve ``lang``, the first found used: the full tag, its
    language and script (written or likely: zh-TW -> zh-Hant), its primary language when
    written in that script (a plain language, fr or pl, is its own primary: no langcodes)."""
    if lang in languages.PLAIN:
        return (lang,)
    primary = languages.primary(lang)
    script = languages.script(lang)
    tags = [lang]
    if script:
        tags.append(f"{primary}-{script}")
    if not script or languages.script(primary) == script:
        tags.append(primary)
    return tuple(dict.fromkeys(tags))


def table_to_add(lang: str) -> str:
    """The table a language without one would be served by: its primary language's
    (pl, pt for pt-BR), or its language and script's when the primary language is written
    in another script (zh-Hant for zh-TW, sr-Latn)."""
    tags = lookup(lang)
    primary = languages.primary(lang)
    return primary if primary in tags else tags[-1]


def pseudo(text: str) -> str:
    """Accented, bracketed English; ``{placeholders}`` are kept."""
    parts = _PLACEHOLDER.split(text)
    return "[" + "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_PSEUDO_MAP)
                         for p in parts) + "]"


@lru_cache(maxsize=4096)
def format_date(iso: str, lang: str) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) written the language's way (remembered:
    each edition's colophon writes its essay's dates, in its EPUB and its HTML page)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso.strip())
    if not match:
        return iso
    year, month, day = match.groups()
    if not month:
        return year
    # babel is imported when a date is written: a build that renders nothing does not.
    import babel
    from babel.dates import format_date as babel_format_date
    from babel.dates import format_skeleton
    try:
        locale = babel.Locale.parse(lang, sep="-")
    except (ValueError, babel.UnknownLocaleError):
        return iso
    try:
        date = dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return iso
    if not day:
        return format_skeleton("yMMMM", date, locale=locale)
    return babel_format_date(date, format="long", locale=locale)
