"""The schema.org JSON-LD of the site's pages: ``WebSite`` (home), ``Book`` (a language's
page: its essays, the anthology), ``Article`` (an essay: author, inLanguage, translator,
datePublished, its EPUB as ``encoding``). URLs only with a ``base_url``."""
from __future__ import annotations

from .html import EPUB_MEDIA_TYPE
from .site_meta import absolute, person_list
from .site_model import EssayEntry, LanguageEntry, SiteInfo, size_text

HOME = "index.html"                   # the home page (writers/site.py)


def _publisher(info: SiteInfo) -> dict:
    return {"@type": "Organization", "name": info.publisher or info.name}


def _url(info: SiteInfo, path: str) -> dict:
    return {"url": absolute(info.base_url, path)} if info.base_url else {}


def website_ld(info: SiteInfo) -> dict:
    return {"@context": "https://schema.org", "@type": "WebSite", "name": info.name,
            "description": info.description[info.source_lang], "inLanguage": info.source_lang,
            "author": person_list(info.authors), "publisher": _publisher(info),
            **_url(info, HOME)}


def article_ld(info: SiteInfo, essay: EssayEntry) -> dict:
    data = {"@context": "https://schema.org", "@type": "Article", "headline": essay.title,
            "inLanguage": essay.lang, "author": person_list(essay.authors),
            "publisher": _publisher(info), "description": essay.summary,
            "dateModified": essay.modified, "isPartOf": {"@type": "Book", "name": info.name},
            "encoding": {"@type": "MediaObject", "encodingFormat": EPUB_MEDIA_TYPE,
                         "contentSize": size_text(essay.epub.size, "en"),
                         **({"contentUrl": absolute(info.base_url, essay.epub.path)}
                            if info.base_url else {})},
            **_url(info, essay.page)}
    if essay.date:
        data["datePublished"] = essay.date
    if essay.translators:
        data["translator"] = person_list(essay.translators)
    if essay.lang != info.source_lang:
        data["translationOfWork"] = {"@type": "Article", "inLanguage": info.source_lang,
                                     **_url(info, f"{info.source_lang}/{essay.essay}.html")}
    return data


def book_ld(info: SiteInfo, entry: LanguageEntry) -> dict:
    translators = tuple(dict.fromkeys(n for e in entry.essays for n in e.translators))
    data = {"@context": "https://schema.org", "@type": "Book", "name": info.name,
            "inLanguage": entry.lang, "bookFormat": "https://schema.org/EBook",
            "author": person_list(tuple(dict.fromkeys(a for e in entry.essays
                                                      for a in e.authors))),
            "publisher": _publisher(info), "datePublished": info.updated,
            "hasPart": [{"@type": "Article", "headline": e.title, "inLanguage": e.lang,
                         **_url(info, e.page)} for e in entry.essays],
            **_url(info, f"{entry.lang}/index.html")}
    if translators:
        data["translator"] = person_list(translators)
    return data
