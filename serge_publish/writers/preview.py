"""The translator's preview: one essay in one language as an HTML page where every
segment shown in the source language (a fallback) is visibly marked with its reason, and
every segment carries its id and the place of its catalogue entry.

The page is the edition's own essay (``writers/essay.py``, from the document the build
applied the catalogue to); this module only annotates it. Nothing here decides what
falls back: the marks come from the build's plan.

Each segment ``<span id>`` gets ``data-id``, ``data-state`` and a ``title`` ("s12 ·
untranslated · locale/fr/LC_MESSAGES/x.po:40"); a fallback gets the class ``fallback``
and its state, followed by a visible label (reason, the invalid message, the entry's
``file:line``) linking the catalogue file. Browsers open a local file but cannot jump to
a line: the line is in the label's text.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..errors import Diagnostic
from .edition import Edition
from .essay import render_essay
from .furniture import furniture_for
from .html import serialize_html
from .xhtml import bare, element, page, set_lang

STATES = ("untranslated", "fuzzy", "invalid")
LEGEND = {
    "translated": "translated: shown as the edition shows it",
    "untranslated": "untranslated: no translation in the catalogue, the original is shown",
    "fuzzy": "fuzzy: the translation needs review (or the catalogue is out of date), the "
             "original is shown",
    "invalid": "invalid: the translation's tags do not match the original's, the original "
               "is shown",
}


@dataclass(frozen=True)
class Mark:
    """What the preview says about one segment."""
    id: str
    state: str                 # "translated" or one of STATES
    where: str = ""            # "locale/fr/LC_MESSAGES/x.po:40" ("" without an entry)
    message: str = ""          # why an invalid (or out-of-date) translation was not used


@dataclass(frozen=True)
class Preview:
    """One edition, the marks of its segments, and where its catalogue is."""
    edition: Edition
    marks: tuple[Mark, ...]
    catalogue: str             # project-relative path of the catalogue
    catalogue_href: str        # the same, relative to the page
    percent: str               # words translated, as the build report says it


def preview_html(preview: Preview, css_href: str) -> tuple[bytes, list[Diagnostic]]:
    """The preview page of one edition, and the diagnostics of rendering it."""
    edition = preview.edition
    furniture = furniture_for(edition.lang)
    essay = render_essay(edition.document, edition.lang, furniture)
    marks = {m.id: m for m in preview.marks}
    for span in essay.section.iter("span"):     # (in no namespace: writers/essay.py)
        mark = marks.get(span.get("id") or "")
        if mark:
            _annotate(span, mark, preview.catalogue_href)
    root, body = page(f"Preview: {essay.title}", edition.lang, css_href)
    body.set("class", "preview")
    body.append(_summary(preview, essay.title))
    element("main", parent=body).append(essay.section)
    return serialize_html(root), list(essay.diagnostics)


def _annotate(span: etree._Element, mark: Mark, href: str) -> None:
    span.set("data-id", mark.id)
    span.set("data-state", mark.state)
    span.set("title", " · ".join(filter(None, (mark.id, mark.state, mark.where))))
    if mark.state == "translated":
        return
    span.set("class", f"fallback {mark.state}")
    label = bare("a", _label(mark), href=href, class_=f"why {mark.state}")  # in the essay
    label.set("data-id", mark.id)
    set_lang(label, "en", span.get("lang"))
    label.tail, span.tail = span.tail, None
    span.addnext(label)


def _label(mark: Mark) -> str:
    reason = f"{mark.state}: {mark.message}" if mark.message else mark.state
    return f"[{mark.id} {reason} — {mark.where or 'no entry'}]"


def _summary(preview: Preview, title: str) -> etree._Element:
    """The legend and the counts, in English (a tool's page, not the edition's)."""
    edition = preview.edition
    header = element("header", class_="preview-summary")
    set_lang(header, "en", edition.lang)
    heading = element("p", parent=header, class_="preview-title")
    element("strong", f"Preview of the {edition.lang} edition: ", parent=heading)
    set_lang(element("cite", title, parent=heading[-1]), edition.lang, "en")
    p = element("p", parent=header)
    p.text = f"{edition.essay}: {preview.percent}% of the words translated; catalogue "
    element("a", preview.catalogue, parent=p, href=preview.catalogue_href)
    p[-1].tail = " (browsers open the file, not the line: the line is in each label)."
    counts: dict[str, int] = {}
    for mark in preview.marks:
        counts[mark.state] = counts.get(mark.state, 0) + 1
    ul = element("ul", parent=header, class_="legend")
    for state in ("translated", *STATES):
        li = element("li", parent=ul)
        element("span", f"{counts.get(state, 0)}", parent=li, class_=f"swatch {state}")
        li[-1].tail = f" {LEGEND[state]}"
    shown = [m for m in preview.marks if m.state != "translated"]
    if shown:
        details = element("details", parent=header)
        element("summary", f"{len(shown)} segments shown in the original", parent=details)
        ol = element("ol", parent=details, class_="fallbacks")
        for mark in shown:
            li = element("li", parent=ol)
            element("a", mark.id, parent=li, href=f"#{mark.id}")
            li[-1].tail = f" {mark.state}" + (f": {mark.message}" if mark.message else "") + \
                (f" — {mark.where}" if mark.where else "")
    return header
