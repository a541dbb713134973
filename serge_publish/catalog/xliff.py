"""XLIFF 1.2 for CAT tools (OmegaT, Trados, memoQ, Phrase): a catalogue out, its targets in.

One ``<file>`` per catalogue, one ``<trans-unit>`` per entry::

    <trans-unit id="s4" resname="s4" approved="yes" extradata="sha1:…">
      <source>It asks for <g id="i1" ctype="italic">care</g>.<x id="n1" ctype="x-note-ref"
              equiv-text="[1]"/></source>
      <target state="translated">Il demande du <g id="i1" ctype="italic">soin</g>.<x …/></target>
      <context-group purpose="location">…source/essay.xml, line…</context-group>
      <note from="developer">paragraph, sentence 2 of 2</note>
    </trans-unit>

The unit's ``id`` (and ``resname``) is the segment id (msgctxt). Placeholders become inline
codes that CAT tools protect: ``<i>``/``<t>``/``<aN>`` pairs are ``<g>`` (ctype italic,
x-title, link; ids ``i1``, ``i2``… in order, ``t1``…, ``aN``), note references ``<nN/>`` and
untranslated spans ``<xN/>`` are ``<x/>`` (ids ``nN``, ``xN``). States: ``translated`` (and
``approved="yes"``), ``needs-review-translation`` for fuzzy, ``new`` (an empty target) for
untranslated. ``extradata`` records a digest of the catalogue's msgstr at export, so that
an import can tell whether the catalogue changed since (:func:`merge_units`).

The document validates against the OASIS XLIFF 1.2 strict schema. Its ``<file>`` has
``datatype="x-gettext"``, not ``po``: translate-toolkit reads a ``po`` file as its own
PO-flavoured XLIFF, which finds locations only in context groups all named
``po-reference``, and the schema wants context-group names unique within a ``<file>``.
The location groups have no name; ``purpose="location"`` says what they are.

Reading back, a ``<g>`` or ``<x>`` is named by its id (``i2`` → ``<i>``, ``n3`` →
``<n3/>``), an ``<mrk>`` (a CAT tool's term or comment mark) gives its text, any other
inline element makes the unit broken (it is reported and skipped).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import polib
from lxml import etree

from serge_publish import atomic
from serge_publish.catalog.placeholders import escape, normalize_message
from serge_publish.errors import CatalogError

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_TOKEN = re.compile(r"<(/?)([A-Za-z][\w.:-]*)\s*(/?)>|&(lt|gt|amp);|[^<&]+|[<&]")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}
_CTYPE = {"i": "italic", "t": "x-title", "a": "link", "n": "x-note-ref", "x": "x-untranslated"}
STATES = {"translated": "translated", "fuzzy": "needs-review-translation", "new": "new"}
FINISHED = frozenset({"translated", "final", "signed-off"})


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def digest(msgstr: str) -> str:
    """What ``extradata`` records of a msgstr: ``sha1:`` and its hex digest."""
    return "sha1:" + hashlib.sha1(msgstr.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------- export

def fill_inline(parent: etree._Element, message: str) -> None:
    """Append ``message`` (a msgid or msgstr) to ``parent``: text, ``<g>`` and ``<x/>``.
    A tag that is no placeholder (a broken translation) stays text."""
    stack, counters = [parent], {"i": 0, "t": 0}
    for m in _TOKEN.finditer(message):
        closing, name, empty = m.group(1) == "/", m.group(2), m.group(3) == "/"
        kind = name[:1] if name and re.fullmatch(r"[it]|[anx]\d+", name) else None
        if kind and kind in "nx" and empty and not closing:
            etree.SubElement(stack[-1], q("x"), {"id": name, "ctype": _CTYPE[kind],
                                                 **_equiv(name)})
        elif kind and kind in "ita" and not empty and not closing:
            if kind in counters:
                counters[kind] += 1
            g = etree.SubElement(stack[-1], q("g"),
                                 id=f"{kind}{counters[kind]}" if kind in counters else name,
                                 ctype=_CTYPE[kind])
            stack.append(g)
        elif kind and kind in "ita" and closing and len(stack) > 1 and _name(stack[-1]) == name:
            stack.pop()
        else:
            _text(stack[-1], _ENTITIES[m.group(4)] if m.group(4) else m.group(0))


def _equiv(name: str) -> dict[str, str]:
    return {"equiv-text": f"[{name[1:]}]"} if name[0] == "n" else {}


def _name(g: etree._Element) -> str:
    ident = g.get("id", "")
    return ident[0] if ident[:1] in ("i", "t") else ident


def _text(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def entry_state(entry: polib.POEntry) -> str:
    if not entry.msgstr:
        return "new"
    return "fuzzy" if entry.fuzzy else "translated"


def catalog_to_xliff(po: polib.POFile, *, original: str, source_lang: str,
                     target_lang: str) -> bytes:
    """The XLIFF 1.2 document of a catalogue (its active, singular entries)."""
    namespaces = {None: NS}
    root = etree.Element(q("xliff"), {"version": "1.2"}, nsmap=namespaces)  # type: ignore
    file = etree.SubElement(root, q("file"), {"original": original, "datatype": "x-gettext",
                                              "source-language": source_lang,
                                              "target-language": target_lang})
    head = etree.SubElement(file, q("header"))
    etree.SubElement(head, q("tool"), {"tool-id": "serge-publish",
                                       "tool-name": "serge-publish"})
    body = etree.SubElement(file, q("body"))
    for entry in po:
        if entry.obsolete or entry.msgctxt is None or entry.msgid_plural:
            continue
        body.append(_unit(entry))
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


_STRUCTURAL = frozenset(q(t) for t in ("xliff", "file", "header", "body", "trans-unit",
                                       "context-group"))


def _indent(el: etree._Element, level: int = 0) -> None:
    """Line breaks and indentation between structural elements only: the text of a
    ``<source>``, ``<target>``, ``<note>`` or ``<context>`` is never touched."""
    if el.tag not in _STRUCTURAL or not len(el):
        return
    el.text = "\n" + "  " * (level + 1)
    for child in el:
        _indent(child, level + 1)
        child.tail = "\n" + "  " * (level + 1)
    el[-1].tail = "\n" + "  " * level


def _unit(entry: polib.POEntry) -> etree._Element:
    state = entry_state(entry)
    unit = etree.Element(q("trans-unit"), id=entry.msgctxt, resname=entry.msgctxt,
                         extradata=digest(entry.msgstr))
    if state == "translated":
        unit.set("approved", "yes")
    fill_inline(etree.SubElement(unit, q("source")), entry.msgid)
    target = etree.SubElement(unit, q("target"), state=STATES[state])
    fill_inline(target, entry.msgstr)
    for file, line in entry.occurrences:
        group = etree.SubElement(unit, q("context-group"), purpose="location")
        etree.SubElement(group, q("context"), {"context-type": "sourcefile"}).text = file
        if line:
            etree.SubElement(group, q("context"), {"context-type": "linenumber"}).text = line
    for line in filter(None, (entry.comment or "").split("\n")):
        etree.SubElement(unit, q("note"), {"from": "developer"}).text = line
    if entry.tcomment:
        etree.SubElement(unit, q("note"), {"from": "translator"}).text = entry.tcomment
    return unit


# --------------------------------------------------------------------------------- import

@dataclass(frozen=True)
class Unit:
    id: str
    line: int
    source: str                 # the source as a message (tags as placeholders)
    target: str | None          # None: no target
    state: str                  # the target's state ("" if none)
    approved: bool
    recorded: str | None        # extradata: the msgstr's digest at export
    problem: str = ""           # why the target cannot be read back


@dataclass(frozen=True)
class XliffFile:
    path: str
    original: str
    source_lang: str
    target_lang: str
    units: tuple[Unit, ...]


def read_xliff(path, shown: str) -> list[XliffFile]:
    """Each ``<file>`` of an XLIFF 1.2 document; CatalogError (file:line) if unreadable."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with atomic.open_file(path) as handle:      # (not by libxml2: a fifo would wait)
            root = etree.parse(handle, parser).getroot()
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {atomic.reason(exc)}", shown,
                           atomic.reason_hint(exc, "check the file name and its permissions")
                           ) from None
    except etree.XMLSyntaxError as exc:
        raise CatalogError(f"not well-formed XML: {exc.msg}", f"{shown}:{exc.lineno}",
                           "export it again from the CAT tool") from None
    if root.tag != q("xliff") or not root.get("version", "").startswith("1."):
        raise CatalogError("not an XLIFF 1.2 document", f"{shown}:{root.sourceline}",
                           "export XLIFF 1.2 (serge-publish xliff export writes it)")
    return [XliffFile(shown, f.get("original", ""), f.get("source-language", ""),
                      f.get("target-language", ""),
                      tuple(_read_unit(u) for u in f.iter(q("trans-unit"))))
            for f in root.iter(q("file"))]


def _read_unit(unit: etree._Element) -> Unit:
    source = unit.find(q("source"))
    target = unit.find(q("target"))
    problem, source_text, target_text = "", "", None
    try:
        source_text = inline_to_message(source) if source is not None else ""
        target_text = inline_to_message(target) if target is not None else None
    except ValueError as exc:
        problem = str(exc)
    return Unit(unit.get("id", ""), getattr(unit, "sourceline", 0) or 0, source_text, target_text,
                target.get("state", "") if target is not None else "",
                unit.get("approved") == "yes", unit.get("extradata"), problem)


def inline_to_message(el: etree._Element) -> str:
    """The message an XLIFF ``<source>``/``<target>`` stands for; ValueError for an inline
    code that is not one of ours."""
    parts = [escape(el.text or "")]
    for child in el:
        parts.append(_child_message(child))
        parts.append(escape(child.tail or ""))
    return normalize_message("".join(parts))


def _child_message(child: etree._Element) -> str:
    tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
    ident = child.get("id", "")
    if tag == "mrk":
        return inline_to_message(child)
    if tag == "x" and re.fullmatch(r"[nx]\d+", ident):
        return f"<{ident}/>"
    if tag == "g" and re.fullmatch(r"[it]\d*|a\d+", ident):
        name = ident if ident[0] == "a" else ident[0]
        return f"<{name}>{inline_to_message(child)}</{name}>"
    shown = f"<{tag} id=\"{ident}\">" if tag else "a comment or processing instruction"
    raise ValueError(f"the inline code {shown} is not one of the source's codes")


# ---------------------------------------------------------------------------------- merge

@dataclass(frozen=True)
class Outcome:
    id: str
    line: int
    action: str          # "updated", "unchanged", "skipped", "conflict", "unknown"
    message: str = ""


def new_fuzzy(unit: Unit) -> bool:
    """True when the unit's state asks for review (a fuzzy entry)."""
    if unit.state in FINISHED or unit.approved:
        return False
    return unit.state.startswith("needs-")


def merge_unit(entry: polib.POEntry, unit: Unit, force: bool) -> Outcome:
    """Put the unit's target into ``entry`` (already validated); never over a msgstr that
    changed since the export unless ``force``."""
    fuzzy = new_fuzzy(unit)
    if unit.target == entry.msgstr and fuzzy == entry.fuzzy:
        return Outcome(unit.id, unit.line, "unchanged")
    if unit.recorded and unit.recorded != digest(entry.msgstr) and not force:
        return Outcome(unit.id, unit.line, "conflict", "the catalogue's translation changed "
                       "since the export; kept it (--force takes the XLIFF's)")
    note = "" if unit.recorded else "no export record (extradata): the catalogue's " \
                                    "translation was replaced"
    note = note if entry.msgstr and entry.msgstr != unit.target else ""
    entry.msgstr = unit.target or ""
    flags = [f for f in entry.flags if f != "fuzzy"]
    entry.flags = flags + ["fuzzy"] if fuzzy else flags
    if not fuzzy:
        entry.previous_msgid = entry.previous_msgctxt = None
    return Outcome(unit.id, unit.line, "updated", note)
